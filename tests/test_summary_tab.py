"""The Summary and Leaderboard tabs as an owner reads them (formulas/report/summary.py, PRODUCT.md section 5):
a title line, readable component names in both languages, idle components hidden at the right, the
definitions of Forecast and the bonus pool, whole roubles, and rankings of people who have a plan."""

from __future__ import annotations

from datetime import date

import pytest

from demo.workbook import demo_tabs_ru
from formulas.engine import Outcome, recalculate
from formulas.months import month_of
from formulas.report.summary import Extras, summary_frame, summary_tab
from tests.builders import book

AS_OF = date(2026, 3, 31)
SMALL = book(
    Team=[["Anna", "sales", 30000, "", ""], ["Olga", "call_centre", 20000, "", ""]],
    Plans=[["2026-03", "Anna", 100000, 2]],
    Deals=[["D-1", "2026-03-05", "Anna", "Acme", 90000, "outbound", 20000, "active", ""]],
    Rules=[["2026-01", "*", "deal_percent", "", 5, ""]],
)


@pytest.fixture(scope="module")
def small() -> Outcome:
    return recalculate(SMALL, AS_OF)


@pytest.fixture(scope="module")
def russian() -> Outcome:
    as_of = date(2026, 11, 23)
    return recalculate(demo_tabs_ru(as_of).to_raw(), as_of)


def test_summary_opens_with_the_month_the_as_of_date_and_the_month_state(small: Outcome) -> None:
    tab = small.report.tab("summary")
    assert tab.title_line == "Summary for March 2026 · as of 2026-03-31 · month open"
    assert (tab.header_row, tab.first_row, tab.frozen_rows) == (2, 3, 2)  # the title and header stay in view
    for state, word in (("closed", "closed"), ("paid", "paid")):
        shown = summary_tab(small.inputs, small.summary, Extras(state=state), month_of(AS_OF))
        assert shown.title_line.endswith(f"· month {word}")


def test_russian_summary_has_a_russian_title_and_readable_headers(russian: Outcome) -> None:
    tab = russian.report.tab("summary")
    assert tab.title_line == "Сводка за ноябрь 2026 · на 23.11.2026 · месяц открыт"
    headers = [column.header for column in tab.columns]
    assert "% от сделок" in headers and "% от маржи 1-го месяца" in headers
    assert [header for header in headers if "_" in header] == []  # no identifier such as deal_percent
    assert tab.columns[tab.column("deal_percent")].header == "% от сделок"  # the key stays the identifier


def test_components_that_pay_nobody_are_kept_hidden_at_the_right(small: Outcome) -> None:
    tab = small.report.tab("summary")
    keys = [column.key for column in tab.columns]
    signals = keys.index("signals")
    assert keys[:8] == ["manager", "role", "plan", "fact", "attainment", "deals", "base_salary", "deal_percent"]
    assert keys[8:signals + 1] == ["total", "forecast", "signals"]
    idle = keys[signals + 1:]
    assert set(idle) == {"plan_bonus", "deal_count_bonus", "client_turnover_bonus", "payment_percent",
                         "first_month_margin_percent", "inbound_deal_bonus", "stage_bonus", "collected_percent",
                         "clawback", "adjustment", "carried_over"}
    assert all(tab.columns[keys.index(key)].hidden for key in idle)
    assert not any(column.hidden for column in tab.columns[:signals + 1])
    anna = tab.rows[0]
    assert anna[0] == "Anna" and anna[keys.index("deal_percent")] == 4500.0
    assert [anna[keys.index(key)] for key in idle] == [0.0] * len(idle)  # not dropped: still there, zero
    assert "Plan bonus" in " ".join(str(row[0]) for row in tab.rows if row)  # the hidden ones are named


def test_forecast_and_bonus_pool_carry_their_definitions(small: Outcome) -> None:
    tab = small.report.tab("summary")
    forecast_note = tab.notes[(tab.header_row, tab.column("forecast"))]
    assert forecast_note.startswith("Forecast: signed so far this month")
    pool_row = next(i for i, row in enumerate(tab.rows, start=tab.first_row)
                    if row and row[0] == "Bonus pool, % of first-month margin")
    assert tab.notes[(pool_row, 0)].startswith("Bonus pool: variable pay of the month")
    lines = [tab.rows[row - tab.first_row][0] for row in sorted(tab.free_rows)]
    assert lines[:2] == [forecast_note, tab.notes[(pool_row, 0)]]  # printed too, under the table
    assert all(row > pool_row for row in tab.free_rows)


def test_summary_money_shows_whole_roubles_and_statements_keep_the_kopecks(small: Outcome) -> None:
    summary, statements = small.report.tab("summary"), small.report.tab("statements")
    for key in ("plan", "fact", "base_salary", "deal_percent", "total", "forecast"):
        assert summary.columns[summary.column(key)].number_format == "#,##0", key
    assert statements.columns[statements.column("amount")].number_format == "#,##0.00"


def test_leaderboard_and_plan_chart_rank_only_people_with_a_plan(small: Outcome) -> None:
    leaderboard = small.report.tab("leaderboard")
    assert [row[1] for row in leaderboard.rows] == ["Anna"]  # Olga (call centre) has no plan
    summary = small.report.tab("summary")
    chart = next(chart for chart in summary.charts if chart.kind == "column")
    assert chart.rows == (summary.first_row, summary.first_row)  # Anna's row only
    assert summary.rows[0][0] == "Anna" and summary.rows[1][0] == "Olga"


def test_planned_managers_come_first_in_the_summary(small: Outcome) -> None:
    """Olga sorts before nobody by name, but a manager without a plan follows those with one."""
    frame = summary_frame(small.inputs, small.pay, small.statement.lines, month_of(AS_OF))
    frame = frame.loc[["olga", "anna"]]  # no plan first: the tab still lists Anna first
    tab = summary_tab(small.inputs, frame, Extras(), month_of(AS_OF))
    assert [row[0] for row in tab.rows[:2]] == ["Anna", "Olga"]


def test_the_funnel_block_says_which_count_is_now_and_which_is_all_time(small: Outcome, russian: Outcome) -> None:
    """Issue 11: the funnel chart mixed all-time "Reached" with current "In work" without saying so."""
    for outcome, words in ((small, ["Now at this stage", "Reached, all time"]),
                           (russian, ["Сейчас на этапе", "Дошли, за всё время"])):
        rows = outcome.report.tab("summary").rows
        assert any(row[1:3] == words for row in rows if len(row) >= 3)
