"""The `Statements` and `Explain` result tabs (PRODUCT.md section 5).

`Statements` holds every month, one row per manager × month × component line, with a readable formula.
`Explain` holds every contribution of the report month, linked to its source row and its rule row.
"""

from __future__ import annotations

import math

import pandas as pd

from formulas.close.adjust import Statement
from formulas.months import month_label
from formulas.pay import wording
from formulas.pay.components import BASE_SALARY, COMPONENTS, LINE_BASIS, STATEMENT_ORDER, line_words
from formulas.pay.wording import Figures
from formulas.read.inputs import Inputs
from formulas.report.model import CellValue, ColumnSpec, Link, ResultTab, RowKey
from formulas.text import say
from formulas.text.numbers import number

MONEY = "#,##0.00"
RATE = "0.00%"
COUNT = "0"
SHARES = "0.0#"  # a deal count made of shares
# Lines whose Rate means Base amount × Rate = Amount: base salary (the share of the month employed) and the
# percentage components. A fixed sum's rate would be noise, and a plan bonus's attainment goes to Details.
RATED = frozenset({BASE_SALARY, *(c.key for c in COMPONENTS if c.value == "percent")})
COUNTED_BASE = frozenset({"deal_count_bonus"})  # lines whose Base amount is a count of deals
ORDER = {name: index for index, name in enumerate(STATEMENT_ORDER)}


def _number(value: float) -> float | None:
    """NaN as an empty cell."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def _rate(value: float) -> float | None:
    """Percentage points as a fraction, so the cell's percent format shows 5 % for 5."""
    number = _number(value)
    return None if number is None else number / 100.0


def statements_tab(inputs: Inputs, lines: pd.DataFrame, closed_title: str = "") -> ResultTab:
    """Every statement line of every month, ordered by month, manager and component.

    ``lines`` are the statement lines of :func:`formulas.close.adjust.statement_lines`: a closed month's
    lines keep the name and words they were frozen with, and an adjustment's Details link to the frozen
    line it corrects on the ``closed_title`` tab (PRODUCT.md section 3a).
    """
    lang = inputs.lang
    names = inputs.manager_names()
    ordered = lines.assign(_order=lines["component"].map(ORDER)).sort_values(
        ["month", "manager_key", "_order"], kind="stable")
    rows, keys = [], []
    for line in ordered.itertuples(index=False):  # lines, not deals: a few thousand at most
        amount = float(line.amount)
        keys.append(RowKey(int(line.month), line.manager_key, line.component, origin=line.origin or None))
        shown_formula, shown_details = line_words(
            line.component, Figures(float(line.base), float(line.rate), amount, int(line.count), int(line.month)),
            lang, line.formula, line.details)
        rows.append([
            month_label(line.month), line.manager if isinstance(line.manager, str) else
            names.get(line.manager_key, line.manager_key), line.component,
            say(f"basis.{LINE_BASIS.get(line.component, 'booked')}", lang), _number(line.base),
            _rate(line.rate) if line.component in RATED else None, amount, shown_formula,
            _linked(shown_details, line.frozen_row, closed_title) if line.component == "adjustment" else shown_details,
        ])
    # Component fits first_month_margin_percent and its indent on one line; Details fits "attainment 104.17%".
    columns = [_column("month", lang, "@", 9), _column("manager", lang, "", 18), _column("component", lang, "", 29),
               _column("basis", lang, "", 12), _column("base_amount", lang, MONEY), _column("rate", lang, RATE, 9),
               _column("amount", lang, MONEY), _column("formula", lang, "", 44), _column("details", lang, "", 24)]
    tab = ResultTab("statements", say("title.statements", lang), columns, rows, keys=keys)
    base = tab.column("base_amount")
    # A deal count bonus's base is a number of deals: a whole number, never money; with shared deals a count
    # of shares (1.5: PRODUCT.md 3b), shown with its decimals.
    tab.cell_formats.update({(row, base): COUNT if float(rows[row - tab.first_row][4] or 0).is_integer() else SHARES
                             for row, key in enumerate(keys, start=tab.first_row) if key.component in COUNTED_BASE})
    return tab


def _column(key: str, lang: str, number_format: str = "", width: int = 14) -> ColumnSpec:
    """A column keyed ``key`` under the header of the same key."""
    return ColumnSpec(say(f"header.{key}", lang), number_format, width, key)


def _linked(text: str, row: object, tab: str) -> str | Link:
    """An adjustment's Details, linked to the frozen line it corrects when there is one."""
    return Link(text, tab, int(row)) if tab and isinstance(row, int | float) and row == row and row > 0 else text


def explain_tab(inputs: Inputs, contributions: pd.DataFrame, month: int, statement: Statement | None = None
                ) -> ResultTab:
    """Every contribution of the report month with links to its source row and rule row.

    When the report month is the first open month after closed ones, each adjustment follows with a link
    to the frozen line it corrects and, without amounts, the contributions that make up its new figure
    (PRODUCT.md section 3a: the source rows behind the change, where it can).
    """
    lang = inputs.lang
    names = inputs.manager_names()
    owners = _owners_of_shared_deals(inputs)
    chosen = contributions[contributions["month"] == month]
    chosen = chosen.assign(_order=chosen["component"].map(ORDER)).sort_values(
        ["manager_key", "_order", "source_tab", "source_row"], kind="stable")
    rows: list[list[CellValue]] = []
    keys: list[RowKey | None] = []
    for item in chosen.itertuples(index=False):  # the report month's contributions only
        keys.append(RowKey(month, item.manager_key, item.component, item.source_tab, int(item.source_row),
                           int(item.rule_row)))
        rows.append([*_contribution_row(inputs, item, month, names, float(item.amount)),
                     _share_details(item, owners, names, lang)])
    if statement is not None and statement.first_open == month:
        _adjustment_rows(inputs, contributions, statement.adjustments, names, rows, keys, owners)
    columns = [_column("month", lang, "@", 9), _column("manager", lang, "", 18), _column("component", lang, "", 26),
               _column("source", lang, "", 16), _column("deal_id", lang, "@", 12), _column("client", lang, "@", 22),
               _column("base_amount", lang, MONEY), _column("rate", lang, RATE, 9), _column("amount", lang, MONEY),
               _column("rule", lang, "", 12), _column("details", lang, "", 30)]
    return ResultTab("explain", say("title.explain", lang), columns, rows, keys=keys)


