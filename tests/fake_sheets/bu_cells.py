"""batchUpdate subrequests that write cells: updateCells, repeatCell, setDataValidation, merges."""

from __future__ import annotations

import copy
from typing import Any

from tests.fake_sheets import grid, masks, normalize
from tests.fake_sheets.bu_sheets import parse_fields
from tests.fake_sheets.errors import Invalid
from tests.fake_sheets.state import Sheet, Spreadsheet
from tests.fake_sheets.values import put_cell

# Output-only CellData fields: Google ignores them on input, so they are never stored.
READ_ONLY = ("effectiveValue", "formattedValue", "effectiveFormat", "hyperlink")


def _write(sheet: Sheet, row: int, col: int, source: dict[str, Any], tree: masks.Mask) -> None:
    """Apply the masked fields of `source` CellData to one cell."""
    cell = copy.deepcopy(sheet.cells.get((row, col), {}))
    masks.apply_update(cell, {k: v for k, v in source.items() if k not in READ_ONLY}, tree)
    for key in READ_ONLY:
        cell.pop(key, None)
    put_cell(sheet, row, col, cell)


def update_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """updateCells with `range` or `start`.

    With a `range`, every cell of the range that `rows` does not cover gets the masked fields cleared
    (GOOGLE_FACTS.md: writing and clearing a tab is one subrequest). With `start`, only covered cells
    change. Data reaching past the grid is Invalid.
    """
    if ("range" in payload) == ("start" in payload):
        raise Invalid("Exactly one of 'range' or 'start' must be set.")
    tree = parse_fields(payload, "CellData")
    rows = payload.get("rows", [])
    if "range" in payload:
        sheet, row0, row1, col0, col1 = grid.grid_bounds(book, payload["range"])
    else:
        start = payload["start"]
        sheet = book.sheet_by_id(int(start.get("sheetId", 0)))
        row0, col0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        row1 = row0 + len(rows)
        col1 = col0 + max((len(r.get("values", [])) for r in rows), default=0)
        if row1 > sheet.rows or col1 > sheet.columns:
            raise Invalid(
                f"Data written to '{sheet.title}' exceeds grid limits. "
                f"Max rows: {sheet.rows}, max columns: {sheet.columns}"
            )
    for i in range(row0, row1):
        line = rows[i - row0].get("values", []) if i - row0 < len(rows) else None
        for j in range(col0, col1):
            covered = line is not None and j - col0 < len(line)
            if covered:
                _write(sheet, i, j, line[j - col0], tree)
            elif "range" in payload:
                _write(sheet, i, j, {}, tree)


def repeat_cell(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """repeatCell: the same masked CellData on every cell of the range."""
    tree = parse_fields(payload, "CellData")
    sheet, row0, row1, col0, col1 = grid.grid_bounds(book, payload.get("range", {}))
    source = payload.get("cell", {})
    for i in range(row0, row1):
        for j in range(col0, col1):
            _write(sheet, i, j, source, tree)


def set_data_validation(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """setDataValidation: set (or, without `rule`, clear) the rule on every cell of the range."""
    sheet, row0, row1, col0, col1 = grid.grid_bounds(book, payload.get("range", {}))
    rule = payload.get("rule")
    if rule is not None and not rule.get("condition", {}).get("type"):
        raise Invalid("A data validation rule needs a condition type.")
    source = {"dataValidation": rule} if rule else {}
    for i in range(row0, row1):
        for j in range(col0, col1):
            _write(sheet, i, j, source, {"dataValidation": None})


def merge_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """mergeCells: MERGE_ALL is one merge, MERGE_ROWS one per row, MERGE_COLUMNS one per column."""
    sheet, row0, row1, col0, col1 = grid.grid_bounds(book, payload.get("range", {}))
    # A new merge absorbs the merges it overlaps (the recorded MERGE_ROWS then MERGE_ALL succeeds).
    sheet.merges = [
        m
        for m in sheet.merges
        if not (
            m["startRowIndex"] < row1
            and row0 < m["endRowIndex"]
            and m["startColumnIndex"] < col1
            and col0 < m["endColumnIndex"]
        )
    ]
    kind = payload.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ROWS":
        parts = [(r, r + 1, col0, col1) for r in range(row0, row1)]
    elif kind == "MERGE_COLUMNS":
        parts = [(row0, row1, c, c + 1) for c in range(col0, col1)]
    else:
        parts = [(row0, row1, col0, col1)]
    for r0, r1, c0, c1 in parts:
        sheet.merges.append(
            normalize.grid_range(
                {
                    "sheetId": sheet.sheet_id,
                    "startRowIndex": r0,
                    "endRowIndex": r1,
                    "startColumnIndex": c0,
                    "endColumnIndex": c1,
                }
            )
        )


def unmerge_cells(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """unmergeCells: drop every merge inside the range."""
    sheet, row0, row1, col0, col1 = grid.grid_bounds(book, payload.get("range", {}))
    sheet.merges = [
        m
        for m in sheet.merges
        if not (
            row0 <= m["startRowIndex"]
            and m["endRowIndex"] <= row1
            and col0 <= m["startColumnIndex"]
            and m["endColumnIndex"] <= col1
        )
    ]


HANDLERS = {
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "setDataValidation": set_data_validation,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
}
