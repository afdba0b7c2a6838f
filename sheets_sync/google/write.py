"""Turn a :class:`~formulas.report.model.Report` into ONE atomic ``spreadsheets.batchUpdate`` body.

:func:`build_batch_update` is pure (metadata + report in, JSON body out). Subrequests, in order:

1. ``deleteSheet`` of hidden staging tabs a killed staged write left behind (:mod:`.staged`).
2. Deletions of Premia's previous things: conditional rules (every rule on result tabs, only
   marker rules elsewhere, by index, descending per sheet; an input tab whose marker rules are already
   exactly the new ones is left alone, see :func:`settled`), protected ranges described ``Premia:…``,
   charts on the result tabs. They come before the resize, which could otherwise drop a rule or a
   protection and leave a later delete pointing at nothing (the whole batch would then fail).
3. ``updateSheetProperties`` sizing each reused result tab to exactly what it needs (shrinking is fine:
   the next step rewrites every cell) with its frozen header; then ``addSheet`` (with a sheetId Premia
   chooses) + ``createDeveloperMetadata`` ``premia:tab`` for each missing result tab (a tab with a
   result title that Premia did not make is a :class:`ResultTabConflict` and nothing is sent); column
   widths.
4. ``updateCells`` per result tab over the whole tab (writes and clears in one subrequest), then a
   ``repeatCell`` per formatted column.
5. ``addConditionalFormatRule`` per highlight (runs of issue-row highlights share one rule), after
   the user's own rules on input tabs so the user's formatting still wins where both apply.
6. ``addProtectedRange`` (warning only) per protected result tab; 7. ``addChart`` per chart.

Highlights are ``CUSTOM_FORMULA`` rules built only from numbers and cell references computed from
integers, never from user text (GOOGLE_FACTS.md), each ending with :data:`MARKER`. Formula rules
rather than NUMBER_LESS/NUMBER_BETWEEN because (a) a number condition colours empty cells, which
count as 0 (a manager without a plan would be red), (b) ``between`` is half-open in the model while
NUMBER_BETWEEN includes both ends, (c) a number condition has no room for the marker that lets the
next run find its rules on input tabs, and (d) a number condition's value is parsed in the
spreadsheet's locale ("0.8" is not a number in ru_RU), whereas API formulas use English syntax.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from formulas.report.model import CHART_HEIGHT, CHART_WIDTH, Chart, Highlight, Report, ResultTab, column_letters
from sheets_sync.google.cells import column_pixels, tab_cells, used_size
from sheets_sync.google.http import SheetsError
from sheets_sync.google.read import (
    MARKER,
    PROTECTION_PREFIX,
    RECORD_PREFIX,
    TAB_KEY,
    SheetInfo,
    SheetMeta,
    rule_key,
)

PROTECTION_NOTE = f"{PROTECTION_PREFIX} rewritten on every run"
RANGES_PER_RULE = 100


class ResultTabConflict(SheetsError):
    """A user's own tab already has the title of a result tab; Premia will not overwrite it."""

# builds one result tab's cell requests: (tab, its sheetId, link targets title -> sheetId) -> requests
CellsBuilder = Callable[[ResultTab, int, Mapping[str, int]], list[dict[str, Any]]]


def build_batch_update(meta: SheetMeta, report: Report) -> dict[str, Any]:
    """The whole write of one recalculation as one ``batchUpdate`` body, subrequest by subrequest (see
    the module docstring for the order and why)."""
    return {"requests": list(batch_requests(meta, report))}


def batch_requests(meta: SheetMeta, report: Report, cells: CellsBuilder = tab_cells) -> Iterator[dict[str, Any]]:
    """The subrequests of :func:`build_batch_update`, in order, each tab's cells built by ``cells`` only
    when reached (so a caller that finds the body too big part-way stops building)."""
    placed = place_tabs(meta, report)
    sheet_ids = {s.title.casefold(): s.sheet_id for s in meta.sheets}
    sheet_ids.update({tab.title.casefold(): sheet_id for tab, sheet_id, _ in placed})
    yield from remove_leftovers(meta)
    adds = highlight_rules(meta, report, {sheet_id for _, sheet_id, _ in placed}, sheet_ids)
    keep = settled(meta, adds)
    yield from deletions(meta, {sheet_id for _, sheet_id, existing in placed if existing}, keep,
                         inputs_too=report.input_highlights is not None)
    # Existing result tabs are resized before new ones are added, so the spreadsheet never holds more
    # cells mid-batch than after it (Google checks its cell limit after every subrequest).
    yield from (_resize(tab, sheet_id) for tab, sheet_id, existing in placed if existing is not None)
    for tab, sheet_id, existing in placed:
        if existing is None:
            yield from add_sheet(tab, sheet_id)
    for tab, sheet_id, _ in placed:
        yield from widths(tab, sheet_id)
    for tab, sheet_id, _ in placed:
        yield from cells(tab, sheet_id, sheet_ids)
    yield from (add for add in adds if rule_sheet(add) not in keep)
    yield from (protect(sheet_id) for tab, sheet_id, _ in placed if tab.protected)
    for tab, sheet_id, _ in placed:
        yield from ({"addChart": {"chart": chart_spec(chart, tab, sheet_id)}} for chart in tab.charts)
    if report.properties is not None:
        yield from records(meta, report.properties)


