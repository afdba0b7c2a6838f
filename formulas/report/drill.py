"""Drill-down of one result cell (the service's ``/explain``): its formula, rule and contributions.

PRODUCT.md section 1: "every figure can be drilled into: the formula, the rule version and the exact
source rows behind it". A result row carries its key (:class:`~formulas.report.model.RowKey`) and a
column its key, so the answer is a query on the pay result: a `Statements` row names a line, an
`Explain` row one contribution, a `Summary` cell a manager and a component (or the total) of a month.
Nothing here reads rendered cells back by position or header text.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from formulas.engine import Outcome
from formulas.pay.components import STATEMENT_ORDER, formula
from formulas.pay.wording import Figures, money
from formulas.report.model import Link, ResultTab, RowKey

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")
TOTAL = "total"
# Tabs whose rows are one statement line or one contribution, whichever column the cell is in.
_ROW_TABS = ("statements", "explain")


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
    values = tab.rows[row - tab.first_row] if tab.first_row <= row < len(tab.rows) + tab.first_row else []
    answer: dict[str, Any] = {"sheet": tab.title, "cell": cell.upper(),
                              "value": _plain(values[col]) if col < len(values) else None,
                              "title": tab.columns[col].header if col < len(tab.columns) else "",
                              "formula": "", "rule": "", "contributions": []}
    key, component = tab.key_at(row), _component(tab, col)
    if key is None or component is None:
        return answer
    chosen = _contributions(outcome.pay.contributions, key, component)
    answer["contributions"] = [_contribution(outcome, item) for item in chosen.itertuples(index=False)]
    rules = sorted({int(r) for r in chosen["rule_row"] if int(r) > 0})
    answer["rule"] = ", ".join(f"{outcome.inputs.titles['rules']}!{r}" for r in rules)
    answer["formula"] = _formula(outcome, key, component)
    return answer


def _component(tab: ResultTab, col: int) -> str | None:
    """What a cell of this column adds up: the row's own component on Statements and Explain, the
    column's component (or the total) on Summary; None for a column that is not pay."""
    if tab.key in _ROW_TABS:
        return ""  # the row key names the component
    if tab.key != "summary" or col >= len(tab.columns):
        return None
    key = tab.columns[col].key
    return key if key in STATEMENT_ORDER or key == TOTAL else None


def _contributions(items: pd.DataFrame, key: RowKey, component: str) -> pd.DataFrame:
    """The contributions behind a keyed row, narrowed to ``component`` ("" = the row's own)."""
    chosen = items[(items["month"] == key.month) & (items["manager_key"] == key.manager_key)]
    wanted = key.component if component == "" else component
    if wanted != TOTAL:
        chosen = chosen[chosen["component"] == wanted]
    if key.source_row is not None:
        chosen = chosen[(chosen["source_tab"] == key.source_tab) & (chosen["source_row"] == key.source_row)]
    return chosen


def _formula(outcome: Outcome, key: RowKey, component: str) -> str:
    """The formula of the statement line behind the cell; for a total, the sum of the month's lines."""
    if key.source_row is not None:
        return ""  # one contribution: its row shows base, rate and amount
    lines = outcome.pay.lines
    lines = lines[(lines["month"] == key.month) & (lines["manager_key"] == key.manager_key)]
    wanted = key.component if component == "" else component
    if wanted == TOTAL:
        order = {name: index for index, name in enumerate(STATEMENT_ORDER)}
        ordered = lines.assign(_order=lines["component"].map(order)).sort_values("_order", kind="stable")
        if ordered.empty:
            return ""
        total = round(float(ordered["amount"].sum()), 2)
        lang = outcome.inputs.lang
        return " + ".join(money(float(amount), lang) for amount in ordered["amount"]) + f" = {money(total, lang)}"
    line = lines[lines["component"] == wanted]
    if line.empty:
        return ""
    found = line.iloc[0]
    figures = Figures(float(found["base"]), float(found["rate"]), float(found["amount"]), int(found["count"]),
                      int(found["month"]))
    return formula(wanted, figures, outcome.inputs.lang)


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

