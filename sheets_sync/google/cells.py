"""Render one result tab's cells as the ``updateCells`` (+ ``repeatCell``) subrequests of the write batch.

User text is always a ``stringValue`` (PRODUCT.md §7): ``=IMPORTXML(…)`` in a client's name stays
text. Numbers are ``numberValue``; dates are serial numbers (epoch 1899-12-30) with a DATE format; a
:class:`~formulas.report.model.Link` is its text plus a ``textFormatRuns`` link built only from the target's
sheetId and row/column numbers. The ``range`` is the whole tab and ``fields`` names every cell
property Premia writes, so cells the report does not cover are cleared (GOOGLE_FACTS.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from numbers import Integral, Real
from typing import Any

from formulas.report.model import CHART_ROWS, CHART_WIDTH, CellValue, Chart, ColumnSpec, Link, ResultTab, column_letters
from sheets_sync.google.blocks import link_styles, take_runs

CELL_FIELDS = "userEnteredValue,userEnteredFormat,note,textFormatRuns"
MAX_TEXT = 50_000  # Google rejects a longer cell, and that would fail the whole atomic batch
EPOCH = date(1899, 12, 30)
DATE_FORMAT = {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}
DATE_TIME_FORMAT = {"numberFormat": {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}}
HEADER_FORMAT = {"textFormat": {"bold": True}}
# Headers sit where their column's cells do: right over numbers (Google aligns numbers right), left over text.
NUMBER_HEADER_FORMAT = {"textFormat": {"bold": True}, "horizontalAlignment": "RIGHT", "wrapStrategy": "WRAP"}
TEXT_HEADER_FORMAT = {"textFormat": {"bold": True}, "horizontalAlignment": "LEFT", "wrapStrategy": "WRAP"}
TITLE_FORMAT = {"textFormat": {"bold": True, "fontSize": 12}}
LINK_COLOR = {"rgbColor": {"red": 0x11 / 255, "green": 0x55 / 255, "blue": 0xCC / 255}}
PIXELS_PER_CHAR = 7
DEFAULT_COLUMN_PIXELS = 100  # Google's width for a column Premia does not size
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, escapes and [colour]/[h] sections


def format_type(pattern: str) -> str:
    """Google's number-format type for a spreadsheet pattern: TEXT, PERCENT, DATE, TIME, … NUMBER."""
    if pattern == "@":
        return "TEXT"
    bare = _LITERALS.sub("", pattern).lower()
    if "%" in bare:
        return "PERCENT"
    has_date = "y" in bare or "d" in bare or ("m" in bare and not re.search(r"[0#?]", bare)
                                              and "h" not in bare and "s" not in bare)
    has_time = "h" in bare or "s" in bare
    if has_date:
        return "DATE_TIME" if has_time else "DATE"
    return "TIME" if has_time else "NUMBER"


def column_format(spec: ColumnSpec) -> dict[str, Any] | None:
    """The ``userEnteredFormat`` of a column's cells, or None for the general format."""
    if not spec.number_format:
        return None
    return {"numberFormat": {"type": format_type(spec.number_format), "pattern": spec.number_format}}


