"""Date and month kernels behind :func:`formulas.read.parse.parse_date` and :func:`formulas.read.parse.parse_month`.

PRODUCT.md section 3 "Parsing": dates are spreadsheet serials (epoch 1899-12-30), date cells,
``YYYY-MM-DD`` or ``DD.MM.YYYY``; ``05/03/2026`` and two-digit years are ambiguous, so they are
rejected rather than guessed. Months are ``2026-03``, ``03.2026``, ``март 2026`` / ``March 2026`` or
any date in the month. Each kernel takes cells of one Python type and returns the values plus one
message code per cell ("" = read fine, else a ``parse.`` key of :mod:`formulas.text`).

Typed dates repeat a lot (a million funnel rows span a few hundred days), so text is read once per
distinct value (``pd.factorize``) and the answers are spread back with one ``take``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the accepted range for every date form, serials included
_EPOCH = np.datetime64("1899-12-30", "D")  # Google Sheets' and Excel's serial day 0
FIRST_SERIAL = int((np.datetime64(f"{FIRST_YEAR}-01-01", "D") - _EPOCH).astype(np.int64))
LAST_SERIAL = int((np.datetime64(f"{LAST_YEAR}-12-31", "D") - _EPOCH).astype(np.int64))
_NAT = np.datetime64("NaT", "D")

# Digits are spelled [0-9]: Python's \d also takes Arabic-Indic and other Unicode digits.
_TIME = r"(?:(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)?"  # read, then ignored
_YEAR_MARK = r"(?:\s*г\.?)?"  # Russian "05.03.2026 г."
_ISO_DATE = re.compile(rf"(?P<y>[0-9]{{4}})-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}}){_TIME}")
_RU_DATE = re.compile(rf"(?P<d>[0-9]{{1,2}})\.(?P<m>[0-9]{{1,2}})\.(?P<y>[0-9]{{4}}){_YEAR_MARK}{_TIME}",
                      re.IGNORECASE)
# Any other day/month/year triple (05/03/2026, 05.03.26, 03-05-2026): which part is the day is a guess.
_AMBIGUOUS = re.compile(rf"[0-9]{{1,4}}[./-][0-9]{{1,2}}[./-][0-9]{{1,4}}{_YEAR_MARK}{_TIME}", re.IGNORECASE)

_ISO_MONTH = re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})")
_RU_MONTH = re.compile(rf"(?P<m>[0-9]{{1,2}})\.(?P<y>[0-9]{{4}}){_YEAR_MARK}", re.IGNORECASE)
_NAMED_MONTH = re.compile(r"(?P<name>[^\W\d_]+)\.?\s*(?P<y>[0-9]{4})(?:\s*(?:г\.?|года?))?", re.IGNORECASE)
_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate((
    "январь января янв jan january", "февраль февраля фев feb february", "март марта мар mar march",
    "апрель апреля апр apr april", "май мая may", "июнь июня июн jun june", "июль июля июл jul july",
    "август августа авг aug august", "сентябрь сентября сен сент sep sept september",
    "октябрь октября окт oct october", "ноябрь ноября ноя нояб nov november",
    "декабрь декабря дек dec december",
), start=1):
    _MONTH_NAMES.update(dict.fromkeys(_names.split(), _number))


def serial_dates(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates (datetime64[D]) of spreadsheet serial numbers; the fraction (time of day) is dropped."""
    numbers = np.asarray(numbers, dtype=np.float64)
    finite = np.isfinite(numbers)
    days = np.floor(np.where(finite, numbers, 0.0))
    good = finite & (days >= FIRST_SERIAL) & (days <= LAST_SERIAL)
    dates = np.where(good, _EPOCH + np.where(good, days, 0).astype(np.int64), _NAT)
    codes = object_array(len(numbers), "")
    codes[~good] = "out_of_range"
    codes[~finite] = "not_date"
    return dates, codes


