"""Effective-dated rules (PRODUCT.md section 3, "Rules are effective-dated by month" and "Precedence").

For month M, manager X and component C the tier set used is the rows with the greatest ``From`` <= M
among: rows naming X, else rows for X's role in M, else rows for ``*``. A name always beats a role
whatever the dates, and a newer set replaces an older one whole. Lookups go through small dicts and
``bisect`` so that resolving every (manager, month) pair of a large agency costs milliseconds.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

import pandas as pd

from formulas.months import month_end, month_start


@dataclass(frozen=True)
class Tier:
    """One rule row of a tier set: its threshold (None = blank), value and sheet row."""

    threshold: float | None
    value: float
    row: int


TierSet = tuple[Tier, ...]


class RuleBook:
    """Answers "which tier set applies to this manager, component and month" from the Rules tab."""

    def __init__(self, rules: pd.DataFrame, team: pd.DataFrame) -> None:
        self._sets: dict[tuple[str, str], tuple[list[int], list[TierSet]]] = {}
        grouped: dict[tuple[str, str, int], list[Tier]] = {}
        for row in rules.itertuples(index=False):
            threshold = None if math.isnan(row.threshold) else float(row.threshold)
            grouped.setdefault((row.component, row.applies_to, int(row.from_month)), []).append(
                Tier(threshold, float(row.value), int(row.row)))
        for (component, target, start), tiers in sorted(grouped.items()):
            months, sets = self._sets.setdefault((component, target), ([], []))
            months.append(start)
            sets.append(tuple(tiers))
        self._roles = _roles_by_month(team)

    def role_of(self, manager_key: str, month: int) -> str | None:
        """The role of the employed Team row with the latest From in that month (None if not employed)."""
        return self._roles(manager_key, month)

    def tier_set(self, component: str, manager_key: str, month: int) -> TierSet:
        """The tier set in force for a manager in a month: by name, else role, else ``*`` (may be empty)."""
        for target in (manager_key, self.role_of(manager_key, month), "*"):
            if target is None:
                continue
            found = self._sets.get((component, target))
            if found is None:
                continue
            months, sets = found
            position = bisect_right(months, month)
            if position:
                return sets[position - 1]
        return ()

    def setting(self, key: str, manager_key: str, month: int) -> float | None:
        """A settings rule's value (e.g. ``idle_days``) in force, or None when none is set."""
        tiers = self.tier_set(key, manager_key, month)
        return flat_tier(tiers).value if tiers else None

    def stuck_limit(self, manager_key: str, month: int, stage: int) -> float | None:
        """The ``stuck_days`` limit for a stage (Threshold = stage, Value = days), or None."""
        tier = exact_tier(self.tier_set("stuck_days", manager_key, month), stage)
        return tier.value if tier else None

    def turnover_thresholds(self, manager_key: str, month: int) -> list[float]:
        """The ``client_turnover_bonus`` thresholds in force (blank threshold counts as 0)."""
        return sorted(t.threshold or 0.0 for t in self.tier_set("client_turnover_bonus", manager_key, month)
                      if t.value != 0)


def flat_tier(tiers: TierSet) -> Tier:
    """The tier of a component without thresholds: the blank-threshold row, else the first row."""
    return next((t for t in tiers if t.threshold is None), tiers[0])


def exact_tier(tiers: TierSet, number: float) -> Tier | None:
    """The tier whose threshold equals ``number``, else the blank-threshold tier ("any"), else None."""
    exact = next((t for t in tiers if t.threshold is not None and t.threshold == number), None)
    return exact or next((t for t in tiers if t.threshold is None), None)


def highest_reached(tiers: TierSet, reached: float, blank: float | None) -> Tier | None:
    """The tier with the highest threshold <= ``reached`` (>=, compared exactly); blank means ``blank``."""
    best: tuple[float, Tier] | None = None
    for tier in tiers:
        threshold = tier.threshold if tier.threshold is not None else blank
        if threshold is not None and reached >= threshold and (best is None or threshold > best[0]):
            best = (threshold, tier)
    return best[1] if best else None


def _roles_by_month(team: pd.DataFrame):  # -> Callable[[str, int], str | None]
    """A cached lookup of each manager's role per month, from the employed Team rows."""
    rows: dict[str, list[tuple[pd.Timestamp, pd.Timestamp, str]]] = {}
    for row in team.sort_values("row").itertuples(index=False):
        rows.setdefault(row.manager_key, []).append((row.start, row.end, row.role))
    cache: dict[tuple[str, int], str | None] = {}

    def role(manager_key: str, month: int) -> str | None:
        key = (manager_key, month)
        if key not in cache:
            first, last = pd.Timestamp(month_start(month)), pd.Timestamp(month_end(month))
            known = rows.get(manager_key, [])
            employed = [(start, role) for start, end, role in known
                        if (pd.isna(start) or start <= last) and (pd.isna(end) or end >= first)]
            if not employed:  # not employed that month (e.g. a payment after leaving): last role held
                employed = [(start, role) for start, _end, role in known if pd.isna(start) or start <= last]
            # The role of the employed row with the latest From (PRODUCT.md "Months"); open From is earliest.
            employed.sort(key=lambda item: item[0] if not pd.isna(item[0]) else pd.Timestamp.min)
            cache[key] = employed[-1][1] if employed else None
        return cache[key]

    return role
