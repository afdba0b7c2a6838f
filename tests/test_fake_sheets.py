"""Tests of the Sheets API fake: real gspread over loopback HTTP, strict validation, atomicity,
access control, faults, and the semantics of the subrequests the Google adapter relies on."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests

from tests.fake_sheets import FakeSheets, gspread_client
from tests.fake_sheets.a1 import A1Error, parse, quote_title

OWNER, EDITOR, READER, STRANGER = "owner-tok", "editor-tok", "reader-tok", "stranger-tok"
METADATA_FIELDS = "sheets(properties,conditionalFormats,protectedRanges,developerMetadata)"
UNFORMATTED = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    with FakeSheets() as running:
        running.add_token(STRANGER)
        yield running


def deals_book(fake: FakeSheets) -> str:
    """A small two-tab spreadsheet: Cyrillic tab with a gap row, and an English one."""
    return fake.create_spreadsheet(
        "План",
        sheets={
            "Сделки": [
                ["Менеджер", "Сумма", "Дата"],
                ["Анна", 1000, dt.date(2024, 1, 5)],
                [],
                ["Борис", "007", None],
            ],
            "Deals": [["x"]],
        },
        owner_token=OWNER,
        editors=[EDITOR],
        readers=[READER],
    )


def call(
    fake: FakeSheets, method: str, path: str, token: str | None = OWNER, **kwargs: Any
) -> requests.Response:
    """A raw HTTP request to the fake (for what gspread cannot send, e.g. a malformed body)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, fake.url + path, headers=headers, timeout=10, **kwargs)


def batch(fake: FakeSheets, sid: str, *requests_: dict[str, Any], token: str = OWNER) -> requests.Response:
    """POST one spreadsheets.batchUpdate."""
    return call(fake, "POST", f"v4/spreadsheets/{sid}:batchUpdate", token, json={"requests": list(requests_)})


def state_json(fake: FakeSheets, sid: str) -> str:
    """The whole state, serialised for byte-for-byte comparison."""
    return json.dumps(fake.snapshot(sid), sort_keys=True, ensure_ascii=False)


# -- real gspread ------------------------------------------------------------------------------------


