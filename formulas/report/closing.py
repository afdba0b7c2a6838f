"""The `Closed months` and `Payroll` result tabs (PRODUCT.md section 3a).

`Closed months` is the record of what was paid: every frozen line (Month, Manager, Component, Amount,
Formula, Details, Closed on), then the short history (month, action, time, reason). Its rows are what a
later run reads back and fingerprints, so they are written exactly as frozen; the tab is locked where the
spreadsheet can lock it. `Payroll` is one row per manager for the latest closed month, totals at the
bottom: what an accountant pays.
"""

from __future__ import annotations

from collections.abc import Callable

from formulas.close.payroll import COLUMNS_AFTER, COLUMNS_BEFORE, Payroll, payroll
from formulas.close.state import ClosedState
from formulas.months import month_label
from formulas.report.model import CellValue, ColumnSpec, ResultTab, RowKey
from formulas.text import say

MONEY = "#,##0.00"
RoleOf = Callable[[str, int], str | None]


def closed_months_tab(state: ClosedState, lang: str) -> ResultTab:
    """The frozen lines of every closed month, then the history block."""
    rows: list[list[CellValue]] = []
    keys: list[RowKey | None] = []
    for line in state.frozen_lines():
        month = int(line.month[:4]) * 12 + int(line.month[5:]) - 1
        keys.append(RowKey(month, line.manager_key, line.component))
        rows.append([line.month, line.manager, line.component, line.amount, line.formula, line.details,
                     line.closed_on])
    rows.append([])
    rows.append([say("close.history", lang)])
    rows.append([say(f"header.{key}", lang) for key in ("month", "action", "time", "reason")])
    rows += [[month_label(event.month), say(f"close.action.{event.action}", lang), event.at, event.reason or None]
             for event in state.records.history]
    columns = [ColumnSpec(say("header.month", lang), "@", 9, "month"),
               ColumnSpec(say("header.manager", lang), "", 18, "manager"),
               ColumnSpec(say("header.component", lang), "", 26, "component"),
               ColumnSpec(say("header.amount", lang), MONEY, 14, "amount"),
               ColumnSpec(say("header.formula", lang), "", 44, "formula"),
               ColumnSpec(say("header.details", lang), "", 30, "details"),
               ColumnSpec(say("header.closed_on", lang), "@", 17, "closed_on")]
    return ResultTab("closed_months", say("title.closed_months", lang), columns, rows, keys=keys, locked=True)


def payroll_tab(state: ClosedState, month: int | None, role_of: RoleOf, lang: str) -> ResultTab:
    """One row per manager for ``month`` (default: the latest closed month), totals at the bottom."""
    chosen = month if month is not None else state.last_closed
    if chosen is None:
        columns = [ColumnSpec(say("header.manager", lang), "", 60, "manager")]
        return ResultTab("payroll", say("title.payroll", lang), columns, [[say("close.no_payroll", lang)]])
    return payroll_result_tab(payroll(state, chosen), role_of, lang)


def payroll_result_tab(sheet: Payroll, role_of: RoleOf, lang: str) -> ResultTab:
    """A payroll as a result tab: the rows of :func:`payroll_rows` under their headers, and its month."""
    headers, rows = payroll_rows(sheet, role_of, lang)
    formats = {"manager": "", "role": "", "state": ""}
    columns = [ColumnSpec(text, formats.get(key, MONEY), 18 if key == "manager" else 14, key) for key, text in headers]
    keys: list[RowKey | None] = [RowKey(sheet.month, key) for _, key, _ in sheet.rows]
    shown: list[list[CellValue]] = [list(row) for row in rows]
    shown.append([])
    state = say(f"state.{sheet.state}", lang)
    shown.append([say("close.payroll_of", lang, month=month_label(sheet.month), state=state)])
    return ResultTab("payroll", say("title.payroll", lang), columns, shown, keys=keys)


def payroll_rows(sheet: Payroll, role_of: RoleOf, lang: str) -> tuple[list[tuple[str, str]], list[list[CellValue]]]:
    """(column key, header) pairs and the rows, managers then the team total: what the tab and the CSV hold."""
    amounts = [*COLUMNS_BEFORE, *sheet.components, *COLUMNS_AFTER]
    header_keys = {"base_salary": "base", "adjustment": "adjustments", "carried_over": "carried_over",
                   "total": "total"}
    headers = [("manager", say("header.manager", lang)), ("role", say("header.role", lang)),
               *((key, say(f"header.{header_keys[key]}", lang) if key in header_keys else key) for key in amounts),
               ("state", say("header.state", lang))]
    state = say(f"state.{sheet.state}", lang)
    rows: list[list[CellValue]] = []
    for name, key, values in sheet.rows:
        role = role_of(key, sheet.month)
        rows.append([name, say(f"role.{role}", lang) if role else None, *(values.get(k, 0.0) for k in amounts), state])
    rows.append([say("header.team", lang), None, *(sheet.total(k) for k in amounts), state])
    return headers, rows
