"""Cell readers of the reference engine: one small function per kind of cell (PRODUCT.md sections 2 and 3).

Every reader takes the raw cell value (``None``, ``str``, ``int``/``float``, ``bool``, ``date``/``datetime``)
and returns the value it means, or raises :class:`Unreadable` with a plain reason. Blank cells are the
caller's business (:func:`is_blank`): a reader is only called on a non-blank cell.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

# Spreadsheet serial numbers count days from this epoch (PRODUCT.md section 3, "Parsing").
SERIAL_EPOCH = date(1899, 12, 30)
# Months before this year are "implausible" (the engine's reading of PRODUCT.md's month columns).
FIRST_PLAUSIBLE_YEAR = 2000

RU_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
             "ноябрь", "декабрь")

# PRODUCT.md section 2 (long English names) and section 3 "Names" (short English, Russian).
STAGE_NAMES: dict[str, int | str] = {}
for _number, _names in {
    1: ("decision maker", "reached the decision maker", "выход на лпр"),
    2: ("interest", "interest expressed", "интерес"),
    3: ("meeting set", "встреча назначена"),
    4: ("specification", "specification received", "тз получено"),
    5: ("offer sent", "кп отправлено"),
    6: ("terms accepted", "условия приняты"),
    7: ("contract signed", "договор подписан"),
}.items():
    for _name in _names:
        STAGE_NAMES[_name] = _number
STAGE_NAMES["lost"] = STAGE_NAMES["отказ"] = "lost"

# PRODUCT.md section 2: enumerations in English and Russian.
ROLES = {"sales": "sales", "call_centre": "call_centre", "post_sale": "post_sale", "receivables": "receivables",
         "продажи": "sales", "колл-центр": "call_centre", "сопровождение": "post_sale", "дебиторка": "receivables"}
SOURCES = {"inbound": "inbound", "outbound": "outbound", "входящий": "inbound", "исходящий": "outbound"}
STATUSES = {"active": "active", "cancelled": "cancelled", "refunded": "refunded",
            "действует": "active", "расторгнут": "cancelled", "возврат": "refunded"}


class Unreadable(ValueError):
    """A cell that cannot be read for its column: one input issue (PRODUCT.md section 2)."""


def is_blank(value: Any) -> bool:
    """True for an empty cell or one holding only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def words(value: Any) -> str:
    """Trimmed, case-folded text with inner whitespace collapsed: how names and enums are matched."""
    return " ".join(str(value).split()).casefold()


