"""Read a local .xlsx workbook into :class:`formulas.raw.RawWorkbook`: raw values plus number formats.

Values are what openpyxl gives (``str``, ``int``, ``float``, ``bool``, ``datetime``/``date``/``time``,
``None``); a formula cell reads as its cached result, or ``None`` when the file holds none (a file
written by a tool that does not compute formulas). The sheet is streamed in openpyxl's read-only mode;
its stored dimensions are ignored because some generators write them wrong, and trailing empty rows
and columns are trimmed so every row of a tab has the same length.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook

from formulas.raw import RawTab, RawWorkbook

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

GENERAL = "General"


def read_workbook(path: str | Path, input_titles: Callable[[str], bool] | None = None) -> RawWorkbook:
    """Read the tabs of the workbook at ``path`` in workbook order.

    With ``input_titles``, only tabs whose title it accepts are read: result tabs and a user's other
    tabs are never read (PRODUCT.md section 3, "Untouched"). Chart sheets hold no cells and are not
    listed (openpyxl's ``worksheets`` leaves them out).
    """
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return RawWorkbook(
            [_read_tab(ws) for ws in wb.worksheets if input_titles is None or input_titles(ws.title)],
            tuple(wb.sheetnames),
        )
    finally:
        wb.close()  # read-only mode keeps the zip open until closed


def _read_tab(ws: ReadOnlyWorksheet) -> RawTab:
    """One tab's values (trailing empty rows and columns trimmed) and its non-General formats."""
    ws.reset_dimensions()  # trust the cells, not the stored <dimension> (often stale or missing)
    values: list[list[Any]] = []
    formats: dict[tuple[int, int], str] = {}
    for row_index, row in enumerate(ws.iter_rows()):
        row_values = []
        for col_index, cell in enumerate(row):
            value = cell.value
            row_values.append(value)
            # Only filled cells need a format: the core asks which values are percentages.
            if value is not None and cell.number_format != GENERAL:
                formats[(row_index, col_index)] = cell.number_format
        values.append(row_values)
    return _trimmed(ws.title, values, formats)


def _is_empty(value: Any) -> bool:
    """An empty cell: nothing, or an empty string (some generators store those)."""
    return value is None or value == ""


def _trimmed(title: str, values: list[list[Any]], formats: dict[tuple[int, int], str]) -> RawTab:
    """Drop trailing empty rows and columns, pad short rows with ``None``, keep formats inside."""
    height = len(values)
    while height and all(_is_empty(value) for value in values[height - 1]):
        height -= 1
    width = 0
    for row in values[:height]:
        for col in range(len(row) - 1, width - 1, -1):
            if not _is_empty(row[col]):
                width = col + 1
                break
    rows = [row[:width] + [None] * (width - len(row)) for row in values[:height]]
    kept = {(r, c): fmt for (r, c), fmt in formats.items() if r < height and c < width}
    return RawTab(title, rows, kept)