def test_gspread_reads_metadata_and_values_through_the_helper(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    book = gspread_client(fake, OWNER).open_by_key(sid)
    meta = book.fetch_sheet_metadata(params={"fields": METADATA_FIELDS})
    got = book.values_batch_get(["'Сделки'!A:Z", "Deals"], params=UNFORMATTED)

    assert [s["properties"]["title"] for s in meta["sheets"]] == ["Сделки", "Deals"]
    assert set(meta) == {"sheets"} and set(meta["sheets"][0]) == {"properties"}
    first, second = got["valueRanges"]
    assert first["range"] == "'Сделки'!A1:Z1000"
    assert first["values"] == [["Менеджер", "Сумма", "Дата"], ["Анна", 1000, 45296], [], ["Борис", "007"]]
    assert second == {"range": "Deals!A1:Z1000", "majorDimension": "ROWS", "values": [["x"]]}
    assert fake.schema_violations == []
    assert [r.kind for r in fake.calls()] == ["get", "get", "values.batchGet"]  # open_by_key GETs once


def test_gspread_batch_update_adds_a_sheet_and_writes_it(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    book = gspread_client(fake, EDITOR).open_by_key(sid)
    reply = book.batch_update(
        {
            "requests": [
                {"addSheet": {"properties": {"sheetId": 4242, "title": "Итоги"}}},
                {
                    "updateCells": {
                        "range": {
                            "sheetId": 4242,
                            "startRowIndex": 0,
                            "endRowIndex": 2,
                            "startColumnIndex": 0,
                            "endColumnIndex": 2,
                        },
                        "rows": [
                            {
                                "values": [
                                    {"userEnteredValue": {"stringValue": "=IMPORTXML(1)"}},
                                    {
                                        "userEnteredValue": {"numberValue": 0.25},
                                        "userEnteredFormat": {
                                            "numberFormat": {"type": "PERCENT", "pattern": "0%"}
                                        },
                                    },
                                ]
                            }
                        ],
                        "fields": "userEnteredValue,userEnteredFormat",
                    }
                },
            ]
        }
    )
    assert reply["replies"][0]["addSheet"]["properties"]["sheetId"] == 4242
    assert reply["replies"][1] == {}
    assert book.values_get("Итоги!A1:B2")["values"] == [["=IMPORTXML(1)", "25%"]]
    assert book.values_get("Итоги!B1", params={"valueRenderOption": "UNFORMATTED_VALUE"})["values"] == [
        [0.25]
    ]
    assert len(fake.calls("batchUpdate")) == 1 and fake.schema_violations == []


def test_gspread_sees_google_error_codes(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    with pytest.raises(PermissionError) as denied:  # gspread's own mapping of a 403
        gspread_client(fake, STRANGER).open_by_key(sid)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        gspread_client(fake, OWNER).open_by_key("no-such-id")
    with pytest.raises(gspread.exceptions.APIError) as invalid:
        gspread_client(fake, OWNER).open_by_key(sid).values_get("'Нет такого'!A1")
    assert isinstance(denied.value.__cause__, gspread.exceptions.APIError)
    assert denied.value.__cause__.code == 403
    assert invalid.value.code == 400 and "Unable to parse range" in str(invalid.value)


# -- A1 notation and value reads -------------------------------------------------------------------


def bounds(text: str, titles: list[str]) -> tuple[Any, ...]:
    """(sheet, row0, row1, col0, col1) of a parsed range."""
    got = parse(text, titles)
    return got.sheet, got.row0, got.row1, got.col0, got.col1


def test_a1_parsing_handles_quotes_cyrillic_open_and_whole_sheet_ranges() -> None:
    titles = ["Deals", "It's", "Мои сделки"]
    assert bounds("'Мои сделки'!A2:C", titles) == ("Мои сделки", 1, None, 0, 3)
    assert bounds("'It''s'!B:B", titles) == ("It's", 0, None, 1, 2)
    assert bounds("Deals", titles) == ("Deals", 0, None, 0, None)
    assert bounds("Deals!D4:A1", titles) == ("Deals", 0, 4, 0, 4)
    assert bounds("B2", titles) == (None, 1, 2, 1, 2)
    assert (quote_title("Sheet1"), quote_title("D3"), quote_title("It's")) == ("Sheet1", "'D3'", "'It''s'")
    with pytest.raises(A1Error):
        parse("'unclosed!A1", titles)


def test_values_are_trimmed_like_google_and_formats_render(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    fake.set_cell(sid, "Deals!B3", 0.15, number_format={"type": "PERCENT", "pattern": "0%"})
    fake.set_cell(sid, "Deals!C3", "=4/2")
    fake.set_cell(sid, "Deals!D3", "=SUM(A1:A2)")
    empty = call(fake, "GET", f"v4/spreadsheets/{sid}/values/Deals!E5:F9").json()
    formatted = call(fake, "GET", f"v4/spreadsheets/{sid}/values/Deals").json()
    formulas = call(
        fake, "GET", f"v4/spreadsheets/{sid}/values/Deals!A3:D3", params={"valueRenderOption": "FORMULA"}
    ).json()

    assert empty == {"range": "Deals!E5:F9", "majorDimension": "ROWS"}
    assert formatted["values"] == [["x"], [], ["", "15%", "2", "=SUM(A1:A2)"]]
    assert fake.values(sid, "Deals!B3:D3") == [[0.15, 2, "=SUM(A1:A2)"]]
    assert formulas["values"] == [["", 0.15, "=4/2", "=SUM(A1:A2)"]]


def test_metadata_read_with_ranges_and_grid_mask_shows_only_touched_sheets(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    fake.set_cell(sid, "Deals!A2", 0.5, number_format={"type": "PERCENT", "pattern": "0.0%"}, note="n")
    got = call(
        fake,
        "GET",
        f"v4/spreadsheets/{sid}",
        params={
            "ranges": "Deals!A1:A2",
            "fields": "sheets(properties.title,data.rowData.values(userEnteredFormat,note))",
            "includeGridData": "true",
        },
    ).json()
    assert got == {
        "sheets": [
            {
                "properties": {"title": "Deals"},
                "data": [
                    {
                        "rowData": [
                            {},
                            {
                                "values": [
                                    {
                                        "userEnteredFormat": {
                                            "numberFormat": {"type": "PERCENT", "pattern": "0.0%"}
                                        },
                                        "note": "n",
                                    }
                                ]
                            },
                        ]
                    }
                ],
            }
        ]
    }


# -- strict validation --------------------------------------------------------------------------


def test_batch_update_is_atomic(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    before = state_json(fake, sid)
    response = batch(
        fake,
        sid,
        {"addSheet": {"properties": {"title": "New"}}},
        {"updateCells": {"range": {"sheetId": 999}, "fields": "userEnteredValue"}},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "status": "INVALID_ARGUMENT",
            "message": "Invalid requests[1].updateCells: No grid with id: 999",
        }
    }
    assert state_json(fake, sid) == before


@pytest.mark.parametrize(
    ("request_", "needle"),
    [
        ({"addSheet": {}, "deleteSheet": {"sheetId": 0}}, "oneof field 'kind' is already set"),
        ({"addSheet": {"properties": {"titel": "x"}}}, 'Unknown name "titel"'),
        (
            {
                "repeatCell": {
                    "range": {"sheetId": 0},
                    "cell": {"userEnteredFormat": {"numberFormat": {"type": "PERCENTS"}}},
                    "fields": "userEnteredFormat",
                }
            },
            "number_format.type",
        ),
        (
            {
                "updateCells": {
                    "start": {"sheetId": 0},
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": "a", "numberValue": 1}}]}],
                    "fields": "*",
                }
            },
            "oneof",
        ),
    ],
)
def test_malformed_bodies_are_400_and_logged(fake: FakeSheets, request_: dict[str, Any], needle: str) -> None:
    sid = deals_book(fake)
    before = state_json(fake, sid)
    response = batch(fake, sid, request_)
    error = response.json()["error"]
    assert response.status_code == 400 and error["status"] == "INVALID_ARGUMENT"
    assert needle in error["message"]
    assert error["details"][0]["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    assert len(fake.schema_violations) == 1 and state_json(fake, sid) == before


def test_nulls_and_string_int64s_are_accepted(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    response = batch(
        fake,
        sid,
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                    "description": None,
                    "editors": None,
                }
            }
        },
    )
    assert response.status_code == 200 and fake.schema_violations == []


def test_unknown_or_bad_query_parameters_are_400(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    unknown = call(fake, "GET", f"v4/spreadsheets/{sid}", params={"includeGridDate": "true"})
    bad_enum = call(
        fake,
        "GET",
        f"v4/spreadsheets/{sid}/values:batchGet",
        params={"ranges": "Deals", "valueRenderOption": "RAW"},
    )
    assert (unknown.status_code, bad_enum.status_code) == (400, 400)
    assert "Cannot bind query parameter" in unknown.json()["error"]["message"]
    assert [v.kind for v in fake.schema_violations] == ["get", "values.batchGet"]


# -- access control, faults -------------------------------------------------------------------------


def test_authentication_and_permissions(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    path = f"v4/spreadsheets/{sid}"
    fake.revoke_token(EDITOR)
    assert call(fake, "GET", path, token=None).json()["error"]["status"] == "UNAUTHENTICATED"
    assert call(fake, "GET", path, token=EDITOR).status_code == 401
    assert call(fake, "GET", path, token=STRANGER).json()["error"] == {
        "code": 403,
        "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED",
    }
    assert call(fake, "GET", path, token=READER).status_code == 200
    assert (
        batch(
            fake,
            sid,
            {"autoResizeDimensions": {"dimensions": {"sheetId": 0, "dimension": "ROWS"}}},
            token=READER,
        ).status_code
        == 403
    )
    assert (
        call(fake, "GET", "v4/spreadsheets/nope").json()["error"]["message"]
        == "Requested entity was not found."
    )
    assert (fake.can_edit(OWNER, sid), fake.can_edit(READER, sid), fake.can_edit(EDITOR, sid)) == (
        True,
        False,
        False,
    )


def test_injected_faults_then_success_and_latency(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    fake.inject([503, 429, 500, 408])
    statuses = [call(fake, "GET", f"v4/spreadsheets/{sid}").json()["error"]["status"] for _ in range(4)]
    fake.latency = 0.05
    started = time.monotonic()
    ok = call(fake, "GET", f"v4/spreadsheets/{sid}/values/Deals")
    assert statuses == ["UNAVAILABLE", "RESOURCE_EXHAUSTED", "INTERNAL", "DEADLINE_EXCEEDED"]
    assert ok.status_code == 200 and time.monotonic() - started >= 0.05
    assert [r.status for r in fake.calls()] == [503, 429, 500, 408, 200]


# -- subrequest semantics ------------------------------------------------------------------------------


def test_update_cells_with_range_clears_uncovered_cells_for_the_masked_fields_only(fake: FakeSheets) -> None:
    sid = fake.create_spreadsheet("t", sheets={"S": [["a", "b", "c"], ["d", "e", "f"]]}, owner_token=OWNER)
    fake.set_cell(sid, "S!C2", "f", number_format={"type": "PERCENT"})
    response = batch(
        fake,
        sid,
        {
            "updateCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 2,
                    "startColumnIndex": 0,
                    "endColumnIndex": 3,
                },
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "new"}}]}],
                "fields": "userEnteredValue",
            }
        },
    )
    assert response.status_code == 200
    assert fake.values(sid, "S") == [["new"]]
    assert fake.cell(sid, "S!C2") == {"userEnteredFormat": {"numberFormat": {"type": "PERCENT"}}}


