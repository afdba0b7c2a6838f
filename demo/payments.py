"""The demo agency's payments: each deal paid in monthly instalments (contract months 1..k).

Renovation contracts are paid in stages, one a month. Some instalments arrive in two parts, some
clients stop paying after the second month (seed 002's "a client that leaves after month 2"), late
instalments are chased by the receivables manager (`Collector`, seed 001), and nothing is paid after
a cancellation or after the as-of date.
"""

from __future__ import annotations

import calendar
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from demo.cast import Window
from demo.deals import Deal

COLLECTOR = "svetlana"  # the receivables manager
PLAN_MONTHS = ((1, 25), (2, 20), (3, 30), (4, 15), (6, 10))  # instalment counts and their weights


@dataclass
class Payment:
    """One `Payments` row before rendering."""

    deal: Deal
    paid_on: date
    amount: float
    contract_month: int
    collector: str | None = None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _plan(rng: random.Random, deal: Deal) -> tuple[int, int]:
    """How many instalments the contract has and how many the client will pay."""
    counts, weights = zip(*PLAN_MONTHS, strict=True)
    planned = rng.choices(counts, weights)[0]
    if deal.tag == "fake_client":
        return 3, 1  # paid the first month only, then vanished
    if deal.manager == "pavel":
        return 1, 1  # upsells are paid at once
    leaves = planned >= 3 and rng.random() < 0.12
    return planned, 2 if leaves else planned


def _due(rng: random.Random, deal: Deal, month: int) -> tuple[date, str | None]:
    """When instalment ``month`` arrives and who collected it (late ones by the receivables manager)."""
    if month == 1:
        return deal.signed + timedelta(days=rng.randint(0, 5)), None
    paid = add_months(deal.signed, month - 1) + timedelta(days=rng.randint(-3, 10))
    if rng.random() < 0.10:
        return paid + timedelta(days=rng.randint(18, 30)), COLLECTOR
    return paid, COLLECTOR if rng.random() < 0.05 else None


def deal_payments(rng: random.Random, window: Window, deal: Deal) -> list[Payment]:
    """The payments of one deal up to the as-of date (and its cancellation)."""
    planned, paying = _plan(rng, deal)
    limit = min(window.as_of, deal.cancelled_on or window.as_of)
    instalment = round(deal.amount / planned, 2)
    payments = []
    for month in range(1, paying + 1):
        amount = instalment if month < planned else round(deal.amount - instalment * (planned - 1), 2)
        paid, collector = _due(rng, deal, month)
        if paid > limit:
            break
        if rng.random() < 0.06 and month > 1:
            payments.extend(split(rng, Payment(deal, paid, amount, month, collector), limit))
        else:
            payments.append(Payment(deal, paid, amount, month, collector))
    return payments


def split(rng: random.Random, whole: Payment, limit: date) -> list[Payment]:
    """An instalment paid in two parts (the second dropped when it would come after ``limit``)."""
    first = round(whole.amount / 2, 2)
    later = whole.paid_on + timedelta(days=rng.randint(7, 20))
    parts = [Payment(whole.deal, whole.paid_on, first, whole.contract_month, whole.collector)]
    if later <= limit:
        parts.append(Payment(whole.deal, later, round(whole.amount - first, 2), whole.contract_month))
    return parts


def all_payments(rng: random.Random, window: Window, deals: list[Deal]) -> list[Payment]:
    """Payments of all ``deals`` in date order, with at least one contract month 4 paid in halves."""
    payments = [p for deal in deals for p in deal_payments(rng, window, deal)]
    _halve_a_fourth_month(rng, window, payments)
    return sorted(payments, key=lambda p: p.paid_on)


def _halve_a_fourth_month(rng: random.Random, window: Window, payments: list[Payment]) -> None:
    """Split one whole contract-month-4 payment in two (PRODUCT.md worked example 3)."""
    counts = Counter((id(p.deal), p.contract_month) for p in payments)
    for index, payment in enumerate(payments):
        if payment.contract_month != 4 or payment.deal.tag or counts[(id(payment.deal), 4)] != 1:
            continue
        if payment.paid_on + timedelta(days=20) <= window.as_of:
            payments[index:index + 1] = split(rng, payment, window.as_of)
            return
