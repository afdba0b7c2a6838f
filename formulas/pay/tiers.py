"""Vectorised rule lookup: attach the tier set in force to every item, then pick a tier per item.

Resolving a tier set is a dict lookup per distinct (manager, month) pair (a few thousand at most);
picking the tier inside a set is done with numpy per distinct set, never per deal or payment.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from formulas.pay.rules import RuleBook, TierSet

# A chooser gets a tier set and the items' numbers to match (amounts, contract months, …) and
# returns, per item, the chosen tier's value (NaN = no tier) and its sheet row (-1 = none).
Chooser = Callable[[TierSet, np.ndarray], tuple[np.ndarray, np.ndarray]]


def pick(items: pd.DataFrame, book: RuleBook, component: str, chooser: Chooser, match: str | None = None,
         manager: str = "manager_key", month: str = "month") -> pd.DataFrame:
    """Add ``rate`` (the chosen tier's value) and ``rule_row`` to ``items`` for ``component``.

    ``match`` names the column whose numbers the chooser matches thresholds against.
    Items whose tier set is empty get NaN / -1.
    """
    if items.empty:
        return items.assign(rate=np.nan, rule_row=-1)
    ids, sets = _tier_set_ids(items[manager], items[month], book, component)
    numbers = items[match].to_numpy(dtype="float64") if match else np.zeros(len(items))
    rates = np.full(len(items), np.nan)
    rows = np.full(len(items), -1, dtype="int64")
    for set_id, tiers in enumerate(sets):
        if not tiers:
            continue
        where = ids == set_id
        rates[where], rows[where] = chooser(tiers, numbers[where])
    return items.assign(rate=rates, rule_row=rows)  # copy-on-write: the items' columns are not copied


def _tier_set_ids(managers: pd.Series, months: pd.Series, book: RuleBook,
                  component: str) -> tuple[np.ndarray, list[TierSet]]:
    """Per item, the index of its tier set in the returned list; one rule lookup per distinct pair.

    Pairs are encoded as integers (manager code × 10⁶ + month index) so finding the distinct ones is
    a numpy sort, not a hash of a million strings.
    """
    codes, names = pd.factorize(managers, use_na_sentinel=False)
    keys = codes.astype("int64") * 1_000_000 + months.to_numpy(dtype="int64")
    distinct, inverse = np.unique(keys, return_inverse=True)
    sets: dict[TierSet, int] = {}
    pair_ids = np.array([sets.setdefault(book.tier_set(component, names[key // 1_000_000], int(key % 1_000_000)),
                                         len(sets)) for key in distinct], dtype="int64")
    return pair_ids[inverse], list(sets)


def flat(tiers: TierSet, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Components without thresholds: the blank-threshold row, else the first row, for every item."""
    tier = next((t for t in tiers if t.threshold is None), tiers[0])
    return np.full(len(numbers), tier.value), np.full(len(numbers), tier.row, dtype="int64")


def exact_or_any(tiers: TierSet, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The tier whose threshold equals the number; else the blank ("any") tier; else none."""
    fallback = next((t for t in tiers if t.threshold is None), None)
    values = np.full(len(numbers), fallback.value if fallback else np.nan)
    rows = np.full(len(numbers), fallback.row if fallback else -1, dtype="int64")
    for tier in tiers:
        if tier.threshold is not None:
            hit = numbers == tier.threshold
            values[hit], rows[hit] = tier.value, tier.row
    return values, rows


def highest_at_or_below(blank: float) -> Chooser:
    """Half-open steps: the tier with the highest threshold <= the number (blank threshold = ``blank``)."""

    def choose(tiers: TierSet, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ordered = sorted(tiers, key=lambda t: t.threshold if t.threshold is not None else blank)
        thresholds = np.array([t.threshold if t.threshold is not None else blank for t in ordered])
        position = np.searchsorted(thresholds, numbers, side="right") - 1
        values = np.array([t.value for t in ordered] + [np.nan])
        rows = np.array([t.row for t in ordered] + [-1], dtype="int64")
        position = np.where(position < 0, len(ordered), position)
        return values[position], rows[position]

    return choose


def tightest_window(tiers: TierSet, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clawback windows: the smallest threshold >= the number; else the blank ("any") tier; else none."""
    windows = sorted((t for t in tiers if t.threshold is not None), key=lambda t: t.threshold or 0.0)
    fallback = next((t for t in tiers if t.threshold is None), None)
    thresholds = np.array([t.threshold for t in windows], dtype="float64")
    position = np.searchsorted(thresholds, numbers, side="left")
    values = np.array([t.value for t in windows] + [fallback.value if fallback else np.nan])
    rows = np.array([t.row for t in windows] + [fallback.row if fallback else -1], dtype="int64")
    return values[position], rows[position]