def test_update_cells_with_start_touches_only_covered_cells(fake: FakeSheets) -> None:
    sid = fake.create_spreadsheet("t", sheets={"S": [["a", "b"], ["c", "d"]]}, owner_token=OWNER)
    batch(
        fake,
        sid,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 1},
                "rows": [{"values": [{"userEnteredValue": {"boolValue": True}}]}],
                "fields": "userEnteredValue",
            }
        },
    )
    assert fake.values(sid, "S") == [["a", "b"], ["c", True]]
    too_far = batch(
        fake,
        sid,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 999, "columnIndex": 0},
                "rows": [{}, {}],
                "fields": "note",
            }
        },
    )
    bad_mask = batch(
        fake, sid, {"updateCells": {"start": {"sheetId": 0}, "rows": [], "fields": "userEnteredVal"}}
    )
    assert too_far.status_code == bad_mask.status_code == 400
    assert "exceeds grid limits" in too_far.json()["error"]["message"]


def rule(sheet_id: int, formula: str, **fmt: Any) -> dict[str, Any]:
    """A CUSTOM_FORMULA conditional-format rule on column B."""
    return {
        "ranges": [{"sheetId": sheet_id, "startColumnIndex": 1, "endColumnIndex": 2}],
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
            "format": fmt or {"backgroundColor": {"red": 1}},
        },
    }


