"""Read a Google spreadsheet in exactly two calls: metadata with number formats, then input values.

Read 1, ``spreadsheets.get`` with a field mask: every tab's properties, conditional formats,
protected ranges, developer metadata and chart ids, plus the number-format type and pattern of every
cell (values come back unformatted, so a Rules cell showing 5 % holds 0.05 and only its format says
it is a percentage). Read 2, one ``values.batchGet`` over the input tabs (recognised by
:func:`formulas.read.tabs.input_tab_spec`) with unformatted values and dates as serial numbers, column
by column. A user's other tabs and the result tabs are never read for values.

Why not fewer bytes: ``spreadsheets.get`` with ``ranges=`` would limit the grid data to the input
tabs but then drops the other tabs' metadata (GOOGLE_FACTS.md), and their titles are not known before
read 1; moving the values into read 2's grid data instead would make every value a verbose
``effectiveValue`` object. So read 1 carries formats of all tabs, and only ``type,pattern``.

How Premia recognises its own things on the next run (a rule cannot carry developer metadata):
result tabs carry sheet-level developer metadata ``premia:tab`` = result key; Premia's conditional
rules are ``CUSTOM_FORMULA`` rules whose formula contains :data:`MARKER` (always TRUE); Premia's
protected ranges have a description starting with ``Premia:``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gspread
import simdjson

from formulas.contract import norm
from formulas.raw import RawTab, RawWorkbook
from formulas.read.tabs import input_tab_spec
from formulas.report.model import READ_BACK
from sheets_sync.google.http import call, call_bytes, not_json, spreadsheet_url

TAB_KEY = "premia:tab"
STAGING_KEY = "premia:staging"  # on the hidden tabs of a staged write until they are swapped in
MARKER = '"premia"="premia"'
PROTECTION_PREFIX = "Premia:"
RECORD_PREFIX = "premia:record:"  # spreadsheet-level developer metadata holding Premia's close records
METADATA_FIELDS = ("properties(title,locale,timeZone),developerMetadata(metadataId,metadataKey,metadataValue),"
                   "sheets(properties,conditionalFormats,"
                   "protectedRanges(protectedRangeId,description),developerMetadata,charts(chartId)")
FORMATS_FIELDS = ",data(startRow,startColumn,rowData(values(userEnteredFormat(numberFormat(type,pattern)))))"


@dataclass(frozen=True)
class SheetInfo:
    """One tab as read 1 saw it: what the write needs to know about it."""

    sheet_id: int
    title: str
    index: int
    is_grid: bool
    row_count: int
    column_count: int
    premia_key: str | None  # the result key when Premia made this tab
    rule_count: int  # conditional-format rules on the tab
    premia_rules: tuple[int, ...]  # indices of Premia's rules among them
    premia_protections: tuple[int, ...]  # ids of Premia's protected ranges
    chart_ids: tuple[int, ...]
    staging: bool = False  # a hidden tab a staged write added and did not swap in (a killed run's leftover)
    premia_rule_keys: tuple[str, ...] = ()  # Premia's rules as :func:`rule_key`, in order


@dataclass(frozen=True)
class SheetMeta:
    """The spreadsheet's title and locale and its tabs in order."""

    title: str
    locale: str
    sheets: tuple[SheetInfo, ...]
    time_zone: str = ""
    records: dict[str, str] = field(default_factory=dict)  # Premia's close records (key -> value)
    record_ids: tuple[int, ...] = ()  # their developer metadata ids, so a write can replace them

    def own_sheet(self, key: str) -> SheetInfo | None:
        """The result tab Premia made for ``key`` (found by its developer metadata, whatever its title)."""
        return next((sheet for sheet in self.sheets if sheet.premia_key == key and sheet.is_grid
                     and not sheet.staging), None)

    def leftovers(self) -> list[SheetInfo]:
        """Hidden staging tabs of a staged write that never finished: every write removes them first."""
        return [sheet for sheet in self.sheets if sheet.staging]

    def find(self, title: str) -> SheetInfo | None:
        """The tab with this title (not a leftover staging tab); Google compares titles case-insensitively."""
        wanted = title.casefold()
        return next((sheet for sheet in self.sheets if sheet.title.casefold() == wanted and not sheet.staging),
                    None)

    def input_sheets(self) -> list[SheetInfo]:
        """Grid tabs whose title names an input tab of PRODUCT.md section 2."""
        return [s for s in self.sheets if s.is_grid and input_tab_spec(s.title) is not None]