def serial(value: date) -> float | int:
    """A date (or datetime) as a spreadsheet serial number."""
    days = (value.date() if isinstance(value, datetime) else value) - EPOCH
    if not isinstance(value, datetime):
        return days.days
    return days.days + (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def text(value: str) -> str:
    """Text short enough for one cell."""
    return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"


def cell(value: CellValue, fmt: dict[str, Any] | None, sheet_ids: Mapping[str, int],
         shared: bool = False) -> dict[str, Any]:
    """One CellData carrying ``fmt`` (shared by the column's cells, not copied).

    ``shared`` says the column's date format is applied to the whole column separately, so a date
    cell needs none of its own.
    """
    kind = type(value)  # exact-type fast paths first: a big report has a million cells
    if value is None:
        return {}
    if kind is float:
        if not math.isfinite(value):  # type: ignore[arg-type]
            return {}  # JSON has no NaN or infinity; an unknown figure shows as an empty cell
        out: dict[str, Any] = {"userEnteredValue": {"numberValue": number(value)}}  # type: ignore[arg-type]
    elif kind is int:
        out = {"userEnteredValue": {"numberValue": value}}
    elif kind is str or isinstance(value, str):
        if not value:
            return {}  # an empty text shows exactly as an empty cell, and costs nothing
        out = {"userEnteredValue": {"stringValue": text(value)}}  # text, whatever it looks like
    elif isinstance(value, Link):
        return _link(value, fmt, sheet_ids)
    elif isinstance(value, bool):
        out = {"userEnteredValue": {"boolValue": value}}
    elif isinstance(value, date):
        out = {"userEnteredValue": {"numberValue": serial(value)}}
        if not shared:
            is_date = fmt is not None and fmt["numberFormat"]["type"] in ("DATE", "DATE_TIME")
            out["userEnteredFormat"] = (fmt if is_date else DATE_TIME_FORMAT if isinstance(value, datetime)
                                        else DATE_FORMAT)
        return out
    elif isinstance(value, Integral):
        out = {"userEnteredValue": {"numberValue": int(value)}}
    elif isinstance(value, Real):
        real = float(value)
        if not math.isfinite(real):
            return {}  # JSON has no NaN or infinity; an unknown figure shows as an empty cell
        out = {"userEnteredValue": {"numberValue": number(real)}}
    else:
        raise TypeError(f"cannot write a {type(value).__name__} to Google Sheets: {value!r}")
    if fmt is not None:
        out["userEnteredFormat"] = fmt
    return out


def number(value: float) -> float | int:
    """A float as JSON writes it shortest: 30000.0 as 30000 (the same number to Google)."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _link(link: Link, fmt: dict[str, Any] | None, sheet_ids: Mapping[str, int]) -> dict[str, Any]:
    """Link text with a cell-level link to a cell of this spreadsheet; plain text when the tab is gone.

    The link is built only from the target's sheetId and row/column numbers, never from user text. Its
    underline and colour are set per block of link cells (:mod:`.blocks`), not repeated in every cell.
    """
    shown = text(link.text)
    out: dict[str, Any] = {"userEnteredValue": {"stringValue": shown}}
    if fmt is not None:
        out["userEnteredFormat"] = fmt
    sheet_id = sheet_ids.get(link.tab.casefold())
    if sheet_id is None or not shown:
        return out
    uri = f"#gid={int(sheet_id)}&range={column_letters(int(link.col))}{int(link.row)}"
    out["userEnteredFormat"] = {**(fmt or {}), "textFormat": {"link": {"uri": uri}}}
    return out


def tab_cells(tab: ResultTab, sheet_id: int, sheet_ids: Mapping[str, int]) -> list[dict[str, Any]]:
    """``updateCells`` writing (and clearing) the whole tab, then one ``repeatCell`` per formatted column.

    A column's number format is set once over its data rows rather than repeated in every cell, which
    keeps the body about half the size; only a column whose cells need different formats (a date in
    a non-date column) carries them cell by cell. The tab's ``cell_formats`` follow as their own
    ``repeatCell``s, and a chart's header row below row 1 is bold like the tab header.
    """
    formats = [column_format(spec) for spec in tab.columns]
    shared = [fmt is not None and _uniform(tab, col, fmt) for col, fmt in enumerate(formats)]
    per_cell = [None if shared[col] else fmt for col, fmt in enumerate(formats)]
    header = [{"userEnteredValue": {"stringValue": text(spec.header)},
               "userEnteredFormat": NUMBER_HEADER_FORMAT if spec.numeric else TEXT_HEADER_FORMAT}
              for spec in tab.columns]
    first = tab.first_row - 1  # 0-based index of the first data row
    body, runs, styles = _body(tab.rows, per_cell, shared, sheet_ids, sheet_id, first)
    title = [[{"userEnteredValue": {"stringValue": text(tab.title_line)}, "userEnteredFormat": TITLE_FORMAT}]
             ] if tab.title_line else []
    rows: list[list[dict[str, Any]]] = [*title, header, *body]
    for (row, col), note in sorted(tab.notes.items()):
        while len(rows) < row:
            rows.append([])
        line = rows[row - 1]
        line.extend({} for _ in range(col + 1 - len(line)))
        line[col] = {**line[col], "note": text(note)}
    _bold_chart_headers(rows, tab)
    out: list[dict[str, Any]] = [{"updateCells": {
        "range": {"sheetId": sheet_id}, "rows": [{"values": _trimmed(line)} if line else {} for line in rows],
        "fields": CELL_FIELDS}}, *runs]
    for col, fmt in enumerate(formats):
        if shared[col] and tab.rows:
            block = {"sheetId": sheet_id, "startRowIndex": first, "endRowIndex": first + len(tab.rows),
                     "startColumnIndex": col, "endColumnIndex": col + 1}
            out.append({"repeatCell": {"range": block, "cell": {"userEnteredFormat": fmt},
                                       "fields": "userEnteredFormat.numberFormat"}})
    out.extend(styles)
    out.extend(_cell_formats(tab, sheet_id))
    out.extend(wrapping(tab, sheet_id))
    return out


def wrapping(tab: ResultTab, sheet_id: int) -> list[dict[str, Any]]:
    """Text wraps inside its column instead of running into the next one (one ``repeatCell`` over all
    data rows), except a tab's free lines, which may run across the empty cells to their right."""
    if not tab.rows:
        return []
    first = tab.first_row - 1
    block = {"sheetId": sheet_id, "startRowIndex": first, "endRowIndex": first + len(tab.rows),
             "startColumnIndex": 0, "endColumnIndex": max(len(tab.columns), 1)}
    out = [{"repeatCell": {"range": block, "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                           "fields": "userEnteredFormat.wrapStrategy"}}]
    for row in sorted(tab.free_rows):
        line = {"sheetId": sheet_id, "startRowIndex": row - 1, "endRowIndex": row,
                "startColumnIndex": 0, "endColumnIndex": 1}
        out.append({"repeatCell": {"range": line, "cell": {"userEnteredFormat": {"wrapStrategy": "OVERFLOW_CELL"}},
                                   "fields": "userEnteredFormat.wrapStrategy"}})
    return out


def _trimmed(line: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A row without its trailing empty cells (updateCells clears them anyway)."""
    end = len(line)
    while end and not line[end - 1]:
        end -= 1
    return line[:end]


def _bold_chart_headers(rows: list[list[dict[str, Any]]], tab: ResultTab) -> None:
    """Make the header cells of a chart below the tab header bold (e.g. the Summary's funnel block).

    Cells are replaced, not changed: a cell's format dict may be shared with the rest of its column.
    """
    for chart in tab.charts:
        row = chart.rows[0] - 1
        if row <= tab.header_row:
            continue  # the tab header, bold already
        while len(rows) < row:
            rows.append([])
        line = rows[row - 1]
        for col in (chart.category_col, *chart.value_cols):
            line.extend({} for _ in range(col + 1 - len(line)))
            line[col] = {**line[col], "userEnteredFormat": {**line[col].get("userEnteredFormat", {}),
                                                            **HEADER_FORMAT}}


def _cell_formats(tab: ResultTab, sheet_id: int) -> list[dict[str, Any]]:
    """A ``repeatCell`` per run of cells in a row whose number format differs from their column's.

    They come after the columns' own ``repeatCell``s, which they override.
    """
    out: list[dict[str, Any]] = []
    last: tuple[int, int, str] | None = None  # (row, column, pattern) of the previous cell
    for (row, col), pattern in sorted(tab.cell_formats.items()):
        block = out[-1]["repeatCell"]["range"] if out else None
        if block is not None and last == (row, col - 1, pattern):
            block["endColumnIndex"] = col + 1
        else:
            block = {"sheetId": sheet_id, "startRowIndex": row - 1, "endRowIndex": row,
                     "startColumnIndex": col, "endColumnIndex": col + 1}
            fmt = {"numberFormat": {"type": format_type(pattern), "pattern": pattern}}
            out.append({"repeatCell": {"range": block, "cell": {"userEnteredFormat": fmt},
                                       "fields": "userEnteredFormat.numberFormat"}})
        last = (row, col, pattern)
    return out


def _body(values: list[list[CellValue]], per_cell: list[dict[str, Any] | None], shared: list[bool],
          sheet_ids: Mapping[str, int], sheet_id: int, first_row: int = 1
          ) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The data rows' CellData, built column by column, with the runs taken out and the link styles.

    A big report has a million cells; a column holding only text (or only finite numbers) with no
    per-cell format needs no type dispatch per cell. Other columns go through :func:`cell`. Returns the
    rows, the repeatCells of the runs of equal cells and the repeatCells styling the link cells.
    """
    width = max((len(row) for row in values), default=0)
    columns = []
    runs: list[dict[str, Any]] = []
    styles: list[dict[str, Any]] = []
    for col in range(width):
        cells = [row[col] if col < len(row) else _MISSING for row in values]
        fmt = per_cell[col] if col < len(per_cell) else None
        kinds = set(map(type, cells))
        if fmt is None and kinds <= {str, type(None), _Missing}:
            built = [{"userEnteredValue": {"stringValue": text(v)}} if type(v) is str and v else {} for v in cells]
        elif fmt is None and kinds <= {int, float, type(None), _Missing}:
            built = [{"userEnteredValue": {"numberValue": number(v) if type(v) is float else v}}
                     if type(v) in (int, float) and math.isfinite(v) else {} for v in cells]
        else:
            is_shared = col < len(shared) and shared[col]
            built = [{} if v is _MISSING else cell(v, fmt, sheet_ids, shared=is_shared) for v in cells]
        runs.extend(take_runs(cells, built, sheet_id, col, first_row=first_row))
        if Link in kinds:
            styles.extend(link_styles(cells, sheet_id, col, first_row=first_row))
        columns.append(built)
    if width and all(len(row) == width for row in values):  # the usual full rows: back in one C pass
        return list(map(list, zip(*columns, strict=True))), runs, styles
    return [[columns[col][index] for col in range(len(row))] for index, row in enumerate(values)], runs, styles


class _Missing:
    """Marks a cell beyond the end of a short row (nothing is written there)."""


_MISSING = _Missing()


def _uniform(tab: ResultTab, col: int, fmt: dict[str, Any]) -> bool:
    """True when every cell of the column can take the column's format (no date in a non-date column)."""
    if fmt["numberFormat"]["type"] in ("DATE", "DATE_TIME"):
        return True
    return not any(col < len(row) and isinstance(row[col], date) for row in tab.rows)


def used_size(tab: ResultTab) -> tuple[int, int]:
    """(rows, columns) the tab's cells, notes, highlights and charts need, a chart's whole area included:
    the view does not scroll past the grid, so a chart hanging below it would be cut off."""
    rows = tab.header_row + len(tab.rows)
    cols = max([len(tab.columns), *(len(r) for r in tab.rows)])
    for row, col in tab.notes:
        rows, cols = max(rows, row), max(cols, col + 1)
    for highlight in tab.highlights:
        rows, cols = max(rows, highlight.rows[1]), max(cols, highlight.cols[1] + 1)
    for chart in tab.charts:
        rows = max(rows, chart.rows[1], chart.anchor[0] + CHART_ROWS - 1)
        cols = max(cols, chart.category_col + 1, *(c + 1 for c in chart.value_cols), _chart_end(tab, chart))
    return max(rows, tab.frozen_rows + 1), max(cols, 1)


def column_pixels(spec: ColumnSpec) -> int:
    """A column's width in pixels from its width hint in characters."""
    return max(20, int(spec.width) * PIXELS_PER_CHAR)


def _chart_end(tab: ResultTab, chart: Chart) -> int:
    """How many columns the grid needs for the chart's right edge (columns past the tab's are 100 px)."""
    col, covered = chart.anchor[1], 0
    while covered < CHART_WIDTH:
        covered += column_pixels(tab.columns[col]) if col < len(tab.columns) else DEFAULT_COLUMN_PIXELS
        col += 1
    return col