def test_conditional_formats_round_trip(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    assert (
        batch(
            fake,
            sid,
            {"addConditionalFormatRule": {"rule": rule(0, "=B1>1"), "index": 0}},
            {"addConditionalFormatRule": {"rule": rule(0, "=B1>2", textFormat={"bold": True}), "index": 1}},
        ).status_code
        == 200
    )
    meta = (
        gspread_client(fake, OWNER).open_by_key(sid).fetch_sheet_metadata(params={"fields": METADATA_FIELDS})
    )
    stored = meta["sheets"][0]["conditionalFormats"]
    moved = batch(
        fake, sid, {"updateConditionalFormatRule": {"sheetId": 0, "index": 1, "newIndex": 0}}
    ).json()
    deleted = batch(fake, sid, {"deleteConditionalFormatRule": {"sheetId": 0, "index": 1}}).json()

    assert [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in stored] == [
        "=B1>1",
        "=B1>2",
    ]
    assert stored[0]["ranges"] == [
        {"startColumnIndex": 1, "endColumnIndex": 2}
    ]  # sheetId 0 omitted, as Google
    assert stored[0]["booleanRule"]["format"]["backgroundColorStyle"] == {"rgbColor": {"red": 1}}
    assert moved["replies"][0]["updateConditionalFormatRule"]["newIndex"] == 0
    assert deleted["replies"][0]["deleteConditionalFormatRule"]["rule"] == stored[0]
    assert len(fake.spreadsheet(sid).sheets[0].conditional_formats) == 1


@pytest.mark.parametrize(
    "bad",
    [
        rule(0, "B1>1"),
        rule(0, "=B1", textFormat={"fontSize": 20}),
        rule(0, "=B1", numberFormat={"type": "PERCENT"}),
    ],
)
def test_conditional_format_limits_are_enforced(fake: FakeSheets, bad: dict[str, Any]) -> None:
    sid = deals_book(fake)
    response = batch(fake, sid, {"addConditionalFormatRule": {"rule": bad, "index": 0}})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Invalid requests[0].addConditionalFormatRule: ")


def test_developer_metadata_round_trip(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    created = batch(
        fake,
        sid,
        *(
            {
                "createDeveloperMetadata": {
                    "developerMetadata": {
                        "metadataKey": "premia",
                        "metadataValue": value,
                        "visibility": "DOCUMENT",
                        "location": location,
                    }
                }
            }
            for value, location in (("book", {"spreadsheet": True}), ("tab", {"sheetId": 0}))
        ),
    ).json()
    meta = call(
        fake, "GET", f"v4/spreadsheets/{sid}", params={"fields": "developerMetadata,sheets.developerMetadata"}
    )
    lookup = {"dataFilter": {"developerMetadataLookup": {"metadataKey": "premia", "locationType": "SHEET"}}}
    deleted = batch(fake, sid, {"deleteDeveloperMetadata": lookup}).json()
    again = batch(fake, sid, {"deleteDeveloperMetadata": lookup}).json()

    first = created["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert first["location"] == {"locationType": "SPREADSHEET", "spreadsheet": True}
    assert meta.json()["developerMetadata"] == [first]
    assert meta.json()["sheets"][0]["developerMetadata"][0]["location"] == {
        "locationType": "SHEET",
        "sheetId": 0,
    }
    assert [
        m["metadataValue"]
        for m in deleted["replies"][0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]
    ] == ["tab"]
    assert again["replies"] == [{"deleteDeveloperMetadata": {}}]


def test_add_sheet_ids_and_titles_are_unique_and_last_sheet_stays(fake: FakeSheets) -> None:
    sid = fake.create_spreadsheet("t", owner_token=OWNER)
    same_id = batch(fake, sid, {"addSheet": {"properties": {"sheetId": 0, "title": "Other"}}})
    same_title = batch(fake, sid, {"addSheet": {"properties": {"title": "sheet1"}}})
    last = batch(fake, sid, {"deleteSheet": {"sheetId": 0}})
    assert [r.status_code for r in (same_id, same_title, last)] == [400, 400, 400]
    assert "already exists" in same_title.json()["error"]["message"]
    assert last.json()["error"]["message"] == (
        "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document."
    )


def test_sheet_and_spreadsheet_properties_updates(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    response = batch(
        fake,
        sid,
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": 0,
                    "title": "Сделки 2024",
                    "gridProperties": {"frozenRowCount": 1},
                    "tabColor": {"green": 1, "red": 0},
                },
                "fields": "title,gridProperties.frozenRowCount,tabColor",
            }
        },
        {"updateSpreadsheetProperties": {"properties": {"locale": "ru_RU"}, "fields": "locale"}},
        {"appendDimension": {"sheetId": 0, "dimension": "COLUMNS", "length": 4}},
        {"autoResizeDimensions": {"dimensions": {"sheetId": 0, "dimension": "COLUMNS"}}},
    )
    props = fake.spreadsheet(sid).sheets[0].properties
    assert response.status_code == 200
    assert props["title"] == "Сделки 2024" and props["tabColorStyle"] == {"rgbColor": {"green": 1}}
    assert props["gridProperties"] == {"rowCount": 1000, "columnCount": 30, "frozenRowCount": 1}
    assert fake.spreadsheet(sid).properties["locale"] == "ru_RU"


def test_insert_dimension_moves_cells_and_rule_ranges(fake: FakeSheets) -> None:
    sid = fake.create_spreadsheet("t", sheets={"S": [["h"], ["a"], ["b"]]}, owner_token=OWNER)
    batch(
        fake,
        sid,
        {
            "addConditionalFormatRule": {
                "rule": {
                    "ranges": [{"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3}],
                    "booleanRule": {
                        "condition": {"type": "NOT_BLANK"},
                        "format": {"textFormat": {"italic": True}},
                    },
                }
            }
        },
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}}},
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 0, "endIndex": 1},
                "properties": {"hiddenByUser": True},
                "fields": "hiddenByUser",
            }
        },
    )
    sheet = fake.spreadsheet(sid).sheets[0]
    assert fake.values(sid, "S") == [["h"], [], ["a"], ["b"]]
    assert sheet.conditional_formats[0]["ranges"] == [{"startRowIndex": 2, "endRowIndex": 4}]
    assert sheet.rows == 1001 and sheet.row_metadata == {0: {"hiddenByUser": True}}