def quote_title(title: str) -> str:
    """A tab title as an A1 range of the whole tab: ``'It''s'``."""
    return "'" + title.replace("'", "''") + "'"


def read_metadata(client: gspread.Client, spreadsheet_id: str,
                  with_formats: bool = True) -> tuple[SheetMeta, dict[int, dict[tuple[int, int], str]]]:
    """Read 1: the metadata of every tab and (optionally) the number formats of the cells of the tabs whose
    formats the core reads (Google sends every tab's; :func:`decode_metadata` keeps only those)."""
    fields = METADATA_FIELDS + (FORMATS_FIELDS if with_formats else "") + ")"
    params = {"includeGridData": "true" if with_formats else "false", "fields": fields}
    return parse_metadata(decode_metadata(call_bytes(client, "get", spreadsheet_url(spreadsheet_id),
                                                     params=params)))


def decode_metadata(content: bytes) -> dict[str, Any]:
    """Read 1's answer as plain JSON values, the grid data (a number format per cell) kept only for the
    tabs whose formats the core reads.

    The answer holds an object per cell of every tab, a hundred megabytes for a big agency. simdjson
    parses it into its own compact tape (0.3 s for 112 MB) and only the parts used become Python
    objects; decoding it all would build nine million dicts and free them again (1.8 s).
    """
    try:
        document = simdjson.Parser().parse(content)
    except (ValueError, RuntimeError) as error:  # HTML from a proxy, a cut answer, nesting past the depth
        raise not_json("Google Sheets", error) from error
    if not isinstance(document, simdjson.Object):
        raise not_json("Google Sheets")
    # Google never repeats a key (if it did, the first one would be read here; json.loads keeps the last)
    # and never sends an integer wider than 64 bits (simdjson refuses one: the answer is "not JSON").
    body = {key: _plain(document[key]) for key in document if key != "sheets"}
    sheets = document.get("sheets", [])
    if not isinstance(sheets, simdjson.Array | list):  # tabs that are not a list: not an answer to trust
        raise not_json("Google Sheets")
    body["sheets"] = [_sheet(sheet) for sheet in sheets]
    return body


def _sheet(sheet: Any) -> Any:
    """One ``Sheet`` resource as plain values, its grid data only when :func:`_formats_read` says so."""
    if not isinstance(sheet, simdjson.Object):
        return _plain(sheet)
    plain = {key: _plain(sheet[key]) for key in sheet if key != "data"}
    if "data" in sheet and _formats_read(plain):
        plain["data"] = _plain(sheet["data"])
    return plain


def _plain(value: Any) -> Any:
    """A simdjson value as the dicts, lists and scalars ``json.loads`` would give."""
    if isinstance(value, simdjson.Object):
        return value.as_dict()
    return value.as_list() if isinstance(value, simdjson.Array) else value


def _formats_read(sheet: dict[str, Any]) -> bool:
    """Only percent formats matter to the core (a percent cell holding 0.05 means 5), and only in the
    columns that read them (Rules' Value and Threshold): other tabs' formats are not even decoded."""
    props = sheet.get("properties")
    props = props if isinstance(props, dict) else {}
    if props.get("sheetType", "GRID") != "GRID":
        return False
    spec = input_tab_spec(str(props.get("title", "")))
    return spec is not None and any(column.kind in ("rate", "threshold") for column in spec.columns)


