"""`spreadsheets.get`: render a Spreadsheet in Google's JSON, with grid data, `ranges` and field masks.

Empty repeated fields are omitted (proto3 JSON), sheet-level lists appear only when non-empty, and
grid data carries `userEnteredValue`, `effectiveValue`, `formattedValue`, `userEnteredFormat`,
`note`, `hyperlink`, `textFormatRuns` and `dataValidation` (no `effectiveFormat`).
"""

from __future__ import annotations

import copy
from typing import Any

from tests.fake_sheets import cells, masks
from tests.fake_sheets.state import Sheet, Spreadsheet
from tests.fake_sheets.values import Bounds, resolve

ROW_PIXELS, COLUMN_PIXELS = 21, 100


def spreadsheet(book: Spreadsheet, include_grid: bool, ranges: list[str], fields: str | None) -> dict:
    """The full `spreadsheets.get` response for the given query."""
    tree = masks.parse(fields) if fields else None
    # "includeGridData ... is ignored if a field mask was set": the mask decides then.
    wants_data = _mask_wants_data(tree) if tree is not None else include_grid
    selected = [resolve(book, text) for text in ranges]
    sheets = [s for s in book.sheets if not selected or any(b.sheet is s for b in selected)]
    out: dict[str, Any] = {
        "spreadsheetId": book.spreadsheet_id,
        "properties": copy.deepcopy(book.properties),
        "sheets": [_sheet(s, [b for b in selected if b.sheet is s], wants_data) for s in sheets],
    }
    if book.named_ranges:
        out["namedRanges"] = copy.deepcopy(book.named_ranges)
    if book.developer_metadata:
        out["developerMetadata"] = copy.deepcopy(book.developer_metadata)
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit"
    if tree is None:
        return out
    projected = masks.project(out, tree)
    for sheet in projected.get("sheets", []):
        for data in sheet.get("data", []):
            _prune_grid(data)
    return projected


def _mask_wants_data(tree: masks.Mask) -> bool:
    """True when the mask selects `sheets.data` (or all of `sheets`)."""
    if "*" in tree or ("sheets" in tree and tree["sheets"] is None):
        return True
    sub = tree.get("sheets")
    return isinstance(sub, dict) and ("data" in sub or "*" in sub)


def _sheet(sheet: Sheet, selected: list[Bounds], wants_data: bool) -> dict[str, Any]:
    """One entry of `sheets`: properties, optional grid data, and the non-empty object lists."""
    out: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
    if wants_data:
        full = [Bounds(sheet, 0, sheet.rows, 0, sheet.columns)]
        out["data"] = [_grid(sheet, b) for b in (selected or full)]
    for key, items in (
        ("merges", sheet.merges),
        ("conditionalFormats", sheet.conditional_formats),
        ("protectedRanges", sheet.protected_ranges),
        ("developerMetadata", sheet.developer_metadata),
        ("charts", sheet.charts),
    ):
        if items:
            out[key] = copy.deepcopy(items)
    return out


def _grid(sheet: Sheet, bounds: Bounds) -> dict[str, Any]:
    """GridData for a rectangle: rowData trimmed like values, plus row/column metadata."""
    data: dict[str, Any] = {}
    if bounds.row0:
        data["startRow"] = bounds.row0
    if bounds.col0:
        data["startColumn"] = bounds.col0
    rows = _row_data(sheet, bounds)
    data["rowData"] = rows
    _prune_grid(data)
    data["rowMetadata"] = [
        _dimension(sheet.row_metadata, i, ROW_PIXELS) for i in range(bounds.row0, bounds.row1)
    ]
    data["columnMetadata"] = [
        _dimension(sheet.column_metadata, i, COLUMN_PIXELS) for i in range(bounds.col0, bounds.col1)
    ]
    return data


def _row_data(sheet: Sheet, bounds: Bounds) -> list[dict[str, Any]]:
    """RowData up to the last stored cell (only stored cells are visited: grids are mostly empty)."""
    by_row: dict[int, dict[int, dict[str, Any]]] = {}
    for (r, c), cell in sheet.cells.items():
        if bounds.row0 <= r < bounds.row1 and bounds.col0 <= c < bounds.col1:
            by_row.setdefault(r, {})[c] = cell
    last = max(by_row, default=bounds.row0 - 1)
    rows: list[dict[str, Any]] = []
    for r in range(bounds.row0, last + 1):
        line = by_row.get(r, {})
        width = max(line, default=bounds.col0 - 1) + 1 - bounds.col0
        rows.append(
            {
                "values": [
                    cell_data(line[bounds.col0 + j]) if bounds.col0 + j in line else {} for j in range(width)
                ]
            }
        )
    return rows


def _dimension(stored: dict[int, dict[str, Any]], index: int, pixels: int) -> dict[str, Any]:
    """DimensionProperties of one row or column (default pixel size unless set)."""
    return {"pixelSize": pixels, **copy.deepcopy(stored.get(index, {}))}


def cell_data(cell: dict[str, Any]) -> dict[str, Any]:
    """CellData as Google returns it: stored fields plus computed effective/formatted value."""
    out = copy.deepcopy(cell)
    value = cells.effective_value(cell)
    if value is not None:
        out["effectiveValue"] = value
        out["formattedValue"] = cells.formatted(cell)
    link = cells.hyperlink(cell)
    if link:
        out["hyperlink"] = link
    return out


def _prune_grid(data: dict[str, Any]) -> None:
    """Drop trailing empty cells and rows (Google omits them), and rowData when nothing is left."""
    rows = data.get("rowData")
    if rows is None:
        return
    for row in rows:
        line = row.get("values", [])
        while line and not line[-1]:
            line.pop()
        if not line:
            row.pop("values", None)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        data.pop("rowData")