def test_validation_charts_and_protection(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    replies = batch(
        fake,
        sid,
        {
            "setDataValidation": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 2,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "rule": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Анна"}]}},
            }
        },
        {
            "addChart": {
                "chart": {
                    "spec": {"basicChart": {"chartType": "COLUMN"}},
                    "position": {"overlayPosition": {"anchorCell": {"sheetId": 0}}},
                }
            }
        },
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0}, "warningOnly": True}}},
    ).json()["replies"]
    chart_id = replies[1]["addChart"]["chart"]["chartId"]
    protected = replies[2]["addProtectedRange"]["protectedRange"]
    assert fake.cell(sid, "'Сделки'!A2")["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    assert protected["warningOnly"] is True and protected["requestingUserCanEdit"] is True
    assert (
        batch(
            fake,
            sid,
            {"deleteEmbeddedObject": {"objectId": chart_id}},
            {"deleteProtectedRange": {"protectedRangeId": protected["protectedRangeId"]}},
        ).status_code
        == 200
    )
    assert batch(fake, sid, {"deleteEmbeddedObject": {"objectId": chart_id}}).status_code == 400
    assert fake.spreadsheet(sid).sheets[0].charts == fake.spreadsheet(sid).sheets[0].protected_ranges == []


# -- values writes, create, snapshot ------------------------------------------------------------------


def test_values_update_raw_keeps_text_and_user_entered_parses(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    raw = call(
        fake,
        "PUT",
        f"v4/spreadsheets/{sid}/values/Deals!A1",
        params={"valueInputOption": "RAW"},
        json={"values": [["=IMPORTXML(1)", "12%", "007"]]},
    )
    typed = call(
        fake,
        "POST",
        f"v4/spreadsheets/{sid}/values:batchUpdate",
        json={
            "valueInputOption": "USER_ENTERED",
            "data": [{"range": "Deals!A2", "values": [["=1+1", "12%", "2024-01-05"]]}],
        },
    )
    assert raw.json()["updatedRange"] == "Deals!A1:C1" and typed.json()["totalUpdatedCells"] == 3
    assert fake.values(sid, "Deals!A1:C2") == [["=IMPORTXML(1)", "12%", "007"], [2, 0.12, 45296]]
    assert fake.values(sid, "Deals!A2:C2", render="FORMATTED_VALUE") == [["2", "12%", "2024-01-05"]]


def test_create_makes_a_spreadsheet_owned_by_the_caller(fake: FakeSheets) -> None:
    created = call(
        fake,
        "POST",
        "v4/spreadsheets",
        token=STRANGER,
        json={"properties": {"title": "Новая"}, "sheets": [{"properties": {"title": "Итоги"}}]},
    ).json()
    sid = created["spreadsheetId"]
    assert created["properties"]["title"] == "Новая"
    assert [s["properties"]["title"] for s in created["sheets"]] == ["Итоги"]
    assert fake.can_edit(STRANGER, sid) and not fake.can_edit(OWNER, sid)


def test_snapshot_is_a_deep_copy(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    snap = fake.snapshot(sid)
    snap["sheets"][0]["cells"].clear()
    assert fake.snapshot(sid) != snap
    assert json.loads(state_json(fake, sid)) == fake.snapshot(sid)


def test_whole_book_format_read_with_grid_data_mask(fake: FakeSheets) -> None:
    sid = deals_book(fake)
    fake.set_cell(sid, "Deals!B2", 0.2, number_format={"type": "PERCENT", "pattern": "0%"})
    fields = (
        "properties(title,locale),sheets(properties(title),"
        "data(startRow,rowData(values(userEnteredFormat(numberFormat(type,pattern))))))"
    )
    got = call(fake, "GET", f"v4/spreadsheets/{sid}", params={"includeGridData": "true", "fields": fields})
    sheets = got.json()["sheets"]
    assert got.json()["properties"] == {"title": "План", "locale": "en_US"}
    date = {"userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}}
    assert sheets[0] == {
        "properties": {"title": "Сделки"},
        "data": [{"rowData": [{}, {"values": [{}, {}, date]}]}],
    }
    assert sheets[1]["data"] == [
        {
            "rowData": [
                {},
                {
                    "values": [
                        {},
                        {"userEnteredFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0%"}}},
                    ]
                },
            ]
        }
    ]


def test_hyperlinks_from_formula_or_text_format_runs(fake: FakeSheets) -> None:
    link_run = {
        "userEnteredValue": {"stringValue": "Сделка 7"},
        "textFormatRuns": [{"startIndex": 0, "format": {"link": {"uri": "https://x.test/7"}}}],
    }
    sid = fake.create_spreadsheet(
        "t", sheets={"S": [['=HYPERLINK("https://x.test/1", "Анна")', link_run]]}, owner_token=OWNER
    )
    got = call(
        fake,
        "GET",
        f"v4/spreadsheets/{sid}",
        params={"ranges": "S!A1:B1", "fields": "sheets.data.rowData.values(formattedValue,hyperlink)"},
    )
    assert got.json()["sheets"][0]["data"][0]["rowData"][0]["values"] == [
        {"formattedValue": "Анна", "hyperlink": "https://x.test/1"},
        {"formattedValue": "Сделка 7", "hyperlink": "https://x.test/7"},
    ]
