"""The demo agency's deals: per manager and month, sized to a target plan attainment.

Each sales manager's month is filled with deals whose amounts add up to a chosen attainment of the
plan (for the as-of month: of the month-to-date pace), so the signals of PRODUCT.md section 4 fire
exactly where the story in :mod:`demo.cast` says. A few hand-placed deals exercise the
rest: a possible fake client, cancellations (same month, early churn, within and beyond the
clawback window) and the post-sale manager's upsells to existing clients.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from demo.cast import MONTHS, SALES, Manager, Window, plan_amount
from demo.text import Bi, ClientNames
from formulas.months import days_in_month

# Target attainment per sales manager for months 0..5; month 5 is relative to the month-to-date pace.
ATTAINMENT = {
    "anna": (1.25, 1.10, 1.08, 1.30, 1.08, 1.10),
    "boris": (1.10, 1.15, 0.72, 0.80, 1.06, 0.92),  # misses months 2 and 3: plan_missed_twice; amber in 5
    "dmitry": (None, None, 1.08, 1.10, 1.12, 0.30),  # far behind the month-to-date pace: behind_pace
    "elena": (1.06, 0.90, 1.20, 1.10, 0.60, None),
    "igor": (1.30, 1.06, 1.40, 0.90, 1.08, 1.15),
}
TURNOVER_THRESHOLDS = (100_000, 150_000)  # the client_turnover_bonus tiers of the demo's rules
AVERAGE_DEAL = 110_000  # a typical renovation contract
FAKE_AMOUNT = 102_000  # within 5 % above 100 000 (seed 002's "fake client" trick)
# The late correction of the month-close story (:mod:`demo.story`): a deal of month 4 typed with its
# digits swapped, found after month 4 was closed, so the report month gets the adjustment.
CORRECTED_AMOUNT, TYPED_AMOUNT = 118_000, 181_000


@dataclass
class Deal:
    """One signed deal before it becomes a `Deals` row; ``tag`` names the hand-placed ones."""

    manager: str
    signed: date
    client: Bi
    amount: float
    inbound: bool = False
    margin: float | None = None
    status: str | None = None
    cancelled_on: date | None = None
    tag: str = ""
    deal_id: str = ""


def _days(rng: random.Random, lo: date, hi: date, count: int) -> list[date]:
    """``count`` sorted random days in ``lo..hi``."""
    span = (hi - lo).days
    return sorted(lo + timedelta(days=rng.randint(0, span)) for _ in range(count))


def _clean_amount(rng: random.Random, amount: float) -> float:
    """Rounded to 500 and moved out of the 5 % band above a turnover threshold (only the fake is there)."""
    amount = max(30_000.0, round(amount / 500) * 500)
    for threshold in TURNOVER_THRESHOLDS:
        if threshold <= amount <= threshold * 1.05:
            amount = float(threshold - rng.randrange(1_000, 9_000, 500))
    return amount


def _specials(window: Window, names: ClientNames) -> list[Deal]:
    """The hand-placed deals behind the fake-client, early-churn and clawback signals and the late correction.

    This is the one list of hand-placed deals: a new story deal goes here (the generated deals of each
    month are sized around them).
    """
    day = timedelta(days=1)
    return [
        Deal("anna", window.first(2) + 11 * day, names.next(), FAKE_AMOUNT, tag="fake_client"),
        Deal("igor", window.first(1) + 3 * day, names.next(), 180_000, inbound=True, status="cancelled",
             cancelled_on=window.first(1) + 15 * day, tag="cancelled_same_month"),
        Deal("dmitry", window.first(3) + 6 * day, names.next(), 135_000, status="cancelled",
             cancelled_on=window.first(4) + 11 * day, tag="early_churn"),
        # Refunded in month 5 (the report month of the demo), 3 months after signing: a clawback line there.
        Deal("boris", window.first(2) + 14 * day, names.next(), 210_000, margin=40_000, status="refunded",
             cancelled_on=min(window.first(5) + 4 * day, window.as_of), tag="clawback"),
        Deal("igor", window.first(0) + 9 * day, names.next(), 240_000, status="cancelled",
             cancelled_on=window.first(4) + 20 * day, tag="cancelled_late"),
        Deal("igor", window.first(4) + 7 * day, names.next(), CORRECTED_AMOUNT, tag="late_correction"),
    ]


def _target(window: Window, key: str, i: int) -> float:
    """The signed amount manager ``key`` should reach in month ``i`` (pace-scaled in the as-of month)."""
    plan, goal = plan_amount(key, i), ATTAINMENT[key][i]
    if plan is None or goal is None:
        return 0.0
    if i == MONTHS - 1:
        goal *= window.as_of.day / days_in_month(window.month(i))
    return plan * goal


def _month_deals(rng: random.Random, names: ClientNames, person: Manager, span: tuple[date, date],
                 rest: float) -> list[Deal]:
    """Random deals of one manager in one month whose amounts add up to about ``rest``."""
    if rest < 30_000:
        return []
    count = max(1, round(rest / AVERAGE_DEAL))
    weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
    deals = []
    for day, weight in zip(_days(rng, *span, count), weights, strict=True):
        amount = _clean_amount(rng, rest * weight / sum(weights))
        margin = None
        if rng.random() < 0.4:
            margin = round(amount * rng.uniform(0.12, 0.35), -2) if rng.random() > 0.06 else -5_000.0
        deals.append(Deal(person.key, day, names.next(), amount, inbound=rng.random() < 0.35, margin=margin))
    return deals


def sales_deals(rng: random.Random, window: Window, people: dict[str, Manager],
                names: ClientNames) -> list[Deal]:
    """All deals of the sales managers, hand-placed ones included, in signing order."""
    specials = _specials(window, names)
    deals = list(specials)
    for i in range(MONTHS):
        for key in SALES:
            span = people[key].works(window.first(i), window.last(i))
            if span is None:
                continue
            counted = sum(d.amount for d in specials if d.manager == key and span[0] <= d.signed <= span[1]
                          and d.tag != "cancelled_same_month")  # counts for nothing (section 3)
            month = _month_deals(rng, names, people[key], span, _target(window, key, i) - counted)
            if key == "anna" and i == MONTHS - 1 and month:
                month[-1].signed = window.as_of  # the as-of day itself is part of the data
            deals.extend(month)
    return sorted(deals, key=lambda d: d.signed)


def upsells(rng: random.Random, window: Window, earlier: list[Deal]) -> list[Deal]:
    """Post-sale upsells (extra works for existing clients), one in each of months 1..4."""
    extra = []
    for i in range(1, 5):
        day = window.first(i) + timedelta(days=rng.randint(2, 20))
        clients = [d.client for d in earlier if d.signed < day and not d.tag]
        amount = float(rng.randrange(35_000, 70_000, 500))
        extra.append(Deal("pavel", day, rng.choice(clients), amount, margin=round(amount * 0.3, -2)))
    return extra
