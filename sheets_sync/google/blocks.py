"""Compact cell blocks: runs of equal cells written once with ``repeatCell``, link styling per block.

PRODUCT.md section 7 asks for a compact write (a 20-manager, 12-month agency under 2.5 MB, where Google
advises 2 MB). Every cell of ``updateCells`` costs about 40 bytes of JSON before its value, and result
tabs repeat a lot down a column: the month of every `Explain` row, a manager's name over their lines,
the same rule link. A run of equal cells is left empty in ``updateCells`` (which clears the whole tab
first) and filled by one ``repeatCell`` over the run: the same cells, a fraction of the bytes. Link
styling (underline, link colour) is likewise one ``repeatCell`` per run of link cells rather than
repeated in every cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from formulas.report.model import Link

REPEAT_COST = 170  # bytes of one repeatCell subrequest around its cell
EMPTY_COST = 3  # bytes of a "{}," left in updateCells where a run was taken out
LINK_COLOR = {"rgbColor": {"red": 0.0667, "green": 0.3333, "blue": 0.8}}
LINK_STYLE_FIELDS = "userEnteredFormat.textFormat.underline,userEnteredFormat.textFormat.foregroundColorStyle"


def run_bounds(values: list[Any]) -> list[tuple[int, int]]:
    """(start, end) of every run of equal consecutive values (end exclusive), found in one array pass."""
    if not values:
        return []
    array = np.empty(len(values), dtype=object)
    array[:] = values
    changes = np.ones(len(values), dtype=bool)
    if len(values) > 1:
        changes[1:] = array[1:] != array[:-1]  # element by element, in numpy's C loop
    starts = np.flatnonzero(changes)
    ends = np.append(starts[1:], len(values))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def take_runs(values: list[Any], built: list[dict[str, Any]], sheet_id: int, col: int,
              first_row: int) -> list[dict[str, Any]]:
    """Replace the runs worth it in ``built`` (one column's CellData) by ``{}`` and return their repeatCells.

    ``values`` are the column's model values (what decides equality); ``first_row`` is the 0-based grid
    row of ``values[0]``. A run is worth it when its cells cost more than one repeatCell plus the empty
    cells left behind.
    """
    requests = []
    for start, end in run_bounds(values):
        count = end - start
        cell = built[start]
        if count < 2 or not cell or count * (_size(values[start]) + 1) <= REPEAT_COST + count * EMPTY_COST:
            continue
        for index in range(start, end):
            built[index] = {}
        grid = {"sheetId": sheet_id, "startRowIndex": first_row + start, "endRowIndex": first_row + end,
                "startColumnIndex": col, "endColumnIndex": col + 1}
        requests.append({"repeatCell": {"range": grid, "cell": cell, "fields": ",".join(cell)}})
    return requests


def link_styles(values: list[Any], sheet_id: int, col: int, first_row: int) -> list[dict[str, Any]]:
    """One repeatCell per run of link cells: underlined, in the link colour, as Sheets shows links."""
    is_link = [isinstance(value, Link) for value in values]
    requests = []
    for start, end in run_bounds(is_link):
        if not is_link[start]:
            continue
        grid = {"sheetId": sheet_id, "startRowIndex": first_row + start, "endRowIndex": first_row + end,
                "startColumnIndex": col, "endColumnIndex": col + 1}
        style = {"userEnteredFormat": {"textFormat": {"underline": True, "foregroundColorStyle": LINK_COLOR}}}
        requests.append({"repeatCell": {"range": grid, "cell": style, "fields": LINK_STYLE_FIELDS}})
    return requests


def _size(value: Any) -> int:
    """About how many bytes one cell holding ``value`` takes in updateCells."""
    if isinstance(value, Link):
        return 75 + len(value.text.encode())
    if isinstance(value, str):
        return 40 + len(value.encode())
    return 40
