"""The fake's in-memory state: spreadsheets, sheets, cells and sheet-level objects, in Google's shapes.

Everything stored is plain JSON-able data in the API's own field names (`SheetProperties`, `CellData`,
`ConditionalFormatRule`, ...), so rendering a GET response is mostly copying, and a batchUpdate runs on a
`copy.deepcopy` of a `Spreadsheet` that replaces the original only when every subrequest succeeded.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from tests.fake_sheets.errors import Invalid
from tests.fake_sheets.limits import CELL_LIMIT

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26


@dataclass
class Sheet:
    """One tab: its `SheetProperties`, sparse cells keyed by (row, column), and attached objects."""

    properties: dict[str, Any]
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    row_metadata: dict[int, dict[str, Any]] = field(default_factory=dict)
    column_metadata: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def sheet_id(self) -> int:
        """The sheet's numeric id."""
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        """The tab title."""
        return str(self.properties["title"])

    @property
    def rows(self) -> int:
        """Grid row count."""
        return int(self.properties["gridProperties"]["rowCount"])

    @property
    def columns(self) -> int:
        """Grid column count."""
        return int(self.properties["gridProperties"]["columnCount"])


@dataclass
class Spreadsheet:
    """A spreadsheet: properties, ordered sheets, spreadsheet-level metadata, and who may touch it."""

    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    owner: str = ""
    owner_email: str = ""
    editors: set[str] = field(default_factory=set)
    readers: set[str] = field(default_factory=set)
    # Ids Google would assign (sheets, protected ranges, metadata, charts...); shared counter.
    last_id: int = 1_000_000
    # The cell limit a batchUpdate on this spreadsheet runs under (set from `FakeSheets(cell_limit=)`).
    cell_limit: int = CELL_LIMIT

    def new_id(self) -> int:
        """A fresh id not used by any object in this spreadsheet."""
        used = self.used_ids()
        self.last_id += 1
        while self.last_id in used:
            self.last_id += 1
        return self.last_id

    def used_ids(self) -> set[int]:
        """All numeric ids currently in use (sheets, ranges, rules' ids, metadata, charts)."""
        ids: set[int] = set()
        for sheet in self.sheets:
            ids.add(sheet.sheet_id)
            ids.update(int(p["protectedRangeId"]) for p in sheet.protected_ranges)
            ids.update(int(c["chartId"]) for c in sheet.charts)
            ids.update(int(m["metadataId"]) for m in sheet.developer_metadata)
        ids.update(int(m["metadataId"]) for m in self.developer_metadata)
        return ids

    def sheet_by_id(self, sheet_id: int) -> Sheet:
        """Return the sheet with this id or raise Invalid (Google's 400 for a missing sheet)."""
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise Invalid(f"No grid with id: {sheet_id}")

    def sheet_by_title(self, title: str | None) -> Sheet | None:
        """Return the sheet titled `title` (the first sheet for None), or None."""
        if title is None:
            return self.sheets[0] if self.sheets else None
        return next((s for s in self.sheets if s.title == title), None)

    def reindex(self) -> None:
        """Keep `properties.index` equal to the position in `sheets`, as Google does."""
        self.sheets.sort(key=lambda s: s.properties.get("index", 0))
        for position, sheet in enumerate(self.sheets):
            sheet.properties["index"] = position

    def can_read(self, token: str) -> bool:
        """Owner, editors and readers may read."""
        return token == self.owner or token in self.editors or token in self.readers

    def can_edit(self, token: str) -> bool:
        """Owner and editors may write."""
        return token == self.owner or token in self.editors

    def copy(self) -> Spreadsheet:
        """A deep copy on which a batchUpdate can run without touching the original."""
        return copy.deepcopy(self)


def new_sheet(
    sheet_id: int, title: str, index: int, rows: int = DEFAULT_ROWS, columns: int = DEFAULT_COLUMNS
) -> Sheet:
    """A blank grid sheet with Google's default properties."""
    return Sheet(
        {
            "sheetId": sheet_id,
            "title": title,
            "index": index,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": columns},
        }
    )


def snapshot(book: Spreadsheet) -> dict[str, Any]:
    """A deep, JSON-able, comparable copy of one spreadsheet's entire state."""
    return {
        "spreadsheetId": book.spreadsheet_id,
        "properties": copy.deepcopy(book.properties),
        "developerMetadata": copy.deepcopy(book.developer_metadata),
        "namedRanges": copy.deepcopy(book.named_ranges),
        "sheets": [_sheet_snapshot(sheet) for sheet in book.sheets],
        "access": {"owner": book.owner, "editors": sorted(book.editors), "readers": sorted(book.readers)},
    }


def _sheet_snapshot(sheet: Sheet) -> dict[str, Any]:
    """Snapshot of one sheet; cells become a sorted list of `[row, column, CellData]`."""
    return copy.deepcopy(
        {
            "properties": sheet.properties,
            "cells": [[r, c, sheet.cells[(r, c)]] for r, c in sorted(sheet.cells)],
            "conditionalFormats": sheet.conditional_formats,
            "protectedRanges": sheet.protected_ranges,
            "developerMetadata": sheet.developer_metadata,
            "charts": sheet.charts,
            "merges": sheet.merges,
            "rowMetadata": [[i, sheet.row_metadata[i]] for i in sorted(sheet.row_metadata)],
            "columnMetadata": [[i, sheet.column_metadata[i]] for i in sorted(sheet.column_metadata)],
        }
    )
