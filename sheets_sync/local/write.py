"""The local-workbook adapter: read an .xlsx into raw tabs, write a report back into the same file.

* :func:`read_workbook` streams the input tabs (values and number formats, :mod:`.xlsx_read`).
* :func:`write_report` rewrites each result tab whole, at the position it had (new ones at the end),
  replaces Premia's own issue highlights on input tabs and leaves everything else as it was. It
  refuses workbooks whose content openpyxl would drop (:class:`WorkbookNotSupported`), keeps the
  cached results of formulas, and replaces the file atomically with reproducible bytes.
* :func:`create_workbook` writes a new workbook from plain rows (tests and the demo), with columns as
  wide as their values.

Protection of result tabs. PRODUCT.md asks for warning-only protection: the user may edit after a
confirmation. Google Sheets has that (``warningOnly``); xlsx does not: a protected sheet refuses edits
until it is unprotected through the menu, with or without a password. Rather than block users,
result tabs here are left unprotected and marked instead: a grey tab colour and a note on A1 saying
that Premia rewrites the tab on every run (:mod:`.xlsx_result`). ``ResultTab.protected`` is ignored.

Document properties (created, modified) are written back as the file had them, so a second run with
the same report gives a byte-identical file; the file system's modification time still changes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zipfile import ZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from formulas.report.model import Highlight, Report, ResultTab
from sheets_sync.local.cache import cached_values
from sheets_sync.local.guard import WorkbookNotSupported, check_supported
from sheets_sync.local.read import read_workbook
from sheets_sync.local.result import BODY_FONT, HEADER_FONT, render_result_tab, write_text
from sheets_sync.local.rules import replace_premia_rules
from sheets_sync.local.save import save_atomically

__all__ = ["WorkbookNotSupported", "create_workbook", "read_workbook", "write_report"]

MIN_PLAIN_WIDTH = 9  # about Excel's default column width
MAX_PLAIN_WIDTH = 40  # longer text is clipped rather than making one column fill the screen


def write_report(path: str | Path, report: Report, input_tab_titles: Iterable[str]) -> None:
    """Write ``report`` into the workbook at ``path``, replacing the file in one step.

    Raises :class:`WorkbookNotSupported` (file untouched) when a tab other than the report's result
    tabs holds content openpyxl cannot keep, and ``ValueError`` for a report that contradicts the
    workbook (a result tab named like an input tab, a highlight on a tab that is not an input tab).
    """
    path = Path(path)
    inputs = list(input_tab_titles)
    _check_titles(report, inputs)
    data = path.read_bytes()
    results = {tab.title.casefold() for tab in report.tabs}
    with ZipFile(io.BytesIO(data)) as package:
        check_supported(package, (tab.title for tab in report.tabs))
        # rich_text keeps bold or coloured runs inside the user's cells, which a plain load flattens.
        wb = load_workbook(io.BytesIO(data), rich_text=True)
        kept = [ws.title for ws in wb.worksheets if ws.title.casefold() not in results]
        cached = cached_values(package, kept)
    _mark_input_tabs(wb, inputs, report.input_highlights)
    for tab in report.tabs:
        render_result_tab(_fresh_sheet(wb, tab), tab)
    save_atomically(wb, path, cached)


def _check_titles(report: Report, inputs: list[str]) -> None:
    """Reject a report whose result tabs collide with each other or with input tabs."""
    titles = [tab.title.casefold() for tab in report.tabs]
    if len(set(titles)) != len(titles):
        raise ValueError(f"two result tabs share a title: {[tab.title for tab in report.tabs]}")
    clash = set(titles) & {title.casefold() for title in inputs}
    if clash:
        raise ValueError(f"result tabs would overwrite input tabs: {sorted(clash)}")
    for highlight in report.input_highlights:
        if highlight.tab not in inputs:
            raise ValueError(f"input highlight on {highlight.tab!r}, which is not an input tab")


def _mark_input_tabs(wb: Workbook, inputs: list[str], highlights: list[Highlight]) -> None:
    """Replace Premia's previous rules on every input tab by this run's highlights."""
    for title in inputs:
        ws = wb[title] if title in wb.sheetnames else None
        wanted = [highlight for highlight in highlights if highlight.tab == title]
        if isinstance(ws, Worksheet):
            replace_premia_rules(ws, wanted)
        elif wanted:
            raise ValueError(f"input highlight on {title!r}, which the workbook does not have")


def _fresh_sheet(wb: Workbook, tab: ResultTab) -> Worksheet:
    """An empty sheet for ``tab``: the old one (matched case-insensitively, as Excel does) removed
    and recreated at its position, or a new one after the existing tabs."""
    old = next((title for title in wb.sheetnames if title.casefold() == tab.title.casefold()), None)
    if old is None:
        return wb.create_sheet(tab.title)
    position = wb.sheetnames.index(old)
    wb.remove(wb[old])
    return wb.create_sheet(tab.title, position)


def create_workbook(
    path: str | Path,
    tabs: list[tuple[str, list[list[Any]]]],
    formats: dict[tuple[str, int, int], str] | None = None,
) -> None:
    """Write a new workbook of plain rows: row 0 is the header (bold), strings are always text.

    ``formats`` maps (tab title, row index, column index), 0-based as in :class:`RawTab`, to a number
    format such as ``"0%"``. Each column is as wide as its longest value (at most
    :data:`MAX_PLAIN_WIDTH`), so dates do not show as ``###``. An existing file at ``path`` is replaced.
    """
    if not tabs:
        raise ValueError("a workbook needs at least one tab")
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in tabs:
        ws = wb.create_sheet(title)
        for row_index, row in enumerate(rows):
            for col_index, value in enumerate(row):
                if value is not None:
                    _write_plain(ws.cell(row=row_index + 1, column=col_index + 1), value, row_index == 0)
        for col_index, width in enumerate(plain_widths(rows), start=1):
            ws.column_dimensions[get_column_letter(col_index)].width = width
    for (title, row_index, col_index), number_format in (formats or {}).items():
        wb[title].cell(row=row_index + 1, column=col_index + 1).number_format = number_format
    save_atomically(wb, Path(path))


def plain_widths(rows: list[list[Any]]) -> list[int]:
    """Column widths in characters: the longest shown value plus two, between 9 and MAX_PLAIN_WIDTH."""
    longest: list[int] = []
    for row in rows:
        longest.extend(0 for _ in range(len(row) - len(longest)))
        for col_index, value in enumerate(row):
            longest[col_index] = max(longest[col_index], _shown_length(value))
    return [min(MAX_PLAIN_WIDTH, max(MIN_PLAIN_WIDTH, length + 2)) for length in longest]


def _shown_length(value: Any) -> int:
    """About how many characters a plain value shows as (General shows at most 11 digits of a float)."""
    if value is None:
        return 0
    if isinstance(value, float):
        return min(len(repr(value)), 11)
    return len(str(value))


def _write_plain(cell: Cell, value: Any, header: bool) -> None:
    """One plain value: text stays text, anything else as openpyxl stores it; headers bold."""
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = value
    cell.font = HEADER_FONT if header else BODY_FONT
