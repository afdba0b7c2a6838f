"""Number formats of a workbook's cell styles, and what they make of a number: a date, a duration or a number.

A cell stores a style index (``s``); the style's number format decides whether the stored number is
shown as a date. Premia hands the core what the cell shows: a date cell as a ``datetime``, as openpyxl
does, except when the number is outside the dates a spreadsheet can show (10 000 000 in a date cell,
1E+999): then the number itself, so it is reported as an input issue instead of becoming ``#VALUE!``.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

GENERAL = "General"
NUMBER, DATE, DURATION, DAY_ZERO = range(4)  # DAY_ZERO: a date format with a day, month or year in it
# Excel shows serials 0 up to 9999-12-31 (2 958 465) as dates; beyond that a date cell shows ####.
LAST_SERIAL = 2958466


def _local(tag: str) -> str:
    """An ElementTree tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def style_formats(styles: bytes | None) -> list[str]:
    """The number format pattern of each cell style (``cellXfs`` entry), by style index."""
    if not styles:
        return []
    root = ET.fromstring(styles)
    custom: dict[int, str] = {}
    formats: list[str] = []
    for section in root:
        if _local(section.tag) == "numFmts":
            for node in section:
                custom[_integer(node.get("numFmtId"))] = node.get("formatCode", GENERAL)
        elif _local(section.tag) == "cellXfs":
            for node in section:
                number = _integer(node.get("numFmtId"))
                formats.append(custom.get(number) or BUILTIN_FORMATS.get(number, GENERAL))
    return formats


@lru_cache(maxsize=4096)
def kind_of(pattern: str) -> int:
    """Whether a pattern shows numbers as dates, as durations (``[h]:mm``) or as numbers."""
    if is_timedelta_format(pattern):
        return DURATION
    if not is_date_format(pattern):
        return NUMBER
    return DAY_ZERO if _has_day(pattern) else DATE


def _has_day(pattern: str) -> bool:
    """True when a date pattern shows a day, month or year (not only a time of day).

    Quoted text, [colour]/[$-locale] sections and AM/PM hold letters that are not date parts; an "m"
    right after an hour or right before seconds is minutes, as spreadsheets read it.
    """
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|am/pm|a/p', "", pattern.lower())
    tokens = re.findall(r"[a-z]+", bare)
    for index, token in enumerate(tokens):
        if token[0] in "dy":
            return True
        minutes = (index and tokens[index - 1][0] == "h") or (index + 1 < len(tokens) and tokens[index + 1][0] == "s")
        if token[0] == "m" and not minutes:
            return True
    return False


def shown(number: int | float, kind: int, date1904: bool) -> int | float | datetime | date | time | timedelta:
    """A stored number as its cell shows it: a date, time or duration for such formats when in range.

    A number below 1 in a *date* format (1e-9 in a Paid on cell) shows as day 0, "1900-01-00", which is
    no date: it stays a number (a time-only format such as ``h:mm`` still gives a time).
    """
    if kind == NUMBER or not math.isfinite(number) or not 0 <= number < LAST_SERIAL:
        return number
    if kind == DAY_ZERO and number < 1:
        return number
    try:
        return from_excel(number, MAC_EPOCH if date1904 else WINDOWS_EPOCH, timedelta=kind == DURATION)
    except (OverflowError, ValueError):  # out of the range Python's dates hold
        return number


def _integer(text: str | None) -> int:
    """An integer attribute, -1 when missing or not a number."""
    try:
        return int(text or -1)
    except ValueError:
        return -1
