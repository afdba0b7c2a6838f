"""Google's hard limits: the request body size and the number of cells a spreadsheet may hold.

- A request body over 10 485 760 bytes is refused before anything else happens with
  `400 INVALID_ARGUMENT "Request payload size exceeds the limit: 10485760 bytes."` (reported verbatim
  in public issues of several Sheets API clients).
- A spreadsheet holds at most 10 000 000 cells, counted over every sheet's grid (rowCount x columnCount,
  empty cells included). A batchUpdate subrequest that would take the count above the limit fails the
  whole batch with `Invalid requests[i].<kind>: This action would increase the number of cells in the
  workbook above the limit of 10000000 cells.` (verbatim in public issues: addSheet, updateSheetProperties).
  Google applies a new rowCount before it checks, so an updateSheetProperties that grows rows and shrinks
  columns is judged on new rows x old columns (see `bu_sheets.update_sheet_properties`).

Both limits are per `FakeSheets` instance (`body_limit=`, `cell_limit=`) so a test can force small ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fake_sheets.state import Spreadsheet

BODY_LIMIT = 10_485_760
CELL_LIMIT = 10_000_000


def payload_message(limit: int) -> str:
    """Google's message for a request body over the limit."""
    return f"Request payload size exceeds the limit: {limit} bytes."


def cells_message(limit: int) -> str:
    """Google's message for a change that would take the spreadsheet over the cell limit."""
    return f"This action would increase the number of cells in the workbook above the limit of {limit} cells."


def cell_count(book: Spreadsheet) -> int:
    """Cells of every sheet's grid, empty ones included (what Google counts against the limit)."""
    return sum(sheet.rows * sheet.columns for sheet in book.sheets)


def too_many(before: int, after: int, limit: int) -> bool:
    """Google refuses a change that *increases* the count to above the limit (shrinking is always fine)."""
    return after > limit and after > before
