"""The `Input issues` result tab and the highlights on input rows that have issues."""

from __future__ import annotations

from formulas.read.inputs import Inputs
from formulas.report.model import ISSUE, ColumnSpec, Highlight, Link, ResultTab, column_letters
from formulas.text import say


def issues_tab(inputs: Inputs) -> ResultTab:
    """One row per issue: tab, row, column, value, message, and a link to the bad cell."""
    lang = inputs.lang
    rows = []
    for issue in inputs.issues:
        link = None
        if issue.row > 0:
            col = max(issue.column_index, 0)
            link = Link(f"{issue.tab}!{column_letters(col)}{issue.row}", issue.tab, issue.row, col)
        rows.append([issue.tab, issue.row or None, issue.column or None, issue.value or None,
                     issue.message, link])
    columns = [ColumnSpec(say("header.tab", lang), "@", 12), ColumnSpec(say("header.row", lang), "0", 7),
               ColumnSpec(say("header.column", lang), "@", 16), ColumnSpec(say("header.value", lang), "@", 18),
               ColumnSpec(say("header.message", lang), "", 60), ColumnSpec(say("header.link", lang), "", 12)]
    return ResultTab("input_issues", say("title.input_issues", lang), columns, rows)


def input_highlights(inputs: Inputs) -> list[Highlight]:
    """Highlight each input row that has an issue, merging runs of adjacent rows into one block."""
    by_tab: dict[str, set[int]] = {}
    for issue in inputs.issues:
        if issue.row > 1:
            by_tab.setdefault(issue.tab, set()).add(issue.row)
    widths = {inputs.titles[key]: max(cols.values()) for key, cols in inputs.columns.items() if cols}
    highlights = []
    for tab, rows in sorted(by_tab.items()):
        for first, last in _runs(sorted(rows)):
            highlights.append(Highlight(tab, (first, last), (0, widths.get(tab, 0)), "always", ISSUE))
    return highlights


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
