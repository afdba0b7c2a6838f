"""The implemented Sheets v4 methods, each `(registry, call) -> response body`.

Authentication, validation, fault injection and logging happen before these run (see `fake.py`);
here a method finds its spreadsheet, checks the caller's role, and reads or replaces state.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from tests.fake_sheets import batch_update, bu_metadata, defaults, limits, render, values
from tests.fake_sheets.errors import ApiError, Invalid
from tests.fake_sheets.state import Spreadsheet, new_sheet

WRITES = {"batchUpdate", "values.update", "values.batchUpdate", "values.clear"}


@dataclass
class Call:
    """One parsed HTTP request: method kind, path parts, query (repeated values kept) and JSON body."""

    kind: str
    token: str
    spreadsheet_id: str | None = None
    range: str | None = None
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Any = None
    cell_limit: int = limits.CELL_LIMIT

    def param(self, name: str, default: str) -> str:
        """A single query parameter's value."""
        return self.query.get(name, [default])[0]


def book_for(books: dict[str, Spreadsheet], call: Call) -> Spreadsheet:
    """Find the spreadsheet and check the caller may read it (and edit it, for writes)."""
    book = books.get(call.spreadsheet_id or "")
    if book is None:
        raise ApiError(404)
    if not book.can_read(call.token) or (call.kind in WRITES and not book.can_edit(call.token)):
        raise ApiError(403)
    return book


