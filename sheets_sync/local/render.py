"""Render the report's result tabs with openpyxl into a package of their own, never into the user's.

openpyxl draws everything a result tab has (:mod:`.result`: fonts, widths, formats, links, notes,
highlights, charts, page setup); the parts it writes are then merged into the user's package
(:mod:`.merge`), so openpyxl never loads or re-saves what the user made. Numbers are written with every
digit they have (openpyxl alone writes ``%.16g``).
"""

from __future__ import annotations

import contextlib
import io
import math
import threading
from collections.abc import Iterator
from typing import Any
from zipfile import ZipFile

from openpyxl import Workbook
from openpyxl.cell import _writer as openpyxl_cell_writer
from openpyxl.writer.excel import ExcelWriter

from formulas.report.model import ResultTab
from sheets_sync.local.package import Package
from sheets_sync.local.result import render_result_tab

# exact_numbers swaps a function of openpyxl's module for the whole process: two threads writing at
# once would restore it under each other's feet, and one would write %.16g numbers.
_WRITING = threading.Lock()


def render_tabs(tabs: list[ResultTab]) -> Package:
    """A package holding one worksheet per result tab, in order (``xl/worksheets/sheetN.xml``), and the
    stylesheet they use."""
    wb = Workbook()
    wb.remove(wb.active)
    for tab in tabs:
        ws = wb.create_sheet(tab.title)
        render_result_tab(ws, tab)
        if tab.locked:
            # PRODUCT.md section 3a: Closed months is sheet-protected in a local file (no password:
            # the protection says "do not type here", the SHA-256 of the frozen lines catches tampering).
            ws.protection.sheet = True
    if not tabs:  # openpyxl writes no workbook without a tab; the stylesheet is all a caller uses then
        wb.create_sheet("-")
    return Package.from_bytes(workbook_bytes(wb))


def workbook_bytes(wb: Workbook) -> bytes:
    """An openpyxl workbook as package bytes (entry times are not fixed here: the parts are what count)."""
    buffer = io.BytesIO()
    # The zip is closed even when openpyxl fails midway, so it never closes on a dead buffer.
    with _WRITING, ZipFile(buffer, "w") as archive, exact_numbers():
        ExcelWriter(wb, archive).write_data()
    return buffer.getvalue()


@contextlib.contextmanager
def exact_numbers() -> Iterator[None]:
    """Write every number with all the digits it has.

    openpyxl formats floats with ``%.16g``, so 0.30000000000000004 would be written as 0.3. ``repr`` is
    Python's shortest text that reads back as exactly the same float.
    """
    original = openpyxl_cell_writer.safe_string

    def exact(value: Any) -> str:
        """A finite float with every digit; anything else as openpyxl writes it."""
        if isinstance(value, float) and math.isfinite(value):
            return repr(float(value))  # float(): numpy floats repr as "np.float64(…)"
        return original(value)

    openpyxl_cell_writer.safe_string = exact
    try:
        yield
    finally:
        openpyxl_cell_writer.safe_string = original