def remove_leftovers(meta: SheetMeta) -> list[dict[str, Any]]:
    """Delete the hidden staging tabs a killed staged write left behind (PRODUCT.md section 7)."""
    return [{"deleteSheet": {"sheetId": sheet.sheet_id}} for sheet in meta.leftovers()]


def place_tabs(meta: SheetMeta, report: Report) -> list[tuple[ResultTab, int, SheetInfo | None]]:
    """(tab, sheetId, existing tab or None) per result tab; raises on a clash with a user's tab."""
    taken = {sheet.sheet_id for sheet in meta.sheets}
    placed = []
    for tab in report.tabs:
        existing = meta.find(tab.title)
        if existing is not None and (existing.premia_key is None or not existing.is_grid):
            raise ResultTabConflict(
                f"The tab '{existing.title}' is not one Premia made, so Premia will not overwrite it. "
                f"Rename or delete it, then recalculate; Premia will create its own '{tab.title}' tab.")
        sheet_id = existing.sheet_id if existing else new_sheet_id(tab.key, taken)
        taken.add(sheet_id)
        placed.append((tab, sheet_id, existing))
    return placed


def new_sheet_id(key: str, taken: set[int]) -> int:
    """A stable sheetId for a result key (a hash), moved on past ids already in use."""
    candidate = zlib.crc32(f"premia:{key}".encode()) % 2_000_000_000 + 1
    while candidate in taken:
        candidate = candidate % 2_000_000_000 + 1
    return candidate


def add_sheet(tab: ResultTab, sheet_id: int) -> list[dict[str, Any]]:
    """addSheet sized for the tab, and the developer metadata that marks it as Premia's."""
    rows, cols = used_size(tab)
    grid = {"rowCount": rows, "columnCount": cols, "frozenRowCount": tab.frozen_rows}
    return [
        {"addSheet": {"properties": {"sheetId": sheet_id, "title": tab.title, "gridProperties": grid}}},
        {"createDeveloperMetadata": {"developerMetadata": {
            "metadataKey": TAB_KEY, "metadataValue": tab.key, "visibility": "DOCUMENT",
            "location": {"sheetId": sheet_id}}}},
    ]


def settled(meta: SheetMeta, adds: list[dict[str, Any]]) -> set[int]:
    """Input tabs whose marker rules already are the new highlights, in order: they are neither deleted
    nor added again. A run whose input issues did not change then touches no rule of an input tab, so
    nothing a user does to their rules meanwhile can be hit (Google deletes rules by index only)."""
    new: dict[int, list[str]] = {}
    for add in adds:
        new.setdefault(rule_sheet(add), []).append(rule_key(add["addConditionalFormatRule"]["rule"]))
    return {sheet.sheet_id for sheet in meta.sheets
            if sheet.premia_key is None and not sheet.staging and len(sheet.premia_rule_keys) == len(sheet.premia_rules)
            and tuple(new.get(sheet.sheet_id, ())) == sheet.premia_rule_keys}


def rule_sheet(add: dict[str, Any]) -> int:
    """The sheetId an ``addConditionalFormatRule`` subrequest colours."""
    return int(add["addConditionalFormatRule"]["rule"]["ranges"][0]["sheetId"])


