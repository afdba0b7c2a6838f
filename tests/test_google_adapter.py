"""The Google adapter end to end: real gspread over loopback HTTP against the strict fake Sheets API.

Each test seeds a spreadsheet in ``FakeSheets``, runs the facade, and checks what a user would see in
the spreadsheet, the exact calls made, and that every request validated against the discovery
document. Plus the pure parsing of a ``spreadsheets.get`` answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import gspread
import pytest

from entrypoints.jobs import recalculate_spreadsheet
from formulas.engine import recalculate
from sheets_sync.google.adapter import GoogleSpreadsheet, connect, setup_spreadsheet
from sheets_sync.google.http import (
    RetryPolicy,
    SheetsForbidden,
    SheetsUnavailable,
    SpreadsheetNotFound,
    call,
    spreadsheet_url,
)
from sheets_sync.google.read import parse_metadata, raw_tab, read_spreadsheet
from sheets_sync.google.write import ResultTabConflict
from tests.builders import HEADERS
from tests.fake_sheets import FakeSheets

FORMULA_TEXT = '=IMPORTXML("http://x","//a")'
AS_OF = date(2026, 3, 31)
MARKED = '=AND(TRUE,"premia"="premia")'


def inputs() -> dict[str, list[list[Any]]]:
    """A small English workbook: Anna books 90 000 at 5 % (a percent-formatted Rules cell)."""
    return {
        "Team": [HEADERS["Team"], ["Anna", "sales", 1000], ["Boris", "sales", 1000]],
        "Plans": [HEADERS["Plans"], ["2026-03", "Anna", 100000, 2], ["2026-03", "Boris", 100000, 2]],
        "Deals": [HEADERS["Deals"], ["D1", date(2026, 3, 5), "Anna", FORMULA_TEXT, 90000],
                  ["D2", date(2026, 3, 6), "Boris", "Client B", "сто тысяч"]],
        "Rules": [HEADERS["Rules"], ["2026-01", "*", "deal_percent", None, 0.05]],
        "Payments": [HEADERS["Payments"]],
        "Funnel": [HEADERS["Funnel"]],
        "My notes": [["do not touch"], ["", "", 42]],
    }


@pytest.fixture
def fake() -> Iterator[FakeSheets]:
    """A fresh fake; no request of any test here may fail schema validation."""
    with FakeSheets() as running:
        yield running
        assert running.schema_violations == [], running.schema_violations



def client_for(fake: FakeSheets, clients: list[gspread.Client], token: str = "tok") -> gspread.Client:
    """A real gspread client through Premia's session, pointed at the fake, never really sleeping."""
    client = connect(token, root=fake.url, policy=RetryPolicy(sleep=lambda seconds: None))
    clients.append(client)
    return client


def seeded(fake: FakeSheets, sheets: dict[str, list[list[Any]]] | None = None) -> str:
    """A spreadsheet with the inputs, its Rules value shown as a percentage."""
    sid = fake.create_spreadsheet("Book", sheets=sheets or inputs(), owner_token="tok", readers=["reader"])
    fake.set_cell(sid, "'Rules'!E2", 0.05, number_format={"type": "PERCENT", "pattern": "0%"})
    return sid


def sheet_state(fake: FakeSheets, sid: str, title: str) -> Any:
    """The stored state of one tab."""
    return fake.spreadsheet(sid).sheet_by_title(title)


