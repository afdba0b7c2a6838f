"""The drill-down of a result cell (formulas/report/drill.py) queries row and column keys, not positions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from demo.workbook import demo_tabs
from formulas.engine import Outcome, recalculate
from formulas.report.drill import explain_cell
from formulas.report.model import ResultTab, column_letters

AS_OF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    return recalculate(demo_tabs(AS_OF).to_raw(), AS_OF)


def cell_of(tab: ResultTab, manager: str, column_key: str) -> str:
    """The A1 reference of a manager's cell in the column keyed ``column_key``."""
    row = next(i for i, key in enumerate(tab.keys, start=tab.first_row)
               if key and key.manager_key == manager.casefold())
    return f"{column_letters(tab.column(column_key))}{row}"


def reversed_columns(tab: ResultTab) -> ResultTab:
    """The same tab with its columns (and every row's cells) in reverse order."""
    width = len(tab.columns)
    rows = [list(reversed([*row, *([None] * (width - len(row)))])) if row else row for row in tab.rows]
    return replace(tab, columns=list(reversed(tab.columns)), rows=rows)


def test_a_summary_cell_explains_the_same_wherever_its_column_sits(outcome: Outcome) -> None:
    summary = outcome.report.tab("summary")
    before = {key: explain_cell(outcome, "Summary", cell_of(summary, "Anna Petrova", key))
              for key in ("deal_percent", "base_salary", "total")}
    moved = reversed_columns(summary)
    outcome.report.tabs[outcome.report.tabs.index(summary)] = moved
    try:
        after = {key: explain_cell(outcome, "Summary", cell_of(moved, "Anna Petrova", key)) for key in before}
    finally:
        outcome.report.tabs[outcome.report.tabs.index(moved)] = summary
    for key in before:
        assert before[key] is not None and after[key] is not None
        assert before[key]["contributions"], key
        for field in ("value", "title", "formula", "rule", "contributions"):
            assert after[key][field] == before[key][field], (key, field)


def test_statement_and_explain_rows_are_found_by_their_keys(outcome: Outcome) -> None:
    statements = outcome.report.tab("statements")
    row = next(i for i, key in enumerate(statements.keys, start=2)
               if key and key.component == "deal_percent" and key.month == outcome.report_month)
    line = explain_cell(outcome, "Statements", f"A{row}")  # any column of the row explains the line
    amount = statements.rows[row - 2][statements.column("amount")]
    assert line is not None and round(sum(c["amount"] for c in line["contributions"]), 2) == amount
    assert line["formula"] == statements.rows[row - 2][statements.column("formula")]
    explain = outcome.report.tab("explain")
    first = explain.keys[0]
    one = explain_cell(outcome, "Explain", "B2")
    assert one is not None and len(one["contributions"]) == 1
    assert one["contributions"][0]["source"].endswith(f"!{first.source_row}")


def test_a_cell_outside_pay_columns_has_no_contributions(outcome: Outcome) -> None:
    summary = outcome.report.tab("summary")
    answer = explain_cell(outcome, "Summary", cell_of(summary, "Anna Petrova", "plan"))
    assert answer is not None and answer["contributions"] == [] and answer["formula"] == ""
