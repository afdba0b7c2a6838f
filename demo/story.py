"""The month-close story of the demo (PRODUCT.md section 3a, issue 9) and the date it is told as of.

The demo is dated so that its report month is complete: it is calculated as of the last day of the
latest month that has ended (:func:`demo_as_of`). Every earlier month of the six is closed, the oldest
one is also marked paid, and then one deal of the latest closed month has its amount corrected (its
digits had been swapped when it was typed), so the report month shows the `adjustment` lines of a late
correction. This module holds the facts of the story and the one cell edit it makes;
:mod:`entrypoints.demo_job` tells it with the real close and paid jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from demo.cast import MONTHS, Window
from demo.deals import CORRECTED_AMOUNT, TYPED_AMOUNT
from demo.workbook import DemoWorkbook, late_correction_id
from formulas.contract import INPUT_TABS
from formulas.months import month_end, month_of

PAID_MONTHS = 1  # the oldest month is paid; the others are closed and wait for the payroll run


@dataclass(frozen=True)
class Correction:
    """A `Deals` amount typed wrong before its month was closed and corrected afterwards."""

    deal_id: str
    typed: float
    corrected: float


def demo_as_of(today: date) -> date:
    """The last day of the latest month that has ended on ``today`` (``today`` itself on a month's last day).

    The report month is the month of the as-of date (PRODUCT.md section 5), so this makes it complete.
    """
    if month_end(month_of(today)) == today:
        return today
    return today.replace(day=1) - timedelta(days=1)


def closed_months(as_of: date) -> list[int]:
    """The months the story closes, oldest first: every month of the demo before the report month."""
    window = Window(as_of)
    return [window.month(i) for i in range(MONTHS - 1)]


def action_time(month: int, days_after: int) -> str:
    """When the owner acted on ``month``: ``days_after`` days after its end, at 10:00 (a "YYYY-MM-DD HH:MM")."""
    return f"{(month_end(month) + timedelta(days=days_after)).isoformat()} 10:00"


def late_correction(as_of: date) -> Correction:
    """The deal the story corrects after its month was closed."""
    return Correction(late_correction_id(as_of), float(TYPED_AMOUNT), float(CORRECTED_AMOUNT))


def as_typed_before(book: DemoWorkbook, correction: Correction, lang: str) -> DemoWorkbook:
    """The workbook as it was when the months were closed: the corrected amount still typed wrong."""
    title, row, column = _cell(book, correction, lang)
    tabs = [(name, [list(r) for r in values]) for name, values in book.tabs]
    dict(tabs)[title][row][column] = correction.typed
    return DemoWorkbook(tabs, {key: value for key, value in book.formats.items() if key != (title, row, column)})


def correct_in_file(path: str | Path, book: DemoWorkbook, correction: Correction, lang: str) -> None:
    """Type the corrected amount into the workbook file, as the owner would in a spreadsheet program."""
    from openpyxl import load_workbook  # openpyxl only when a file is edited

    title, row, column = _cell(book, correction, lang)
    workbook = load_workbook(path)
    workbook[title].cell(row=row + 1, column=column + 1).value = correction.corrected
    workbook.save(path)


def _cell(book: DemoWorkbook, correction: Correction, lang: str) -> tuple[str, int, int]:
    """(tab title, row index into its values, column index) of the corrected amount.

    The demo writes every column of the contract in its order, so a column's index is its place in the spec.
    """
    spec = next(tab for tab in INPUT_TABS if tab.key == "deals")
    keys = [column.key for column in spec.columns]
    title = spec.title(lang)
    values = dict(book.tabs)[title]
    row = next(i for i, r in enumerate(values) if i and r[keys.index("deal_id")] == correction.deal_id)
    return title, row, keys.index("amount")
