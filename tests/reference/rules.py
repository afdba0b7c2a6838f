"""Components, their Rules readings, and effective-dated rule lookup with tier sets (PRODUCT.md section 3).

A rule row is read by its component: the ``Value`` is a rate (percent points) for the ``…_percent``
components and ``clawback``, a fixed sum for the bonuses, a number for the signal settings; the
``Threshold`` is read by what it means for the component (section 3, "Threshold").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tests.reference.read import read_amount, read_rate, read_stage, read_whole

RATE, SUM, NUMBER = "rate", "sum", "number"

# component -> (how Value reads, how Threshold reads or None when the component has no threshold).
COMPONENTS: dict[str, tuple[str, str | None]] = {
    "deal_percent": (RATE, None),
    "plan_bonus": (SUM, "attainment"),
    "deal_count_bonus": (SUM, "count"),
    "client_turnover_bonus": (SUM, "amount"),
    "payment_percent": (RATE, "contract_month"),
    "first_month_margin_percent": (RATE, None),
    "inbound_deal_bonus": (SUM, None),
    "stage_bonus": (SUM, "stage"),
    "collected_percent": (RATE, None),
    "clawback": (RATE, "months"),
    # Signal settings (PRODUCT.md section 4) are Rules rows too; they pay nothing.
    "stuck_days": (NUMBER, "stage"),
    "idle_days": (NUMBER, None),
    "plan_jump": (NUMBER, None),
    "fake_margin": (NUMBER, None),
    "early_churn_months": (NUMBER, "months"),
    "behind_pace": (NUMBER, None),
}

# PRODUCT.md section 3 "Threshold": how each threshold kind is read from its cell.
THRESHOLD_READERS: dict[str, Callable[[Any, bool], Any]] = {
    "attainment": read_rate,
    "count": lambda value, _percent: read_whole(value, 0),
    "amount": lambda value, _percent: read_amount(value),
    "contract_month": lambda value, _percent: read_whole(value, 1),
    "stage": lambda value, _percent: read_stage(value),
    "months": lambda value, _percent: read_whole(value, 0),
}


def read_value(component: str, value: Any, percent_cell: bool) -> Decimal:
    """A rule's Value as its component reads it: a rate, a fixed sum or a number."""
    kind = COMPONENTS[component][0]
    return read_amount(value) if kind == SUM else read_rate(value, percent_cell)


@dataclass(frozen=True)
class Rule:
    """One valid Rules row: from month, target (``("name", key)``, ``("role", role)`` or ``("*", "")``)."""

    start: int
    target: tuple[str, str]
    component: str
    threshold: Any  # None when blank
    value: Decimal
    sheet_row: int


def tier_set(rules: list[Rule], component: str, month: int, manager: str, role: str | None) -> list[Rule]:
    """The rows in force for (month, manager, component): name rows, else role rows, else ``*`` rows.

    PRODUCT.md section 3 "Precedence": rows naming the manager win over role rows whatever their From;
    within the winning target the rows with the greatest From ≤ month form the tier set.
    """
    for target in (("name", manager), ("role", role or ""), ("*", "")):
        rows = [rule for rule in rules
                if rule.component == component and rule.target == target and rule.start <= month]
        if rows:
            latest = max(rule.start for rule in rows)
            return [rule for rule in rows if rule.start == latest]
    return []


def highest_reached(tiers: list[Rule], reached: Callable[[Any], bool], blank: Any) -> Rule | None:
    """The tier with the highest threshold reached (PRODUCT.md section 3 "Blank thresholds").

    ``blank`` is what a blank threshold means for the component; ``None`` means a blank tier is never
    reached (``deal_count_bonus`` without ``Plan deals``).
    """
    best: tuple[Any, Rule] | None = None
    for tier in tiers:
        threshold = blank if tier.threshold is None else tier.threshold
        if threshold is not None and reached(threshold) and (best is None or threshold > best[0]):
            best = (threshold, tier)
    return best[1] if best else None


def exact_or_any(tiers: list[Rule], key: Any) -> Rule | None:
    """The tier whose threshold is exactly ``key``, else the blank ("any") tier (``payment_percent``, stages)."""
    exact = [tier for tier in tiers if tier.threshold is not None and tier.threshold == key]
    blank = [tier for tier in tiers if tier.threshold is None]
    return (exact or blank or [None])[0]


def clawback_tier(tiers: list[Rule], months_after: int) -> Rule | None:
    """The tightest window N with months_after ≤ N, else the blank tier (PRODUCT.md section 3 "Cancellations")."""
    windows = [tier for tier in tiers if tier.threshold is not None and months_after <= tier.threshold]
    if windows:
        return min(windows, key=lambda tier: tier.threshold)
    return exact_or_any([tier for tier in tiers if tier.threshold is None], None)
