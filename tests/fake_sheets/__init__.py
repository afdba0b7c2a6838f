"""A stateful, strict fake of the Google Sheets API v4 for end-to-end tests of the Google adapter.

Public API: `FakeSheets(latency=0.0, *, body_limit=10_485_760, cell_limit=10_000_000)` (server + state
+ request log + faults + Google's hard limits), `gspread_client(fake, token)`, `RewritingSession`, and the
`RecordedRequest` (with `size`, the body's bytes) / `Violation` / `SheetInfo` records. Usage is in `fake.py`.
Faults: `inject([...])` (next requests), `fail_call(kind, n, status, message=, applied=, times=)`,
`fail_batch_update(n, status, ...)`, `clear_faults()`; hooks: `before_call(kind, action, n)` (an edit
between two calls). Inspection: `cell_count`, `sheet_list`,
`developer_metadata`, `snapshot`, `values`, `cell`; seeding: `create_spreadsheet(..., hidden=)`,
`set_cell`, `set_grid_size`.

Served (kind names used by `fake.calls(kind)`): `get` (fields masks, includeGridData, ranges),
`values.get`, `values.batchGet`, `batchUpdate`, `values.update` (PUT), `values.batchUpdate`,
`values.clear`, `create` (POST /v4/spreadsheets), `developerMetadata.get`, `developerMetadata.search`
(developerMetadataLookup filters), `drive.permissions.list`. Any other path answers 501 UNIMPLEMENTED.
The standard `fields` parameter is checked against the method's response schema (Google's 400 for a
path naming no field, or for whitespace) and projects every Sheets response.

batchUpdate subrequests: addSheet, deleteSheet, updateSheetProperties, updateSpreadsheetProperties,
appendDimension, insertDimension, deleteDimension, updateDimensionProperties, autoResizeDimensions
(no-op), updateCells, repeatCell, setDataValidation, mergeCells, unmergeCells,
add/update/deleteConditionalFormatRule, add/update/deleteProtectedRange, create/update/
deleteDeveloperMetadata (developerMetadataLookup filters only), addChart, deleteEmbeddedObject.
Any other subrequest answers 501 and applies nothing.

Known simplifications: only trivial formulas are computed (see `cells.py`; others read back as their
text); FORMATTED_VALUE knows PERCENT, NUMBER/CURRENCY `#,##0.00`-style and DATE patterns only; no
`effectiveFormat`; protected ranges do not block writes; values.batchUpdate is all-or-nothing here;
USER_ENTERED parsing follows en_US only; 401/429/500/503/408 bodies follow Google's documented error
model (the cassettes record only 400/403/404). Unrecorded wordings: the bad-`fields` 400 and the
cell-limit and payload-limit messages come from public reports of real responses; the developer-metadata
404 text is a guess. Deleting the last *visible* tab (others hidden) is allowed here; Google may refuse it.
"""

from tests.fake_sheets.client import RewritingSession, gspread_client
from tests.fake_sheets.fake import FakeSheets, RecordedRequest, SheetInfo, Violation

__all__ = ["FakeSheets", "RecordedRequest", "RewritingSession", "SheetInfo", "Violation", "gspread_client"]
