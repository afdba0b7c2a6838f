"""Statement lines: sums of contributions per month, manager and component, plus carry-over.

Sums are taken in whole kopecks so a line is exactly the sum of its contributions. Carry-over
(PRODUCT.md "Carry-over"): if month M's variable pay (components plus any carry coming in) is −X,
M gets a ``carried_over`` line of +X and M+1 one of −X. Base salary is never reduced.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LINE_COLUMNS = ["month", "manager_key", "component", "base", "rate", "amount", "count"]


def lines_of(contributions: pd.DataFrame) -> pd.DataFrame:
    """One line per (month, manager, component): amount and base summed, the rate when it is unique."""
    if contributions.empty:
        return pd.DataFrame(columns=LINE_COLUMNS)
    frame = contributions.assign(
        cents=np.rint(contributions["amount"].astype("float64") * 100).astype("int64"),
        base=contributions["base"].astype("float64"), rate=contributions["rate"].astype("float64"))
    grouped = frame.groupby(["month", "manager_key", "component"], sort=True)
    lines = grouped.agg(cents=("cents", "sum"), base=("base", "sum"), count=("cents", "size"),
                        rate_min=("rate", "min"), rate_max=("rate", "max")).reset_index()
    lines["rate"] = lines["rate_min"].where(lines["rate_min"].eq(lines["rate_max"]))
    lines["amount"] = lines["cents"] / 100.0
    return lines[LINE_COLUMNS]


def carry_over(lines: pd.DataFrame, months: list[int], incoming_cents: dict[str, int] | None = None) -> pd.DataFrame:
    """Add ``carried_over`` lines so variable pay never goes below 0; the rest moves to the next month.

    ``incoming_cents`` is what enters the first month per manager (a negative number of kopecks): the
    carry a closed month froze (PRODUCT.md section 3a), when the lines start after a closed month.
    """
    variable = lines[lines["component"].ne("base_salary")]
    cents = (np.rint(variable["amount"] * 100).astype("int64")
             .groupby([variable["manager_key"], variable["month"]]).sum().to_dict())
    entering = incoming_cents or {}
    extra = []
    for manager in sorted(set(lines["manager_key"]) | set(entering)):  # managers × months, never per deal
        incoming = entering.get(manager, 0)
        for month in months:
            total = cents.get((manager, month), 0) + incoming
            if incoming:
                extra.append(_carry_line(month, manager, incoming))
            incoming = 0
            if total < 0:
                extra.append(_carry_line(month, manager, -total))
                incoming = total
    if not extra:
        return lines.reset_index(drop=True)
    out = pd.concat([lines, pd.DataFrame(extra, columns=LINE_COLUMNS)], ignore_index=True)
    return out.sort_values(["month", "manager_key"], kind="stable").reset_index(drop=True)


def _carry_line(month: int, manager: str, cents: int) -> dict[str, object]:
    """One carried_over line of ``cents`` kopecks."""
    return {"month": month, "manager_key": manager, "component": "carried_over", "base": np.nan,
            "rate": np.nan, "amount": cents / 100.0, "count": 0}
