"""A stateful, strict fake of the Google Sheets API v4 for end-to-end tests of the Google adapter.

Public API: `FakeSheets` (server + state + request log + faults), `gspread_client(fake, token)`,
`RewritingSession`, and the `RecordedRequest` / `Violation` log records. Usage is in `fake.py`.

Served (kind names used by `fake.calls(kind)`): `get` (fields masks, includeGridData, ranges),
`values.get`, `values.batchGet`, `batchUpdate`, `values.update` (PUT), `values.batchUpdate`,
`values.clear`, `create` (POST /v4/spreadsheets). Any other path answers 501 UNIMPLEMENTED.

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
model (the cassettes record only 400/403/404).
"""

from tests.fake_sheets.client import RewritingSession, gspread_client
from tests.fake_sheets.fake import FakeSheets, RecordedRequest, Violation

__all__ = ["FakeSheets", "RecordedRequest", "RewritingSession", "Violation", "gspread_client"]
