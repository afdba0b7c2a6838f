"""The write batch of the Google adapter, as pure request bodies (no HTTP).

Every body built here is also checked against the official discovery document's schemas with the
strict validator of ``tests/fake_sheets`` (unknown fields, enums, one key per Request).
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

import numpy as np
import pytest

from formulas.report.model import AMBER, GREEN, ISSUE, RED, Chart, ColumnSpec, Highlight, Link, Report, ResultTab
from sheets_sync.google.cells import MAX_TEXT, format_type
from sheets_sync.google.read import SheetInfo, SheetMeta
from sheets_sync.google.setup import build_setup_batch
from sheets_sync.google.write import (
    PROTECTION_NOTE,
    ResultTabConflict,
    build_batch_update,
    highlight_formula,
    new_sheet_id,
)
from tests.fake_sheets.schema import validate_body

FORMULA_TEXT = '=IMPORTXML("http://x","//a")'


def sheet(sheet_id: int, title: str, *, key: str | None = None, rules: int = 0,
          premia_rules: tuple[int, ...] = (), protections: tuple[int, ...] = (),
          charts: tuple[int, ...] = ()) -> SheetInfo:
    """A tab as read 1 would describe it."""
    return SheetInfo(sheet_id, title, 0, True, 1000, 26, key, rules, premia_rules, protections, charts)


def meta(*sheets: SheetInfo, locale: str = "en_US") -> SheetMeta:
    """Spreadsheet metadata with these tabs."""
    return SheetMeta("Book", locale, tuple(sheets))


def summary(title: str = "Summary", rows: list[list[Any]] | None = None) -> ResultTab:
    """A small result tab using every feature of the model."""
    columns = [ColumnSpec("Manager", width=20), ColumnSpec("Attainment", "0.0%"),
               ColumnSpec("Total", "#,##0.00"), ColumnSpec("Since", "yyyy-mm-dd"), ColumnSpec("Source"),
               ColumnSpec("Code", "@")]
    rows = rows if rows is not None else [
        ["Anna", 0.75, 1234.5, date(2026, 1, 5), Link("Deals!3", "Deals", 3, 1), "007"],
        ["Boris", 1.2, 99, date(2026, 2, 1), FORMULA_TEXT, None],
        ["Vera", None, 0, None, None],
    ]
    block = {"tab": title, "rows": (2, 4), "cols": (1, 1)}
    return ResultTab("summary", title, columns, rows, notes={(3, 2): "sum of lines"},
                     highlights=[Highlight(**block, when="lt", color=RED, values=(0.8,)),
                                 Highlight(**block, when="between", color=AMBER, values=(0.8, 1.0)),
                                 Highlight(**block, when="gte", color=GREEN, values=(1.0,))],
                     charts=[Chart("Plan vs fact", "column", (2, 4), 0, (1, 2), (2, 8))])


def kinds(body: dict[str, Any]) -> list[str]:
    """The subrequest kinds, in order."""
    return [next(iter(request)) for request in body["requests"]]


def of(body: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The payloads of every subrequest of one kind."""
    return [request[kind] for request in body["requests"] if kind in request]


def valid(body: dict[str, Any]) -> dict[str, Any]:
    """Assert the body validates against the discovery document and is plain JSON; return it."""
    assert validate_body("BatchUpdateSpreadsheetRequest", body) == []
    json.dumps(body, allow_nan=False)
    return body


def cells_of(body: dict[str, Any], sheet_id: int) -> list[list[dict[str, Any]]]:
    """The rows of cells the updateCells of one sheet writes."""
    (update,) = [u for u in of(body, "updateCells") if u["range"]["sheetId"] == sheet_id]
    assert update["range"] == {"sheetId": sheet_id}  # the whole tab: uncovered cells are cleared
    assert update["fields"] == "userEnteredValue,userEnteredFormat,note,textFormatRuns"
    return [row.get("values", []) for row in update["rows"]]


