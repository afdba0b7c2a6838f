"""Numbers, dates and counted nouns inside user-visible text, written the way each language writes them.

English text writes ``1,110,000.00`` and Russian text ``1 110 000,00``: the same digits a spreadsheet
shows for the ``#,##0.00`` format in an English and a Russian locale, so a formula's words read like the
cells beside them. Plural forms live in the text tables as ``"plural.<noun>"``: ``"deal|deals"`` in
English, three forms in Russian (``"сделка|сделки|сделок"``: 1, 2–4, 5 and more).
"""

from __future__ import annotations

from datetime import date

from formulas.text import say

MINUS = "−"  # a true minus sign, as in the formula text


def money(value: float, lang: str) -> str:
    """An amount with two decimals: ``1,110,000.00`` / ``1 110 000,00``; negatives with a minus sign."""
    text = f"{abs(value):,.2f}"
    if lang == "ru":
        text = text.replace(",", " ").replace(".", ",")
    return f"{MINUS}{text}" if value < 0 and text.strip("0.,") else text


def number(value: float, lang: str, decimals: int = 2) -> str:
    """A plain number without trailing zeros: ``30``, ``1.75`` (``1,75`` in Russian)."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"
    return text.replace(".", ",") if lang == "ru" else text


def percent(value: float, lang: str) -> str:
    """A rate in percentage points without noise: ``5%``, ``5.5%`` (``5,5%``), ``104.17%``."""
    text = f"{round(value, 4):g}"
    return f"{text.replace('.', ',') if lang == 'ru' else text}%"


def plural(count: int, noun: str, lang: str) -> str:
    """The form of ``noun`` (a ``plural.<noun>`` text key) that goes with ``count``."""
    forms = say(f"plural.{noun}", lang).split("|")
    if len(forms) == 2:  # English-like: one, other
        return forms[0] if abs(count) == 1 else forms[1]
    tens, units = abs(count) % 100, abs(count) % 10  # Russian: 1 сделка, 2–4 сделки, 5–20 сделок, 21 сделка
    if units == 1 and tens != 11:
        return forms[0]
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return forms[1]
    return forms[2]


def counted(count: int, noun: str, lang: str) -> str:
    """A count with its noun: ``1 deal``, ``3 deals``; ``1 сделка``, ``3 сделки``, ``5 сделок``."""
    return f"{count} {plural(count, noun, lang)}"


def month_name(month: int, lang: str) -> str:
    """A month index (year × 12 + month − 1, as :mod:`formulas.months`) as ``November 2026``."""
    year, number_ = divmod(month, 12)
    return f"{say(f'month.{number_ + 1}', lang)} {year}"


def day(value: date, lang: str) -> str:
    """A date as people write it: ``2026-11-23`` in English, ``23.11.2026`` in Russian."""
    return value.strftime("%d.%m.%Y") if lang == "ru" else value.isoformat()