def deletions(meta: SheetMeta, result_ids: set[int], keep: set[int] | frozenset[int] = frozenset(),
              inputs_too: bool = True) -> list[dict[str, Any]]:
    """Delete Premia's previous rules, protections and charts on the result tabs this write rewrites, and
    its marker rules on the user's tabs except those in ``keep`` (already the new highlights) — none at all
    when ``inputs_too`` is False (a what-if leaves input highlights alone). Premia's other tabs (What-if
    during a recalculation, Summary during a what-if) keep everything: this write does not redraw them."""
    out: list[dict[str, Any]] = []
    for sheet in meta.sheets:
        if sheet.sheet_id in result_ids:
            own: range | tuple[int, ...] = range(sheet.rule_count)
        elif sheet.premia_key is None and inputs_too:
            own = range(0) if sheet.sheet_id in keep else sheet.premia_rules
        else:
            continue
        out.extend({"deleteConditionalFormatRule": {"sheetId": sheet.sheet_id, "index": index}}
                   for index in sorted(own, reverse=True))  # descending: earlier indices stay valid
        out.extend({"deleteProtectedRange": {"protectedRangeId": pid}} for pid in sheet.premia_protections)
        if sheet.sheet_id in result_ids:
            out.extend({"deleteEmbeddedObject": {"objectId": cid}} for cid in sheet.chart_ids)
    return out


def rules_kept(sheet: SheetInfo, result_ids: set[int], inputs_too: bool) -> int:
    """How many conditional rules stay on ``sheet`` after :func:`deletions`: new ones go after them."""
    if sheet.sheet_id in result_ids:
        return 0
    if sheet.premia_key is None and inputs_too:
        return sheet.rule_count - len(sheet.premia_rules)
    return sheet.rule_count


def _resize(tab: ResultTab, sheet_id: int) -> dict[str, Any]:
    """updateSheetProperties: exact size and frozen header of a reused result tab."""
    rows, cols = used_size(tab)
    grid = {"rowCount": rows, "columnCount": cols, "frozenRowCount": tab.frozen_rows, "frozenColumnCount": 0}
    fields = ",".join(f"gridProperties.{name}" for name in grid)
    return {"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": grid},
                                      "fields": fields}}