def test_a_first_run_adds_tagged_tabs_and_writes_typed_cells() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Deals"), sheet(7, "Notes")), Report([summary()])))
    (added,) = of(body, "addSheet")
    sid = added["properties"]["sheetId"]
    assert sid not in (0, 7) and added["properties"]["title"] == "Summary"
    # The grid holds the chart's whole area: 20 rows from its anchor row 2, 1000 px from column I.
    assert added["properties"]["gridProperties"] == {"rowCount": 21, "columnCount": 18, "frozenRowCount": 1}
    assert of(body, "createDeveloperMetadata") == [{"developerMetadata": {
        "metadataKey": "premia:tab", "metadataValue": "summary", "visibility": "DOCUMENT",
        "location": {"sheetId": sid}}}]
    header, anna, boris, vera = cells_of(body, sid)
    assert header[0] == {"userEnteredValue": {"stringValue": "Manager"}, "userEnteredFormat": {
        "textFormat": {"bold": True}, "horizontalAlignment": "LEFT", "wrapStrategy": "WRAP"}}
    assert anna[1] == {"userEnteredValue": {"numberValue": 0.75}}
    assert anna[3] == {"userEnteredValue": {"numberValue": 46027}}  # 2026-01-05 as a serial
    assert anna[5] == {"userEnteredValue": {"stringValue": "007"}}
    assert boris[2] == {"userEnteredValue": {"numberValue": 99}, "note": "sum of lines"}
    assert vera[1] == {} and len(vera) == 3  # trailing empty cells are left out (updateCells clears them)
    # Column formats are set once per column over the data rows, after the cells are written.
    repeats = of(body, "repeatCell")
    first_format = next(r for r in repeats if r["fields"] == "userEnteredFormat.numberFormat")
    assert first_format == {"range": {"sheetId": sid, "startRowIndex": 1, "endRowIndex": 4,
                                      "startColumnIndex": 1, "endColumnIndex": 2},
                          "cell": {"userEnteredFormat": {"numberFormat": {"type": "PERCENT",
                                                                          "pattern": "0.0%"}}},
                          "fields": "userEnteredFormat.numberFormat"}
    formats = {r["range"]["startColumnIndex"]: r["cell"]["userEnteredFormat"]["numberFormat"]["type"]
               for r in repeats if r["fields"] == "userEnteredFormat.numberFormat"}
    assert formats == {1: "PERCENT", 2: "NUMBER", 3: "DATE", 5: "TEXT"}
    assert kinds(body).index("updateCells") < kinds(body).index("repeatCell")