def test_a_recalculation_is_two_reads_and_one_write(fake, clients) -> None:
    sid = seeded(fake)
    before = fake.snapshot(sid)
    recalculate_spreadsheet(GoogleSpreadsheet(client_for(fake, clients), sid), AS_OF)
    assert [(r.method, r.kind) for r in fake.requests] == [
        ("GET", "get"), ("GET", "values.batchGet"), ("POST", "batchUpdate")]
    assert fake.schema_violations == []
    get, batch_get, _ = fake.requests
    assert get.query["includeGridData"] == ["true"] and "numberFormat(type,pattern)" in get.query["fields"][0]
    # never the user's tab
    assert batch_get.query["ranges"] == ["'Team'", "'Plans'", "'Deals'", "'Rules'", "'Payments'", "'Funnel'"]
    assert batch_get.query["valueRenderOption"] == ["UNFORMATTED_VALUE"]
    assert batch_get.query["dateTimeRenderOption"] == ["SERIAL_NUMBER"]
    summary = fake.values(sid, "'Summary'")
    assert summary[0][0].startswith("Summary for March 2026 · as of 2026-03-31")  # the title line, then the header
    assert summary[1][:5] == ["Manager", "Role", "Plan", "Fact", "Attainment"]
    anna = summary[2]
    assert anna[0] == "Anna" and anna[3] == 90000 and anna[summary[1].index("Deal %")] == 4500
    after = fake.snapshot(sid)
    mine = next(s for s in after["sheets"] if s["properties"]["title"] == "My notes")
    assert mine == next(s for s in before["sheets"] if s["properties"]["title"] == "My notes")


def test_user_text_arrives_as_text_and_links_point_at_the_source_cell(fake, clients) -> None:
    sid = seeded(fake)
    recalculate_spreadsheet(GoogleSpreadsheet(client_for(fake, clients), sid), AS_OF)
    explain = fake.values(sid, "'Explain'")
    row = next(i for i, r in enumerate(explain) if FORMULA_TEXT in r)
    col = explain[row].index(FORMULA_TEXT)
    cell = fake.cell(sid, f"'Explain'!{'ABCDEFGHIJ'[col]}{row + 1}")
    assert cell["userEnteredValue"] == {"stringValue": FORMULA_TEXT}
    deals_id = sheet_state(fake, sid, "Deals").sheet_id
    link = fake.cell(sid, "'Input issues'!F2")
    assert link["userEnteredValue"] == {"stringValue": "Deals!E3"}
    text_format = link["userEnteredFormat"]["textFormat"]
    assert text_format["link"] == {"uri": f"#gid={deals_id}&range=E3"} and text_format["underline"] is True


def test_result_tabs_are_tagged_protected_and_frozen(fake, clients) -> None:
    sid = seeded(fake)
    recalculate_spreadsheet(GoogleSpreadsheet(client_for(fake, clients), sid), AS_OF)
    summary = sheet_state(fake, sid, "Summary")
    assert [(m["metadataKey"], m["metadataValue"]) for m in summary.developer_metadata] == [
        ("premia:tab", "summary")]
    (protection,) = summary.protected_ranges
    assert protection["warningOnly"] is True and protection["description"].startswith("Premia:")
    assert summary.properties["gridProperties"]["frozenRowCount"] == 2  # the title line and the header
    assert fake.cell(sid, "'Summary'!A1")["userEnteredFormat"]["textFormat"]["bold"] is True
    assert fake.cell(sid, "'Summary'!A2")["userEnteredFormat"]["textFormat"]["bold"] is True


def test_a_second_run_replaces_premia_things_and_keeps_the_users(fake, clients) -> None:
    sid = seeded(fake)
    client = client_for(fake, clients)
    deals_id = sheet_state(fake, sid, "Deals").sheet_id
    users_rule = {"ranges": [{"sheetId": deals_id, "startColumnIndex": 4, "endColumnIndex": 5}],
                  "booleanRule": {"condition": {"type": "NUMBER_GREATER",
                                                "values": [{"userEnteredValue": "100"}]},
                                  "format": {"textFormat": {"bold": True}}}}
    call(client, "post", spreadsheet_url(sid, ":batchUpdate"), body={"requests": [
        {"addConditionalFormatRule": {"index": 0, "rule": users_rule}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": deals_id}, "description": "mine",
                                                  "warningOnly": True}}}]})
    recalculate_spreadsheet(GoogleSpreadsheet(client, sid), AS_OF)
    first = fake.snapshot(sid)
    fake.reset_log()
    recalculate_spreadsheet(GoogleSpreadsheet(client, sid), AS_OF)
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate"]
    assert fake.schema_violations == []
    deals = sheet_state(fake, sid, "Deals")
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
                for r in deals.conditional_formats]
    assert formulas == ["100", MARKED]  # the user's rule first and kept; Premia's row 3 highlight once
    assert deals.conditional_formats[1]["ranges"][0]["startRowIndex"] == 2
    assert [p["description"] for p in deals.protected_ranges] == ["mine"]
    summary = sheet_state(fake, sid, "Summary")
    assert len(summary.conditional_formats) == 3 and len(summary.protected_ranges) == 1
    second = fake.snapshot(sid)
    titles = [[s["properties"]["title"] for s in snap["sheets"]] for snap in (first, second)]
    assert titles[0] == titles[1]  # no tab added twice