def read_values(client: gspread.Client, spreadsheet_id: str, titles: list[str]) -> list[list[list[Any]]]:
    """Read 2: the unformatted values of whole tabs, column by column, one ``values.batchGet``; no call
    for no tabs. Columns, because the core lays a tab out column by column: rows would have to be padded
    and turned into columns cell by cell (a second on a million-row tab); the answer is about the same
    size (the empty cells written out as ``""`` differ)."""
    if not titles:
        return []
    params = {"ranges": [quote_title(t) for t in titles], "valueRenderOption": "UNFORMATTED_VALUE",
              "dateTimeRenderOption": "SERIAL_NUMBER", "majorDimension": "COLUMNS"}
    body = call(client, "get", spreadsheet_url(spreadsheet_id, "/values:batchGet"), params=params)
    ranges = body.get("valueRanges", [])
    return [ranges[i].get("values", []) if i < len(ranges) else [] for i in range(len(titles))]


def read_spreadsheet(client: gspread.Client, spreadsheet_id: str) -> tuple[RawWorkbook, SheetMeta]:
    """The input tabs as raw tabs (values and formats) and the metadata the write needs: 2 calls."""
    meta, formats = read_metadata(client, spreadsheet_id)
    inputs = meta.input_sheets()
    own = [(key, sheet) for key in READ_BACK if (sheet := meta.own_sheet(key)) is not None]
    values = read_values(client, spreadsheet_id, [sheet.title for sheet in inputs] + [s.title for _, s in own])
    tabs = [raw_tab(sheet.title, columns, formats.get(sheet.sheet_id, {}))
            for sheet, columns in zip(inputs, values, strict=False)]
    own_tabs = {key: raw_tab(sheet.title, columns, {})
                for (key, sheet), columns in zip(own, values[len(inputs):], strict=True)}
    return RawWorkbook(tabs, tuple(sheet.title for sheet in meta.sheets), meta.time_zone, dict(meta.records),
                       own_tabs), meta


def raw_tab(title: str, columns: list[list[Any]], formats: dict[tuple[int, int], str]) -> RawTab:
    """A raw tab, built in place from the decoded columns: ``""`` (how Google returns an empty cell)
    becomes None; formats of filled cells only.

    Google drops each column's trailing empty cells, so columns come back ragged (an empty column in
    the middle as ``[]``); a :class:`RawTab` reads a short column as padded with None, so they are left
    as they came. A date cell stays the serial number Google sends: the core reads serials in date
    columns and shows them as dates, so nothing here touches every cell twice.
    """
    for column in columns:
        if "" in column:
            column[:] = [None if value == "" else value for value in column]
    kept = {(r, c): fmt for (r, c), fmt in formats.items()
            if c < len(columns) and r < len(columns[c]) and columns[c][r] is not None}
    return RawTab(title, formats=kept, columns=columns)


def parse_metadata(body: dict[str, Any]) -> tuple[SheetMeta, dict[int, dict[tuple[int, int], str]]]:
    """SheetMeta and, per sheetId, the sparse number formats of a ``spreadsheets.get`` answer."""
    props = body.get("properties", {})
    sheets: list[SheetInfo] = []
    formats: dict[int, dict[tuple[int, int], str]] = {}
    for sheet in body.get("sheets", []):
        info = _sheet_info(sheet)
        sheets.append(info)
        if _formats_read(sheet):
            formats[info.sheet_id] = _formats(sheet.get("data", []))
    records = [m for m in body.get("developerMetadata", []) if str(m.get("metadataKey", "")).startswith(RECORD_PREFIX)]
    meta = SheetMeta(str(props.get("title", "")), str(props.get("locale", "")), tuple(sheets),
                     str(props.get("timeZone", "")),
                     {str(m["metadataKey"])[len(RECORD_PREFIX):]: str(m.get("metadataValue", "")) for m in records},
                     tuple(int(m["metadataId"]) for m in records if "metadataId" in m))
    return meta, formats


