"""The exact bytes Google answers a recalculation's two reads with, built straight from a typed workbook.

Seeding ten million cells through the fake Sheets API (``tests/fake_sheets``, a dict per cell) would
take gigabytes, so this module reproduces the fake's serialisation directly, and
``tests/test_bench.py`` proves the two agree byte for byte on the tiny agency (:mod:`bench.fake_check`):

* read 1, ``spreadsheets.get`` with ``includeGridData=true`` and read.py's field mask: the spreadsheet's
  title, locale and time zone; per tab its properties and ``data``: one ``rowData`` entry per row up to
  the last row holding a number format, each cell ``{}`` or ``{"userEnteredFormat":{"numberFormat":
  {"type":…,"pattern":…}}}``, trailing empty cells and rows left out (keys in the fake's order, the
  mask's; Google orders them by proto field number, same bytes count);
* read 2, ``values.batchGet`` of every input tab, ``UNFORMATTED_VALUE``/``SERIAL_NUMBER``/``COLUMNS``:
  each range as Google echoes it (``Deals!A1:I100001``), column by column, empty cells ``""``, each
  column's trailing empties and trailing empty columns dropped, integral numbers without ``.0``.

Both compact UTF-8 JSON, as Google sends them for ``prettyPrint=false``. Sheet ids follow the fake (0
for the first tab, then 1000001, 1000002, …); each tab's grid is exactly its data (rows × header width),
the smallest grid a user can have: Google's default 26 columns would put the large agency at 41 million
cells, four times the limit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bench.typed import number_format
from formulas.raw import RawTab, RawWorkbook
from tests.fake_sheets.a1 import format_range

SPREADSHEET_ID = "1BenchPremiaAgency0000000000000000000000000"
PROPERTIES = {"title": "Bench agency", "locale": "en_US", "timeZone": "Etc/GMT"}
# The requests these bytes answer. read.py asking for anything else makes the replay refuse (bench.replay),
# so the benchmark never silently times answers to a question the adapter no longer asks.
READ1_FIELDS = ("properties(title,locale,timeZone),developerMetadata(metadataId,metadataKey,metadataValue),"
                "sheets(properties,conditionalFormats,protectedRanges(protectedRangeId,description),"
                "developerMetadata,charts(chartId),data(startRow,startColumn,"
                "rowData(values(userEnteredFormat(numberFormat(type,pattern))))))")
RENDER = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER",
          "majorDimension": "COLUMNS"}


@dataclass(frozen=True)
class Grid:
    """One tab of the spreadsheet as read 1 describes it."""

    sheet_id: int
    title: str
    rows: int
    columns: int


@dataclass
class Responses:
    """Both reads' response bodies and what they describe."""

    metadata: bytes  # read 1
    values: bytes  # read 2
    grids: list[Grid] = field(default_factory=list)

    def queries(self) -> dict[str, dict[str, list[str]]]:
        """The query string each read must send for these bytes to be its answer."""
        return {
            "get": {"prettyPrint": ["false"], "includeGridData": ["true"], "fields": [READ1_FIELDS]},
            "values.batchGet": {"prettyPrint": ["false"], "ranges": [quote(grid.title) for grid in self.grids],
                                **{name: [value] for name, value in RENDER.items()}},
        }


def compact(value: Any) -> bytes:
    """JSON as Google sends it with ``prettyPrint=false``: no spaces, UTF-8 text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def quote(title: str) -> str:
    """A tab title as read.py asks for the whole tab: ``'Deals'``."""
    return "'" + title.replace("'", "''") + "'"


def sheet_ids(count: int) -> list[int]:
    """The ids the fake gives a new spreadsheet's tabs."""
    return [0] + [1_000_001 + index for index in range(count - 1)]


def grid_size(tab: RawTab) -> tuple[int, int]:
    """(rows, columns) of a tab whose grid is exactly its data."""
    return max(1, len(tab.values)), max([1, *(len(row) for row in tab.values)])


def build(book: RawWorkbook, spreadsheet_id: str = SPREADSHEET_ID) -> Responses:
    """Read 1 and read 2 of a spreadsheet holding ``book``'s tabs (typed: see :mod:`bench.typed`)."""
    grids = [Grid(sheet_id, tab.title, *grid_size(tab))
             for sheet_id, tab in zip(sheet_ids(len(book.tabs)), book.tabs, strict=True)]
    sheets = []
    for index, (grid, tab) in enumerate(zip(grids, book.tabs, strict=True)):
        properties = {"sheetId": grid.sheet_id, "title": grid.title, "index": index, "sheetType": "GRID",
                      "gridProperties": {"rowCount": grid.rows, "columnCount": grid.columns}}
        sheets.append(b'{"properties":' + compact(properties) + b',"data":[' + _grid_data(tab) + b"]}")
    metadata = b'{"properties":' + compact(PROPERTIES) + b',"sheets":[' + b",".join(sheets) + b"]}"
    ranges = []
    for grid, tab in zip(grids, book.tabs, strict=True):
        value_range: dict[str, Any] = {"range": format_range(grid.title, 0, grid.rows, 0, grid.columns),
                                       "majorDimension": "COLUMNS"}
        columns = rendered(_columns(tab.values))
        if columns:
            value_range["values"] = columns
        ranges.append(value_range)
    values = compact({"spreadsheetId": spreadsheet_id, "valueRanges": ranges})
    return Responses(metadata, values, grids)


def _grid_data(tab: RawTab) -> bytes:
    """One GridData of read 1: the number formats of the tab's cells, row by row."""
    by_row: dict[int, dict[int, str]] = defaultdict(dict)
    for (row, col), pattern in tab.formats.items():
        by_row[row][col] = pattern
    if not by_row:
        return b"{}"
    shapes: dict[tuple[tuple[int, str], ...], bytes] = {}  # a few shapes repeat over a million rows
    pieces = []
    for row in range(max(by_row) + 1):
        cells = by_row.get(row)
        if not cells:
            pieces.append(b"{}")
            continue
        shape = tuple(sorted(cells.items()))
        if shape not in shapes:
            line = [b"{}"] * (shape[-1][0] + 1)
            for col, pattern in shape:
                line[col] = b'{"userEnteredFormat":{"numberFormat":' + compact(number_format(pattern)) + b"}}"
            shapes[shape] = b'{"values":[' + b",".join(line) + b"]}"
        pieces.append(shapes[shape])
    return b'{"rowData":[' + b",".join(pieces) + b"]}"


def _columns(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows' cells column by column (short rows padded with None)."""
    width = max(map(len, rows), default=0)
    return [[row[at] if at < len(row) else None for row in rows] for at in range(width)]


def rendered(values: list[list[Any]]) -> list[list[Any]]:
    """Rows (or columns) as ``UNFORMATTED_VALUE`` renders them: ``""`` for empty, ``30000`` for
    ``30000.0``, trimmed."""
    out = []
    for line in values:
        row = [_cell(value) for value in line]
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def _cell(value: Any) -> Any:
    """One rendered cell (the fake's ``cells.rendered``)."""
    if value is None:
        return ""
    if type(value) is float and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value
