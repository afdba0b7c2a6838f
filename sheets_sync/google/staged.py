"""The staged write (PRODUCT.md section 7): results too big for one request, swapped in by a small one.

Google refuses a request body over 10 485 760 bytes. When the one atomic ``batchUpdate`` of a
recalculation would be bigger than the limit Premia keeps (9 MiB), the new result tabs are written
hidden, under temporary titles and marked ``premia:staging``, in as many requests as needed, each under
the limit; then one small ``batchUpdate`` removes the old result tabs and Premia's old highlights, and
renames, reveals and places the new tabs, adds their highlights, protections and charts and the close
records. Users never see half-written results: until that last request the visible tabs are the old
ones, and it is atomic. A run that fails part-way deletes its staging tabs; the first request of every
write (staged or not) deletes any a killed run left behind.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from formulas.report.model import Report, ResultTab
from sheets_sync.google.cells import tab_cells, used_size
from sheets_sync.google.read import STAGING_KEY, TAB_KEY, SheetMeta
from sheets_sync.google.reuse import BuiltCells
from sheets_sync.google.write import (
    batch_requests,
    chart_spec,
    deletions,
    highlight_rules,
    place_tabs,
    protect,
    records,
    remove_leftovers,
    rule_sheet,
    settled,
    widths,
)

BODY_LIMIT = 9 * 1024 * 1024  # Premia's own limit, well under Google's 10 485 760 bytes
_HEAD, _TAIL = b'{"requests":[', b"]}"  # a batchUpdate body around its encoded subrequests


@dataclass
class StagedPlan:
    """The requests of a staged write, encoded: the staging bodies in order, then the swap."""

    bodies: list[bytes]
    # per staging body, the sheetIds of the staging tabs it adds (to remove them if a later body fails)
    added: list[list[int]] = field(default_factory=list)
    swap: list[dict[str, Any]] = field(default_factory=list)  # the last body's subrequests (its replies are checked)


def encoded(body: Any) -> bytes:
    """A request body (or a piece of one) as the bytes sent: compact UTF-8 JSON, encoded once."""
    return orjson.dumps(body)


def estimated_bytes(report: Report) -> int:
    """A quick lower estimate of the one-request body: about 30 bytes a filled cell (runs of equal cells
    cost less, so this only tells the clearly too big from the rest)."""
    return 30 * sum(sum(1 for value in row if value is not None) for tab in report.tabs for row in tab.rows)


def one_body(meta: SheetMeta, report: Report, limit: int = BODY_LIMIT,
             built: BuiltCells | None = None) -> tuple[list[dict[str, Any]], bytes] | None:
    """The write as one atomic body (its subrequests and their bytes, exactly ``encoded`` of
    :func:`build_batch_update`), or None as soon as it would pass ``limit`` bytes: the tabs after that
    point are never built, and those built are kept in ``built`` for the staged write."""
    requests: list[dict[str, Any]] = []
    pieces: list[bytes] = []
    size = len(_HEAD) + len(_TAIL)
    for request in batch_requests(meta, report, (built or BuiltCells()).build):
        piece = encoded(request)
        size += len(piece) + (1 if pieces else 0)  # the comma before it
        if size > limit:
            return None
        requests.append(request)
        pieces.append(piece)
    return requests, _HEAD + b",".join(pieces) + _TAIL


def staged_plan(meta: SheetMeta, report: Report, run: str, limit: int = BODY_LIMIT,
                built: BuiltCells | None = None) -> StagedPlan:
    """The staging bodies (each under ``limit`` bytes) and the final swap for ``report``; tabs whose cells
    the one-request attempt built (``built``) are taken over, moved to their staging tab."""
    cells = built.reuse if built is not None else tab_cells
    placed = place_tabs(meta, report)  # raises on a user's tab named like a result tab
    taken = {sheet.sheet_id for sheet in meta.sheets}
    staged = []
    for tab, _old_id, existing in placed:
        staged.append((tab, _staging_id(run, tab.key, taken), existing))
        taken.add(staged[-1][1])
    sheet_ids = {sheet.title.casefold(): sheet.sheet_id for sheet in meta.sheets if not sheet.staging}
    sheet_ids.update({tab.title.casefold(): sheet_id for tab, sheet_id, _ in staged})  # links land on the new tabs
    pieces: list[tuple[bytes, int | None]] = [(encoded(request), None) for request in remove_leftovers(meta)]
    for tab, sheet_id, _ in staged:
        pieces += [(encoded(request), sheet_id if "addSheet" in request else None)
                   for request in _staging_tab(tab, sheet_id, run)]
        pieces += [(encoded(request), None) for request in widths(tab, sheet_id)]
        pieces += [(piece, None) for piece in _chunked(cells(tab, sheet_id, sheet_ids), limit // 4)]
    plan = _packed(pieces, limit)
    plan.swap = _swap(meta, report, staged, run, sheet_ids)
    plan.bodies.append(encoded({"requests": plan.swap}))
    return plan


def _staging_id(run: str, key: str, taken: set[int]) -> int:
    """A sheetId for a staging tab of this run, clear of every id in use."""
    candidate = zlib.crc32(f"premia:staging:{run}:{key}".encode()) % 2_000_000_000 + 1
    while candidate in taken:
        candidate = candidate % 2_000_000_000 + 1
    return candidate


def _staging_tab(tab: ResultTab, sheet_id: int, run: str) -> list[dict[str, Any]]:
    """addSheet, hidden and under a temporary title, and the marker that makes it a staging tab."""
    rows, cols = used_size(tab)
    grid = {"rowCount": rows, "columnCount": cols, "frozenRowCount": tab.frozen_rows}
    title = f"Premia staging {run} {tab.key}"
    return [
        {"addSheet": {"properties": {"sheetId": sheet_id, "title": title, "hidden": True, "gridProperties": grid}}},
        {"createDeveloperMetadata": {"developerMetadata": {
            "metadataKey": STAGING_KEY, "metadataValue": run, "visibility": "DOCUMENT",
            "location": {"sheetId": sheet_id}}}},
    ]


def _chunked(requests: list[dict[str, Any]], target: int) -> list[bytes]:
    """The tab's requests, encoded, with its one whole-tab updateCells split into pieces of about ``target``
    bytes; each row is encoded once and the pieces are joined from those bytes.

    A staging tab is new and empty, so each piece writes its rows from a start cell and clears nothing.
    """
    first, *rest = requests
    cells = first["updateCells"]
    sheet_id, fields = cells["range"]["sheetId"], cells["fields"]
    rows = [encoded(row) for row in cells["rows"]]
    pieces: list[bytes] = []
    start, size = 0, 0
    for index, row in enumerate(rows):
        if size + len(row) > target and index > start:
            pieces.append(_chunk(sheet_id, rows, start, index, fields))
            start, size = index, 0
        size += len(row) + 1
    pieces.append(_chunk(sheet_id, rows, start, len(rows), fields))
    return [*pieces, *(encoded(request) for request in rest)]


def _chunk(sheet_id: int, rows: list[bytes], start: int, end: int, fields: str) -> bytes:
    """updateCells of the encoded rows[start:end], written from row ``start`` of the tab."""
    head = encoded({"sheetId": sheet_id, "rowIndex": start, "columnIndex": 0})
    return (b'{"updateCells":{"start":' + head + b',"rows":[' + b",".join(rows[start:end]) + b'],"fields":'
            + encoded(fields) + b"}}")


def _packed(pieces: list[tuple[bytes, int | None]], limit: int) -> StagedPlan:
    """Encoded subrequests in order, joined into as few bodies as fit under ``limit`` bytes each."""
    plan = StagedPlan([], [])
    current: list[bytes] = []
    added: list[int] = []
    size = len(_HEAD) + len(_TAIL)
    for piece, sheet_id in pieces:
        if current and size + len(piece) + 1 > limit:
            plan.bodies.append(_HEAD + b",".join(current) + _TAIL)
            plan.added.append(added)
            current, added, size = [], [], len(_HEAD) + len(_TAIL)
        current.append(piece)
        size += len(piece) + 1
        if sheet_id is not None:
            added.append(sheet_id)
    if current:
        plan.bodies.append(_HEAD + b",".join(current) + _TAIL)
        plan.added.append(added)
    return plan


def _swap(meta: SheetMeta, report: Report, staged: list[tuple[ResultTab, int, Any]], run: str,
          sheet_ids: dict[str, int]) -> list[dict[str, Any]]:
    """The final, small, atomic request: old result tabs out, staging tabs renamed, shown and placed."""
    live = [sheet for sheet in meta.sheets if not sheet.staging]
    adds = highlight_rules(meta, report, {sheet_id for _, sheet_id, _ in staged}, sheet_ids)
    keep = settled(meta, adds)
    # Premia's marker rules on the user's tabs (result tabs replaced here go whole, with their rules)
    requests = deletions(meta, set(), keep, inputs_too=report.input_highlights is not None)
    requests += [{"deleteSheet": {"sheetId": existing.sheet_id}} for _, _, existing in staged if existing]
    order = _final_order(live, staged)
    for index, (tab, sheet_id) in sorted(order.items()):
        requests.append({"updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "title": tab.title, "hidden": False, "index": index},
            "fields": "title,hidden,index"}})
    requests.append({"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {
        "metadataKey": STAGING_KEY, "metadataValue": run}}}})
    requests += [{"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": TAB_KEY, "metadataValue": tab.key, "visibility": "DOCUMENT",
        "location": {"sheetId": sheet_id}}}} for tab, sheet_id, _ in staged]
    requests += [add for add in adds if rule_sheet(add) not in keep]
    requests += [protect(sheet_id) for tab, sheet_id, _ in staged if tab.protected]
    for tab, sheet_id, _ in staged:
        requests += [{"addChart": {"chart": chart_spec(chart, tab, sheet_id)}} for chart in tab.charts]
    if report.properties is not None:
        requests += records(meta, report.properties)
    return requests


def _final_order(live: list[Any], staged: list[tuple[ResultTab, int, Any]]) -> dict[int, tuple[ResultTab, int]]:
    """Where each new tab goes: where its old tab was, or after every other tab."""
    replaced = {existing.sheet_id: (tab, sheet_id) for tab, sheet_id, existing in staged if existing}
    final: list[tuple[ResultTab, int] | None] = [replaced.get(sheet.sheet_id) for sheet in live]
    final += [(tab, sheet_id) for tab, sheet_id, existing in staged if existing is None]
    return {index: entry for index, entry in enumerate(final) if entry is not None}
