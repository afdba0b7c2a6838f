"""Months as integers (``year * 12 + month - 1``) so month arithmetic is plain, vectorised subtraction."""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd


def month_of(day: date) -> int:
    """The month index of a date."""
    return day.year * 12 + day.month - 1


def months_of(days: pd.Series) -> pd.Series:
    """Month indexes of a datetime64 Series (NaT gives <NA>)."""
    return (days.dt.year * 12 + days.dt.month - 1).astype("Int64")


def month_label(index: int) -> str:
    """``YYYY-MM`` for a month index, the format `Statements` writes (PRODUCT.md section 5)."""
    year, month0 = divmod(int(index), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_start(index: int) -> date:
    """The first day of a month index."""
    year, month0 = divmod(int(index), 12)
    return date(year, month0 + 1, 1)


def month_end(index: int) -> date:
    """The last day of a month index."""
    year, month0 = divmod(int(index), 12)
    return date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1])


def days_in_month(index: int) -> int:
    """How many calendar days the month has."""
    year, month0 = divmod(int(index), 12)
    return calendar.monthrange(year, month0 + 1)[1]