def object_dates(objects: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates (datetime64[D]) of date/datetime cells as a local workbook hands them in."""
    try:  # one C-level conversion for the usual naive date/datetime cells
        stamps = pd.to_datetime(pd.Series(objects, dtype=object), errors="coerce")
        if stamps.dt.tz is not None:  # the day as the cell shows it, not as it is in UTC
            stamps = stamps.dt.tz_localize(None)
        days = stamps.to_numpy(dtype="datetime64[D]")
    except (TypeError, ValueError, OverflowError):
        days = np.full(len(objects), _NAT)
    lost = np.flatnonzero(np.isnat(days))  # time zones mixed with naive cells, or far out of range
    days[lost] = np.array([_day_of(value) for value in objects[lost]], dtype="datetime64[D]")
    return _in_range(days)


def text_dates(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates (datetime64[D]) of trimmed, non-empty texts such as ``2026-03-05`` or ``05.03.2026``."""
    return per_distinct(texts, _text_date, "datetime64[D]")


def text_months(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Month indexes (``year * 12 + month - 1``, int64) of trimmed texts such as ``март 2026``."""
    return per_distinct(texts, _text_month, np.int64)


def object_array(size: int, value: object) -> np.ndarray:
    """An object array filled with ``value``: np.full would route a str through a fixed-width array,
    which is fifty times slower on a million cells."""
    array = np.empty(size, dtype=object)
    array.fill(value)
    return array


def months_of_days(days: np.ndarray) -> np.ndarray:
    """Month indexes (int64) of datetime64[D] values (NaT gives an arbitrary number: mask it)."""
    months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months + 1970 * 12


def _in_range(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep days within FIRST_YEAR..LAST_YEAR; NaT and others get the out-of-range code."""
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    good = ~np.isnat(days) & (years >= FIRST_YEAR) & (years <= LAST_YEAR)
    codes = object_array(len(days), "")
    codes[~good] = "out_of_range"
    return np.where(good, days, _NAT), codes


def _day_of(value: object) -> np.datetime64:
    """The calendar day of one date-like cell, ignoring any time of day and time zone."""
    try:
        if isinstance(value, date):  # datetime and pd.Timestamp are dates too
            return np.datetime64(date(value.year, value.month, value.day), "D")
        return np.datetime64(value, "D")  # type: ignore[call-overload]
    except (TypeError, ValueError):  # pd.NaT is a datetime without a year
        return _NAT


def per_distinct(texts: np.ndarray, read: Callable[[str], tuple[Any, str]],
                 dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``read`` (text -> (value, code)) once per distinct text and spread the answers back.

    Shared with :mod:`formulas.read.parse` for stages and enumerations, which repeat even more than dates.
    """
    positions, distinct = pd.factorize(np.asarray(texts, dtype=object))
    answers = [read(text) for text in distinct]
    values = np.array([value for value, _ in answers], dtype=dtype)
    codes = np.array([code for _, code in answers], dtype=object)
    return values[positions], codes[positions]


def _text_date(text: str) -> tuple[np.datetime64, str]:
    """One text read as a date, with its message code."""
    for pattern in (_ISO_DATE, _RU_DATE):
        match = pattern.fullmatch(text)
        if match:
            return _checked_day(int(match["y"]), int(match["m"]), int(match["d"]))
    return _NAT, "ambiguous_date" if _AMBIGUOUS.fullmatch(text) else "not_date"


def _checked_day(year: int, month: int, day: int) -> tuple[np.datetime64, str]:
    """A calendar day, or the reason it cannot be one (31.02.2026 is not a day)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _NAT, "out_of_range"
    try:
        return np.datetime64(date(year, month, day), "D"), ""
    except ValueError:
        return _NAT, "impossible_date"


def _text_month(text: str) -> tuple[int, str]:
    """One text read as a month index; any date the date rules accept gives its month."""
    named = _NAMED_MONTH.fullmatch(text)
    if match := _ISO_MONTH.fullmatch(text) or _RU_MONTH.fullmatch(text):
        year, month = int(match["y"]), int(match["m"])
    elif named and named["name"].casefold() in _MONTH_NAMES:
        year, month = int(named["y"]), _MONTH_NAMES[named["name"].casefold()]
    else:
        day, code = _text_date(text)
        if code:  # a plain "not a date" is better said as "not a month" here
            return 0, "not_month" if code == "not_date" else code
        return int(months_of_days(np.array([day]))[0]), ""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return 0, "out_of_range"
    return (year * 12 + month - 1, "") if 1 <= month <= 12 else (0, "not_month")
