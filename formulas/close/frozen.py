"""The frozen lines of closed months, as the `Closed months` tab holds them (PRODUCT.md section 3a).

The tab is the one place a closed month's figures live: a run reads it back (the adapter hands it in
as ``RawWorkbook.own_tabs["closed_months"]``), checks each month's lines against the SHA-256 its close
record keeps, and shows them in `Statements` unchanged. Its layout is Premia's own: the header, one row
per frozen line (Month, Manager, Component, Amount, Formula, Details, Closed on), an empty row, then the
history block. Adjustment lines say where they come from in Details: ``2026-01 · deal_percent · …``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from formulas.contract import norm
from formulas.raw import RawTab

COLUMNS = ("month", "manager", "component", "amount", "formula", "details", "closed_on")
ORIGIN_SEPARATOR = " · "  # between the origin month, the origin component and the words of an adjustment


@dataclass(frozen=True)
class FrozenLine:
    """One statement line of a closed month, exactly as it was frozen."""

    month: str  # YYYY-MM
    manager: str  # the name as shown
    component: str
    amount: float
    formula: str
    details: str
    closed_on: str
    row: int = 0  # its sheet row in the Closed months tab (0 = not written yet)

    @property
    def manager_key(self) -> str:
        """The manager's trimmed, case-folded name."""
        return norm(self.manager)

    def origin(self) -> tuple[str, str] | None:
        """(origin month, origin component) of an adjustment line, None for any other line."""
        if self.component != "adjustment":
            return None
        parts = self.details.split(ORIGIN_SEPARATOR)
        return (parts[0], parts[1]) if len(parts) >= 3 else None


def read_frozen(tab: RawTab | None) -> list[FrozenLine]:
    """The frozen lines of a `Closed months` tab as read back (none when the tab is absent)."""
    if tab is None:
        return []
    lines = []
    for index, values in enumerate(tab.values[1:], start=2):
        cells = [*values, *([None] * (len(COLUMNS) - len(values)))][:len(COLUMNS)]
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            break  # the empty row before the history block ends the lines
        lines.append(_line(cells, index))
    return lines


def _line(cells: list[object], row: int) -> FrozenLine:
    """One row of the tab; anything unexpected stays as typed, so its digest no longer matches."""
    month, manager, component, amount, formula, details, closed_on = cells
    try:
        number = float(amount)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    return FrozenLine(_text(month), _text(manager), _text(component), number, _text(formula), _text(details),
                      _text(closed_on), row)


def _text(value: object) -> str:
    """A cell as text ("" for an empty one)."""
    return "" if value is None else str(value)


def digest(lines: list[FrozenLine]) -> str:
    """The SHA-256 of a month's frozen lines in their order: what its close record keeps."""
    rows = [[line.month, line.manager, line.component, f"{line.amount:.2f}", line.formula, line.details,
             line.closed_on] for line in lines]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def by_month(lines: list[FrozenLine]) -> dict[str, list[FrozenLine]]:
    """Frozen lines grouped by their month label, in tab order."""
    grouped: dict[str, list[FrozenLine]] = {}
    for line in lines:
        grouped.setdefault(line.month, []).append(line)
    return grouped
