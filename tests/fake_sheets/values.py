"""The values API: resolve A1 ranges against a spreadsheet, read 2-D arrays, write rows of values.

Reads clamp open or oversize ranges to the grid and trim exactly as the recorded responses do:
trailing empty cells of each row and trailing empty rows are dropped, an empty row inside the data is
`[]`, and a range with no data has no `values` key at all. Writes outside the grid are a 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.fake_sheets import a1, entry, normalize
from tests.fake_sheets.cells import rendered
from tests.fake_sheets.errors import ApiError
from tests.fake_sheets.state import Sheet, Spreadsheet


@dataclass(frozen=True)
class Bounds:
    """A closed, in-grid rectangle on one sheet (half-open indices)."""

    sheet: Sheet
    row0: int
    row1: int
    col0: int
    col1: int

    def a1(self) -> str:
        """The range as Google echoes it (`Sheet1!A1:D2`)."""
        return a1.format_range(self.sheet.title, self.row0, self.row1, self.col0, self.col1)


def _parsed(book: Spreadsheet, text: str) -> tuple[Any, Any]:
    """The parsed A1 range and its sheet; Google's 400 'Unable to parse range' when either is wrong."""
    try:
        parsed = a1.parse(text, [s.title for s in book.sheets])
    except a1.A1Error:
        raise ApiError.invalid(f"Unable to parse range: {text}") from None
    sheet = book.sheet_by_title(parsed.sheet)
    if sheet is None:
        raise ApiError.invalid(f"Unable to parse range: {text}")
    return parsed, sheet


def resolve(book: Spreadsheet, text: str) -> Bounds:
    """Parse an A1 range and clamp it to its sheet's grid; 400 'Unable to parse range' otherwise."""
    parsed, sheet = _parsed(book, text)
    row0, col0 = parsed.row0 or 0, parsed.col0 or 0
    row1 = sheet.rows if parsed.row1 is None else min(parsed.row1, sheet.rows)
    col1 = sheet.columns if parsed.col1 is None else min(parsed.col1, sheet.columns)
    return Bounds(sheet, min(row0, row1), row1, min(col0, col1), col1)


def read(bounds: Bounds, render: str, date_render: str, major: str = "ROWS") -> list[list[Any]]:
    """The trimmed 2-D array of rendered values in `bounds` (majorDimension ROWS or COLUMNS)."""
    grid = [
        [_value(bounds.sheet, r, c, render, date_render) for c in range(bounds.col0, bounds.col1)]
        for r in range(bounds.row0, bounds.row1)
    ]
    if major == "COLUMNS":
        grid = [list(column) for column in zip(*grid, strict=True)] if grid else []
    return _trim(grid)


def _value(sheet: Sheet, row: int, col: int, render: str, date_render: str) -> Any:
    """One rendered cell value, None when empty."""
    cell = sheet.cells.get((row, col))
    return rendered(cell, render, date_render) if cell else None


def _trim(grid: list[list[Any]]) -> list[list[Any]]:
    """Drop trailing empties per row and trailing empty rows; inner empties become ''."""
    rows: list[list[Any]] = []
    for line in grid:
        end = len(line)
        while end and line[end - 1] is None:  # an index, not slices: a column may end in a million empties
            end -= 1
        rows.append(["" if v is None else v for v in line[:end]])
    while rows and not rows[-1]:
        rows.pop()
    return rows


def value_range(bounds: Bounds, render: str, date_render: str, major: str) -> dict[str, Any]:
    """A ValueRange response: `range`, `majorDimension` and `values` only when there is data."""
    out: dict[str, Any] = {"range": bounds.a1(), "majorDimension": major}
    data = read(bounds, render, date_render, major)
    if data:
        out["values"] = data
    return out


