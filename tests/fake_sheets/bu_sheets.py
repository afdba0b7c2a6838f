"""batchUpdate subrequests on sheets, spreadsheet properties and dimensions."""

from __future__ import annotations

import copy
from typing import Any

from tests.fake_sheets import grid, limits, masks, normalize
from tests.fake_sheets.errors import Invalid
from tests.fake_sheets.schema import unknown_mask_paths
from tests.fake_sheets.state import DEFAULT_COLUMNS, DEFAULT_ROWS, Sheet, Spreadsheet, new_sheet


def parse_fields(payload: dict[str, Any], schema: str) -> masks.Mask:
    """Parse a subrequest's required `fields` mask and check every path names a field of `schema`."""
    text = payload.get("fields")
    if not text:
        raise Invalid("At least one field must be specified in 'fields'.")
    try:
        tree = masks.parse(text)
    except masks.MaskError:
        raise Invalid(f"Invalid field mask: {text}") from None
    bad = unknown_mask_paths(schema, masks.paths(tree))
    if bad:
        raise Invalid(f"Invalid field mask path: {bad[0]}")
    return tree


def _check_title(book: Spreadsheet, title: str, except_id: int | None = None) -> None:
    """Titles are unique, compared case-insensitively as Google does (`Итоги` clashes with `итоги`)."""
    if not title.strip():
        raise Invalid("Sheet title must not be empty.")
    for sheet in book.sheets:
        if sheet.title.casefold() == title.casefold() and sheet.sheet_id != except_id:
            raise Invalid(f'A sheet with the name "{title}" already exists. Please enter another name.')