def _sheet_info(sheet: dict[str, Any]) -> SheetInfo:
    """What one ``Sheet`` resource says about Premia's things on it."""
    props = sheet.get("properties", {})
    grid = props.get("gridProperties", {})
    rules = sheet.get("conditionalFormats", [])
    key = next((str(m.get("metadataValue", "")) for m in sheet.get("developerMetadata", [])
                if m.get("metadataKey") == TAB_KEY), None)
    return SheetInfo(
        sheet_id=int(props.get("sheetId", 0)), title=str(props.get("title", "")),
        index=int(props.get("index", 0)), is_grid=props.get("sheetType", "GRID") == "GRID",
        row_count=int(grid.get("rowCount", 0)), column_count=int(grid.get("columnCount", 0)),
        premia_key=key, rule_count=len(rules),
        premia_rules=tuple(i for i, rule in enumerate(rules) if is_premia_rule(rule)),
        premia_protections=tuple(int(p["protectedRangeId"]) for p in sheet.get("protectedRanges", [])
                                 if str(p.get("description", "")).startswith(PROTECTION_PREFIX)),
        chart_ids=tuple(int(chart["chartId"]) for chart in sheet.get("charts", []) if "chartId" in chart),
        staging=any(m.get("metadataKey") == STAGING_KEY for m in sheet.get("developerMetadata", [])),
        premia_rule_keys=tuple(rule_key(rule) for rule in rules if is_premia_rule(rule)),
    )


def is_premia_rule(rule: dict[str, Any]) -> bool:
    """A conditional rule Premia wrote: a custom formula carrying the marker."""
    condition = (rule.get("booleanRule") or {}).get("condition") or {}
    if condition.get("type") != "CUSTOM_FORMULA":
        return False
    return any(MARKER in str(value.get("userEnteredValue", "")) for value in condition.get("values") or [])


def rule_key(rule: dict[str, Any]) -> str:
    """What makes two highlight rules the same to a user: ranges, formula and fill colour, whatever the
    spelling (Google leaves out fields that are 0 and may answer a colour as ``backgroundColor``)."""
    boolean = rule.get("booleanRule") or {}
    values = (boolean.get("condition") or {}).get("values") or [{}]
    fill = boolean.get("format") or {}
    rgb = (fill.get("backgroundColorStyle") or {}).get("rgbColor") or fill.get("backgroundColor") or {}
    bounds = ("sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    ranges = [tuple(int(grid.get(key, 0)) for key in bounds) for grid in rule.get("ranges") or []]
    colour = tuple(round(float(rgb.get(part, 0)), 3) for part in ("red", "green", "blue"))
    return repr((ranges, str(values[0].get("userEnteredValue", "")), colour))


def _formats(grids: list[dict[str, Any]]) -> dict[tuple[int, int], str]:
    """{(row, col): pattern} of cells with a number format; a PERCENT without pattern gets ``0.00%``."""
    out: dict[tuple[int, int], str] = {}
    for grid in grids:
        row0, col0 = int(grid.get("startRow", 0)), int(grid.get("startColumn", 0))
        for r, row in enumerate(grid.get("rowData", [])):
            for c, cell in enumerate(row.get("values", [])):
                number = (cell.get("userEnteredFormat") or {}).get("numberFormat") if cell else None
                if number and "%" in (pattern := _pattern(number)):
                    out[(row0 + r, col0 + c)] = pattern
    return out


def _pattern(number: dict[str, Any]) -> str:
    """The pattern to hand the core: Google's own, or a marker the core reads as a percentage."""
    pattern, kind = str(number.get("pattern", "")), number.get("type", "")
    if kind == "PERCENT" and "%" not in pattern:
        return "0.00%"  # Google's default percent pattern; the core only checks for "%"
    return pattern or str(kind)


def existing_language(meta: SheetMeta) -> str:
    """``ru`` when an input tab has its Russian title or the spreadsheet locale is Russian, else ``en``."""
    for sheet in meta.input_sheets():
        spec = input_tab_spec(sheet.title)
        if spec is not None and norm(sheet.title) == norm(spec.ru):
            return "ru"
    return "ru" if meta.locale.lower().startswith("ru") else "en"