def write(book: Spreadsheet, text: str, values: list[list[Any]], major: str, user_entered: bool) -> dict:
    """Write rows of values from the range's top-left corner; return an UpdateValuesResponse."""
    bounds = resolve_for_write(book, text)
    rows = [list(col) for col in zip(*values, strict=False)] if major == "COLUMNS" else values
    height, width = len(rows), max((len(r) for r in rows), default=0)
    if bounds.row0 + height > bounds.sheet.rows or bounds.col0 + width > bounds.sheet.columns:
        raise ApiError.invalid(
            _grid_message(bounds.sheet, bounds.row0, bounds.row0 + height, bounds.col0, bounds.col0 + width)
        )
    single_cell = (bounds.row1 - bounds.row0, bounds.col1 - bounds.col0) == (1, 1)
    # A one-cell range is only the top-left anchor (gspread writes blocks to `A1`); others bound the data.
    if not single_cell and (height > bounds.row1 - bounds.row0 or width > bounds.col1 - bounds.col0):
        where = (
            ("row", bounds.row0 + height)
            if height > bounds.row1 - bounds.row0
            else ("column", a1.column_letters(bounds.col0 + width - 1))
        )
        raise ApiError.invalid(
            f"Requested writing within range [{text}], but tried writing to {where[0]} [{where[1]}]"
        )
    convert = entry.user_entered if user_entered else entry.raw
    for i, line in enumerate(rows):
        for j, value in enumerate(line):
            if value is None:
                continue  # null leaves the cell unchanged
            _set_value(bounds.sheet, bounds.row0 + i, bounds.col0 + j, convert(value))
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if height and width:
        done = Bounds(bounds.sheet, bounds.row0, bounds.row0 + height, bounds.col0, bounds.col0 + width)
        out.update(
            updatedRange=done.a1(),
            updatedRows=height,
            updatedColumns=width,
            updatedCells=sum(len(r) for r in rows),
        )
    else:
        out["updatedRange"] = bounds.a1()
    return out


def resolve_for_write(book: Spreadsheet, text: str) -> Bounds:
    """Like `resolve` but a range reaching past the grid is Google's 'exceeds grid limits' 400."""
    parsed, sheet = _parsed(book, text)
    row1 = sheet.rows if parsed.row1 is None else parsed.row1
    col1 = sheet.columns if parsed.col1 is None else parsed.col1
    if row1 > sheet.rows or col1 > sheet.columns:
        raise ApiError.invalid(_grid_message(sheet, parsed.row0 or 0, row1, parsed.col0 or 0, col1))
    return Bounds(sheet, parsed.row0 or 0, row1, parsed.col0 or 0, col1)


def _grid_message(sheet: Sheet, row0: int, row1: int, col0: int, col1: int) -> str:
    """Google's wording for a write outside the grid."""
    where = a1.format_range(sheet.title, row0, max(row1, row0 + 1), col0, max(col1, col0 + 1))
    return f"Range ({where}) exceeds grid limits. Max rows: {sheet.rows}, max columns: {sheet.columns}"


def _set_value(sheet: Sheet, row: int, col: int, data: dict[str, Any]) -> None:
    """Replace a cell's value (keeping its other fields); a typed format only fills an unset one."""
    cell = dict(sheet.cells.get((row, col), {}))
    cell.pop("userEnteredValue", None)
    if "userEnteredValue" in data:
        cell["userEnteredValue"] = data["userEnteredValue"]
    if "userEnteredFormat" in data and "numberFormat" not in cell.get("userEnteredFormat", {}):
        cell["userEnteredFormat"] = {**cell.get("userEnteredFormat", {}), **data["userEnteredFormat"]}
    put_cell(sheet, row, col, cell)


def put_cell(sheet: Sheet, row: int, col: int, cell: dict[str, Any]) -> None:
    """Store a cell, dropping it from the sparse map when nothing is left in it.

    An empty note or empty string value is no content (Google omits both), formats are normalised.
    """
    cleaned = {k: v for k, v in cell.items() if v not in (None, {}, [], "")}
    if cleaned.get("userEnteredValue") == {"stringValue": ""}:
        del cleaned["userEnteredValue"]
    if "userEnteredFormat" in cleaned:
        cleaned["userEnteredFormat"] = normalize.cell_format(cleaned["userEnteredFormat"])
        if not cleaned["userEnteredFormat"]:
            del cleaned["userEnteredFormat"]
    if cleaned:
        sheet.cells[(row, col)] = cleaned
    else:
        sheet.cells.pop((row, col), None)


def clear(book: Spreadsheet, text: str) -> dict[str, Any]:
    """values.clear: remove values (formats stay) in the range; return ClearValuesResponse."""
    bounds = resolve(book, text)
    for (row, col), cell in list(bounds.sheet.cells.items()):
        if bounds.row0 <= row < bounds.row1 and bounds.col0 <= col < bounds.col1:
            put_cell(bounds.sheet, row, col, {k: v for k, v in cell.items() if k != "userEnteredValue"})
    return {"spreadsheetId": book.spreadsheet_id, "clearedRange": bounds.a1()}