def _number(value: Any) -> Decimal | None:
    """A numeric cell as an exact Decimal (``None`` for a non-number); bools are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise Unreadable("not a finite number")
    # repr gives the shortest decimal that round-trips: what the spreadsheet shows, not binary noise.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def read_amount(value: Any) -> Decimal:
    """An amount: a number cell, or text like ``150 000,50``, ``150,000.50``, ``₽ 150000``, ``150000 руб.``.

    PRODUCT.md section 3 "Parsing": with both ``,`` and ``.`` the last one is decimal; a repeated separator
    groups thousands; a single ``,`` followed by exactly three digits groups thousands; any other single
    ``,`` or ``.`` is decimal; spaces, non-breaking spaces, ``₽``, ``руб.``, ``р.`` are ignored.
    """
    number = _number(value)
    if number is not None:
        return number
    if not isinstance(value, str):
        raise Unreadable("not an amount")
    text = value
    for ignored in ("руб.", "р.", "₽", "\u00a0", "\u202f", " ", "\t"):
        text = text.replace(ignored, "")
    sign = 1
    if text[:1] in ("-", "−"):
        sign, text = -1, text[1:]
    if not re.fullmatch(r"[0-9][0-9.,]*", text):
        raise Unreadable("not an amount")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        if text.count(decimal_sep) > 1:
            raise Unreadable("not an amount")
        text = text.replace("." if decimal_sep == "," else ",", "").replace(decimal_sep, ".")
    elif commas > 1 or dots > 1:
        text = text.replace(",", "").replace(".", "")
    elif commas == 1:
        text = text.replace(",", "") if re.fullmatch(r"\d+,\d{3}", text) else text.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise Unreadable("not an amount")
    return sign * Decimal(text)


def read_rate(value: Any, percent_cell: bool) -> Decimal:
    """A rate in percent points: ``5``, ``5 %``, ``5,5``, or a percent-formatted cell (0.05 → 5).

    PRODUCT.md section 2 ("rates in percent points") and section 3 "Threshold" (``120 %``, a percent
    cell holding 1.2 → 120).
    """
    number = _number(value)
    if number is not None:
        return number * 100 if percent_cell else number
    if not isinstance(value, str):
        raise Unreadable("not a rate")
    text = value.strip()
    if text.endswith("%"):
        text = text[:-1]
    if "%" in text or not text.strip():
        raise Unreadable("not a rate")
    return read_amount(text)


def read_whole(value: Any, minimum: int) -> int:
    """A whole number ≥ ``minimum`` (a count, a contract month, a number of months): ``3``, ``3.0``, ``"3,0"``."""
    number = _number(value)
    if number is None:
        if not isinstance(value, str):
            raise Unreadable("not a whole number")
        number = read_amount(value)  # written like any number (section 3 "Parsing")
    if number != number.to_integral_value() or number < minimum:
        raise Unreadable("not a whole number")
    return int(number)


def read_date(value: Any) -> date:
    """A date: serial number (epoch 1899-12-30), date cell, ``YYYY-MM-DD`` or ``DD.MM.YYYY``.

    PRODUCT.md section 3 "Parsing": ``05/03/2026`` and two-digit years are issues (ambiguous).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    number = _number(value)
    if number is not None:
        # A fraction is the time of day of a date-time cell (Google returns those as serials too).
        return SERIAL_EPOCH + timedelta(days=int(number.to_integral_value(rounding=ROUND_FLOOR)))
    if not isinstance(value, str):
        raise Unreadable("not a date")
    text = value.strip()
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", text):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as error:
        raise Unreadable("no such date") from error
    raise Unreadable("not a date")


def month_index(day: date) -> int:
    """The month of a date as ``year * 12 + month - 1`` (the engine's month index)."""
    return day.year * 12 + day.month - 1


def read_month(value: Any) -> int:
    """A month: ``2026-03``, ``03.2026``, ``март 2026``, or any date in the month (PRODUCT.md section 2)."""
    year = month = None
    if isinstance(value, str):
        text = words(value)
        if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(match[1]), int(match[2])
        elif match := re.fullmatch(r"(\d{2})\.(\d{4})", text):
            year, month = int(match[2]), int(match[1])
        elif (match := re.fullmatch(r"(\w+) (\d{4})", text)) and match[1] in RU_MONTHS:
            year, month = int(match[2]), RU_MONTHS.index(match[1]) + 1
    if year is None or month is None:
        day = read_date(value)
        year, month = day.year, day.month
    if not 1 <= month <= 12:
        raise Unreadable("no such month")
    if year < FIRST_PLAUSIBLE_YEAR:
        raise Unreadable("implausible month")
    return year * 12 + month - 1


def read_stage(value: Any) -> int | str:
    """A funnel stage 1–7 or ``"lost"``: its number, English or Russian name, or ``3 meeting set`` forms.

    PRODUCT.md section 2 and section 3 "Names"; ``7 days late`` or ``1e5`` are not stages.
    """
    number = _number(value)
    if number is not None:
        if number == number.to_integral_value() and 1 <= number <= 7:
            return int(number)
        raise Unreadable("not a stage")
    if not isinstance(value, str):
        raise Unreadable("not a stage")
    text = words(value)
    if text in STAGE_NAMES:
        return STAGE_NAMES[text]
    match = re.fullmatch(r"(\d+)\.?(?: (.*))?", text)
    if match and 1 <= int(match[1]) <= 7 and (match[2] is None or STAGE_NAMES.get(match[2]) == int(match[1])):
        return int(match[1])
    raise Unreadable("not a stage")


def read_choice(value: Any, choices: dict[str, str]) -> str:
    """One of an enumeration's English or Russian words, matched trimmed and case-insensitively."""
    key = words(value)
    if key not in choices:
        raise Unreadable("not one of " + ", ".join(choices))
    return choices[key]