def test_fixed_input_issues_lose_their_highlight(fake, clients) -> None:
    sid = seeded(fake)
    client = client_for(fake, clients)
    recalculate_spreadsheet(GoogleSpreadsheet(client, sid), AS_OF)
    assert len(sheet_state(fake, sid, "Deals").conditional_formats) == 1
    fake.set_cell(sid, "'Deals'!E3", 50000)
    recalculate_spreadsheet(GoogleSpreadsheet(client, sid), AS_OF)
    assert sheet_state(fake, sid, "Deals").conditional_formats == []
    assert fake.values(sid, "'Input issues'") == [["Tab", "Row", "Column", "Value", "Message", "Link"]]


def test_reading_gives_padded_raw_tabs_with_percent_formats(fake, clients) -> None:
    sid = seeded(fake)
    workbook, meta = read_spreadsheet(client_for(fake, clients), sid)
    assert workbook.titles() == ["Team", "Plans", "Deals", "Rules", "Payments", "Funnel"]
    rules = workbook.tabs[3]
    assert rules.values[1] == ["2026-01", "*", "deal_percent", None, 0.05, None]  # padded to the header
    assert rules.is_percent(1, 4) and not rules.is_percent(1, 3)
    deals = workbook.tabs[2]
    # a date cell stays the serial Google sends (the core reads serials as dates); only percent formats
    # are kept, and only for the tabs whose columns read them
    assert deals.values[1][1] == 46086 and deals.formats == {}
    assert all(len(row) == len(deals.values[0]) for row in deals.values)
    assert meta.title == "Book" and meta.find("my NOTES") is not None and meta.find("Summary") is None
    assert len(fake.requests) == 2


def test_a_users_tab_with_a_result_title_blocks_the_write(fake, clients) -> None:
    sheets = inputs() | {"Summary": [["my own summary"]]}
    sid = seeded(fake, sheets)
    before = fake.snapshot(sid)
    with pytest.raises(ResultTabConflict, match="'Summary'"):
        recalculate_spreadsheet(GoogleSpreadsheet(client_for(fake, clients), sid), AS_OF)
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet"]
    assert fake.snapshot(sid) == before


def test_a_failed_write_leaves_the_spreadsheet_as_it_was(fake, clients) -> None:
    sid = seeded(fake)
    sheet = GoogleSpreadsheet(client_for(fake, clients), sid)
    report = recalculate(sheet.read(), AS_OF).report
    before = fake.snapshot(sid)
    fake.inject([503] * 5)
    with pytest.raises(SheetsUnavailable, match="after 5 tries"):
        sheet.write(report)
    assert len(fake.calls("batchUpdate")) == 5 and fake.snapshot(sid) == before
    fake.inject([503, 429])
    sheet.write(report)  # the same batch, retried after an answered failure
    assert fake.values(sid, "'Summary'")[2][0] == "Anna"


def test_access_errors_are_narrow(fake, clients) -> None:
    sid = seeded(fake)
    reader = client_for(fake, clients, "reader")
    sheet = GoogleSpreadsheet(reader, sid)
    with pytest.raises(SheetsForbidden, match="editor"):
        sheet.write(recalculate(sheet.read(), AS_OF).report)
    with pytest.raises(SpreadsheetNotFound):
        read_spreadsheet(reader, "1NoSuchSpreadsheet")


