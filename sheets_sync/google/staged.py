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

import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from formulas.report.model import Report, ResultTab
from sheets_sync.google.cells import tab_cells, used_size
from sheets_sync.google.read import STAGING_KEY, TAB_KEY, SheetMeta
from sheets_sync.google.write import (
    chart_spec,
    deletions,
    highlight_rules,
    place_tabs,
    protect,
    records,
    remove_leftovers,
    widths,
)

BODY_LIMIT = 9 * 1024 * 1024  # Premia's own limit, well under Google's 10 485 760 bytes


@dataclass
class StagedPlan:
    """The requests of a staged write: the staging bodies in order, then the swap."""

    bodies: list[dict[str, Any]]
    # per staging body, the sheetIds of the staging tabs it adds (to remove them if a later body fails)
    added: list[list[int]] = field(default_factory=list)


def encoded(body: dict[str, Any]) -> bytes:
    """A request body as the bytes sent: compact UTF-8 JSON (Russian text 2 bytes a letter, not 6)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def staged_plan(meta: SheetMeta, report: Report, run: str, limit: int = BODY_LIMIT) -> StagedPlan:
    """The staging bodies (each under ``limit`` bytes) and the final swap for ``report``."""
    placed = place_tabs(meta, report)  # raises on a user's tab named like a result tab
    taken = {sheet.sheet_id for sheet in meta.sheets}
    staged = []
    for tab, _old_id, existing in placed:
        staged.append((tab, _staging_id(run, tab.key, taken), existing))
        taken.add(staged[-1][1])
    sheet_ids = {sheet.title.casefold(): sheet.sheet_id for sheet in meta.sheets if not sheet.staging}
    sheet_ids.update({tab.title.casefold(): sheet_id for tab, sheet_id, _ in staged})  # links land on the new tabs
    subrequests: list[tuple[dict[str, Any], int | None]] = [(request, None) for request in remove_leftovers(meta)]
    for tab, sheet_id, _ in staged:
        subrequests += [(request, sheet_id) for request in _staging_tab(tab, sheet_id, run)]
        subrequests += [(request, None) for request in widths(tab, sheet_id)]
        subrequests += [(request, None) for request in _chunked(tab_cells(tab, sheet_id, sheet_ids), limit // 4)]
    plan = _packed(subrequests, limit)
    plan.bodies.append({"requests": _swap(meta, report, staged, run, sheet_ids)})
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


def _chunked(requests: list[dict[str, Any]], target: int) -> list[dict[str, Any]]:
    """The tab's requests with its one whole-tab updateCells split into updateCells of about ``target`` bytes.

    A staging tab is new and empty, so each chunk writes its rows from a start cell and clears nothing.
    """
    first, *rest = requests
    cells = first["updateCells"]
    sheet_id, rows = cells["range"]["sheetId"], cells["rows"]
    chunks: list[dict[str, Any]] = []
    start, size = 0, 0
    for index, row in enumerate(rows):
        size += len(encoded(row))
        if size > target and index > start:
            chunks.append(_chunk(sheet_id, rows, start, index, cells["fields"]))
            start, size = index, len(encoded(row))
    chunks.append(_chunk(sheet_id, rows, start, len(rows), cells["fields"]))
    return [*chunks, *rest]


def _chunk(sheet_id: int, rows: list[dict[str, Any]], start: int, end: int, fields: str) -> dict[str, Any]:
    """updateCells of rows[start:end] written from row ``start`` of the tab."""
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": start, "columnIndex": 0},
                            "rows": rows[start:end], "fields": fields}}


def _packed(subrequests: list[tuple[dict[str, Any], int | None]], limit: int) -> StagedPlan:
    """Subrequests in order, as few bodies as fit under ``limit`` bytes each."""
    plan = StagedPlan([], [])
    overhead = len(encoded({"requests": []}))
    current: list[dict[str, Any]] = []
    added: list[int] = []
    size = overhead
    for request, sheet_id in subrequests:
        cost = len(encoded(request)) + 1
        if current and size + cost > limit:
            plan.bodies.append({"requests": current})
            plan.added.append(added)
            current, added, size = [], [], overhead
        current.append(request)
        size += cost
        if sheet_id is not None and "addSheet" in request:
            added.append(sheet_id)
    if current:
        plan.bodies.append({"requests": current})
        plan.added.append(added)
    return plan


def _swap(meta: SheetMeta, report: Report, staged: list[tuple[ResultTab, int, Any]], run: str,
          sheet_ids: dict[str, int]) -> list[dict[str, Any]]:
    """The final, small, atomic request: old result tabs out, staging tabs renamed, shown and placed."""
    live = [sheet for sheet in meta.sheets if not sheet.staging]
    requests = deletions(meta, set())  # Premia's highlights and protections, wherever they are
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
    requests += highlight_rules(meta, report, {sheet_id for _, sheet_id, _ in staged}, sheet_ids)
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
