"""batchUpdate subrequests on developer metadata: create, update and delete by DataFilter lookup.

Spreadsheet-located metadata lives on the Spreadsheet; sheet-, row- and column-located metadata on its
Sheet (so deleting a sheet deletes it, as in Google). Stored locations carry `locationType`.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.fake_sheets import grid, masks
from tests.fake_sheets.bu_sheets import parse_fields
from tests.fake_sheets.errors import Invalid
from tests.fake_sheets.state import Spreadsheet


def _location(book: Spreadsheet, location: dict[str, Any]) -> dict[str, Any]:
    """Normalise a DeveloperMetadataLocation and add its `locationType`."""
    if location.get("spreadsheet"):
        return {"locationType": "SPREADSHEET", "spreadsheet": True}
    if "sheetId" in location:
        book.sheet_by_id(int(location["sheetId"]))
        return {"locationType": "SHEET", "sheetId": int(location["sheetId"])}
    if "dimensionRange" in location:
        _, dimension, start, end = grid.dimension_bounds(book, location["dimensionRange"])
        dim = {**location["dimensionRange"], "startIndex": start, "endIndex": end}
        return {"locationType": "ROW" if dimension == "ROWS" else "COLUMN", "dimensionRange": dim}
    raise Invalid("Developer metadata needs a location.")


def _holder(book: Spreadsheet, location: dict[str, Any]) -> list[dict[str, Any]]:
    """The list that stores metadata at this location."""
    if location["locationType"] == "SPREADSHEET":
        return book.developer_metadata
    sheet_id = location.get("sheetId", location.get("dimensionRange", {}).get("sheetId", 0))
    return book.sheet_by_id(int(sheet_id)).developer_metadata


def _all(book: Spreadsheet) -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
    """Every (holder, metadata) pair in the spreadsheet."""
    pairs = [(book.developer_metadata, m) for m in book.developer_metadata]
    for sheet in book.sheets:
        pairs.extend((sheet.developer_metadata, m) for m in sheet.developer_metadata)
    return pairs


def create_developer_metadata(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """createDeveloperMetadata: key, visibility and location are required; ids are unique."""
    meta = copy.deepcopy(payload.get("developerMetadata") or {})
    if not meta.get("metadataKey"):
        raise Invalid("Developer metadata must have a metadataKey.")
    if meta.get("visibility") not in ("DOCUMENT", "PROJECT"):
        raise Invalid("Developer metadata visibility must be DOCUMENT or PROJECT.")
    meta["location"] = _location(book, meta.get("location") or {})
    if "metadataId" in meta and int(meta["metadataId"]) in book.used_ids():
        raise Invalid(f"Developer metadata id {meta['metadataId']} is already in use.")
    meta.setdefault("metadataId", book.new_id())
    _holder(book, meta["location"]).append(meta)
    return {"developerMetadata": copy.deepcopy(meta)}


def _matches(book: Spreadsheet, meta: dict[str, Any], lookup: dict[str, Any]) -> bool:
    """Does one DeveloperMetadata satisfy every criterion of a DeveloperMetadataLookup?"""
    for key in ("metadataId", "metadataKey", "metadataValue", "visibility"):
        if key in lookup and meta.get(key) != lookup[key]:
            return False
    if "locationType" in lookup and meta["location"]["locationType"] != lookup["locationType"]:
        return False
    if "metadataLocation" in lookup:
        wanted = _location(book, lookup["metadataLocation"])
        if lookup.get("locationMatchingStrategy") == "INTERSECTING_LOCATION" and "dimensionRange" in wanted:
            return _intersects(meta["location"], wanted)
        return meta["location"] == wanted
    return True


def _intersects(have: dict[str, Any], want: dict[str, Any]) -> bool:
    """Two dimension locations on the same sheet and dimension that overlap."""
    a, b = have.get("dimensionRange"), want["dimensionRange"]
    return (
        bool(a)
        and a.get("sheetId") == b.get("sheetId")
        and a.get("dimension") == b.get("dimension")
        and a["startIndex"] < b["endIndex"]
        and b["startIndex"] < a["endIndex"]
    )


def find(book: Spreadsheet, lookup: dict[str, Any]) -> list[dict[str, Any]]:
    """Copies of the metadata a DeveloperMetadataLookup selects ({} selects all): spreadsheet-level
    first, then sheet by sheet (used by developerMetadata.search/get and `FakeSheets.developer_metadata`)."""
    return [copy.deepcopy(meta) for _, meta in _all(book) if _matches(book, meta, lookup)]


def _select(book: Spreadsheet, data_filter: dict[str, Any]) -> list[tuple[list[dict[str, Any]], dict]]:
    """The metadata a DataFilter selects (only developerMetadataLookup filters are modelled)."""
    lookup = data_filter.get("developerMetadataLookup")
    if not lookup:
        raise Invalid("Only developerMetadataLookup data filters are supported for developer metadata.")
    return [(holder, meta) for holder, meta in _all(book) if _matches(book, meta, lookup)]


def delete_developer_metadata(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """deleteDeveloperMetadata: reply lists what was deleted (omitted when nothing matched)."""
    chosen = _select(book, payload.get("dataFilter") or {})
    for holder, meta in chosen:
        holder.remove(meta)
    return {"deletedDeveloperMetadata": [m for _, m in chosen]} if chosen else {}


def update_developer_metadata(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """updateDeveloperMetadata: apply the masked fields to every selected metadata."""
    tree = parse_fields(payload, "DeveloperMetadata")
    source = payload.get("developerMetadata") or {}
    chosen = [pair for f in payload.get("dataFilters") or [] for pair in _select(book, f)]
    for holder, meta in chosen:
        masks.apply_update(meta, source, tree)
        if "location" in tree:
            meta["location"] = _location(book, meta.get("location") or {})
            holder.remove(meta)
            _holder(book, meta["location"]).append(meta)
    return {"developerMetadata": [copy.deepcopy(m) for _, m in chosen]} if chosen else {}


HANDLERS = {
    "createDeveloperMetadata": create_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "updateDeveloperMetadata": update_developer_metadata,
}