def _owners_of_shared_deals(inputs: Inputs) -> dict[str, list[tuple[str, float]]]:
    """Per shared deal, its participants and their shares in percent, in the order of the Splits tab."""
    owners: dict[str, list[tuple[str, float]]] = {}
    for split in inputs.splits.itertuples(index=False):
        owners.setdefault(split.deal_id, []).append((split.manager_key, float(split.share_points)))
    return owners


def _explain_rate(item: object) -> float | None:
    """The Rate of a contribution where base × rate = amount (a percentage, base salary), or the share of a
    shared deal's fixed sum (PRODUCT.md 3b); empty for other fixed sums and for a plan bonus, whose
    attainment goes to Details."""
    component = getattr(item, "component", "")
    if component in RATED or (component != "plan_bonus" and _is_shared(item)):
        return _rate(getattr(item, "rate", None))
    return None


def _is_shared(item: object) -> bool:
    """True for a contribution from a shared deal (its share below 1)."""
    share = getattr(item, "share", 1.0)
    return isinstance(share, float) and not math.isnan(share) and share < 1.0


def _share_details(item: object, owners: dict[str, list[tuple[str, float]]], names: dict[str, str],
                   lang: str) -> str | None:
    """"50 % of the deal, shared with Boris (50 %)" for a contribution from a shared deal (PRODUCT.md 3b);
    a plan bonus's attainment ("attainment 104%")."""
    share = getattr(item, "share", 1.0)
    deal_id = getattr(item, "deal_id", "")
    if getattr(item, "component", "") == "plan_bonus":
        return wording.attainment(Figures(0.0, float(getattr(item, "rate", 0.0)), 0.0, 0, 0), lang)
    if not _is_shared(item) or deal_id not in owners:
        return None
    mine = getattr(item, "manager_key", "")
    others = [f"{names.get(key, key)} ({_points(points, lang)})" for key, points in owners[deal_id] if key != mine]
    own = next((points for key, points in owners[deal_id] if key == mine), share * 100)
    return say("explain.shared", lang, share=_points(own, lang), others=", ".join(others))


def _points(points: float, lang: str) -> str:
    """A share in percent as typed: 50 -> "50 %", 33.33 -> "33.33 %" ("33,33 %" in Russian)."""
    return f"{number(points, lang, 4)} %"


def _contribution_row(inputs: Inputs, item: object, month: int, names: dict[str, str],
                      amount: float | None) -> list[CellValue]:
    """One contribution's Explain row: its source and rule rows linked (amount None: shown for reference)."""
    source_title = inputs.titles.get(item.source_tab, item.source_tab)  # type: ignore[attr-defined]
    source_row, rule_row = int(item.source_row), int(item.rule_row)  # type: ignore[attr-defined]
    rules_title = inputs.titles["rules"]
    source = Link(f"{source_title}!{source_row}", source_title, source_row) if source_row > 0 else None
    rule = Link(f"{rules_title}!{rule_row}", rules_title, rule_row) if rule_row > 0 else None
    manager = item.manager_key  # type: ignore[attr-defined]
    return [month_label(month), names.get(manager, manager), item.component, source,  # type: ignore[attr-defined]
            item.deal_id or None, item.client or None, _number(item.base),  # type: ignore[attr-defined]
            _explain_rate(item), amount, rule]  # type: ignore[attr-defined]


def _adjustment_rows(inputs: Inputs, contributions: pd.DataFrame, adjustments: pd.DataFrame,
                     names: dict[str, str], rows: list[list[CellValue]], keys: list[RowKey | None],
                     owners: dict[str, list[tuple[str, float]]]) -> None:
    """Each adjustment (linked to the frozen line it corrects), then its origin's current contributions."""
    closed_title = say("title.closed_months", inputs.lang)
    for adjustment in adjustments.itertuples(index=False):
        frozen_row = int(adjustment.frozen_row)
        origin = f"{month_label(adjustment.origin_month)}:{adjustment.component}"
        link = Link(f"{closed_title}!{frozen_row}", closed_title, frozen_row) if frozen_row > 0 else None
        keys.append(RowKey(int(adjustment.month), adjustment.manager_key, "adjustment", "closed_months",
                           frozen_row or None, None, origin))
        rows.append([month_label(adjustment.month), names.get(adjustment.manager_key, adjustment.manager_key),
                     "adjustment", link, None, None, float(adjustment.new), None, float(adjustment.amount), None,
                     None])
        behind = contributions[(contributions["month"] == adjustment.origin_month)
                               & (contributions["manager_key"] == adjustment.manager_key)
                               & (contributions["component"] == adjustment.component)]
        for item in behind.itertuples(index=False):
            keys.append(None)  # shown for reference: its amount is already in the adjustment
            rows.append([*_contribution_row(inputs, item, int(adjustment.origin_month), names, None),
                         _share_details(item, owners, names, inputs.lang)])
