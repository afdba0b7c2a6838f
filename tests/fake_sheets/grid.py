"""GridRange / DimensionRange helpers for batchUpdate subrequests: bounds checks and index shifting."""

from __future__ import annotations

from typing import Any

from tests.fake_sheets.errors import Invalid
from tests.fake_sheets.state import Sheet, Spreadsheet


def grid_bounds(book: Spreadsheet, grid_range: dict[str, Any]) -> tuple[Sheet, int, int, int, int]:
    """Close a GridRange against its sheet (missing ends = grid edge); outside the grid is Invalid."""
    sheet = book.sheet_by_id(int(grid_range.get("sheetId", 0)))
    row0 = int(grid_range.get("startRowIndex", 0))
    row1 = int(grid_range.get("endRowIndex", sheet.rows))
    col0 = int(grid_range.get("startColumnIndex", 0))
    col1 = int(grid_range.get("endColumnIndex", sheet.columns))
    if min(row0, col0) < 0 or row0 > row1 or col0 > col1:
        raise Invalid(f"Invalid range: {grid_range}")
    if row1 > sheet.rows or col1 > sheet.columns:
        raise Invalid(
            f"Range ('{sheet.title}'!R{row0 + 1}C{col0 + 1}:R{row1}C{col1}) exceeds grid limits. "
            f"Max rows: {sheet.rows}, max columns: {sheet.columns}"
        )
    return sheet, row0, row1, col0, col1


def dimension_bounds(book: Spreadsheet, dim_range: dict[str, Any]) -> tuple[Sheet, str, int, int]:
    """Close a DimensionRange: (sheet, ROWS|COLUMNS, start, end); outside the grid is Invalid."""
    sheet = book.sheet_by_id(int(dim_range.get("sheetId", 0)))
    dimension = dim_range.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise Invalid("dimension must be ROWS or COLUMNS")
    size = sheet.rows if dimension == "ROWS" else sheet.columns
    start, end = int(dim_range.get("startIndex", 0)), int(dim_range.get("endIndex", size))
    if start < 0 or start >= end or end > size:
        raise Invalid(f"Invalid dimension range [{start}, {end}) for a grid of {size} {dimension.lower()}")
    return sheet, dimension, start, end


def resize(sheet: Sheet, dimension: str, size: int) -> None:
    """Set the row or column count, dropping cells and metadata beyond the new edge."""
    key = "rowCount" if dimension == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] = size
    axis = 0 if dimension == "ROWS" else 1
    sheet.cells = {rc: cell for rc, cell in sheet.cells.items() if rc[axis] < size}
    meta = sheet.row_metadata if dimension == "ROWS" else sheet.column_metadata
    for index in [i for i in meta if i >= size]:
        del meta[index]


def shift(sheet: Sheet, dimension: str, at: int, delta: int) -> None:
    """Insert (delta > 0) or delete (delta < 0, the span [at, at-delta)) rows/columns of a sheet.

    Cells, dimension metadata and every GridRange of the sheet's objects move with the grid.
    """
    axis = 0 if dimension == "ROWS" else 1
    moved: dict[tuple[int, int], dict[str, Any]] = {}
    for rc, cell in sheet.cells.items():
        index = rc[axis]
        if delta < 0 and at <= index < at - delta:
            continue
        new = index + delta if index >= at else index
        moved[(new, rc[1]) if axis == 0 else (rc[0], new)] = cell
    sheet.cells = moved
    meta = sheet.row_metadata if dimension == "ROWS" else sheet.column_metadata
    kept = {
        (i + delta if i >= at else i): v for i, v in meta.items() if not (delta < 0 and at <= i < at - delta)
    }
    meta.clear()
    meta.update(kept)
    key = "rowCount" if dimension == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += delta
    names = ("startRowIndex", "endRowIndex") if axis == 0 else ("startColumnIndex", "endColumnIndex")
    for holder in (sheet.conditional_formats, sheet.protected_ranges, sheet.merges, sheet.developer_metadata):
        _shift_ranges(holder, names, at, delta)


def _shift_ranges(node: Any, names: tuple[str, str], at: int, delta: int) -> None:
    """Move the start/end indices of every GridRange-like dict found under `node`."""
    if isinstance(node, list):
        for item in node:
            _shift_ranges(item, names, at, delta)
        return
    if not isinstance(node, dict):
        return
    for name in names:
        if name in node and node[name] >= at:
            node[name] = max(at, node[name] + delta)
    for value in node.values():
        _shift_ranges(value, names, at, delta)
