"""`spreadsheets.batchUpdate`: apply subrequests in order to a copy, all or nothing (atomic).

The discovery document says it: "if any request is not valid then the entire request will fail and
nothing will be applied". Each handler gets the working copy and its payload (with JSON nulls removed,
since Google treats null as unset) and returns the reply body, or None for an empty reply `{}`.
After each subrequest the spreadsheet's cell count is checked against the cell limit (`limits.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fake_sheets import bu_cells, bu_metadata, bu_objects, bu_sheets, limits, render
from tests.fake_sheets.errors import ApiError, Invalid, at
from tests.fake_sheets.state import Spreadsheet

Handler = Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]

HANDLERS: dict[str, Handler] = {
    **bu_sheets.HANDLERS,
    **bu_cells.HANDLERS,
    **bu_objects.HANDLERS,
    **bu_metadata.HANDLERS,
}


def drop_nulls(value: Any) -> Any:
    """Remove JSON nulls from objects, recursively (Google reads a null field as unset)."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def apply(
    book: Spreadsheet, body: dict[str, Any], cell_limit: int = limits.CELL_LIMIT
) -> tuple[Spreadsheet, dict[str, Any]]:
    """Run every subrequest on a copy; return (new state, response). Raises ApiError, changing nothing."""
    body = drop_nulls(body)
    work = book.copy()
    work.cell_limit = cell_limit
    cells = limits.cell_count(work)
    replies: list[dict[str, Any]] = []
    for index, request in enumerate(body.get("requests", [])):
        if len(request) != 1:
            raise ApiError.invalid(f"Invalid requests[{index}]: No request set.")
        ((kind, payload),) = request.items()
        handler = HANDLERS.get(kind)
        if handler is None:
            raise ApiError(501, f"fake_sheets does not implement the batchUpdate request '{kind}'.")
        try:
            reply = handler(work, payload)
        except Invalid as problem:
            raise at(index, kind, str(problem)) from None
        cells, before = limits.cell_count(work), cells
        if limits.too_many(before, cells, cell_limit):
            raise at(index, kind, limits.cells_message(cell_limit))
        replies.append({kind: reply} if reply is not None else {})
    response: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        response["updatedSpreadsheet"] = render.spreadsheet(
            work, bool(body.get("responseIncludeGridData")), body.get("responseRanges", []), None
        )
    return work, response
