"""The generated agency typed as a Google spreadsheet holds it: date cells are dates, percents percents.

:func:`bench.generate.generate` keeps dates as spreadsheet serial numbers (what Google returns for a
date) plus some dates typed as text. In a real spreadsheet such a serial is a *date*: it carries a DATE
number format, and read 1 (``spreadsheets.get``) reports that format for every one of them, which the
adapter then uses to turn the serial into a date. :func:`typed` adds those formats, so the response
bytes, the fake and the ``.xlsx`` file all hold the same typed data.
"""

from __future__ import annotations

from typing import Any

from formulas.contract import norm
from formulas.raw import RawTab, RawWorkbook
from formulas.read.tabs import input_tab_spec
from sheets_sync.google.cells import format_type

# What Sheets stores for an ISO date typed into a cell, and what the fake seeds for a date.
DATE_PATTERN = "yyyy-mm-dd"


def date_columns(tab: RawTab) -> list[int]:
    """Indexes of the tab's columns whose header names a date column of PRODUCT.md section 2."""
    spec = input_tab_spec(tab.title)
    if spec is None or not tab.values:
        return []
    kinds = {norm(name): column.kind for column in spec.columns for name in (column.en, column.ru)}
    return [col for col, header in enumerate(tab.values[0]) if kinds.get(norm(header)) == "date"]


def typed_tab(tab: RawTab) -> RawTab:
    """The tab with a DATE format on every number in a date column (text dates stay text)."""
    formats = dict(tab.formats)
    for col in date_columns(tab):
        for row in range(1, len(tab.values)):
            line = tab.values[row]
            if col < len(line) and type(line[col]) in (int, float):
                formats[(row, col)] = DATE_PATTERN
    return RawTab(tab.title, tab.values, formats)


def typed(book: RawWorkbook) -> RawWorkbook:
    """Every tab of ``book`` typed (values are shared, not copied)."""
    return RawWorkbook([typed_tab(tab) for tab in book.tabs], book.all_titles, book.time_zone,
                       dict(book.properties), dict(book.own_tabs))


def number_format(pattern: str) -> dict[str, Any]:
    """The ``NumberFormat`` Google stores for a pattern: ``{"type": "DATE", "pattern": "yyyy-mm-dd"}``."""
    return {"type": format_type(pattern), "pattern": pattern}
