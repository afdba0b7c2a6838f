"""The `Statements` and `Explain` result tabs (PRODUCT.md section 5).

`Statements` holds every month, one row per manager × month × component line, with a readable formula.
`Explain` holds every contribution of the report month, linked to its source row and its rule row.
"""

from __future__ import annotations

import math

import pandas as pd

from formulas.months import month_label
from formulas.pay.components import LINE_BASIS, STATEMENT_ORDER, details, formula
from formulas.pay.wording import Figures
from formulas.read.inputs import Inputs
from formulas.report.model import ColumnSpec, Link, ResultTab, RowKey
from formulas.text import say

MONEY = "#,##0.00"
RATE = "0.00%"
ORDER = {name: index for index, name in enumerate(STATEMENT_ORDER)}


def _number(value: float) -> float | None:
    """NaN as an empty cell."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _rate(value: float) -> float | None:
    """Percentage points as a fraction, so the cell's percent format shows 5 % for 5."""
    number = _number(value)
    return None if number is None else number / 100.0


def statements_tab(inputs: Inputs, lines: pd.DataFrame) -> ResultTab:
    """Every statement line of every month, ordered by month, manager and component."""
    lang = inputs.lang
    names = inputs.manager_names()
    ordered = lines.assign(_order=lines["component"].map(ORDER)).sort_values(
        ["month", "manager_key", "_order"], kind="stable")
    rows, keys = [], []
    for line in ordered.itertuples(index=False):  # lines, not deals: a few thousand at most
        amount = float(line.amount)
        keys.append(RowKey(int(line.month), line.manager_key, line.component))
        rows.append([
            month_label(line.month), names.get(line.manager_key, line.manager_key), line.component,
            say(f"basis.{LINE_BASIS.get(line.component, 'booked')}", lang), _number(line.base),
            _rate(line.rate) if line.component != "deal_count_bonus" else None, amount,
            formula(line.component, Figures(float(line.base), float(line.rate), amount, int(line.count),
                                            int(line.month)), lang),
            details(line.component, int(line.count), lang),
        ])
    columns = [_column("month", lang, "@", 9), _column("manager", lang, "", 18), _column("component", lang, "", 26),
               _column("basis", lang, "", 12), _column("base_amount", lang, MONEY), _column("rate", lang, RATE, 9),
               _column("amount", lang, MONEY), _column("formula", lang, "", 44), _column("details", lang, "", 14)]
    return ResultTab("statements", say("title.statements", lang), columns, rows, keys=keys)


def _column(key: str, lang: str, number_format: str = "", width: int = 14) -> ColumnSpec:
    """A column keyed ``key`` under the header of the same key."""
    return ColumnSpec(say(f"header.{key}", lang), number_format, width, key)


def explain_tab(inputs: Inputs, contributions: pd.DataFrame, month: int) -> ResultTab:
    """Every contribution of the report month with links to its source row and rule row."""
    lang = inputs.lang
    names = inputs.manager_names()
    chosen = contributions[contributions["month"] == month]
    chosen = chosen.assign(_order=chosen["component"].map(ORDER)).sort_values(
        ["manager_key", "_order", "source_tab", "source_row"], kind="stable")
    rules_title = inputs.titles["rules"]
    rows, keys = [], []
    for item in chosen.itertuples(index=False):  # the report month's contributions only
        source_title = inputs.titles.get(item.source_tab, item.source_tab)
        source = (Link(f"{source_title}!{int(item.source_row)}", source_title, int(item.source_row))
                  if int(item.source_row) > 0 else None)
        rule = (Link(f"{rules_title}!{int(item.rule_row)}", rules_title, int(item.rule_row))
                if int(item.rule_row) > 0 else None)
        keys.append(RowKey(month, item.manager_key, item.component, item.source_tab, int(item.source_row),
                           int(item.rule_row)))
        rows.append([month_label(month), names.get(item.manager_key, item.manager_key), item.component,
                     source, item.deal_id or None, item.client or None, _number(item.base),
                     _rate(item.rate), float(item.amount), rule])
    columns = [_column("month", lang, "@", 9), _column("manager", lang, "", 18), _column("component", lang, "", 26),
               _column("source", lang, "", 16), _column("deal_id", lang, "@", 12), _column("client", lang, "@", 22),
               _column("base_amount", lang, MONEY), _column("rate", lang, RATE, 9), _column("amount", lang, MONEY),
               _column("rule", lang, "", 12)]
    return ResultTab("explain", say("title.explain", lang), columns, rows, keys=keys)
