"""``premia demo`` (PRODUCT.md section 6, issues 9 and 11): a complete report month that shows everything,
a month-close story told with the real close and paid jobs, planted issues said to be planted, and an
existing file never replaced without ``--force``.

Every figure is read back from the written workbook by a fresh recalculation, as a user would see it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result

from entrypoints.commands import premia_cli
from entrypoints.jobs import recalculate_spreadsheet
from formulas.engine import Outcome
from formulas.funnel.signals import SIGNALS
from formulas.months import month_of
from formulas.pay.components import COMPONENTS
from formulas.text import say
from service import create_app
from sheets_sync.local import LocalWorkbook

TODAY = "2026-12-03"  # the day issue 11 was filed: the month of "today" has barely started
AS_OF = date(2026, 11, 30)
JUN, OCT, NOV = (2026 * 12 + m - 1 for m in (6, 10, 11))


def run(*args: str) -> Result:
    """``premia ARGS`` through Flask's CLI runner."""
    return create_app({"TESTING": True}).test_cli_runner().invoke(premia_cli, list(args))


@pytest.fixture(scope="module", params=["en", "ru"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Result,
                                                                                             Outcome]:
    """The demo written in a language on 3 December, its output, and a fresh recalculation of the file."""
    lang = request.param
    path = tmp_path_factory.mktemp(f"demo-{lang}") / "premia-demo.xlsx"
    result = run("demo", str(path), "--lang", lang, "--as-of", TODAY)
    assert result.exit_code == 0, result.output
    return lang, path, result, recalculate_spreadsheet(LocalWorkbook(path), AS_OF, write=False)


def test_the_report_month_is_the_last_complete_month(demo: tuple[str, Path, Result, Outcome]) -> None:
    lang, _, result, outcome = demo
    assert outcome.report_month == NOV == month_of(AS_OF)
    assert outcome.inputs.lang == lang
    assert say("demo.as_of", lang, as_of="2026-11-30", month="2026-11") in result.output
    assert say("cli.report_month", lang, month="2026-11", as_of="2026-11-30") in result.output  # in its language
    assert ("Отчётный месяц" in result.output) == (lang == "ru")


def test_the_report_month_shows_every_band_component_and_signal_kind(demo: tuple[str, Path, Result,
                                                                                  Outcome]) -> None:
    _, _, _, outcome = demo
    summary = outcome.summary
    attainment = summary["attainment"].dropna()
    assert (attainment < 0.8).any() and ((attainment >= 0.8) & (attainment < 1)).any() and (attainment >= 1).any()
    silent = [c.key for c in COMPONENTS if not (summary[c.key] != 0).any()]
    assert silent == [], f"components that are zero for everyone in the report month: {silent}"
    assert set(outcome.signals["signal"]) == set(SIGNALS)
    assert {row[2] for row in outcome.report.tab("signals").rows} == set(SIGNALS)


def test_earlier_months_are_closed_the_oldest_paid_by_the_real_jobs(demo: tuple[str, Path, Result,
                                                                                 Outcome]) -> None:
    lang, _, result, outcome = demo
    records = outcome.state.records
    assert [records.state_of(m) for m in range(JUN, NOV + 1)] == ["paid", "closed", "closed", "closed", "closed",
                                                                  "open"]
    assert {m: record.closed_at for m, record in records.months.items()}[OCT] == "2026-11-04 10:00"
    assert outcome.report.tab("closed_months").title == say("title.closed_months", lang)
    assert outcome.report.tab("payroll").title == say("title.payroll", lang)
    assert say("title.closed_months", lang) in result.output


def test_a_late_correction_shows_as_adjustments_in_the_report_month(demo: tuple[str, Path, Result,
                                                                                 Outcome]) -> None:
    lang, _, result, outcome = demo
    igor = "игорь кузнецов" if lang == "ru" else "igor kuznetsov"
    lines = outcome.statement.lines
    adjusted = lines[(lines["month"] == NOV) & (lines["component"] == "adjustment")]
    assert len(adjusted) >= 1 and set(adjusted["manager_key"]) == {igor}
    assert adjusted["amount"].sum() < 0  # the amount was typed too high: part of October's pay is taken back
    # October stays as it was closed; the adjustments are exactly what October would be now minus that.
    recomputed = outcome.pay.lines
    now = recomputed[(recomputed["month"] == OCT) & (recomputed["manager_key"] == igor)
                     & (recomputed["component"] != "carried_over")]["amount"].sum()
    frozen = lines[(lines["month"] == OCT) & (lines["manager_key"] == igor)
                   & (lines["component"] != "carried_over")]["amount"].sum()
    assert round((now - frozen) * 100) == round(adjusted["amount"].sum() * 100) != 0
    assert outcome.summary.loc[igor, "adjustment"] == pytest.approx(adjusted["amount"].sum())
    assert "181 000" in result.output and "118 000" in result.output


def test_the_planted_issues_are_said_to_be_planted_and_where(demo: tuple[str, Path, Result, Outcome]) -> None:
    lang, _, result, outcome = demo
    assert len(outcome.inputs.issues) == 7
    planted = say("demo.planted", lang, count=7, tab=say("title.input_issues", lang),
                  deals=outcome.inputs.titles["deals"])
    assert planted in result.output


def test_an_existing_file_is_never_replaced_without_force(tmp_path: Path) -> None:
    path = tmp_path / "premia-demo.xlsx"
    path.write_bytes(b"my own workbook")
    refused = run("demo", str(path), "--as-of", TODAY)
    assert refused.exit_code == 4
    assert f"{path} already exists, so nothing was written" in refused.output and "--force" in refused.output
    assert path.read_bytes() == b"my own workbook"
    assert os.listdir(tmp_path) == ["premia-demo.xlsx"]  # no temporary left behind either
    forced = run("demo", str(path), "--as-of", TODAY, "--force")
    assert forced.exit_code == 0, forced.output
    assert path.read_bytes()[:2] == b"PK" and os.listdir(tmp_path) == ["premia-demo.xlsx"]


def test_the_refusal_is_in_the_demos_language(tmp_path: Path) -> None:
    path = tmp_path / "демо.xlsx"
    path.write_bytes(b"x")
    refused = run("demo", str(path), "--lang", "ru", "--as-of", TODAY)
    assert refused.exit_code == 4 and "уже существует" in refused.output and path.read_bytes() == b"x"


@pytest.mark.parametrize(("today", "as_of"), [("2026-12-03", "2026-11-30"), ("2026-11-30", "2026-11-30"),
                                              ("2026-01-01", "2025-12-31"), ("2024-03-15", "2024-02-29"),
                                              ("2024-02-29", "2024-02-29")])
def test_the_demo_is_dated_as_of_the_last_day_of_the_latest_ended_month(today: str, as_of: str) -> None:
    from demo.story import demo_as_of

    assert demo_as_of(date.fromisoformat(today)) == date.fromisoformat(as_of)
