"""The payroll hand-off of a closed month (PRODUCT.md section 3a, "Payroll"): one row per manager.

Columns: Manager, Role, Base, one per component non-zero for anyone, Adjustments, Carried over, Total,
State; totals at the bottom. Only closed figures are paid: the rows come from the frozen lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formulas.close.frozen import FrozenLine
from formulas.close.state import ClosedState
from formulas.pay.components import ADJUSTMENT, BASE_SALARY, BY_KEY, CARRIED_OVER


@dataclass(frozen=True)
class Payroll:
    """A closed month's pay per manager: components in statement order, then the state."""

    month: int
    state: str  # closed or paid
    components: list[str]  # the component columns (non-zero for anyone), statement order
    rows: list[tuple[str, str, dict[str, float]]]  # (manager, manager_key, amount per column key)

    def total(self, key: str) -> float:
        """A column's total, summed in kopecks."""
        return float(np.rint(sum(round(amounts.get(key, 0.0) * 100) for _, _, amounts in self.rows)) / 100)


COLUMNS_BEFORE = (BASE_SALARY,)
COLUMNS_AFTER = (ADJUSTMENT, CARRIED_OVER, "total")


def payroll(state: ClosedState, month: int) -> Payroll:
    """The payroll of one closed month from its frozen lines (raises KeyError for an open month)."""
    record = state.records.months[month]
    by_manager: dict[str, tuple[str, dict[str, int]]] = {}
    for line in state.frozen[month]:
        _name, cents = by_manager.setdefault(line.manager_key, (line.manager, {}))
        cents[line.component] = cents.get(line.component, 0) + _cents(line)
        cents["total"] = cents.get("total", 0) + _cents(line)
    used = {component for _, cents in by_manager.values() for component, value in cents.items() if value}
    components = [key for key in BY_KEY if key in used]
    rows = [(name, key, {column: value / 100 for column, value in cents.items()})
            for key, (name, cents) in sorted(by_manager.items(), key=lambda item: item[1][0].casefold())]
    return Payroll(month, record.state, components, rows)


def _cents(line: FrozenLine) -> int:
    """A frozen amount in whole kopecks."""
    return round(line.amount * 100)
