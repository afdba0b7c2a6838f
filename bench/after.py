"""The cells the spreadsheet holds after the write, from read 1's grids and the ``batchUpdate`` bodies sent.

Google allows 10 000 000 cells per spreadsheet, every tab's grid counted, empty cells included
(PRODUCT.md section 7), and checks after every subrequest. :func:`cells_after` replays the subrequests
that change a grid's size or add or remove a tab (``addSheet``, ``deleteSheet``, ``duplicateSheet``,
``updateSheetProperties`` of the grid size, ``appendDimension``, ``insertDimension``,
``deleteDimension``) over the grids read 1 described, and reports the total after the write and the
highest total on the way (a staged write holds the old and the new result tabs until its last request).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bench.responses import Grid

DEFAULT_GRID = (1000, 26)  # rows and columns of a tab added without a size


@dataclass(frozen=True)
class Cells:
    """Cells after the write, the peak during it, and the tabs after it (title -> cells), largest first."""

    after: int
    peak: int
    tabs: list[tuple[str, int]]


def cells_after(grids: list[Grid], bodies: list[bytes]) -> Cells:
    """Replay the size-changing subrequests of ``bodies`` (in order) over ``grids``."""
    sheets: dict[int, list[Any]] = {grid.sheet_id: [grid.title, grid.rows, grid.columns] for grid in grids}
    peak = _total(sheets)
    for body in bodies:
        for request in json.loads(body).get("requests", []):
            _apply(sheets, request)
            peak = max(peak, _total(sheets))
    tabs = sorted(((title, rows * cols) for title, rows, cols in sheets.values()), key=lambda item: -item[1])
    return Cells(_total(sheets), peak, tabs)


def _total(sheets: dict[int, list[Any]]) -> int:
    """Every tab's rows × columns."""
    return sum(rows * cols for _, rows, cols in sheets.values())


def _apply(sheets: dict[int, list[Any]], request: dict[str, Any]) -> None:
    """Change ``sheets`` as one subrequest changes the spreadsheet's grids."""
    (kind, spec), = request.items()
    if kind == "addSheet":
        properties = spec.get("properties", {})
        grid = properties.get("gridProperties", {})
        sheet_id = properties.get("sheetId", min([0, *sheets]) - 1)
        sheets[sheet_id] = [properties.get("title", ""), grid.get("rowCount", DEFAULT_GRID[0]),
                            grid.get("columnCount", DEFAULT_GRID[1])]
    elif kind == "deleteSheet":
        sheets.pop(spec["sheetId"], None)
    elif kind == "duplicateSheet":
        sheets[spec.get("newSheetId", min([0, *sheets]) - 1)] = list(sheets[spec["sourceSheetId"]])
    elif kind == "updateSheetProperties":
        _update(sheets[spec["properties"].get("sheetId", 0)], spec["properties"], spec.get("fields", ""))
    elif kind == "appendDimension":
        _grow(sheets[spec.get("sheetId", 0)], spec["dimension"], spec["length"])
    elif kind in ("insertDimension", "deleteDimension"):
        span = spec["range"]
        length = span["endIndex"] - span.get("startIndex", 0)
        _grow(sheets[span.get("sheetId", 0)], span["dimension"], length if kind == "insertDimension" else -length)


def _update(sheet: list[Any], properties: dict[str, Any], fields: str) -> None:
    """``updateSheetProperties``: the title and grid size its field mask names."""
    names = {name.strip() for name in fields.split(",")}
    whole = "*" in names
    grid = properties.get("gridProperties", {})
    if whole or "title" in names:
        sheet[0] = properties.get("title", sheet[0])
    for index, key in ((1, "rowCount"), (2, "columnCount")):
        if whole or "gridProperties" in names or f"gridProperties.{key}" in names:
            sheet[index] = grid.get(key, sheet[index])


def _grow(sheet: list[Any], dimension: str, length: int) -> None:
    """Add (or, negative, remove) rows or columns."""
    sheet[1 if dimension == "ROWS" else 2] += length