def add_sheet(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """addSheet: optional chosen sheetId (must be new), unique title, optional index and grid size."""
    props = copy.deepcopy(payload.get("properties", {}))
    sheet_id = int(props["sheetId"]) if "sheetId" in props else book.new_id()
    if any(s.sheet_id == sheet_id for s in book.sheets):
        raise Invalid(f"A sheet with the id {sheet_id} already exists. Please enter another id.")
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    _check_title(book, title)
    index = int(props.get("index", len(book.sheets)))
    size = props.get("gridProperties", {})
    sheet = new_sheet(
        sheet_id,
        title,
        index,
        int(size.get("rowCount", DEFAULT_ROWS)),
        int(size.get("columnCount", DEFAULT_COLUMNS)),
    )
    for key, value in props.items():
        if key not in ("sheetId", "title", "index", "gridProperties"):
            sheet.properties[key] = value
    sheet.properties["gridProperties"].update(
        {k: v for k, v in size.items() if k not in ("rowCount", "columnCount")}
    )
    normalize.sheet_properties(sheet.properties)
    for other in book.sheets:
        if other.properties["index"] >= index:
            other.properties["index"] += 1
    book.sheets.append(sheet)
    book.reindex()
    return {"properties": copy.deepcopy(sheet.properties)}


def delete_sheet(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """deleteSheet: the last sheet cannot go."""
    sheet = book.sheet_by_id(int(payload.get("sheetId", 0)))
    if len(book.sheets) == 1:
        raise Invalid("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()


def update_sheet_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """updateSheetProperties with a field mask; resizing drops cells beyond the new edge.

    `index` moves the sheet only when the mask names it, in Google's "before the move" indexes (with
    S1, S2, S3, moving S1 ahead of S3 takes index 2); a masked but absent index moves it to the end.
    A new rowCount is applied (and checked against the cell limit) before a new columnCount, as Google does.
    """
    tree = parse_fields(payload, "SheetProperties")
    source = payload.get("properties", {})
    sheet = book.sheet_by_id(int(source.get("sheetId", 0)))
    updated = copy.deepcopy(sheet.properties)
    masks.apply_update(updated, source, tree)
    updated["sheetId"] = sheet.sheet_id
    if updated.get("title") != sheet.title:
        _check_title(book, str(updated.get("title", "")), sheet.sheet_id)
    size = updated.setdefault("gridProperties", {})
    size.setdefault("rowCount", sheet.rows)
    size.setdefault("columnCount", sheet.columns)
    if (
        size.get("frozenRowCount", 0) > size["rowCount"]
        or size.get("frozenColumnCount", 0) > size["columnCount"]
    ):
        raise Invalid("Frozen rows/columns must be fewer than the grid size.")
    if updated.get("hidden") and all(s.properties.get("hidden") or s is sheet for s in book.sheets):
        raise Invalid("You can't hide all the sheets in a document.")
    rows, columns = size["rowCount"], size["columnCount"]
    before = limits.cell_count(book)
    rows_first = before + (rows - sheet.rows) * sheet.columns
    if limits.too_many(before, rows_first, book.cell_limit):
        raise Invalid(limits.cells_message(book.cell_limit))
    position = book.sheets.index(sheet)
    sheet.properties = normalize.sheet_properties(updated)
    sheet.properties["index"] = position
    grid.resize(sheet, "ROWS", rows)
    grid.resize(sheet, "COLUMNS", columns)
    if "*" in tree or "index" in tree:
        _move(book, sheet, int(source["index"]) if "index" in source else len(book.sheets))


def _move(book: Spreadsheet, sheet: Sheet, index: int) -> None:
    """Move a sheet to `index` in "before the move" indexes, renumbering every sheet.

    Google ignores a move to the current index or to the current index + 1 (both leave it in place).
    """
    if index < 0:
        raise Invalid(f"Invalid index: {index}")
    old = book.sheets.index(sheet)
    book.sheets.remove(sheet)
    book.sheets.insert(min(index - 1 if index > old else index, len(book.sheets)), sheet)
    for position, each in enumerate(book.sheets):
        each.properties["index"] = position


def update_spreadsheet_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """updateSpreadsheetProperties with a field mask."""
    tree = parse_fields(payload, "SpreadsheetProperties")
    masks.apply_update(book.properties, payload.get("properties", {}), tree)


def append_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """appendDimension: add `length` rows or columns at the end."""
    sheet = book.sheet_by_id(int(payload.get("sheetId", 0)))
    length = int(payload.get("length", 0))
    if length < 1:
        raise Invalid("length must be at least 1")
    dimension = payload.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise Invalid("dimension must be ROWS or COLUMNS")
    key = "rowCount" if dimension == "ROWS" else "columnCount"
    sheet.properties["gridProperties"][key] += length


def insert_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """insertDimension: new empty rows/columns at [start, end); later content moves down/right."""
    dim = payload.get("range", {})
    sheet = book.sheet_by_id(int(dim.get("sheetId", 0)))
    size = sheet.rows if dim.get("dimension") == "ROWS" else sheet.columns
    start, end = int(dim.get("startIndex", 0)), int(dim.get("endIndex", 0))
    if dim.get("dimension") not in ("ROWS", "COLUMNS") or start < 0 or end <= start or start > size:
        raise Invalid(f"Invalid dimension range [{start}, {end})")
    grid.shift(sheet, dim["dimension"], start, end - start)


def delete_dimension(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """deleteDimension: remove rows/columns [start, end); at least one must remain."""
    sheet, dimension, start, end = grid.dimension_bounds(book, payload.get("range", {}))
    size = sheet.rows if dimension == "ROWS" else sheet.columns
    if end - start >= size:
        raise Invalid("You can't delete all the rows/columns on the sheet.")
    grid.shift(sheet, dimension, start, start - end)


def update_dimension_properties(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """updateDimensionProperties (pixelSize, hiddenByUser, ...) with a field mask."""
    tree = parse_fields(payload, "DimensionProperties")
    sheet, dimension, start, end = grid.dimension_bounds(book, payload.get("range", {}))
    meta = sheet.row_metadata if dimension == "ROWS" else sheet.column_metadata
    for index in range(start, end):
        entry = meta.setdefault(index, {})
        masks.apply_update(entry, payload.get("properties", {}), tree)
        if not entry:
            del meta[index]


def auto_resize_dimensions(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """autoResizeDimensions: a no-op here beyond checking the range (the fake has no fonts)."""
    if "dimensions" in payload:
        grid.dimension_bounds(book, payload["dimensions"])


HANDLERS = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
}
