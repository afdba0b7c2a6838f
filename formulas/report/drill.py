"""Drill-down of one result cell (the service's ``/explain``): its formula, rule and contributions.

PRODUCT.md section 1: "every figure can be drilled into: the formula, the rule version and the exact
source rows behind it". A `Statements` row names a line; a `Summary` cell names a manager and a
component of the report month; an `Explain` row is one contribution already.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from formulas.engine import Outcome
from formulas.months import month_label
from formulas.pay.wording import money
from formulas.report.model import Link, ResultTab
from formulas.text import every

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


def parse_a1(cell: str) -> tuple[int, int] | None:
    """``"C7"`` -> (sheet row 7, column index 2); None when it is not one cell reference."""
    match = _A1.match(cell.strip())
    if not match:
        return None
    col = 0
    for letter in match.group(1).upper():
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)), col - 1


def explain_cell(outcome: Outcome, sheet: str, cell: str) -> dict[str, Any] | None:
    """The drill-down of one result cell, or None when ``sheet`` is not a result tab or ``cell`` is bad."""
    position = parse_a1(cell)
    tab = next((t for t in outcome.report.tabs if t.title.casefold() == sheet.strip().casefold()), None)
    if position is None or tab is None:
        return None
    row, col = position
    values = tab.rows[row - 2] if 2 <= row < len(tab.rows) + 2 else []
    shown = _plain(values[col]) if col < len(values) else None
    answer: dict[str, Any] = {"sheet": tab.title, "cell": cell.upper(), "value": shown,
                              "title": tab.columns[col].header if col < len(tab.columns) else "",
                              "formula": "", "rule": "", "contributions": []}
    chosen = _contributions_for(outcome, tab, values, col)
    if chosen is not None:
        answer["contributions"] = [_contribution(outcome, item) for item in chosen.itertuples(index=False)]
        rules = sorted({int(r) for r in chosen["rule_row"] if int(r) > 0})
        answer["rule"] = ", ".join(f"{outcome.inputs.titles['rules']}!{r}" for r in rules)
    if tab.key == "statements" and len(values) > 7:
        answer["formula"] = values[7]
    elif tab.key == "summary" and chosen is not None:
        answer["formula"] = _summary_formula(outcome, values[0], _summary_component(tab, col), shown)
    return answer


def _summary_component(tab: ResultTab, col: int) -> str:
    """The statement component a Summary column shows: its header, ``base_salary`` for Base, or ``total``."""
    if col >= len(tab.columns):
        return ""  # right of the table: nothing to explain
    if col == len(tab.columns) - 3:
        return "total"
    header = tab.columns[col].header
    return "base_salary" if header in every("header.base") else header


def _summary_formula(outcome: Outcome, manager: Any, component: str, shown: Any) -> str:
    """A Summary cell's formula: its report-month Statements line's, or the sum of the lines for Total."""
    statements = next((t for t in outcome.report.tabs if t.key == "statements"), None)
    month = month_label(outcome.report_month)
    lines = [row for row in (statements.rows if statements else []) if row[0] == month and row[1] == manager]
    if component != "total":
        return next((str(row[7]) for row in lines if row[2] == component), "")
    if not lines or not isinstance(shown, (int, float)):
        return ""
    return " + ".join(money(float(row[6])) for row in lines) + f" = {money(float(shown))}"


def _contributions_for(outcome: Outcome, tab: ResultTab, values: list[Any], col: int) -> pd.DataFrame | None:
    """The contributions behind a row of Statements, Explain, or a Summary cell."""
    if not values:
        return None
    keys = {name: key for key, name in outcome.inputs.manager_names().items()}
    items = outcome.pay.contributions
    if tab.key in ("statements", "explain"):
        month, manager, component = values[0], keys.get(values[1]), values[2]
        chosen = items[(items["manager_key"] == manager) & (items["component"] == component)
                       & (items["month"].map(month_label) == month)]
        if tab.key == "explain" and isinstance(values[3], Link):
            chosen = chosen[chosen["source_row"] == values[3].row]
        return chosen
    if tab.key == "summary" and values[0] in keys:
        chosen = items[(items["manager_key"] == keys[values[0]]) & (items["month"] == outcome.report_month)]
        component = _summary_component(tab, col)
        if component == "total":
            return chosen  # everything of the month
        if component in set(chosen["component"]) | {"base_salary"}:
            return chosen[chosen["component"] == component]
        return None
    return None


def _contribution(outcome: Outcome, item: Any) -> dict[str, Any]:
    """One contribution as JSON: its source row, deal, client, base, rate and amount."""
    title = outcome.inputs.titles.get(item.source_tab, item.source_tab)
    return {"source": f"{title}!{int(item.source_row)}" if int(item.source_row) > 0 else "",
            "component": item.component, "deal_id": item.deal_id or "", "client": item.client or "",
            "base": _plain(item.base), "rate": _plain(item.rate), "amount": _plain(item.amount)}


def _plain(value: Any) -> Any:
    """A JSON-friendly value: NaN as None, links as their text, dates as ISO text."""
    if isinstance(value, Link):
        return value.text
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value
