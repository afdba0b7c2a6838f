"""What the result tabs say and how they sit on the page (issue 11 items 4 and 5): Statements' Rate means
base × rate = amount, counts are whole numbers, Signals are coloured by severity, headers align with
their cells, text wraps, and every tab Premia writes prints one page wide with its header repeated."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from demo.workbook import demo_tabs, demo_tabs_ru, write_demo
from entrypoints.jobs import recalculate_spreadsheet
from formulas.engine import Outcome, recalculate
from formulas.funnel.signals import SEVERITY
from formulas.report.model import AMBER, RED, ResultTab
from formulas.text.numbers import money
from sheets_sync.local import LocalWorkbook
from sheets_sync.local.write import create_workbook
from tests.builders import HEADERS

AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module", params=["en", "ru"])
def demo(request: pytest.FixtureRequest) -> Outcome:
    tabs = demo_tabs_ru(AS_OF) if request.param == "ru" else demo_tabs(AS_OF)
    return recalculate(tabs.to_raw(), AS_OF)


def _rows(print_titles: str | None) -> str:
    """Print title rows without their ``$`` anchors: ``$1:$2`` -> ``1:2``."""
    return (print_titles or "").replace("$", "")


def _column(tab: ResultTab, key: str) -> list[object]:
    index = tab.column(key)
    return [row[index] if index < len(row) else None for row in tab.rows]


def test_statements_rate_times_base_is_the_amount(demo: Outcome) -> None:
    """Wherever Rate is shown, Base amount × Rate gives Amount (to the rounding of each contribution)."""
    tab = demo.report.tab("statements")
    rows = zip(_column(tab, "component"), _column(tab, "base_amount"), _column(tab, "rate"), _column(tab, "amount"),
               strict=True)
    rated = [(component, base, rate, amount) for component, base, rate, amount in rows if rate is not None]
    assert len(rated) > 100
    wrong = [row for row in rated if abs(row[1] * row[2] - row[3]) > max(1.0, abs(row[3]) * 0.001)
             and row[0] != "clawback"]
    assert wrong == []
    clawbacks = [row for row in rated if row[0] == "clawback"]
    assert all(abs(base * rate + amount) <= 1.0 for _, base, rate, amount in clawbacks)  # a clawback takes back


def test_a_plan_bonus_shows_its_attainment_in_details_not_in_rate(demo: Outcome) -> None:
    tab = demo.report.tab("statements")
    word = "выполнение" if demo.inputs.lang == "ru" else "attainment"
    plan = [row for row in tab.rows if row[tab.column("component")] == "plan_bonus"]
    assert plan, "the demo pays plan bonuses"
    assert all(row[tab.column("rate")] is None for row in plan)
    assert all(re.fullmatch(rf"{word} \d+([.,]\d+)?%", str(row[tab.column("details")])) for row in plan)


def test_a_deal_count_base_is_a_whole_number(demo: Outcome) -> None:
    tab = demo.report.tab("statements")
    base = tab.column("base_amount")
    rows = [row for row, key in enumerate(tab.keys, start=tab.first_row) if key.component == "deal_count_bonus"]
    assert rows
    for row in rows:  # whole counts as whole numbers; a count with a shared deal (PRODUCT.md 3b) with decimals
        count = float(tab.rows[row - tab.first_row][base])
        assert tab.cell_formats.get((row, base)) == ("0" if count.is_integer() else "0.0#"), count
    assert any(float(tab.rows[row - tab.first_row][base]).is_integer() for row in rows)


def test_formula_text_writes_the_amount_as_the_language_does(demo: Outcome) -> None:
    tab = demo.report.tab("statements")
    lang = demo.inputs.lang
    formulas = _column(tab, "formula")
    amounts = _column(tab, "amount")
    percent_lines = [(f, a) for f, a, c in zip(formulas, amounts, _column(tab, "component"), strict=True)
                     if c == "deal_percent"]
    assert percent_lines and all(str(f).endswith(f"= {money(float(a), lang)}") for f, a in percent_lines)
    details = " ".join(str(d) for d in _column(tab, "details"))
    if lang == "ru":
        assert "." not in re.sub(r"[^\d.,]", " ", " ".join(str(f) for f, _ in percent_lines)).replace(" .", " ")
        assert re.search(r"\b1 сделка\b", details) and not re.search(r"\b1 сделок\b|\b[234] сделок\b", details)
    else:
        assert not re.search(r"\b1 deals\b", details)


def test_signals_are_coloured_by_severity_so_rare_ones_stand_out(demo: Outcome) -> None:
    tab = demo.report.tab("signals")
    kinds = [str(row[2]) for row in tab.rows]
    coloured = {row: h.color for h in tab.highlights for row in range(h.rows[0], h.rows[1] + 1)}
    expected = {"high": RED, "medium": AMBER, "low": None}
    assert {kind for kind in kinds} <= set(SEVERITY)
    assert [coloured.get(row) for row in range(2, len(kinds) + 2)] == [expected[SEVERITY[k]] for k in kinds]
    assert sum(SEVERITY[k] == "low" for k in kinds) > sum(SEVERITY[k] == "high" for k in kinds) > 0


def test_the_written_workbook_aligns_headers_wraps_text_and_prints_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(path, [
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, date(2026, 1, 1), None]]),
        ("Deals", [HEADERS["Deals"], ["D-1", date(2026, 3, 5), "Anna", "Acme", 90000, "outbound", 20000, "active"]]),
        ("Rules", [HEADERS["Rules"], ["2026-01", "*", "deal_percent", None, 5, ""]]),
        ("Plans", [HEADERS["Plans"], ["2026-03", "Anna", 100000, 2]]),
        ("Payments", [HEADERS["Payments"]]), ("Funnel", [HEADERS["Funnel"]])])
    outcome = recalculate_spreadsheet(LocalWorkbook(path), date(2026, 3, 31))
    wb = load_workbook(path)
    summary, statements = wb["Summary"], wb["Statements"]
    tab = outcome.report.tab("statements")
    header = {cell.value: cell.alignment for cell in statements[1]}
    assert header["Amount"].horizontal == "right" and header["Base amount"].horizontal == "right"
    assert header["Formula"].horizontal == "left" and header["Formula"].indent == 1
    formula = statements.cell(row=2, column=tab.column("formula") + 1)
    assert formula.alignment.wrap_text and formula.alignment.indent == 1  # never touches the Amount before it
    assert summary["A1"].value.startswith("Summary for March 2026")
    assert summary["A2"].value == "Manager" and summary.freeze_panes == "A3"
    # Every result tab repeats its header rows on each printed page, one page wide, landscape.
    for title in ("Summary", "Statements", "Signals", "Funnel report"):
        ws = wb[title]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, title
        assert _rows(ws.print_title_rows) == ("1:2" if title == "Summary" else "1:1"), title
    assert wb["Summary"].page_setup.fitToHeight == 1  # the owner's one-page view
    # Input tabs written by Premia (the demo, create_workbook) print one page wide with their header too.
    assert _rows(wb["Deals"].print_title_rows) == "1:1" and wb["Deals"].page_setup.fitToWidth == 1
    assert wb["Deals"].page_setup.orientation == "landscape" and wb["Team"].page_setup.orientation == "portrait"
    assert wb["Deals"]["C2"].alignment.indent == 1  # text never touches the date right-aligned before it


def test_a_second_run_keeps_one_print_title_per_tab(tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    write_demo(path, AS_OF)
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    first = path.read_bytes()
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert path.read_bytes() == first  # the names are replaced, not added again
    wb = load_workbook(path)
    assert _rows(wb["Statements"].print_title_rows) == "1:1"


def test_explain_rate_means_base_times_rate_and_a_plan_bonus_shows_its_attainment_in_details() -> None:
    """Issue 11 item 4 in Explain too: a percentage's Rate × Base = Amount; a plan bonus has no Rate, its
    attainment is in Details; a fixed sum has no Rate."""
    from datetime import date

    from formulas.engine import recalculate
    from tests.builders import book

    workbook = book(
        Team=[["Anna", "sales", 30000, "2026-01-01", None]],
        Plans=[["2026-03", "Anna", 100000, None]],
        Deals=[["D1", "2026-03-05", "Anna", "Acme", 125000, "inbound", None, None, None]],
        Rules=[["2026-01", "*", "deal_percent", None, 5, ""], ["2026-01", "*", "plan_bonus", None, 20000, ""],
               ["2026-01", "*", "inbound_deal_bonus", None, 3000, ""]],
    )
    tab = recalculate(workbook, date(2026, 3, 31)).report.tab("explain")
    component, rate, base = tab.column("component"), tab.column("rate"), tab.column("base_amount")
    amount, details = tab.column("amount"), tab.column("details")
    rows = {row[component]: row for row in tab.rows}
    assert rows["deal_percent"][rate] == 0.05 and rows["deal_percent"][base] * 0.05 == rows["deal_percent"][amount]
    assert rows["plan_bonus"][rate] is None and rows["plan_bonus"][details] == "attainment 125%"
    assert rows["inbound_deal_bonus"][rate] is None and rows["inbound_deal_bonus"][details] is None
