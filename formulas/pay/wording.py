"""Readable formulas for statement lines: how each amount was reached, in words a payroll clerk reads.

Built only from numbers Premia computed, never from user text, so they are safe to write as plain text.
"""

from __future__ import annotations

import math

from formulas.months import days_in_month

_WORDS = {
    "deals": ("deals", "сделок"), "payments": ("payments", "оплат"), "clients": ("client stages", "этапов"),
    "attainment": ("attainment", "выполнение"), "of_plan": ("of plan", "плана"),
    "fixed": ("fixed sums", "фикс. сумм"), "days": ("days", "дн."), "booked": ("booked", "начислено"),
    "carried_out": ("variable pay below zero, carried to the next month",
                    "переменная часть ниже нуля, перенесено на следующий месяц"),
    "carried_in": ("carried from the previous month", "перенесено с прошлого месяца"),
    "rates": ("rate × base over", "ставка × база по"), "items": ("items", "строкам"),
}
PERCENT = frozenset({"deal_percent", "payment_percent", "first_month_margin_percent", "collected_percent"})
FIXED = frozenset({"client_turnover_bonus", "inbound_deal_bonus", "stage_bonus"})
NOUN = {"deal_percent": "deals", "client_turnover_bonus": "deals", "inbound_deal_bonus": "deals",
        "payment_percent": "payments", "collected_percent": "payments", "first_month_margin_percent": "deals",
        "stage_bonus": "clients", "clawback": "deals"}


def word(key: str, lang: str) -> str:
    """A formula word in ``lang``."""
    return _WORDS[key][1 if lang == "ru" else 0]


def money(value: float) -> str:
    """``1 234 567.89``: thousands grouped with spaces, two decimals, a true minus sign."""
    text = f"{abs(value):,.2f}".replace(",", " ")
    return f"−{text}" if value < 0 else text


def percent(value: float) -> str:
    """A rate in percentage points without noise: ``5%``, ``5.5%``, ``104.17%``."""
    return f"{round(value, 4):g}%"


def formula(component: str, base: float, rate: float, amount: float, count: int, month: int,
            lang: str) -> str:
    """The formula text of one statement line."""
    has_rate = not math.isnan(rate)
    if component in PERCENT or component == "clawback":
        sign = "−" if component == "clawback" else ""
        extra = f" {word('booked', lang)}" if component == "clawback" else ""
        if has_rate:
            return f"{sign}{percent(rate)} × {money(base)}{extra} = {money(amount)}"
        return f"{sign}Σ {word('rates', lang)} {count} {word('items', lang)} = {money(amount)}"
    if component == "plan_bonus":
        return f"{word('attainment', lang)} {percent(rate)} {word('of_plan', lang)} → {money(amount)}"
    if component == "deal_count_bonus":
        return f"{int(base)} {word('deals', lang)} → {money(amount)}"
    if component in FIXED:
        return f"{count} × {word('fixed', lang)} = {money(amount)}"
    if component == "base_salary":
        total = days_in_month(month)
        if has_rate:
            days = round(rate * total / 100)
            return f"{money(base)} × {days}/{total} {word('days', lang)} = {money(amount)}"
        return f"Σ {count} × {word('days', lang)}/{total} = {money(amount)}"
    if component == "carried_over":
        return word("carried_out" if amount > 0 else "carried_in", lang)
    return money(amount)


def details(component: str, count: int, lang: str) -> str:
    """A short count of what the line is made of: ``5 deals``."""
    noun = NOUN.get(component)
    return f"{count} {word(noun, lang)}" if noun and count else ""
