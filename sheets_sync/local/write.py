"""Write a report into a local workbook file, and create new workbooks from plain rows.

* :func:`write_report` merges the report into the file's own package (:mod:`.merge`: every part that is
  not Premia's stays byte for byte), refuses what must not be written (:mod:`.guard`), sweeps up
  temporary files of killed runs, and replaces the file atomically, only if it is still the file that
  was read (:mod:`.commit`). The bytes are reproducible: the same report gives the same file.
* :func:`create_workbook` writes a new workbook from plain rows (tests and the demo), with columns as
  wide as their values and a print setup: one page wide, landscape when wide, the header on every page.

Protection of result tabs. PRODUCT.md asks for warning-only protection: the user may edit after a
confirmation. Google Sheets has that (``warningOnly``); xlsx does not: a protected sheet refuses edits
until it is unprotected through the menu. Rather than block users, result tabs are left unprotected
and marked instead (a grey tab colour and a note on A1, :mod:`.result`), except tabs the report marks
``locked`` (Closed months, PRODUCT.md section 3a), which are sheet-protected without a password.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from formulas.report.model import Report
from sheets_sync.local.commit import Snapshot, replace_if_unchanged, snapshot
from sheets_sync.local.guard import WorkbookNotSupported, check_not_open, check_writable
from sheets_sync.local.merge import merge_report
from sheets_sync.local.package import Package
from sheets_sync.local.read import read_workbook
from sheets_sync.local.render import workbook_bytes
from sheets_sync.local.result import BODY_FONT, HEADER_FONT, write_text
from sheets_sync.local.save import remove_stale_temporaries, sync_folder, temporary_beside

__all__ = ["WorkbookNotSupported", "create_workbook", "read_workbook", "write_report", "write_snapshot"]

MIN_PLAIN_WIDTH = 9  # about Excel's default column width
MAX_PLAIN_WIDTH = 40  # longer text is clipped rather than making one column fill the screen
PLAIN_TEXT = Alignment(horizontal="left", indent=1)
PORTRAIT_WIDTH = 90  # characters of Arial 10 an A4 portrait page holds at 100 %; wider tabs print landscape


def write_report(path: str | Path, report: Report, input_tab_titles: Iterable[str]) -> None:
    """Write ``report`` into the workbook at ``path`` as it is now, replacing the file in one step.

    Raises :class:`WorkbookNotSupported` (file untouched) for a workbook Premia must not write, and
    ``ValueError`` for a report that contradicts the workbook (a result tab named like an input tab, a
    highlight on a tab that is not an input tab).
    """
    path = Path(path)
    write_snapshot(path, snapshot(path), report, list(input_tab_titles))


def write_snapshot(path: Path, read: Snapshot, report: Report, input_titles: list[str]) -> Snapshot:
    """Write ``report`` into the package that was read as ``read``; the snapshot of the written file.

    Raises :class:`sheets_sync.protocol.SpreadsheetChanged` (file untouched) when the file is no longer
    what was read: the report was computed from what was read, so writing it would drop the change.
    """
    check_writable(path)
    check_not_open(path)
    remove_stale_temporaries(path)
    merged = merge_report(Package.from_bytes(read.data), report, input_titles)
    return replace_if_unchanged(path, merged.to_bytes(), read)


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
        widths = plain_widths(rows)
        for col_index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col_index)].width = width
        set_plain_page_setup(ws, sum(widths))
    for (title, row_index, col_index), number_format in (formats or {}).items():
        wb[title].cell(row=row_index + 1, column=col_index + 1).number_format = number_format
    path = Path(path)
    # The package is re-zipped with fixed entry times, so the same rows give the same bytes.
    data = Package.from_bytes(workbook_bytes(wb)).to_bytes()
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644  # a new file: the usual rw-r--r--
    with temporary_beside(path, data, mode) as temporary:
        temporary.replace(path)
    sync_folder(path.parent)


def set_plain_page_setup(ws: Worksheet, width: int) -> None:
    """Print a plain tab one page wide on A4, landscape when its columns are wider than a portrait
    page holds, with its header row repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0 = any number of pages
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


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
    """One plain value: text stays text, anything else as openpyxl stores it; headers bold. Body text is
    indented one step, so it never touches a number right-aligned in the column to its left."""
    if isinstance(value, str):
        write_text(cell, value)
        if not header:
            cell.alignment = PLAIN_TEXT
    else:
        cell.value = value
    cell.font = HEADER_FONT if header else BODY_FONT
