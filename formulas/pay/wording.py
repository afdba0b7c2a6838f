"""Readable formulas for statement lines: how each amount was reached, in words a payroll clerk reads.

One function per shape of formula; the component table (:mod:`formulas.pay.components`) names the shape
of each component, and base salary, carry-over and adjustments have their own. Built only from numbers
Premia computed, never from user text, so they are safe to write as plain text.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from formulas.months import days_in_month
from formulas.text import say


def money(value: float) -> str:
    """``1 234 567.89``: thousands grouped with spaces, two decimals, a true minus sign."""
    text = f"{abs(value):,.2f}".replace(",", " ")
    return f"−{text}" if value < 0 else text


def percent(value: float) -> str:
    """A rate in percentage points without noise: ``5%``, ``5.5%``, ``104.17%``."""
    return f"{round(value, 4):g}%"


class Figures(NamedTuple):
    """What a statement line's formula is made of: summed base and amount, the rate when it is unique
    (NaN otherwise), how many contributions, and the month index."""

    base: float
    rate: float
    amount: float
    count: int
    month: int


def percent_of_base(line: Figures, lang: str) -> str:
    """``5% × 520 000.00 = 26 000.00``; with several rates, ``Σ rate × base over 3 items = …``."""
    if not math.isnan(line.rate):
        return f"{percent(line.rate)} × {money(line.base)} = {money(line.amount)}"
    return f"Σ {say('formula.rates', lang)} {line.count} {say('formula.items', lang)} = {money(line.amount)}"


def share_of_booked(line: Figures, lang: str) -> str:
    """A clawback: ``−100% × 5 000.00 booked = −5 000.00``."""
    if not math.isnan(line.rate):
        return f"−{percent(line.rate)} × {money(line.base)} {say('formula.booked', lang)} = {money(line.amount)}"
    return f"−Σ {say('formula.rates', lang)} {line.count} {say('formula.items', lang)} = {money(line.amount)}"


def attainment_reached(line: Figures, lang: str) -> str:
    """``attainment 104% of plan → 20 000.00`` (the rate holds the attainment)."""
    attainment, of_plan = say("formula.attainment", lang), say("formula.of_plan", lang)
    return f"{attainment} {percent(line.rate)} {of_plan} → {money(line.amount)}"


def deal_count_reached(line: Figures, lang: str) -> str:
    """``5 deals → 10 000.00`` (the base holds the deal count)."""
    return f"{int(line.base)} {say('formula.deals', lang)} → {money(line.amount)}"


def fixed_sums(line: Figures, lang: str) -> str:
    """``3 × fixed sums = 75 000.00``."""
    return f"{line.count} × {say('formula.fixed', lang)} = {money(line.amount)}"


def days_employed(line: Figures, lang: str) -> str:
    """Base salary: ``30 000.00 × 15/31 days = 14 516.13``; several Team rows: ``Σ 2 × days/31 = …``."""
    total = days_in_month(line.month)
    if not math.isnan(line.rate):
        days = round(line.rate * total / 100)
        return f"{money(line.base)} × {days}/{total} {say('formula.days', lang)} = {money(line.amount)}"
    return f"Σ {line.count} × {say('formula.days', lang)}/{total} = {money(line.amount)}"


def carried(line: Figures, lang: str) -> str:
    """Carry-over: which way the amount moved."""
    return say("formula.carried_out" if line.amount > 0 else "formula.carried_in", lang)


def amount_only(line: Figures, lang: str) -> str:
    """Just the amount (adjustments)."""
    return money(line.amount)


def counted(noun: str | None, count: int, lang: str) -> str:
    """A short count of what a line is made of: ``5 deals`` ("" without a noun or items)."""
    return f"{count} {say(f'formula.{noun}', lang)}" if noun and count else ""
