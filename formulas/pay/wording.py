"""Readable formulas for statement lines: how each amount was reached, in words a payroll clerk reads.

One function per shape of formula; the component table (:mod:`formulas.pay.components`) names the shape
of each component, and base salary, carry-over and adjustments have their own. Built only from numbers
Premia computed, never from user text, so they are safe to write as plain text. Numbers are written
as each language writes them (``1,110,000.00`` / ``1 110 000,00``, :mod:`formulas.text.numbers`), the
way the Amount cells beside them show, and counted nouns agree with their count ("1 deal", "3 сделки").
"""

from __future__ import annotations

import math
from typing import NamedTuple

from formulas.months import days_in_month
from formulas.text import numbers, say
from formulas.text.numbers import counted as counted_noun

# What a line's contributions are (the component table's ``counts``) -> the plural noun that counts them.
NOUNS = {"deals": "deal", "payments": "payment", "clients": "client_stage"}


def money(value: float, lang: str = "en") -> str:
    """``1,234,567.89`` (``1 234 567,89`` in Russian): thousands grouped, two decimals, a true minus sign."""
    return numbers.money(value, lang)


def percent(value: float, lang: str = "en") -> str:
    """A rate in percentage points without noise: ``5%``, ``5.5%`` (``5,5%``), ``104.17%``."""
    return numbers.percent(value, lang)


class Figures(NamedTuple):
    """What a statement line's formula is made of: summed base and amount, the rate when it is unique
    (NaN otherwise), how many contributions, and the month index."""

    base: float
    rate: float
    amount: float
    count: int
    month: int


def percent_of_base(line: Figures, lang: str) -> str:
    """``5% × 520,000.00 = 26,000.00``; with several rates, ``Σ rate × base over 3 items = …``."""
    if not math.isnan(line.rate):
        return f"{percent(line.rate, lang)} × {money(line.base, lang)} = {money(line.amount, lang)}"
    return f"Σ {say('formula.rates', lang)} {counted_noun(line.count, 'item', lang)} = {money(line.amount, lang)}"


def share_of_booked(line: Figures, lang: str) -> str:
    """A clawback: ``−100% × 5,000.00 booked = −5,000.00``."""
    amount = money(line.amount, lang)
    if not math.isnan(line.rate):
        return f"−{percent(line.rate, lang)} × {money(line.base, lang)} {say('formula.booked', lang)} = {amount}"
    return f"−Σ {say('formula.rates', lang)} {counted_noun(line.count, 'item', lang)} = {amount}"


def attainment_reached(line: Figures, lang: str) -> str:
    """``attainment 104% of plan → 20,000.00`` (the rate holds the attainment)."""
    return f"{attainment(line, lang)} {say('formula.of_plan', lang)} → {money(line.amount, lang)}"


def attainment(line: Figures, lang: str) -> str:
    """``attainment 104%``: a plan bonus line's Details (its Rate cell stays empty: base × rate ≠ amount)."""
    return f"{say('formula.attainment', lang)} {percent(line.rate, lang)}"


def deal_count_reached(line: Figures, lang: str) -> str:
    """``5 deals → 10,000.00`` (the base holds the deal count)."""
    return f"{counted_noun(int(line.base), 'deal', lang)} → {money(line.amount, lang)}"


def fixed_sums(line: Figures, lang: str) -> str:
    """``3 fixed sums = 75,000.00``."""
    return f"{counted_noun(line.count, 'fixed_sum', lang)} = {money(line.amount, lang)}"


def days_employed(line: Figures, lang: str) -> str:
    """Base salary: ``30,000.00 × 15/31 days = 14,516.13``; several Team rows: ``Σ 2 × days/31 = …``."""
    total = days_in_month(line.month)
    if not math.isnan(line.rate):
        days = round(line.rate * total / 100)
        return f"{money(line.base, lang)} × {days}/{total} {say('formula.days', lang)} = {money(line.amount, lang)}"
    return f"Σ {line.count} × {say('formula.days', lang)}/{total} = {money(line.amount, lang)}"


def carried(line: Figures, lang: str) -> str:
    """Carry-over: which way the amount moved."""
    return say("formula.carried_out" if line.amount > 0 else "formula.carried_in", lang)


def amount_only(line: Figures, lang: str) -> str:
    """Just the amount (adjustments)."""
    return money(line.amount, lang)


def counted(noun: str | None, count: int, lang: str) -> str:
    """A short count of what a line is made of: ``1 deal``, ``5 deals`` ("" without a noun or items)."""
    return counted_noun(count, NOUNS[noun], lang) if noun and count else ""