def test_setup_creates_the_missing_russian_tabs_once(fake, clients) -> None:
    sid = fake.create_spreadsheet("Книга", sheets={
        "Сделки": [["ID сделки", "Дата договора", "Менеджер", "Клиент", "Сумма"]],
        "Команда": [["Роль", "Менеджер"], ["продажи", "Анна"]],
        "Мой лист": [["x"]]}, owner_token="tok")
    client = client_for(fake, clients)
    before = fake.snapshot(sid)
    assert setup_spreadsheet(client, sid) == ["Планы", "Оплаты", "Воронка", "Правила"]
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate"]
    assert fake.schema_violations == []
    assert fake.values(sid, "'Планы'") == [["Месяц", "Менеджер", "План, сумма", "План, сделок"]]
    manager = fake.cell(sid, "'Планы'!B2")["dataValidation"]
    assert manager["condition"] == {"type": "ONE_OF_RANGE",
                                    "values": [{"userEnteredValue": "='Команда'!B2:B"}]}
    assert fake.cell(sid, "'Воронка'!D500")["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    assert fake.cell(sid, "'Правила'!E1")["note"]
    after = fake.snapshot(sid)
    old_titles = {"Сделки", "Команда", "Мой лист"}
    assert [s for s in after["sheets"] if s["properties"]["title"] in old_titles] == before["sheets"]
    fake.reset_log()
    assert setup_spreadsheet(client, sid) == []
    assert [r.kind for r in fake.requests] == ["get"]


def test_parse_metadata_finds_premia_things_and_percent_cells() -> None:
    body = {
        "properties": {"title": "Book", "locale": "ru_RU"},
        "sheets": [
            {"properties": {"sheetId": 0, "title": "Правила", "index": 0, "sheetType": "GRID",
                            "gridProperties": {"rowCount": 100, "columnCount": 6}},
             "conditionalFormats": [
                 {"booleanRule": {"condition": {"type": "NUMBER_LESS",
                                                "values": [{"userEnteredValue": "0"}]}}},
                 {"booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                                "values": [{"userEnteredValue": MARKED}]}}},
                 {"gradientRule": {}}],
             "protectedRanges": [{"protectedRangeId": 5, "description": "Premia: rewritten on every run"},
                                 {"protectedRangeId": 6, "description": "boss only"}],
             "data": [{"startRow": 0, "rowData": [
                 {"values": [{}, {"userEnteredFormat": {"numberFormat": {"type": "PERCENT"}}}]},
                 {},
                 {"values": [
                     {"userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": "0.0%"}}},
                     {"userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "dd.mm.yyyy"}}}]}]}]},
            {"properties": {"sheetId": 9, "title": "Сводка", "index": 1},
             "developerMetadata": [{"metadataKey": "premia:tab", "metadataValue": "summary"}],
             "charts": [{"chartId": 77}]},
            {"properties": {"sheetId": 11, "title": "Chart1", "index": 2, "sheetType": "OBJECT"}},
        ]}
    meta, formats = parse_metadata(body)
    rules, summary, chart_sheet = meta.sheets
    assert (meta.title, meta.locale) == ("Book", "ru_RU")
    assert rules.rule_count == 3 and rules.premia_rules == (1,) and rules.premia_protections == (5,)
    assert rules.premia_key is None and summary.premia_key == "summary" and summary.chart_ids == (77,)
    assert not chart_sheet.is_grid
    assert formats == {0: {(0, 1): "0.00%", (2, 0): "0.0%"}}  # only percent formats are kept
    # rows ["a", 0.05], [], ["", 46086, "x"] as Google answers them column by column: each column without
    # its trailing empty cells, "" for an empty cell above a filled one
    tab = raw_tab("Правила", [["a"], [0.05, "", 46086], ["", "", "x"]], formats[0])
    # a date serial stays a number: the core reads serials in date columns (and shows them as dates)
    assert tab.values == [["a", 0.05, None], [None, None, None], [None, 46086, "x"]]
    assert tab.header() == ["a", 0.05, None] and tab.row(2) == [None, 46086, "x"] and tab.height() == 3
    assert [list(column) for column in tab.body_columns()] == [[None, None], [None, 46086], [None, "x"]]
    assert tab.is_percent(0, 1) and not tab.is_percent(2, 0)  # an empty cell keeps no format
    assert tab.formats == {(0, 1): "0.00%"}