def get(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.get with includeGridData, ranges and fields."""
    book = book_for(books, call)
    include = call.param("includeGridData", "false").lower() == "true"
    return render.spreadsheet(
        book, include, call.query.get("ranges", []), call.query.get("fields", [None])[0]
    )


def _render_options(call: Call) -> tuple[str, str, str]:
    """(valueRenderOption, dateTimeRenderOption, majorDimension) with Google's defaults."""
    major = call.param("majorDimension", "ROWS")
    return (
        call.param("valueRenderOption", "FORMATTED_VALUE"),
        call.param("dateTimeRenderOption", "SERIAL_NUMBER"),
        "ROWS" if major == "DIMENSION_UNSPECIFIED" else major,
    )


def values_get(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.values.get."""
    book = book_for(books, call)
    render_option, date_option, major = _render_options(call)
    return values.value_range(values.resolve(book, call.range or ""), render_option, date_option, major)


def values_batch_get(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.values.batchGet (no `ranges` returns no valueRanges, as Google does)."""
    book = book_for(books, call)
    render_option, date_option, major = _render_options(call)
    ranges = [
        values.value_range(values.resolve(book, text), render_option, date_option, major)
        for text in call.query.get("ranges", [])
    ]
    out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id}
    if ranges:
        out["valueRanges"] = ranges
    return out


def batch_update_call(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.batchUpdate: atomic; the new state replaces the old only on success."""
    book = book_for(books, call)
    new_book, response = batch_update.apply(book, call.body or {}, call.cell_limit)
    books[book.spreadsheet_id] = new_book
    return response


def _input_option(option: str | None) -> bool:
    """True for USER_ENTERED; RAW is False; anything else is Google's 400."""
    if option not in ("RAW", "USER_ENTERED"):
        raise ApiError.invalid(f"Invalid valueInputOption: {option or 'INPUT_VALUE_OPTION_UNSPECIFIED'}")
    return option == "USER_ENTERED"


def values_update(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.values.update (PUT)."""
    book = book_for(books, call)
    body = batch_update.drop_nulls(call.body or {})
    user = _input_option(call.query.get("valueInputOption", [None])[0])
    work = book.copy()
    out = values.write(
        work, call.range or "", body.get("values", []), body.get("majorDimension", "ROWS"), user
    )
    books[book.spreadsheet_id] = work
    return out


def values_batch_update(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.values.batchUpdate (applied all-or-nothing here; Google documents no atomicity)."""
    book = book_for(books, call)
    body = batch_update.drop_nulls(call.body or {})
    user = _input_option(body.get("valueInputOption"))
    work = book.copy()
    responses = [
        values.write(
            work, item.get("range", ""), item.get("values", []), item.get("majorDimension", "ROWS"), user
        )
        for item in body.get("data", [])
    ]
    books[book.spreadsheet_id] = work
    done = [r for r in responses if "updatedCells" in r]
    return {
        "spreadsheetId": book.spreadsheet_id,
        "totalUpdatedRows": sum(r["updatedRows"] for r in done),
        "totalUpdatedColumns": sum(r["updatedColumns"] for r in done),
        "totalUpdatedCells": sum(r["updatedCells"] for r in done),
        "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0] for r in done}),
        "responses": responses,
    }


def values_clear(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.values.clear."""
    book = book_for(books, call)
    work = book.copy()
    out = values.clear(work, call.range or "")
    books[book.spreadsheet_id] = work
    return out


def create(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.create: the caller owns the new spreadsheet."""
    body = batch_update.drop_nulls(call.body or {})
    props = body.get("properties", {})
    book = new_book(
        props.get("title", "Untitled spreadsheet"),
        call.token,
        locale=props.get("locale", "en_US"),
        time_zone=props.get("timeZone", "Etc/GMT"),
    )
    book.sheets.clear()
    for position, sheet in enumerate(body.get("sheets") or [{}]):
        sp = sheet.get("properties", {})
        size = sp.get("gridProperties", {})
        book.sheets.append(
            new_sheet(
                int(sp.get("sheetId", 0 if position == 0 else book.new_id())),
                sp.get("title", f"Sheet{position + 1}"),
                position,
                size.get("rowCount", 1000),
                size.get("columnCount", 26),
            )
        )
    if limits.cell_count(book) > call.cell_limit:
        raise ApiError.invalid(limits.cells_message(call.cell_limit))
    books[book.spreadsheet_id] = book
    return render.spreadsheet(book, False, [], None)


def developer_metadata_get(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.developerMetadata.get: one DeveloperMetadata by id, 404 when there is none."""
    book = book_for(books, call)
    text = call.range or ""
    if not text.lstrip("-").isdigit():
        raise ApiError.invalid(f"Invalid value at 'metadata_id' (TYPE_INT32), \"{text}\"")
    found = bu_metadata.find(book, {"metadataId": int(text)})
    if not found:
        raise ApiError(404, f"No developer metadata with ID: {text}")
    return found[0]


def developer_metadata_search(books: dict[str, Spreadsheet], call: Call) -> dict[str, Any]:
    """spreadsheets.developerMetadata.search: metadata matching any filter, with the filters it matched.

    Only `developerMetadataLookup` filters are modelled; a location filter (a1Range, gridRange)
    answers 501 so a test never silently relies on what the fake does not do.
    """
    book = book_for(books, call)
    filters = batch_update.drop_nulls(call.body or {}).get("dataFilters") or []
    matched: dict[int, dict[str, Any]] = {}
    for data_filter in filters:
        lookup = data_filter.get("developerMetadataLookup")
        if not lookup:
            raise ApiError(501, "fake_sheets searches developer metadata by developerMetadataLookup only.")
        try:
            found = bu_metadata.find(book, lookup)
        except Invalid as problem:
            raise ApiError.invalid(str(problem)) from None
        for meta in found:
            entry = matched.setdefault(int(meta["metadataId"]), {"developerMetadata": meta, "dataFilters": []})
            entry["dataFilters"].append(data_filter)
    order = [int(m["metadataId"]) for m in bu_metadata.find(book, {})]
    hits = [matched[i] for i in order if i in matched]
    return {"matchedDeveloperMetadata": hits} if hits else {}


def new_book(
    title: str,
    owner: str,
    spreadsheet_id: str | None = None,
    locale: str = "en_US",
    time_zone: str = "Etc/GMT",
) -> Spreadsheet:
    """A new spreadsheet with one empty `Sheet1` (sheetId 0), like Google creates."""
    book = Spreadsheet(
        spreadsheet_id or "1" + secrets.token_urlsafe(32)[:43],
        defaults.spreadsheet_properties(title, locale, time_zone),
        owner=owner,
        owner_email=f"{owner}@fake-sheets.test",
    )
    book.sheets.append(new_sheet(0, "Sheet1", 0))
    return book


METHODS = {
    "get": get,
    "values.get": values_get,
    "values.batchGet": values_batch_get,
    "batchUpdate": batch_update_call,
    "values.update": values_update,
    "values.batchUpdate": values_batch_update,
    "values.clear": values_clear,
    "create": create,
    "developerMetadata.get": developer_metadata_get,
    "developerMetadata.search": developer_metadata_search,
}

BODY_SCHEMAS = {
    "batchUpdate": ("BatchUpdateSpreadsheetRequest", ""),
    "values.update": ("ValueRange", "data"),
    "values.batchUpdate": ("BatchUpdateValuesRequest", ""),
    "values.clear": ("ClearValuesRequest", ""),
    "create": ("Spreadsheet", ""),
    "developerMetadata.search": ("SearchDeveloperMetadataRequest", ""),
}
