"""Tests of the Sheets API fake's hard limits and of what a staged write and a month close rely on:
the request body limit, the cell limit, hidden staging tabs and the swap, spreadsheet-level developer
metadata (and its search), warning-only protection, grid-data reads by range and field mask, fault
injection on the n-th call, and the inspection helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests

from tests.fake_sheets import FakeSheets, SheetInfo, gspread_client

OWNER, READER = "owner-tok", "reader-tok"
GOOGLE_BODY_LIMIT = 10_485_760
CELLS = "This action would increase the number of cells in the workbook above the limit of {} cells."
FORMATS = "sheets(properties,data(rowData(values(userEnteredFormat(numberFormat)))))"
STAGE = "__premia_stage__Итоги"


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    with FakeSheets() as running:
        yield running


def call(fake: FakeSheets, method: str, path: str, token: str = OWNER, **kwargs: Any) -> requests.Response:
    """A raw HTTP request to the fake."""
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return requests.request(method, fake.url + path, headers=headers, timeout=30, **kwargs)


def batch(fake: FakeSheets, sid: str, *requests_: dict[str, Any], token: str = OWNER) -> requests.Response:
    """POST one spreadsheets.batchUpdate."""
    return call(fake, "POST", f"v4/spreadsheets/{sid}:batchUpdate", token, json={"requests": list(requests_)})


def get(fake: FakeSheets, sid: str, token: str = OWNER, **params: Any) -> requests.Response:
    """GET spreadsheets.get with query parameters."""
    return call(fake, "GET", f"v4/spreadsheets/{sid}", token, params=params)


def state(fake: FakeSheets, sid: str) -> str:
    """The whole state, serialised for comparison."""
    return json.dumps(fake.snapshot(sid), sort_keys=True, ensure_ascii=False)


def results_book(fake: FakeSheets, **kwargs: Any) -> str:
    """An input tab, a results tab and a reader."""
    return fake.create_spreadsheet(
        "Премии",
        sheets={"Сделки": [["Менеджер", "Сумма"], ["Анна", 100]], "Итоги": [["old"]]},
        owner_token=OWNER,
        readers=[READER],
        **kwargs,
    )


def padded(body: dict[str, Any], size: int) -> bytes:
    """`body` as JSON padded with trailing whitespace (still valid JSON) to exactly `size` bytes."""
    raw = json.dumps(body).encode()
    return raw + b" " * (size - len(raw))


def add_sheet(title: str, sheet_id: int | None = None, rows: int = 1000, columns: int = 26, **props: Any) -> dict:
    """An addSheet subrequest."""
    properties = {"title": title, "gridProperties": {"rowCount": rows, "columnCount": columns}, **props}
    if sheet_id is not None:
        properties["sheetId"] = sheet_id
    return {"addSheet": {"properties": properties}}


def sheet_props(sheet_id: int, fields: str, **props: Any) -> dict[str, Any]:
    """An updateSheetProperties subrequest."""
    return {"updateSheetProperties": {"properties": {"sheetId": sheet_id, **props}, "fields": fields}}


def write(sheet_id: int, rows: list[list[str]]) -> dict[str, Any]:
    """An updateCells writing text from A1 of a tab."""
    return {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": v}} for v in row]} for row in rows],
            "fields": "userEnteredValue",
        }
    }


def book_metadata(key: str, value: str) -> dict[str, Any]:
    """A createDeveloperMetadata at the spreadsheet level."""
    return {
        "createDeveloperMetadata": {
            "developerMetadata": {
                "metadataKey": key,
                "metadataValue": value,
                "visibility": "DOCUMENT",
                "location": {"spreadsheet": True},
            }
        }
    }


# -- request body limit ----------------------------------------------------------------------------


def test_a_body_over_googles_limit_gets_googles_answer_and_changes_nothing(fake: FakeSheets) -> None:
    sid = results_book(fake)
    before = state(fake, sid)
    body = {"requests": [add_sheet("Big")]}
    path, headers = f"v4/spreadsheets/{sid}:batchUpdate", {"Content-Type": "application/json"}
    over = call(fake, "POST", path, data=padded(body, GOOGLE_BODY_LIMIT + 1), headers=headers)
    assert over.status_code == 400
    assert over.json() == {
        "error": {
            "code": 400,
            "message": "Request payload size exceeds the limit: 10485760 bytes.",
            "status": "INVALID_ARGUMENT",
        }
    }
    assert state(fake, sid) == before and fake.schema_violations == []
    logged = fake.calls("batchUpdate")[0]
    assert (logged.size, logged.body, logged.status) == (GOOGLE_BODY_LIMIT + 1, None, 400)

    at_limit = call(fake, "POST", path, data=padded(body, GOOGLE_BODY_LIMIT), headers=headers)
    assert at_limit.status_code == 200 and [s.title for s in fake.sheet_list(sid)][-1] == "Big"


def test_the_body_limit_is_per_instance_and_covers_every_write() -> None:
    with FakeSheets(body_limit=2_000) as fake:
        sid = results_book(fake)
        before = state(fake, sid)
        rows = [["x" * 100] * 10] * 2  # ~2.2 KB of JSON
        big = gspread_client(fake, OWNER).open_by_key(sid)
        with pytest.raises(gspread.exceptions.APIError) as refused:
            big.values_update("Итоги!A1", params={"valueInputOption": "RAW"}, body={"values": rows})
        small = batch(fake, sid, write(0, [["ok"]]))
        assert refused.value.code == 400
        assert refused.value.error["message"] == "Request payload size exceeds the limit: 2000 bytes."
        assert small.status_code == 200 and fake.values(sid, "'Сделки'!A1") == [["ok"]]
        assert before != state(fake, sid)
        assert max(r.size for r in fake.calls("values.update")) > 2_000 >= fake.calls("batchUpdate")[0].size


# -- cell limit ----------------------------------------------------------------------------------------


def test_googles_cell_limit_counts_every_grid_and_fails_the_whole_batch(fake: FakeSheets) -> None:
    sid = results_book(fake)
    fake.set_grid_size(sid, "Сделки", rows=382_000)  # 382 000 x 26 + 1000 x 26 = 9 958 000
    assert fake.cell_count(sid) == 9_958_000
    before = state(fake, sid)
    refused = batch(fake, sid, write(1000001, [["new"]]), add_sheet("Стадия", rows=2000, columns=26))
    assert refused.status_code == 400
    assert refused.json() == {
        "error": {
            "code": 400,
            "message": "Invalid requests[1].addSheet: " + CELLS.format(10_000_000),
            "status": "INVALID_ARGUMENT",
        }
    }
    assert state(fake, sid) == before
    exact = batch(fake, sid, add_sheet("Стадия", rows=1000, columns=42))  # exactly 10 000 000
    assert exact.status_code == 200 and fake.cell_count(sid) == 10_000_000


def test_a_small_cell_limit_refuses_growth_but_never_shrinking() -> None:
    with FakeSheets(cell_limit=60_000) as fake:
        sid = results_book(fake)  # 2 x 1000 x 26 = 52 000
        grow = {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 400}}
        refused = batch(fake, sid, grow)
        assert refused.json()["error"]["message"] == "Invalid requests[0].appendDimension: " + CELLS.format(60_000)
        refused = batch(fake, sid, sheet_props(0, "gridProperties.columnCount", gridProperties={"columnCount": 40}))
        assert refused.status_code == 400 and fake.cell_count(sid) == 52_000

        fake.cell_limit = 10_000  # already over: shrinking is still allowed, growing is not
        tabs = fake.sheet_list(sid)
        shrink = batch(
            fake,
            sid,
            {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 10, "endIndex": 1000}}},
            {"deleteSheet": {"sheetId": tabs[1].sheet_id}},
        )
        assert shrink.status_code == 200 and fake.cell_count(sid) == 260
        assert batch(fake, sid, add_sheet("x", rows=400, columns=26)).status_code == 400
        assert batch(fake, sid, add_sheet("x", rows=300, columns=30)).status_code == 200  # 9 260


def test_rows_are_applied_before_columns_when_the_cell_limit_is_checked() -> None:
    with FakeSheets(cell_limit=60_000) as fake:
        sid = fake.create_spreadsheet("t", owner_token=OWNER)  # 1000 x 26
        both = "gridProperties.rowCount,gridProperties.columnCount"
        one_step = batch(fake, sid, sheet_props(0, both, gridProperties={"rowCount": 3000, "columnCount": 10}))
        assert one_step.status_code == 400  # judged on 3000 x 26, as Google does
        assert CELLS.format(60_000) in one_step.json()["error"]["message"]
        two_steps = batch(
            fake,
            sid,
            sheet_props(0, "gridProperties.columnCount", gridProperties={"columnCount": 10}),
            sheet_props(0, "gridProperties.rowCount", gridProperties={"rowCount": 3000}),
        )
        assert two_steps.status_code == 200 and fake.sheet_list(sid)[0][4:] == (3000, 10)


def test_create_is_held_to_the_cell_limit_too() -> None:
    with FakeSheets(cell_limit=30_000) as fake:
        fake.add_token(OWNER)
        body = {"sheets": [{"properties": {"title": "a"}}, {"properties": {"title": "b"}}]}
        created = call(fake, "POST", "v4/spreadsheets", json=body)
        assert created.status_code == 400 and created.json()["error"]["message"] == CELLS.format(30_000)
        assert fake.spreadsheet_ids() == []


# -- staged write: hidden tabs, titles, index, swap -------------------------------------------------------


def test_a_staged_write_with_hidden_tabs_then_one_swap(fake: FakeSheets) -> None:
    sid = results_book(fake)
    client = gspread_client(fake, OWNER).open_by_key(sid)
    stage = client.batch_update(
        {
            "requests": [
                add_sheet(STAGE, 777, rows=3, columns=2, hidden=True),
                book_metadata("premia.staging", "run-1"),
                {
                    "createDeveloperMetadata": {
                        "developerMetadata": {
                            "metadataKey": "premia.stage",
                            "metadataValue": "Итоги",
                            "visibility": "DOCUMENT",
                            "location": {"sheetId": 777},
                        }
                    }
                },
            ]
        }
    )
    assert stage["replies"][0]["addSheet"]["properties"] == {
        "sheetId": 777,
        "title": STAGE,
        "index": 2,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 3, "columnCount": 2},
        "hidden": True,
    }
    client.batch_update({"requests": [write(777, [["Менеджер", "Премия"], ["Анна", "10"]])]})
    seen = client.fetch_sheet_metadata(params={"fields": "developerMetadata,sheets.properties(title,hidden)"})
    assert seen["sheets"][2]["properties"] == {"title": STAGE, "hidden": True}
    assert [m["metadataKey"] for m in seen["developerMetadata"]] == ["premia.staging"]

    old = fake.sheet_list(sid)[1]
    client.batch_update(
        {
            "requests": [
                {"deleteSheet": {"sheetId": old.sheet_id}},
                sheet_props(777, "title,hidden,index", title="Итоги", index=1),
                {
                    "deleteDeveloperMetadata": {
                        "dataFilter": {"developerMetadataLookup": {"metadataLocation": {"spreadsheet": True}}}
                    }
                },
            ]
        }
    )
    assert fake.sheet_list(sid) == [
        SheetInfo(0, "Сделки", 0, False, 1000, 26),
        SheetInfo(777, "Итоги", 1, False, 3, 2),
    ]
    assert fake.values(sid, "Итоги") == [["Менеджер", "Премия"], ["Анна", "10"]]
    assert [m["metadataKey"] for m in fake.developer_metadata(sid)] == ["premia.stage"]
    assert len(fake.calls("batchUpdate")) == 3 and fake.schema_violations == []


def test_titles_clash_case_insensitively_so_the_swap_must_delete_first(fake: FakeSheets) -> None:
    sid = results_book(fake)
    assert batch(fake, sid, add_sheet(STAGE, 5, hidden=True)).status_code == 200
    before = state(fake, sid)
    clash = batch(fake, sid, sheet_props(5, "title", title="итоги"))
    assert clash.json()["error"] == {
        "code": 400,
        "message": (
            'Invalid requests[0].updateSheetProperties: A sheet with the name "итоги" already exists. '
            "Please enter another name."
        ),
        "status": "INVALID_ARGUMENT",
    }
    again = batch(fake, sid, add_sheet("СДЕЛКИ"))
    assert again.json()["error"]["message"] == (
        'Invalid requests[0].addSheet: A sheet with the name "СДЕЛКИ" already exists. Please enter another name.'
    )
    wrong_order = batch(
        fake, sid, sheet_props(5, "title,hidden", title="Итоги"), {"deleteSheet": {"sheetId": 1000001}}
    )
    assert wrong_order.status_code == 400 and state(fake, sid) == before
    own_case = batch(fake, sid, sheet_props(0, "title", title="сделки"))
    assert own_case.status_code == 200 and fake.sheet_list(sid)[0].title == "сделки"


def test_sheet_index_moves_in_before_the_move_indexes(fake: FakeSheets) -> None:
    sid = fake.create_spreadsheet("t", sheets={"S1": [], "S2": [], "S3": []}, owner_token=OWNER)
    ids = {s.title: s.sheet_id for s in fake.sheet_list(sid)}

    def order() -> list[str]:
        return [s.title for s in fake.sheet_list(sid)]

    batch(fake, sid, sheet_props(ids["S1"], "index", index=2))
    assert order() == ["S2", "S1", "S3"]  # the discovery document's own example
    batch(fake, sid, sheet_props(ids["S1"], "index", index=2))  # current index + 1: ignored
    assert order() == ["S2", "S1", "S3"]
    batch(fake, sid, sheet_props(ids["S3"], "index", index=0))
    assert order() == ["S3", "S2", "S1"]
    batch(fake, sid, sheet_props(ids["S3"], "title", title="S3", index=2))  # index not in the mask
    assert order() == ["S3", "S2", "S1"]
    batch(fake, sid, sheet_props(ids["S3"], "index"))  # masked but absent: to the end
    assert order() == ["S2", "S1", "S3"]
    assert [s.index for s in fake.sheet_list(sid)] == [0, 1, 2]
    batch(fake, sid, add_sheet("S0", index=0), add_sheet("S9", index=99))
    assert order() == ["S0", "S2", "S1", "S3", "S9"]


def test_hidden_follows_the_mask_and_the_last_visible_tab_stays(fake: FakeSheets) -> None:
    sid = results_book(fake, hidden=["Итоги"])
    assert [s.hidden for s in fake.sheet_list(sid)] == [False, True]
    hide_all = batch(fake, sid, sheet_props(0, "hidden", hidden=True))
    assert hide_all.json()["error"]["message"] == (
        "Invalid requests[0].updateSheetProperties: You can't hide all the sheets in a document."
    )
    tabs = fake.sheet_list(sid)
    swap = batch(fake, sid, sheet_props(tabs[1].sheet_id, "hidden"), sheet_props(0, "hidden", hidden=True))
    assert swap.status_code == 200 and [s.hidden for s in fake.sheet_list(sid)] == [True, False]
    props = get(fake, sid, fields="sheets.properties(title,hidden)").json()["sheets"]
    assert props == [{"properties": {"title": "Сделки", "hidden": True}}, {"properties": {"title": "Итоги"}}]


# -- developer metadata at the spreadsheet level, search and get --------------------------------------------


def test_spreadsheet_level_metadata_is_returned_selected_and_searchable(fake: FakeSheets) -> None:
    sid = results_book(fake)
    created = batch(
        fake,
        sid,
        book_metadata("premia.close", "2024-03"),
        book_metadata("premia.staging", "run-7"),
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataId": 4242,
                    "metadataKey": "premia.close",
                    "metadataValue": "tab",
                    "visibility": "PROJECT",
                    "location": {"sheetId": 0},
                }
            }
        },
    ).json()["replies"]
    book_ids = [r["createDeveloperMetadata"]["developerMetadata"]["metadataId"] for r in created[:2]]
    top = get(fake, sid, fields="developerMetadata").json()
    assert [m["metadataId"] for m in top["developerMetadata"]] == book_ids

    by_location = {"developerMetadataLookup": {"metadataLocation": {"spreadsheet": True}}}
    by_key = {"developerMetadataLookup": {"metadataKey": "premia.close"}}
    search = call(
        fake,
        "POST",
        f"v4/spreadsheets/{sid}/developerMetadata:search",
        READER,
        json={"dataFilters": [by_location, by_key]},
    ).json()["matchedDeveloperMetadata"]
    assert [(m["developerMetadata"]["metadataValue"], len(m["dataFilters"])) for m in search] == [
        ("2024-03", 2),
        ("run-7", 1),
        ("tab", 1),
    ]
    assert search[0]["developerMetadata"]["location"] == {"locationType": "SPREADSHEET", "spreadsheet": True}
    assert search[2]["dataFilters"] == [by_key]

    none = call(
        fake,
        "POST",
        f"v4/spreadsheets/{sid}/developerMetadata:search",
        json={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "nope"}}]},
    )
    assert none.status_code == 200 and none.json() == {}
    one = call(fake, "GET", f"v4/spreadsheets/{sid}/developerMetadata/4242").json()
    assert one["metadataValue"] == "tab" and one["location"] == {"locationType": "SHEET", "sheetId": 0}
    assert call(fake, "GET", f"v4/spreadsheets/{sid}/developerMetadata/1").status_code == 404
    by_range = {"dataFilters": [{"a1Range": "Итоги!A1"}]}
    assert call(fake, "POST", f"v4/spreadsheets/{sid}/developerMetadata:search", json=by_range).status_code == 501
    assert fake.schema_violations == []

    lookup = {"developerMetadataLookup": {"locationType": "SPREADSHEET", "metadataKey": "premia.staging"}}
    deleted = batch(fake, sid, {"deleteDeveloperMetadata": {"dataFilter": lookup}}).json()["replies"][0]
    assert [m["metadataValue"] for m in deleted["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]] == ["run-7"]
    assert [m["metadataValue"] for m in fake.developer_metadata(sid, metadataKey="premia.close")] == [
        "2024-03",
        "tab",
    ]


def test_warning_only_protection_ignores_editors(fake: FakeSheets) -> None:
    sid = results_book(fake)
    added = batch(
        fake,
        sid,
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": 1000001},
                    "description": "Premia results",
                    "warningOnly": True,
                    "editors": {"users": ["someone@example.test"]},
                }
            }
        },
    ).json()["replies"][0]["addProtectedRange"]["protectedRange"]
    assert added["warningOnly"] is True and added["editors"] == {}
    stored = get(fake, sid, fields="sheets.protectedRanges").json()["sheets"][1]["protectedRanges"][0]
    assert stored["editors"] == {"users": [f"{OWNER}@fake-sheets.test"]}
    assert stored["description"] == "Premia results" and stored["range"] == {"sheetId": 1000001}
    update = {
        "updateProtectedRange": {
            "protectedRange": {"protectedRangeId": added["protectedRangeId"], "description": "Итоги"},
            "fields": "description",
        }
    }
    assert batch(fake, sid, update).status_code == 200
    assert fake.spreadsheet(sid).sheets[1].protected_ranges[0]["warningOnly"] is True


# -- grid data by range and by field mask ----------------------------------------------------------


def formats_book(fake: FakeSheets) -> str:
    """Input tab with a percent and a date, a results tab, and a hidden staging tab."""
    sid = results_book(fake)
    fake.set_cell(sid, "'Сделки'!C2", 0.1, number_format={"type": "PERCENT", "pattern": "0%"})
    fake.set_cell(sid, "'Сделки'!D5", 45000, number_format={"type": "DATE", "pattern": "dd.mm.yyyy"})
    fake.set_cell(sid, "Итоги!B2", 0.5, number_format={"type": "PERCENT", "pattern": "0.0%"})
    batch(fake, sid, add_sheet(STAGE, 9, rows=10, columns=5, hidden=True))
    return sid


def test_grid_data_of_the_input_ranges_only(fake: FakeSheets) -> None:
    sid = formats_book(fake)
    got = get(fake, sid, includeGridData="true", ranges=["'Сделки'!A1:C2", "'Сделки'!D4:E5"]).json()
    assert [s["properties"]["title"] for s in got["sheets"]] == ["Сделки"]  # only the touched tab
    assert set(got) == {"spreadsheetId", "properties", "sheets", "spreadsheetUrl"}
    first, second = got["sheets"][0]["data"]
    assert set(first) == {"rowData", "rowMetadata", "columnMetadata"}
    assert [c.get("formattedValue") for c in first["rowData"][1]["values"]] == ["Анна", "100", "10%"]
    assert (second["startRow"], second["startColumn"], len(second["rowMetadata"])) == (3, 3, 2)
    assert second["rowData"] == [{}, {"values": [fake_cell_with(45000, "15.03.2023", "DATE", "dd.mm.yyyy")]}]


def fake_cell_with(number: int, shown: str, kind: str, pattern: str) -> dict[str, Any]:
    """The CellData Google returns for a formatted number."""
    return {
        "userEnteredValue": {"numberValue": number},
        "effectiveValue": {"numberValue": number},
        "formattedValue": shown,
        "userEnteredFormat": {"numberFormat": {"type": kind, "pattern": pattern}},
    }


def test_a_format_mask_with_and_without_ranges(fake: FakeSheets) -> None:
    sid = formats_book(fake)
    percent = {"userEnteredFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0%"}}}
    date = {"userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "dd.mm.yyyy"}}}
    ranged = get(fake, sid, fields=FORMATS, ranges="'Сделки'!A1:Z").json()
    assert ranged == {
        "sheets": [
            {
                "properties": fake.spreadsheet(sid).sheets[0].properties,
                "data": [
                    {
                        "rowData": [
                            {},
                            {"values": [{}, {}, percent]},
                            {},
                            {},
                            {"values": [{}, {}, {}, date]},
                        ]
                    }
                ],
            }
        ]
    }
    whole = get(fake, sid, fields=FORMATS, includeGridData="false").json()["sheets"]
    assert [s["properties"]["title"] for s in whole] == ["Сделки", "Итоги", STAGE]
    assert whole[0]["data"] == ranged["sheets"][0]["data"]
    assert whole[2] == {"properties": fake.spreadsheet(sid).sheets[2].properties, "data": [{}]}
    assert whole[2]["properties"]["hidden"] is True


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ("sheets(properties,dat)", "sheets.dat"),
        ("properties, sheets.properties", " sheets.properties"),
        ("sheets(properties", "sheets(properties"),
    ],
)
def test_a_bad_fields_mask_is_googles_400(fake: FakeSheets, fields: str, path: str) -> None:
    sid = results_book(fake)
    answer = get(fake, sid, fields=fields)
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "code": 400,
        "message": "Request contains an invalid argument.",
        "status": "INVALID_ARGUMENT",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [
                    {
                        "description": (
                            f"Error expanding 'fields' parameter. Cannot find matching fields for path '{path}'."
                        )
                    }
                ],
            }
        ],
    }


def test_fields_projects_other_methods_too(fake: FakeSheets) -> None:
    sid = results_book(fake)
    got = call(fake, "GET", f"v4/spreadsheets/{sid}/values/Итоги", params={"fields": "values"}).json()
    reply = call(
        fake,
        "POST",
        f"v4/spreadsheets/{sid}:batchUpdate",
        params={"fields": "replies/addSheet/properties/sheetId"},
        json={"requests": [add_sheet("x", 31)]},
    ).json()
    assert got == {"values": [["old"]]}
    assert reply == {"replies": [{"addSheet": {"properties": {"sheetId": 31}}}]}


# -- fault injection on the n-th call -----------------------------------------------------------------


def test_the_nth_batch_update_fails_and_applies_nothing(fake: FakeSheets) -> None:
    sid = results_book(fake)
    batch(fake, sid, add_sheet("before arming"))  # not counted: arming counts from now on
    fake.fail_batch_update(n=2, status=503)
    first = batch(fake, sid, add_sheet(STAGE, 700, hidden=True))
    get(fake, sid)  # other kinds are not counted
    before = state(fake, sid)
    second = batch(fake, sid, write(700, [["half"]]))
    assert second.json()["error"] == {
        "code": 503,
        "message": "The service is currently unavailable.",
        "status": "UNAVAILABLE",
    }
    assert state(fake, sid) == before
    third = batch(fake, sid, write(700, [["retry"]]))
    assert [first.status_code, third.status_code] == [200, 200]
    assert [r.status for r in fake.calls("batchUpdate")] == [200, 200, 503, 200]
    assert fake.values(sid, f"'{STAGE}'!A1") == [["retry"]]


def test_faults_can_repeat_carry_a_message_or_come_after_applying(fake: FakeSheets) -> None:
    sid = results_book(fake)
    fake.fail_call("batchUpdate", n=1, status=500, applied=True)
    lost_reply = batch(fake, sid, add_sheet(STAGE, 700, hidden=True))
    assert lost_reply.status_code == 500 and fake.sheet_list(sid)[-1] == SheetInfo(700, STAGE, 2, True, 1000, 26)

    fake.fail_batch_update(n=1, status=429, times=3, message="Quota exceeded (fake).")
    statuses = [batch(fake, sid, write(700, [[str(i)]])) for i in range(4)]
    assert [r.status_code for r in statuses] == [429, 429, 429, 200]
    assert statuses[0].json()["error"]["message"] == "Quota exceeded (fake)."
    assert fake.values(sid, f"'{STAGE}'!A1") == [["3"]]

    fake.fail_call("values.batchGet", n=2, status=503)
    fake.fail_batch_update(n=1)
    fake.clear_faults()
    assert batch(fake, sid, write(700, [["ok"]])).status_code == 200
    with pytest.raises(ValueError):
        fake.fail_batch_update(n=0)


def test_a_killed_staged_write_leaves_hidden_staging_tabs_for_the_next_run(fake: FakeSheets) -> None:
    sid = results_book(fake)
    client = gspread_client(fake, OWNER).open_by_key(sid)
    fake.fail_batch_update(n=2, status=503, times=99)
    client.batch_update({"requests": [add_sheet(STAGE, 700, hidden=True), book_metadata("premia.staging", "r1")]})
    with pytest.raises(gspread.exceptions.APIError) as killed:
        client.batch_update({"requests": [write(700, [["half"]])]})
    assert killed.value.code == 503
    fake.clear_faults()
    leftovers = [s for s in fake.sheet_list(sid) if s.hidden]
    assert [(s.sheet_id, s.title) for s in leftovers] == [(700, STAGE)]
    assert fake.values(sid, "Итоги") == [["old"]]  # users still see the old results
    cleanup = batch(
        fake,
        sid,
        {"deleteSheet": {"sheetId": 700}},
        {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {"metadataKey": "premia.staging"}}}},
    )
    assert cleanup.status_code == 200 and fake.developer_metadata(sid) == []
    assert [s.title for s in fake.sheet_list(sid)] == ["Сделки", "Итоги"]


# -- inspection helpers -------------------------------------------------------------------------------


def test_sheet_list_cell_count_and_grid_seeding(fake: FakeSheets) -> None:
    sid = results_book(fake, hidden=["Итоги"])
    fake.set_grid_size(sid, "Итоги", rows=5, columns=3)
    tabs = fake.sheet_list(sid)
    assert tabs == [SheetInfo(0, "Сделки", 0, False, 1000, 26), SheetInfo(tabs[1].sheet_id, "Итоги", 1, True, 5, 3)]
    assert [t.cells for t in tabs] == [26_000, 15] and fake.cell_count(sid) == 26_015
    fake.set_grid_size(sid, "Сделки", rows=1)
    assert fake.values(sid, "'Сделки'") == [["Менеджер", "Сумма"]]
    with pytest.raises(KeyError):
        fake.set_grid_size(sid, "нет такого", rows=1)
