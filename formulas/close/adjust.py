"""The statement lines a person sees once months are closed (PRODUCT.md section 3a, "Later runs").

Closed months show their frozen lines. Every closed month is still recomputed from the current data;
for each manager, closed month M and component C, *owed* = recomputed − frozen − the adjustments for
(M, C) frozen in later closed months, and the first open month gets an `adjustment` line of *owed*.
Adjustments are variable pay of that month (they count in its carry-over), and the carry entering it is
the one the last closed month froze. Carry-over lines of closed months are bookkeeping, never owed: the
frozen carry into the first open month plus the component adjustments add up to the recomputed effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from formulas.close.frozen import ORIGIN_SEPARATOR, FrozenLine
from formulas.close.state import ClosedState
from formulas.months import month_label
from formulas.pay.components import ADJUSTMENT, BASE_SALARY, CARRIED_OVER, STATEMENT_ORDER
from formulas.pay.lines import LINE_COLUMNS, carry_over
from formulas.pay.wording import money
from formulas.text import say

# What a statement line carries besides its figures: the frozen name and words of a closed month's line,
# its row in Closed months, and for an adjustment the (month, component) it corrects.
EXTRA_COLUMNS = ["manager", "formula", "details", "frozen_row", "origin"]
ADJUSTMENT_COLUMNS = ["manager_key", "month", "origin_month", "component", "old", "new", "amount", "frozen_row"]


@dataclass
class Statement:
    """The lines `Statements` shows, the adjustments among them, and the months they cover."""

    lines: pd.DataFrame  # LINE_COLUMNS + EXTRA_COLUMNS
    adjustments: pd.DataFrame  # ADJUSTMENT_COLUMNS
    months: list[int]
    first_open: int | None  # the month adjustments go to; None while no month is closed


def statement_lines(recomputed: pd.DataFrame, months: list[int], state: ClosedState, team: set[str],
                    lang: str) -> Statement:
    """Frozen lines for closed months, recomputed lines with adjustments and carry-over for open ones.

    ``team`` holds the managers on the Team tab: a manager removed from it keeps their frozen lines, and
    gets adjustments for everything but a base salary (their Team rows are gone, not changed).
    """
    last = state.last_closed
    if last is None:
        return Statement(_with_extras(recomputed), _no_adjustments(), months, None)
    first_open = last + 1
    adjustments = owed(recomputed, state, team, first_open)
    open_months = [month for month in months if month > last]
    entering = _frozen_carry(state.frozen.get(last, []))
    if first_open not in open_months and (len(adjustments) or entering):
        open_months = [first_open, *open_months]
    variable = recomputed[(recomputed["month"] > last) & recomputed["component"].ne(CARRIED_OVER)]
    parts = [variable, _as_lines(adjustments)] if len(adjustments) else [variable]
    open_lines = carry_over(pd.concat(parts, ignore_index=True), open_months, entering)
    which = open_lines["_adjustment"].to_numpy() if "_adjustment" in open_lines else np.full(len(open_lines), np.nan)
    open_lines = _with_extras(open_lines)
    _describe_adjustments(open_lines, which, adjustments, lang)
    frozen = _frozen_rows(state)
    lines = pd.concat([frozen, open_lines], ignore_index=True) if len(frozen) else open_lines
    order = {name: index for index, name in enumerate(STATEMENT_ORDER)}
    lines = lines.assign(_order=lines["component"].map(order)).sort_values(
        ["month", "manager_key", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    shown = sorted(set(state.frozen) | set(open_months))
    return Statement(lines, adjustments, shown, first_open)


def owed(recomputed: pd.DataFrame, state: ClosedState, team: set[str], first_open: int) -> pd.DataFrame:
    """One row per (manager, closed-era month, component) whose recomputed figure differs from what was paid."""
    last = first_open - 1
    now = _cents(recomputed[(recomputed["month"] <= last) & recomputed["component"].ne(CARRIED_OVER)],
                 "manager_key", "month", "component", "amount")
    frozen = [line for line in state.frozen_lines() if line.component not in (CARRIED_OVER, ADJUSTMENT)]
    paid = _cents(_frozen_frame(frozen), "manager_key", "month", "component", "amount")
    earlier = [(line, line.origin()) for line in state.frozen_lines() if line.origin() is not None]
    before = _cents(pd.DataFrame([{"manager_key": line.manager_key, "month": _index(origin[0]),
                                   "component": origin[1], "amount": line.amount} for line, origin in earlier],
                                 columns=["manager_key", "month", "component", "amount"]),
                    "manager_key", "month", "component", "amount")
    rows_of = {(line.manager_key, _index(line.month), line.component): line.row for line in frozen}
    records = []
    for key in sorted(set(now) | set(paid) | set(before)):
        manager, month, component = key
        if component == BASE_SALARY and manager not in team:
            continue  # the Team rows are gone, not changed: the frozen base salary stays paid
        old = paid.get(key, 0) + before.get(key, 0)
        new = now.get(key, 0)
        if new != old:
            records.append({"manager_key": manager, "month": first_open, "origin_month": month,
                            "component": component, "old": old / 100, "new": new / 100,
                            "amount": (new - old) / 100, "frozen_row": rows_of.get(key, 0)})
    return pd.DataFrame(records, columns=ADJUSTMENT_COLUMNS)


def _cents(frame: pd.DataFrame, *columns: str) -> dict[tuple, int]:
    """Amounts in whole kopecks summed by the key columns (the last column named is the amount)."""
    *keys, amount = columns
    if frame.empty:
        return {}
    cents = np.rint(frame[amount].astype("float64") * 100).astype("int64")
    return cents.groupby([frame[key] for key in keys]).sum().to_dict()


def _frozen_frame(lines: list[FrozenLine]) -> pd.DataFrame:
    """Frozen lines as (manager_key, month index, component, amount)."""
    return pd.DataFrame([{"manager_key": line.manager_key, "month": _index(line.month), "component": line.component,
                          "amount": line.amount} for line in lines],
                        columns=["manager_key", "month", "component", "amount"])


def _frozen_rows(state: ClosedState) -> pd.DataFrame:
    """The closed months' lines as statement lines, their frozen words kept."""
    rows = [{"month": _index(line.month), "manager_key": line.manager_key, "component": line.component,
             "base": np.nan, "rate": np.nan, "amount": line.amount, "count": 0, "manager": line.manager,
             "formula": line.formula, "details": line.details, "frozen_row": line.row,
             "origin": ":".join(line.origin() or ("", "")) or None} for line in state.frozen_lines()]
    return pd.DataFrame(rows, columns=LINE_COLUMNS + EXTRA_COLUMNS)