def test_headers_align_with_their_cells_and_text_wraps_inside_its_column() -> None:
    """Headers over numbers (and dates) are right-aligned, over text left-aligned; the data rows wrap text,
    so nothing runs into the next column."""
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([summary()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    header = cells_of(body, sid)[0]
    assert [cell["userEnteredFormat"]["horizontalAlignment"] for cell in header] == [
        "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "LEFT"]
    wraps = [r for r in of(body, "repeatCell") if r["fields"] == "userEnteredFormat.wrapStrategy"]
    assert wraps == [{"range": {"sheetId": sid, "startRowIndex": 1, "endRowIndex": 4, "startColumnIndex": 0,
                                "endColumnIndex": 6},
                      "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                      "fields": "userEnteredFormat.wrapStrategy"}]


def test_a_title_line_moves_the_header_down_and_hidden_columns_are_hidden() -> None:
    """Summary's title line is row 1, its header row 2 and its data from row 3; a hidden column is hidden
    (and a shown one explicitly shown, so a column hidden by an earlier run shows again); a free line
    under the table may run across the cells to its right."""
    columns = [ColumnSpec("Manager", width=20), ColumnSpec("Deal %", "#,##0"),
               ColumnSpec("Clawback", "#,##0", hidden=True)]
    tab = ResultTab("summary", "Summary", columns, [["Anna", 5.0, 0.0], [], ["Forecast: what is likely."]],
                    title_line="Summary for November 2026", frozen_rows=2, free_rows={5})
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([tab])))
    added = of(body, "addSheet")[0]["properties"]
    sid = added["sheetId"]
    assert added["gridProperties"]["frozenRowCount"] == 2
    title, header, anna, _, line = cells_of(body, sid)
    assert title == [{"userEnteredValue": {"stringValue": "Summary for November 2026"},
                      "userEnteredFormat": {"textFormat": {"bold": True, "fontSize": 12}}}]
    assert [cell["userEnteredValue"]["stringValue"] for cell in header] == ["Manager", "Deal %", "Clawback"]
    assert anna[1] == {"userEnteredValue": {"numberValue": 5}}
    assert line == [{"userEnteredValue": {"stringValue": "Forecast: what is likely."}}]
    dimensions = of(body, "updateDimensionProperties")
    assert [(d["range"]["startIndex"], d["range"]["endIndex"], d["properties"]["hiddenByUser"])
            for d in dimensions] == [(0, 1, False), (1, 2, False), (2, 3, True)]
    wraps = [(r["range"]["startRowIndex"], r["cell"]["userEnteredFormat"]["wrapStrategy"])
             for r in of(body, "repeatCell") if r["fields"] == "userEnteredFormat.wrapStrategy"]
    assert wraps == [(2, "WRAP"), (4, "OVERFLOW_CELL")]
    formats = [r["range"] for r in of(body, "repeatCell") if r["fields"] == "userEnteredFormat.numberFormat"]
    assert {(f["startRowIndex"], f["endRowIndex"]) for f in formats} == {(2, 5)}


def test_a_column_mixing_dates_and_numbers_carries_formats_cell_by_cell() -> None:
    tab = ResultTab("t", "T", [ColumnSpec("When or how much", "#,##0.00"), ColumnSpec("Plain")],
                    [[date(2026, 3, 5), date(2026, 3, 6)], [12.5, None]])
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([tab])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    _, first, second = cells_of(body, sid)
    date_format = {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}
    assert first == [{"userEnteredValue": {"numberValue": 46086}, "userEnteredFormat": date_format},
                     {"userEnteredValue": {"numberValue": 46087}, "userEnteredFormat": date_format}]
    assert second[0] == {"userEnteredValue": {"numberValue": 12.5},
                         "userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": "#,##0.00"}}}
    assert [r for r in of(body, "repeatCell") if r["fields"] == "userEnteredFormat.numberFormat"] == []


def test_user_text_that_looks_like_a_formula_is_always_a_string() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([summary()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    assert cells_of(body, sid)[2][4] == {"userEnteredValue": {"stringValue": FORMULA_TEXT}}
    assert "formulaValue" not in json.dumps(body)


def test_a_link_is_a_cell_link_built_from_the_target_sheet_id_and_cell_styled_per_block() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Notes"), sheet(42, "Deals")), Report([summary()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    link = cells_of(body, sid)[1][4]
    assert link == {"userEnteredValue": {"stringValue": "Deals!3"},
                    "userEnteredFormat": {"textFormat": {"link": {"uri": "#gid=42&range=B3"}}}}
    (style,) = [r for r in of(body, "repeatCell") if "textFormat" in r["cell"].get("userEnteredFormat", {})]
    assert style["range"] == {"sheetId": sid, "startRowIndex": 1, "endRowIndex": 2, "startColumnIndex": 4,
                              "endColumnIndex": 5}
    assert style["cell"]["userEnteredFormat"]["textFormat"]["underline"] is True
    assert style["fields"] == ("userEnteredFormat.textFormat.underline,"
                               "userEnteredFormat.textFormat.foregroundColorStyle")


def test_a_link_to_a_missing_tab_is_plain_text() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Notes")), Report([summary()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    assert cells_of(body, sid)[1][4] == {"userEnteredValue": {"stringValue": "Deals!3"}}


def test_odd_values_become_valid_json_cells() -> None:
    rows = [[float("nan"), np.int64(5), np.float64(2.5), True, datetime(2026, 1, 5, 12, 0),
             "x" * (MAX_TEXT + 9)]]
    tab = ResultTab("t", "T", [ColumnSpec("a")] * 6, rows)
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([tab])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    nan, integer, real, flag, moment, long_text = cells_of(body, sid)[1]
    assert nan == {}
    assert integer == {"userEnteredValue": {"numberValue": 5}}
    assert type(integer["userEnteredValue"]["numberValue"]) is int  # numpy ints are not JSON
    assert real == {"userEnteredValue": {"numberValue": 2.5}}
    assert flag == {"userEnteredValue": {"boolValue": True}}
    assert moment["userEnteredValue"] == {"numberValue": 46027.5}
    assert moment["userEnteredFormat"]["numberFormat"]["type"] == "DATE_TIME"
    assert len(long_text["userEnteredValue"]["stringValue"]) == MAX_TEXT


def test_an_unknown_cell_type_is_a_bug_not_a_silent_blank() -> None:
    tab = ResultTab("t", "T", [ColumnSpec("a")], [[object()]])
    with pytest.raises(TypeError):
        build_batch_update(meta(sheet(0, "Deals")), Report([tab]))


@pytest.mark.parametrize(("pattern", "kind"), [
    ("#,##0.00", "NUMBER"), ("0", "NUMBER"), ("0.0%", "PERCENT"), ("@", "TEXT"), ("yyyy-mm-dd", "DATE"),
    ("dd.mm.yyyy", "DATE"), ("mmm yyyy", "DATE"), ("yyyy-mm-dd hh:mm", "DATE_TIME"), ("hh:mm:ss", "TIME"),
    ('0.0" %"', "NUMBER"), ("[Red]#,##0", "NUMBER"),
])
def test_column_formats_map_to_google_number_format_types(pattern: str, kind: str) -> None:
    assert format_type(pattern) == kind


def test_highlights_are_formula_rules_of_numbers_ending_with_the_marker() -> None:
    block = {"tab": "S", "rows": (2, 9), "cols": (4, 4)}
    assert highlight_formula(Highlight(**block, when="lt", color=RED, values=(0.8,))) == \
        '=AND(ISNUMBER(E2),E2<0.8,"premia"="premia")'
    assert highlight_formula(Highlight(**block, when="between", color=AMBER, values=(0.8, 1.0))) == \
        '=AND(ISNUMBER(E2),E2>=0.8,E2<1,"premia"="premia")'
    assert highlight_formula(Highlight(**block, when="gte", color=GREEN, values=(1e-5,))) == \
        '=AND(ISNUMBER(E2),E2>=1E-05,"premia"="premia")'
    assert highlight_formula(Highlight(**block, when="always", color=ISSUE)) == '=AND(TRUE,"premia"="premia")'
    with pytest.raises(ValueError):
        highlight_formula(Highlight(**block, when="lt", color=RED, values=(math.inf,)))


def test_result_highlights_colour_the_block_in_order() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([summary()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    rules = of(body, "addConditionalFormatRule")
    assert [r["index"] for r in rules] == [0, 1, 2]
    first = rules[0]["rule"]
    assert first["ranges"] == [{"sheetId": sid, "startRowIndex": 1, "endRowIndex": 4,
                                "startColumnIndex": 1, "endColumnIndex": 2}]
    assert first["booleanRule"]["format"] == {"backgroundColorStyle": {"rgbColor": {
        "red": 0.9569, "green": 0.7804, "blue": 0.7647}}}  # F4C7C3


def test_input_highlights_go_after_the_users_own_rules_and_share_rules() -> None:
    deals = sheet(5, "Deals", rules=4, premia_rules=(0, 2))
    issues = [Highlight("Deals", (3, 4), (0, 8), "always", ISSUE),
              Highlight("Deals", (9, 9), (0, 8), "always", ISSUE)]
    low = Highlight("Deals", (2, 9), (4, 4), "lt", RED, (0.0,))
    body = valid(build_batch_update(meta(deals), Report([summary()], [*issues, low])))
    deletes = [d for d in of(body, "deleteConditionalFormatRule") if d["sheetId"] == 5]
    assert deletes == [{"sheetId": 5, "index": 2}, {"sheetId": 5, "index": 0}]  # descending, only Premia's
    added = [a for a in of(body, "addConditionalFormatRule") if a["rule"]["ranges"][0]["sheetId"] == 5]
    assert [a["index"] for a in added] == [2, 3]  # the user's 2 remaining rules stay first
    assert added[0]["rule"]["ranges"] == [  # both issue blocks in one rule
        {"sheetId": 5, "startRowIndex": 2, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 9},
        {"sheetId": 5, "startRowIndex": 8, "endRowIndex": 9, "startColumnIndex": 0, "endColumnIndex": 9}]
    assert added[1]["rule"]["booleanRule"]["condition"]["values"] == [
        {"userEnteredValue": '=AND(ISNUMBER(E2),E2<0,"premia"="premia")'}]


def test_thousands_of_issue_rows_stay_a_few_rules() -> None:
    issues = [Highlight("Deals", (row, row), (0, 8), "always", ISSUE) for row in range(2, 2000, 2)]
    body = valid(build_batch_update(meta(sheet(5, "Deals")), Report([], issues)))
    rules = of(body, "addConditionalFormatRule")
    assert [len(r["rule"]["ranges"]) for r in rules] == [100] * 9 + [99]
    assert [r["index"] for r in rules] == list(range(10))


def test_a_second_run_reuses_premia_tabs_and_replaces_only_premia_things() -> None:
    old = sheet(99, "Summary", key="summary", rules=3, premia_rules=(0, 1, 2), protections=(501,),
                charts=(601, 602))
    user = sheet(3, "Mine", rules=2, protections=(777,))  # protections listed are Premia's only
    body = valid(build_batch_update(meta(sheet(0, "Deals", rules=1, premia_rules=(0,)), user, old),
                                    Report([summary()])))
    assert "addSheet" not in kinds(body) and "createDeveloperMetadata" not in kinds(body)
    assert of(body, "deleteConditionalFormatRule") == [
        {"sheetId": 0, "index": 0}, {"sheetId": 99, "index": 2}, {"sheetId": 99, "index": 1},
        {"sheetId": 99, "index": 0}]
    assert of(body, "deleteProtectedRange") == [{"protectedRangeId": 777}, {"protectedRangeId": 501}]
    assert of(body, "deleteEmbeddedObject") == [{"objectId": 601}, {"objectId": 602}]
    (resize,) = of(body, "updateSheetProperties")
    assert resize["properties"] == {"sheetId": 99, "gridProperties": {
        "rowCount": 21, "columnCount": 18, "frozenRowCount": 1, "frozenColumnCount": 0}}
    order = kinds(body)
    last_delete = max(i for i, k in enumerate(order) if k.startswith("delete"))
    assert last_delete < order.index("updateSheetProperties") < order.index("updateCells")
    steps = ["updateCells", "addConditionalFormatRule", "addProtectedRange", "addChart"]
    assert [order.index(step) for step in steps] == sorted(order.index(step) for step in steps)
    assert of(body, "addProtectedRange") == [{"protectedRange": {
        "range": {"sheetId": 99}, "description": PROTECTION_NOTE, "warningOnly": True}}]


def test_a_users_tab_with_a_result_title_is_a_conflict_and_nothing_is_built() -> None:
    with pytest.raises(ResultTabConflict, match="'summary' is not one Premia made"):
        build_batch_update(meta(sheet(0, "Deals"), sheet(1, "summary")), Report([summary()]))


def test_new_sheet_ids_are_stable_and_never_collide() -> None:
    first = new_sheet_id("summary", set())
    assert new_sheet_id("summary", set()) == first
    assert new_sheet_id("summary", {first}) not in (first,)
    body = build_batch_update(meta(sheet(first, "Deals")), Report([summary()]))
    assert of(body, "addSheet")[0]["properties"]["sheetId"] != first


def test_a_chart_is_a_basic_chart_of_the_tabs_own_columns_at_its_anchor() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([summary()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    (chart,) = [c["chart"] for c in of(body, "addChart")]
    basic = chart["spec"]["basicChart"]
    assert chart["spec"]["title"] == "Plan vs fact" and basic["chartType"] == "COLUMN"
    assert basic["headerCount"] == 1  # row 1 names the series
    assert basic["domains"][0]["domain"]["sourceRange"]["sources"] == [
        {"sheetId": sid, "startRowIndex": 0, "endRowIndex": 4, "startColumnIndex": 0, "endColumnIndex": 1}]
    assert [s["series"]["sourceRange"]["sources"][0]["startColumnIndex"] for s in basic["series"]] == [1, 2]
    assert chart["position"] == {"overlayPosition": {
        "anchorCell": {"sheetId": sid, "rowIndex": 1, "columnIndex": 8}, "widthPixels": 1000, "heightPixels": 380}}


def funnel_block_tab() -> ResultTab:
    """A tab with a small table, then a block with its own header row on sheet row 5, under a bar chart."""
    rows: list[list[Any]] = [["Anna", 1250.0], ["Boris", 99.0], [],
                             ["Stage", "In work", "Reached"], ["1. lead", 10, 419], ["2. offer", 4, 12]]
    return ResultTab("summary", "Summary", [ColumnSpec("Manager"), ColumnSpec("Plan", "#,##0.00"),
                                             ColumnSpec("Fact", "#,##0.00")], rows,
                     charts=[Chart("Team funnel", "bar", (6, 7), 0, (1, 2), (9, 0))],
                     cell_formats={(6, 1): "0", (6, 2): "0", (7, 2): "0"})


def test_a_chart_below_the_table_is_named_by_its_own_header_row_which_is_bold() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([funnel_block_tab()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    (chart,) = [c["chart"] for c in of(body, "addChart")]
    basic = chart["spec"]["basicChart"]
    assert basic["chartType"] == "BAR" and basic["headerCount"] == 1
    # Sheet row 5 (index 4) holds "Stage / In work / Reached": every source starts there, not at row 1.
    sources = [basic["domains"][0]["domain"], *(s["series"] for s in basic["series"])]
    assert [(s["sourceRange"]["sources"][0]["startRowIndex"], s["sourceRange"]["sources"][0]["endRowIndex"],
             s["sourceRange"]["sources"][0]["startColumnIndex"]) for s in sources] == [(4, 7, 0), (4, 7, 1), (4, 7, 2)]
    # Google draws a bar chart's first row on top already: stage 1 stays first, nothing is reversed.
    assert "reversed" not in basic["domains"][0]
    header = cells_of(body, sid)[4]
    assert [c["userEnteredValue"]["stringValue"] for c in header] == ["Stage", "In work", "Reached"]
    assert all(c["userEnteredFormat"]["textFormat"] == {"bold": True} for c in header)
    assert "userEnteredFormat" not in cells_of(body, sid)[1][0]  # the table's own cells stay plain


def test_cell_formats_override_their_columns_after_the_column_formats() -> None:
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([funnel_block_tab()])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    repeats = [r for r in of(body, "repeatCell") if r["fields"] == "userEnteredFormat.numberFormat"]
    assert [r["range"]["startColumnIndex"] for r in repeats[:2]] == [1, 2]  # the columns' money format
    count = {"userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": "0"}}}
    assert repeats[2:] == [  # one block per run of cells in a row, later than the column formats
        {"range": {"sheetId": sid, "startRowIndex": 5, "endRowIndex": 6, "startColumnIndex": 1, "endColumnIndex": 3},
         "cell": count, "fields": "userEnteredFormat.numberFormat"},
        {"range": {"sheetId": sid, "startRowIndex": 6, "endRowIndex": 7, "startColumnIndex": 2, "endColumnIndex": 3},
         "cell": count, "fields": "userEnteredFormat.numberFormat"}]


def test_an_empty_tab_still_gets_a_valid_grid() -> None:
    tab = ResultTab("input_issues", "Input issues", [ColumnSpec("Tab")], [], protected=False)
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([tab])))
    assert of(body, "addSheet")[0]["properties"]["gridProperties"] == {
        "rowCount": 2, "columnCount": 1, "frozenRowCount": 1}
    assert "addProtectedRange" not in kinds(body)


# -- setup -------------------------------------------------------------------------------------------

def test_setup_adds_only_the_missing_input_tabs_in_the_spreadsheets_language() -> None:
    body = valid(build_setup_batch(meta(sheet(0, "Сделки"), sheet(1, "Команда"), sheet(2, "Мой лист")),
                                   team_manager=("Команда", 2)))
    titles = [a["properties"]["title"] for a in of(body, "addSheet")]
    assert titles == ["Планы", "Оплаты", "Воронка", "Правила"]
    assert all(a["properties"]["gridProperties"]["frozenRowCount"] == 1 for a in of(body, "addSheet"))
    header = of(body, "updateCells")[0]["rows"][0]["values"]
    assert header[0]["userEnteredValue"] == {"stringValue": "Месяц"}
    assert header[0]["userEnteredFormat"] == {"textFormat": {"bold": True}}
    assert header[0]["note"].startswith("Месяц")
    conditions = [v["rule"]["condition"] for v in of(body, "setDataValidation")]
    assert {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": "='Команда'!C2:C"}]} in conditions
    stage = next(c for c in conditions if c["type"] == "ONE_OF_LIST" and len(c["values"]) == 8)
    assert stage["values"][-1] == {"userEnteredValue": "отказ"}
    assert all(v["rule"]["showCustomUi"] and not v["rule"]["strict"] for v in of(body, "setDataValidation"))


def test_setup_of_an_empty_english_spreadsheet_points_managers_at_the_new_team_tab() -> None:
    body = valid(build_setup_batch(meta(sheet(0, "Sheet1"))))
    assert [a["properties"]["title"] for a in of(body, "addSheet")] == [
        "Team", "Plans", "Deals", "Payments", "Funnel", "Rules"]
    conditions = [v["rule"]["condition"] for v in of(body, "setDataValidation")]
    assert {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": "='Team'!A2:A"}]} in conditions
    roles = next(c for c in conditions if c["values"][0]["userEnteredValue"] == "sales")
    assert [v["userEnteredValue"] for v in roles["values"]] == [
        "sales", "call_centre", "post_sale", "receivables"]


def test_setup_follows_a_russian_locale_and_does_nothing_when_nothing_is_missing() -> None:
    ru = build_setup_batch(meta(sheet(0, "Лист1"), locale="ru_RU"))
    assert of(ru, "addSheet")[0]["properties"]["title"] == "Команда"
    titles = ["Team", "plans", "Deals ", "Payments", "Воронка", "Rules"]  # any language, any case
    full = meta(*[sheet(i, t) for i, t in enumerate(titles)])
    assert build_setup_batch(full) == {"requests": []}


def test_a_run_of_equal_cells_is_one_repeat_cell_and_leaves_empty_cells_behind() -> None:
    rows = [["2026-11", f"Manager {i // 3}", float(i)] for i in range(12)]
    tab = ResultTab("t", "T", [ColumnSpec("Month", "@"), ColumnSpec("Manager"), ColumnSpec("Amount")], rows)
    body = valid(build_batch_update(meta(sheet(0, "Deals")), Report([tab])))
    sid = of(body, "addSheet")[0]["properties"]["sheetId"]
    _header, *cells = cells_of(body, sid)
    assert all(line[0] == {} for line in cells)  # the month column is one run
    run = next(r for r in of(body, "repeatCell") if r["cell"].get("userEnteredValue") == {"stringValue": "2026-11"})
    assert run["range"] == {"sheetId": sid, "startRowIndex": 1, "endRowIndex": 13, "startColumnIndex": 0,
                            "endColumnIndex": 1}
    assert run["fields"] == "userEnteredValue"
    assert cells[0][1] == {"userEnteredValue": {"stringValue": "Manager 0"}}  # runs of 3 short names stay
    assert [line[2] for line in cells[:2]] == [{"userEnteredValue": {"numberValue": 0}},
                                              {"userEnteredValue": {"numberValue": 1}}]
    kinds_in_order = kinds(body)
    assert kinds_in_order.index("updateCells") < kinds_in_order.index("repeatCell")


def test_the_one_body_is_exactly_the_encoded_batch_and_is_given_up_once_past_the_limit() -> None:
    """What the adapter sends as its one request is byte for byte ``build_batch_update`` encoded; past
    the limit it builds no further (the staged write takes over) and says so with None."""
    from sheets_sync.google.staged import encoded, one_body

    sheets = meta(sheet(0, "Deals"), sheet(5, "Summary", key="summary", rules=2))
    report = Report([summary(rows=[["Anna", "sales", 100000 + n, 0.5] for n in range(40)]),
                     summary("Statements", [["Boris", "sales", 1.5, 0.25]] * 30)])
    whole = encoded(build_batch_update(sheets, report))
    requests, body = one_body(sheets, report, len(whole))
    assert body == whole
    assert requests == build_batch_update(sheets, report)["requests"]
    assert one_body(sheets, report, len(whole) - 1) is None


def test_a_staged_write_taking_over_the_tabs_the_one_body_built_sends_the_same_bytes() -> None:
    """The staged write reuses the cells the one-request attempt built, moved to the staging tabs; a tab
    linking to a result tab that the staged write replaces (Closed months) must still link to the new one."""
    from dataclasses import replace

    from sheets_sync.google.reuse import BuiltCells
    from sheets_sync.google.staged import encoded, one_body, staged_plan

    sheets = meta(sheet(0, "Deals"), sheet(5, "Summary", key="summary"), sheet(9, "Closed months", key="closed_months"))
    statements = replace(summary("Statements", [["Anna", 0.5, 10.0, None, Link("Closed months!3", "Closed months", 3)],
                                                ["Boris", 0.5, 10.0, None, Link("Deals!4", "Deals", 4, 1)]]),
                         key="statements")
    report = Report([statements, summary(), replace(summary("Closed months"), key="closed_months")])
    built = BuiltCells()
    assert one_body(sheets, report, len(encoded(build_batch_update(sheets, report))) - 1, built) is None
    assert set(built.tabs) == {"statements", "summary", "closed_months"}
    reused, fresh = staged_plan(sheets, report, "run1", built=built), staged_plan(sheets, report, "run1")
    assert reused.bodies == fresh.bodies
    assert reused.swap == fresh.swap