def widths(tab: ResultTab, sheet_id: int) -> list[dict[str, Any]]:
    """Column widths from the column specs' hints, and whether each is hidden (set both ways, so a column
    hidden by an earlier run shows again once it has figures), one subrequest per run of equal columns."""
    out: list[dict[str, Any]] = []
    start = 0

    def shape(index: int) -> tuple[int, bool]:
        return tab.columns[index].width, tab.columns[index].hidden

    for end in range(1, len(tab.columns) + 1):
        if end < len(tab.columns) and shape(end) == shape(start):
            continue
        dimension = {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": start, "endIndex": end}
        properties = {"pixelSize": column_pixels(tab.columns[start]), "hiddenByUser": tab.columns[start].hidden}
        out.append({"updateDimensionProperties": {"range": dimension, "properties": properties,
                                                  "fields": "pixelSize,hiddenByUser"}})
        start = end
    return out


def highlight_rules(meta: SheetMeta, report: Report, result_ids: set[int],
           sheet_ids: dict[str, int]) -> list[dict[str, Any]]:
    """addConditionalFormatRule per highlight, placed after the rules that stay on each sheet.

    Runs of "always" highlights of one colour on one sheet (the input rows with issues) share one
    rule with many ranges: their formula names no cell, and thousands of issues stay a few rules.
    """
    next_index: dict[int, int] = {}
    for sheet in meta.sheets:
        next_index[sheet.sheet_id] = rules_kept(sheet, result_ids, report.input_highlights is not None)
    out: list[dict[str, Any]] = []
    last: tuple[int, str] | None = None
    highlights = [h for tab in report.tabs for h in tab.highlights] + list(report.input_highlights or [])
    for highlight in highlights:
        sheet_id = sheet_ids.get(highlight.tab.casefold())
        if sheet_id is None:
            continue  # the tab is gone: nothing to colour
        ranges = out[-1]["addConditionalFormatRule"]["rule"]["ranges"] if out else []
        joins = highlight.when == "always" and last == (sheet_id, highlight.color)
        if joins and len(ranges) < RANGES_PER_RULE:
            ranges.append(grid_range(highlight, sheet_id))
            continue
        last = (sheet_id, highlight.color) if highlight.when == "always" else None
        index = next_index.get(sheet_id, 0)
        next_index[sheet_id] = index + 1
        out.append({"addConditionalFormatRule": {"index": index, "rule": rule(highlight, sheet_id)}})
    return out


def grid_range(highlight: Highlight, sheet_id: int) -> dict[str, Any]:
    """The GridRange of a highlight's block (model rows are 1-based inclusive, columns 0-based)."""
    (row0, row1), (col0, col1) = highlight.rows, highlight.cols
    return {"sheetId": sheet_id, "startRowIndex": row0 - 1, "endRowIndex": row1,
            "startColumnIndex": col0, "endColumnIndex": col1 + 1}


def rule(highlight: Highlight, sheet_id: int) -> dict[str, Any]:
    """A ConditionalFormatRule filling the highlight's block with its colour."""
    condition = {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": highlight_formula(highlight)}]}
    return {"ranges": [grid_range(highlight, sheet_id)], "booleanRule": {
        "condition": condition, "format": {"backgroundColorStyle": color(highlight.color)}}}


def highlight_formula(highlight: Highlight) -> str:
    """``=AND(…, MARKER)`` relative to the block's top-left cell, from numbers only."""
    cell = f"{column_letters(int(highlight.cols[0]))}{int(highlight.rows[0])}"
    bounds = [_number(value) for value in highlight.values]
    tests = {
        "always": lambda: ["TRUE"],
        "lt": lambda: [f"ISNUMBER({cell})", f"{cell}<{bounds[0]}"],
        "gte": lambda: [f"ISNUMBER({cell})", f"{cell}>={bounds[0]}"],
        "between": lambda: [f"ISNUMBER({cell})", f"{cell}>={bounds[0]}", f"{cell}<{bounds[1]}"],
    }
    if highlight.when not in tests:
        raise ValueError(f"unknown highlight condition {highlight.when!r}")
    return "=AND(" + ",".join([*tests[highlight.when](), MARKER]) + ")"


def _number(value: float) -> str:
    """A finite number as a formula literal (``0.8``, ``1``, ``1E-05``)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"a highlight threshold must be a finite number, not {value!r}")
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number).upper()


def color(hex_rgb: str) -> dict[str, Any]:
    """``F4C7C3`` as a ColorStyle."""
    red, green, blue = (round(int(hex_rgb[i:i + 2], 16) / 255, 4) for i in (0, 2, 4))
    return {"rgbColor": {"red": red, "green": green, "blue": blue}}


def records(meta: SheetMeta, properties: dict[str, str]) -> list[dict[str, Any]]:
    """Replace Premia's close records (spreadsheet-level developer metadata) with ``properties``.

    In the same atomic batch as the tabs they describe, so the Closed months tab and its fingerprints
    never disagree (PRODUCT.md section 3a).
    """
    out: list[dict[str, Any]] = [{"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {
        "metadataId": metadata_id}}}} for metadata_id in meta.record_ids]
    out.extend({"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": RECORD_PREFIX + key, "metadataValue": value, "visibility": "DOCUMENT",
        "location": {"spreadsheet": True}}}} for key, value in sorted(properties.items()))
    return out


def protect(sheet_id: int) -> dict[str, Any]:
    """A warning-only protection over the whole result tab."""
    return {"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "description": PROTECTION_NOTE, "warningOnly": True}}}


def chart_spec(chart: Chart, tab: ResultTab, sheet_id: int) -> dict[str, Any]:
    """An EmbeddedChart: a basic column/bar chart of the tab's own cells at the anchor cell.

    Every source starts at the chart's header row, the row just above ``chart.rows``, and
    ``headerCount`` 1 makes that row name the series. A BAR chart already draws the first row on top
    (Google lists bar categories top-down), which is the model's order, so the domain is not reversed.
    There is no axis number format in BasicChartSpec: Google labels the value axis like the source
    cells.
    """
    first, last = chart.rows
    header = 1 if first >= 2 else 0  # row 1 is the tab header, so a chart's data never starts above 2
    start = first - 1 - header

    def source(col: int) -> dict[str, Any]:
        grid = {"sheetId": sheet_id, "startRowIndex": start, "endRowIndex": last,
                "startColumnIndex": col, "endColumnIndex": col + 1}
        return {"sourceRange": {"sources": [grid]}}

    axis = "LEFT_AXIS" if chart.kind == "column" else "BOTTOM_AXIS"
    basic = {"chartType": "COLUMN" if chart.kind == "column" else "BAR", "legendPosition": "BOTTOM_LEGEND",
             "headerCount": header, "domains": [{"domain": source(chart.category_col)}],
             "series": [{"series": source(col), "targetAxis": axis} for col in chart.value_cols]}
    anchor = {"sheetId": sheet_id, "rowIndex": chart.anchor[0] - 1, "columnIndex": chart.anchor[1]}
    position = {"anchorCell": anchor, "widthPixels": CHART_WIDTH, "heightPixels": CHART_HEIGHT}
    return {"spec": {"title": chart.title, "basicChart": basic}, "position": {"overlayPosition": position}}