def _frozen_carry(lines: list[FrozenLine]) -> dict[str, int]:
    """The carry the last closed month passes on: minus its positive carried_over line, per manager."""
    return {line.manager_key: -round(line.amount * 100) for line in lines
            if line.component == CARRIED_OVER and line.amount > 0}


def _as_lines(adjustments: pd.DataFrame) -> pd.DataFrame:
    """Adjustments as statement lines of the first open month, one line each; ``_adjustment`` numbers them
    so their words can be added after carry-over has reordered the lines."""
    return pd.DataFrame({"month": adjustments["month"].astype("int64"), "manager_key": adjustments["manager_key"],
                         "component": ADJUSTMENT, "base": np.nan, "rate": np.nan, "amount": adjustments["amount"],
                         "count": 1, "_adjustment": np.arange(len(adjustments), dtype="float64")},
                        columns=[*LINE_COLUMNS, "_adjustment"])


def _describe_adjustments(lines: pd.DataFrame, which: np.ndarray, adjustments: pd.DataFrame, lang: str) -> None:
    """Give each adjustment line (``which`` numbers them, NaN elsewhere) its origin, Details and frozen row."""
    for position in np.flatnonzero(~np.isnan(which.astype("float64"))):
        adjustment = adjustments.iloc[int(which[position])]
        origin = month_label(adjustment.origin_month)
        words = say("close.adjustment_details", lang, old=money(adjustment.old, lang),
                    new=money(adjustment.new, lang))
        lines.at[position, "details"] = ORIGIN_SEPARATOR.join([origin, adjustment.component, words])
        lines.at[position, "origin"] = f"{origin}:{adjustment.component}"
        lines.at[position, "frozen_row"] = int(adjustment.frozen_row)


def _with_extras(lines: pd.DataFrame) -> pd.DataFrame:
    """Computed lines with empty extra columns (words are computed when the tab is built)."""
    extras = pd.DataFrame({column: pd.Series([None] * len(lines), dtype=object) for column in EXTRA_COLUMNS},
                          index=lines.index)
    return pd.concat([lines[LINE_COLUMNS], extras], axis=1).reset_index(drop=True)


def _no_adjustments() -> pd.DataFrame:
    """An adjustments frame with no rows."""
    return pd.DataFrame(columns=ADJUSTMENT_COLUMNS)


def _index(label: str) -> int:
    """``YYYY-MM`` as a month index."""
    year, month = label.split("-")
    return int(year) * 12 + int(month) - 1
