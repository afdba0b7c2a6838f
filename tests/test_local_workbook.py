"""The local-workbook adapter on tiny workbooks built inside each test.

Every workbook is written to pytest's ``tmp_path``, run through the adapter, then read back with
openpyxl (and, where the claim is about bytes, with zipfile) to check what a user would see.
"""

from __future__ import annotations

import os
import re
import zipfile
from copy import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from formulas.report.model import AMBER, GREEN, ISSUE, RED, Chart, ColumnSpec, Highlight, Link, Report, ResultTab
from sheets_sync.local.rules import MARKER, is_premia_rule
from sheets_sync.local.write import WorkbookNotSupported, create_workbook, read_workbook, write_report

FORMULA_TEXT = '=IMPORTXML("http://x","//a")'


def summary_tab(title: str = "Summary", rows: list[list[Any]] | None = None) -> ResultTab:
    """A small result tab using every feature of the model."""
    return ResultTab(
        key="summary",
        title=title,
        columns=[
            ColumnSpec("Manager", width=20),
            ColumnSpec("Attainment", "0.0%"),
            ColumnSpec("Total", "#,##0.00"),
            ColumnSpec("Since", "yyyy-mm-dd"),
            ColumnSpec("Source"),
        ],
        rows=rows
        if rows is not None
        else [
            ["Anna", 0.75, 1234.5, date(2026, 1, 5), Link("Deals!3", "Deals", 3, 1)],
            ["Boris", 1.2, 99, date(2026, 2, 1), FORMULA_TEXT],
            ["Vera", None, 0, None, None],
        ],
        notes={(2, 2): "Base 1 000 × 5 %"},
        highlights=[
            Highlight(title, (2, 4), (1, 1), "lt", RED, (0.8,)),
            Highlight(title, (2, 4), (1, 1), "between", AMBER, (0.8, 1.0)),
            Highlight(title, (2, 4), (1, 1), "gte", GREEN, (1.0,)),
            Highlight(title, (4, 4), (0, 4), "always", ISSUE),
        ],
        charts=[Chart("Plan vs fact", "column", (2, 4), 0, (1, 2), (7, 7))],
    )


def report(input_rows: tuple[int, ...] = (3,), tabs: list[ResultTab] | None = None) -> Report:
    """A report with the summary tab and issue highlights on the given rows of Deals."""
    return Report(
        tabs=tabs if tabs is not None else [summary_tab()],
        input_highlights=[Highlight("Deals", (row, row), (0, 2), "always", ISSUE) for row in input_rows],
    )


def user_workbook(path: Path) -> Path:
    """A workbook as a user keeps it: a formatted input tab (Deals) and a personal tab (Notes)."""
    wb = Workbook()
    deals = wb.active
    deals.title = "Deals"
    for row in [
        ["Deal", "Amount", "Rate", "Signed"],
        ["D-1", 100000, 0.05, date(2026, 1, 3)],
        ["D-2", "сто тысяч", 0.1, date(2026, 1, 9)],
        ["D-3", 2500.5, 0.075, None],
    ]:
        deals.append(row)
    deals["F2"] = CellRichText(["partly ", TextBlock(InlineFont(b=True), "bold")])
    deals["E1"] = "Bonus"
    deals["E2"] = "=B2*C2"
    for cell in ("C2", "C3", "C4"):
        deals[cell].number_format = "0.0%"
    deals["A1"].font = Font(bold=True, color="FF1F4E79")
    deals["B2"].fill = PatternFill(fill_type="solid", start_color="FFFFFF00", end_color="FFFFFF00")
    deals["B3"].border = Border(bottom=Side(style="thin"))
    deals["A3"].comment = Comment("check this", "Anna")
    deals.merge_cells("F1:G1")
    deals.column_dimensions["A"].width = 31
    validation = DataValidation(type="list", formula1='"D-1,D-2,D-3"')
    validation.add("A2:A4")
    deals.add_data_validation(validation)
    deals.conditional_formatting.add(
        "B2:B4", CellIsRule(operator="greaterThan", formula=["50000"], font=Font(color="FF9C0006"))
    )
    notes = wb.create_sheet("Notes")
    notes["A1"] = "my own tab"
    notes["B2"] = "=1+1"
    notes["A2"].font = Font(italic=True)
    own_rule = CellIsRule(operator="equal", formula=['"x"'], font=Font(b=True))
    notes.conditional_formatting.add("A1:A9", own_rule)
    wb.save(path)
    return path


def sheet_state(path: Path, title: str) -> dict[str, Any]:
    """Everything a user sees on one tab, except Premia's own conditional rules."""
    ws = load_workbook(path, rich_text=True)[title]
    cells = {
        cell.coordinate: (
            cell.value,
            cell.data_type,
            cell.number_format,
            copy(cell.font),
            copy(cell.fill),
            copy(cell.border),
            cell.comment.text if cell.comment else None,
        )
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None or cell.has_style or cell.comment
    }
    rules = [
        (str(cf.sqref), rule.type, rule.operator, tuple(rule.formula), rule.priority, rule.dxf)
        for cf in ws.conditional_formatting
        for rule in cf.rules
        if not is_premia_rule(rule)
    ]
    return {
        "cells": cells,
        "rules": rules,
        "merged": sorted(str(merged) for merged in ws.merged_cells.ranges),
        "validations": [(str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation],
        "widths": {key: dim.width for key, dim in ws.column_dimensions.items()},
    }


def premia_rules(path: Path, title: str) -> list[tuple[str, str]]:
    """Premia's conditional rules on a tab as (range, formula)."""
    ws = load_workbook(path)[title]
    return [
        (str(cf.sqref), rule.formula[0])
        for cf in ws.conditional_formatting
        for rule in cf.rules
        if is_premia_rule(rule)
    ]


def patch_part(path: Path, part: str, old: str, new: str) -> None:
    """Replace text inside one part of the package, as another program could have written it."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    assert old.encode() in parts[part]
    parts[part] = parts[part].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def with_cached_value(path: Path, part: str, formula: str, value: str) -> None:
    """Give a formula cell written by openpyxl the cached result Excel would have stored."""
    patch_part(path, part, f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>")


def deals_only(title: str) -> bool:
    """The input-tab predicate of these tests."""
    return title == "Deals"


# --- reading -----------------------------------------------------------------------------------------


def test_read_gives_raw_values_and_non_general_formats(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(
        path,
        [
            (
                "Deals",
                [
                    ["Deal", "Amount", "Rate", "Signed", "Paid"],
                    ["D-1", 100000, 0.05, datetime(2026, 1, 3, 0, 0), True],
                    ["007", 12.5, None, None, False],
                ],
            ),
            ("Team", [["Manager"], ["Anna"]]),
        ],
        formats={("Deals", 1, 2): "0%", ("Deals", 2, 1): "#,##0.00"},
    )
    book = read_workbook(path)
    assert book.titles() == ["Deals", "Team"]
    deals = book.tabs[0]
    assert deals.values == [
        ["Deal", "Amount", "Rate", "Signed", "Paid"],
        ["D-1", 100000, 0.05, datetime(2026, 1, 3, 0, 0), True],
        ["007", 12.5, None, None, False],
    ]
    assert deals.is_percent(1, 2)
    assert not deals.is_percent(2, 1)
    assert deals.formats[(2, 1)] == "#,##0.00"
    assert deals.formats[(1, 3)] == "yyyy-mm-dd h:mm:ss"  # openpyxl's format for a datetime cell


def test_read_trims_trailing_empty_rows_and_columns_and_pads_short_rows(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(
        path,
        [
            (
                "Plans",
                [
                    ["Month", "Plan", "", None],
                    ["2026-01", None, ""],
                    [None, None, None, None],
                    ["2026-02", 5],
                    ["", None, ""],
                ],
            )
        ],
        formats={("Plans", 9, 7): "0%"},  # a formatted empty cell far away must not widen the tab
    )
    plans = read_workbook(path).tabs[0]
    assert plans.values == [["Month", "Plan"], ["2026-01", None], [None, None], ["2026-02", 5]]
    assert plans.formats == {}


def test_read_ignores_a_stale_stored_dimension(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(path, [("Team", [["Manager", "Role"], ["Anna", "sales"]])])
    patch_part(path, "xl/worksheets/sheet1.xml", '<dimension ref="A1:B2" />', '<dimension ref="A1" />')
    assert read_workbook(path).tabs[0].values == [["Manager", "Role"], ["Anna", "sales"]]


def test_read_only_the_tabs_the_predicate_accepts(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    assert read_workbook(path, deals_only).titles() == ["Deals"]


def test_formula_reads_as_its_cached_result_or_none(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    assert read_workbook(path, deals_only).tabs[0].values[1][4] is None  # openpyxl stores no result
    with_cached_value(path, "xl/worksheets/sheet1.xml", "B2*C2", "5000")
    assert read_workbook(path, deals_only).tabs[0].values[1][4] == 5000


# --- result tabs -------------------------------------------------------------------------------------


def test_result_tab_has_types_formats_links_notes_and_frozen_header(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(), ["Deals"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["Deals", "Notes", "Summary"]
    ws = wb["Summary"]
    assert [cell.value for cell in ws[1]] == ["Manager", "Attainment", "Total", "Since", "Source"]
    assert all(cell.font.b for cell in ws[1])
    assert (ws["B2"].value, ws["B2"].number_format) == (0.75, "0.0%")
    assert (ws["C2"].value, ws["C2"].number_format) == (1234.5, "#,##0.00")
    assert (ws["D2"].value, ws["D2"].number_format) == (datetime(2026, 1, 5), "yyyy-mm-dd")
    assert ws["D2"].is_date
    assert ws["E2"].value == "Deals!3"
    assert ws["E2"].hyperlink.location == "'Deals'!B3"
    assert ws["E2"].hyperlink.target is None  # internal link, not a URL or formula
    assert ws["B4"].value is None
    assert ws["C4"].value == 0
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 20
    assert ws.column_dimensions["B"].width == 14
    assert ws["C2"].comment.text == "Base 1 000 × 5 %"
    assert "Premia rewrites this tab" in ws["A1"].comment.text
    assert ws.sheet_properties.tabColor.rgb == "FF9E9E9E"
    assert not ws.protection.sheet


def test_result_tab_highlights_are_tagged_expression_rules(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(), ["Deals"])
    assert premia_rules(path, "Summary") == [
        ("B2:B4", f"AND(ISNUMBER(B2),B2<0.8,{MARKER})"),
        ("B2:B4", f"AND(ISNUMBER(B2),B2>=0.8,B2<1,{MARKER})"),
        ("B2:B4", f"AND(ISNUMBER(B2),B2>=1,{MARKER})"),
        ("A4:E4", f"AND(TRUE,{MARKER})"),
    ]
    rules = [rule for cf in load_workbook(path)["Summary"].conditional_formatting for rule in cf.rules]
    colours = [rule.dxf.fill.fgColor.rgb for rule in rules]
    assert colours == ["FF" + RED, "FF" + AMBER, "FF" + GREEN, "FF" + ISSUE]


def test_result_tab_chart_is_a_column_chart_over_the_tab(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(), ["Deals"])
    with zipfile.ZipFile(path) as zf:
        sheet_rels = zf.read("xl/worksheets/_rels/sheet3.xml.rels").decode()
        drawing = "xl/drawings/" + re.search(r'Target="[./a-z]*/drawings/(drawing\d+\.xml)"', sheet_rels).group(1)
        assert "chart" in zf.read(drawing.replace("drawings/", "drawings/_rels/") + ".rels").decode()
        anchor = zf.read(drawing).decode()
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "<from><col>7</col><colOff>0</colOff><row>6</row>" in anchor  # H7 (row 7, col 7), 0-based in XML
    assert '<barDir val="col" />' in chart
    assert "'Summary'!$A$2:$A$4" in chart
    assert "'Summary'!$B$2:$B$4" in chart and "'Summary'!$C$2:$C$4" in chart
    assert "Plan vs fact" in chart and "Attainment" in chart and "Total" in chart
    # Series are named by reference to the header cells above the data, with the text cached.
    assert "<tx><strRef><f>'Summary'!$B$1</f>" in chart and "<tx><strRef><f>'Summary'!$C$1</f>" in chart
    assert '<numFmt formatCode="#,##0" sourceLinked="0" />' in chart  # value axis without decimals
    assert '<a:bodyPr rot="0" vert="horz" />' in chart  # category labels not tilted
    assert "<ext cx=\"9525000\" cy=\"3619500\" />" in anchor  # 1000 x 380 px (9525 EMU per px)


def funnel_block_tab() -> ResultTab:
    """A tab with a small table, then a block with its own header row on sheet row 5, under a bar chart."""
    rows: list[list[Any]] = [["Anna", 1250.0], ["Boris", 99.0], [],
                             ["Stage", "In work", "Reached"], ["1. lead", 10, 419], ["2. offer", 4, 12]]
    return ResultTab("summary", "Summary", [ColumnSpec("Manager"), ColumnSpec("Plan", "#,##0.00"),
                                             ColumnSpec("Fact", "#,##0.00")], rows,
                     charts=[Chart("Team funnel", "bar", (6, 7), 0, (1, 2), (9, 0))],
                     cell_formats={(6, 1): "0", (6, 2): "0", (7, 1): "0", (7, 2): "0"})


def test_a_chart_below_the_table_is_named_by_its_own_bold_header_row(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(input_rows=(), tabs=[funnel_block_tab()]), ["Deals"])
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    series = re.findall(r"<ser>.*?</ser>", chart)
    assert [re.search(r"<tx><strRef><f>([^<]+)</f>", one).group(1) for one in series] == [
        "'Summary'!$B$5", "'Summary'!$C$5"]
    assert [re.search(r"<strCache>.*?<v>([^<]+)</v>", one).group(1) for one in series] == ["In work", "Reached"]
    assert "'Summary'!$B$6:$B$7" in chart and "'Summary'!$A$6:$A$7" in chart
    # Stage 1 on top: a spreadsheet bar chart draws its first category at the bottom unless reversed.
    assert '<barDir val="bar" />' in chart and '<orientation val="maxMin" />' in chart
    ws = load_workbook(path)["Summary"]
    assert [ws.cell(row=5, column=col).font.b for col in (1, 2, 3)] == [True, True, True]
    assert not ws["A6"].font.b


def test_cell_formats_override_the_column_format(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(input_rows=(), tabs=[funnel_block_tab()]), ["Deals"])
    ws = load_workbook(path)["Summary"]
    assert (ws["B2"].number_format, ws["B6"].number_format, ws["C7"].number_format) == ("#,##0.00", "0", "0")


def test_result_tabs_name_their_fonts_wrap_long_text_and_print_one_page_wide(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    long_text = ResultTab("signals", "Signals", [ColumnSpec("Signal", width=20), ColumnSpec("Details", width=60),
                                                 ColumnSpec("Cumulative conversion", "0.0%", 12)],
                          [["stuck_client", "a sentence long enough to need a second line " * 3],
                           [Link("Deals!3", "Deals", 3, 1), None]])
    write_report(path, report(input_rows=(), tabs=[summary_tab(), long_text]), ["Deals"])
    wb = load_workbook(path)
    summary, signals = wb["Summary"], wb["Signals"]
    # A font without a name prints in a serif face in LibreOffice: every written cell names Arial 10.
    for cell in (summary["A1"], summary["A2"], summary["C2"], summary["E2"], signals["B2"]):
        assert (cell.font.name, cell.font.sz) == ("Arial", 10), cell.coordinate
    assert summary["A1"].font.b and summary["E2"].font.u == "single" and not summary["A2"].font.b
    assert all(cell.alignment.wrap_text for cell in summary[1])  # long headers wrap instead of being cut
    # Every text cell wraps inside its column, indented so it never touches a number to its left.
    assert signals["B2"].alignment.wrap_text and signals["A2"].alignment.wrap_text
    assert signals["A2"].alignment.indent == 1
    # No program re-measures rows on opening a file: the row is made tall enough for 135 characters in
    # a column 60 wide (3 lines of 13 points, broken at spaces), and a row without long text keeps the
    # default height.
    assert (signals.row_dimensions[2].height, signals.row_dimensions[3].height) == (41, None)
    assert signals.row_dimensions[1].height == 28  # a header longer than its column wraps to 2 lines
    assert signals["A3"].hyperlink.location == "'Deals'!B3" and signals["A3"].font.u == "single"
    assert summary["C2"].number_format == "#,##0.00"  # the shared column style keeps the format
    for ws in (summary, signals):
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"  # the header row repeats on every printed page


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(), ["Deals"])
    cell = load_workbook(path)["Summary"]["E3"]
    assert (cell.value, cell.data_type) == (FORMULA_TEXT, "s")
    with zipfile.ZipFile(path) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet3.xml").decode()
    assert read_workbook(path, lambda title: title == "Summary").tabs[0].values[2][4] == FORMULA_TEXT


def test_existing_result_tab_is_rebuilt_in_place_and_new_tabs_are_appended(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(
        path, [("Deals", [["Deal"], ["D-1"]]), ("summary", [["stale"], ["old row"]]), ("Notes", [["mine"]])]
    )
    leaderboard = ResultTab("leaderboard", "Leaderboard", [ColumnSpec("Rank")], [[1]])
    write_report(path, report(input_rows=(), tabs=[summary_tab(), leaderboard]), ["Deals"])
    wb = load_workbook(path)
    assert wb.sheetnames == ["Deals", "Summary", "Notes", "Leaderboard"]
    assert wb["Summary"]["A2"].value == "Anna"
    assert "old row" not in [cell.value for row in wb["Summary"].iter_rows() for cell in row]


# --- input and other tabs ----------------------------------------------------------------------------


def test_input_and_user_tabs_stay_cell_for_cell_identical_over_two_runs(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    before = {title: sheet_state(path, title) for title in ("Deals", "Notes")}
    raw_before = read_workbook(path, deals_only).tabs
    for _ in range(2):
        write_report(path, report(), ["Deals"])
        assert {title: sheet_state(path, title) for title in ("Deals", "Notes")} == before
        assert read_workbook(path, deals_only).tabs == raw_before
    assert premia_rules(path, "Notes") == []


def test_input_highlights_replace_the_previous_premia_rules_only(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(input_rows=(3, 4)), ["Deals"])
    assert premia_rules(path, "Deals") == [("A3:C3", f"AND(TRUE,{MARKER})"), ("A4:C4", f"AND(TRUE,{MARKER})")]
    write_report(path, report(input_rows=(2,)), ["Deals"])
    assert premia_rules(path, "Deals") == [("A2:C2", f"AND(TRUE,{MARKER})")]
    user_rules = sheet_state(path, "Deals")["rules"]
    assert [(sqref, operator, formula) for sqref, _, operator, formula, _, _ in user_rules] == [
        ("B2:B4", "greaterThan", ("50000",))
    ]
    write_report(path, report(input_rows=()), ["Deals"])
    assert premia_rules(path, "Deals") == []


def test_cached_formula_results_survive_a_write(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    with_cached_value(path, "xl/worksheets/sheet1.xml", "B2*C2", "5000")
    with_cached_value(path, "xl/worksheets/sheet2.xml", "1+1", "2")
    write_report(path, report(), ["Deals"])
    write_report(path, report(), ["Deals"])
    assert read_workbook(path).tabs[0].values[1][4] == 5000
    assert read_workbook(path).tabs[1].values[1][1] == 2
    assert load_workbook(path)["Deals"]["E2"].value == "=B2*C2"  # the formula itself is kept


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ('<c r="E2"><f t="shared" ref="E2:E2" si="0">B2*C2</f><v>5000</v></c>', 5000),
        ('<c r="E2" t="str"><f>B2*C2</f><v>a &amp; b</v></c>', "a & b"),
        ('<c r="E2" t="b"><f>B2*C2</f><v>1</v></c>', True),
        ('<c r="E2" t="e"><f>B2*C2</f><v>#DIV/0!</v></c>', "#DIV/0!"),
    ],
)
def test_cached_results_of_every_type_survive_a_write(tmp_path: Path, stored: str, expected: Any) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    patch_part(path, "xl/worksheets/sheet1.xml", '<c r="E2"><f>B2*C2</f><v /></c>', stored)
    assert read_workbook(path, deals_only).tabs[0].values[1][4] == expected
    write_report(path, report(), ["Deals"])
    assert read_workbook(path, deals_only).tabs[0].values[1][4] == expected


def test_highlight_on_a_tab_that_is_not_an_input_tab_is_refused(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    original = path.read_bytes()
    bad = Report(tabs=[summary_tab()], input_highlights=[Highlight("Notes", (2, 2), (0, 0), "always", ISSUE)])
    with pytest.raises(ValueError, match="Notes"):
        write_report(path, bad, ["Deals"])
    assert path.read_bytes() == original


# --- determinism, atomicity, refusal -----------------------------------------------------------------


def test_second_run_gives_the_same_bytes(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    with zipfile.ZipFile(path) as zf:
        stamp = re.search(r"<dcterms:modified[^>]*>([^<]+)<", zf.read("docProps/core.xml").decode()).group(1)
    patch_part(path, "docProps/core.xml", stamp, "2020-01-02T03:04:05Z")
    write_report(path, report(), ["Deals"])
    first = path.read_bytes()
    os.utime(path, (0, 0))  # a different file time must not matter either
    write_report(path, report(), ["Deals"])
    assert path.read_bytes() == first
    with zipfile.ZipFile(path) as zf:
        # Nothing in the package depends on the clock: document dates as they were, fixed entry times.
        assert (
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2020-01-02T03:04:05Z<'
            in zf.read("docProps/core.xml").decode()
        )
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_failure_before_saving_leaves_the_file_unchanged(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    original = path.read_bytes()
    broken = summary_tab(rows=[["Anna", object(), 1, None, None]])
    with pytest.raises(TypeError, match="object"):
        write_report(path, report(tabs=[broken]), ["Deals"])
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == ["book.xlsx"]


def test_failure_while_saving_leaves_the_file_unchanged_and_no_temp_file(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    path.chmod(0o640)
    original = path.read_bytes()
    # openpyxl accepts a timezone-aware datetime in a cell but refuses it while writing the sheet.
    broken = summary_tab(rows=[["Anna", 0.5, 1, datetime(2026, 1, 5, tzinfo=UTC), None]])
    with pytest.raises(TypeError, match="timezone"):
        write_report(path, report(tabs=[broken]), ["Deals"])
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == ["book.xlsx"]
    write_report(path, report(), ["Deals"])
    assert path.stat().st_mode & 0o777 == 0o640  # the replaced file keeps the user's permissions


def test_a_chart_on_a_user_tab_is_kept_byte_for_byte(tmp_path: Path) -> None:
    """openpyxl would re-serialise a user's chart through its own model; the merge never loads it."""
    path = user_workbook(tmp_path / "book.xlsx")
    wb = load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(wb["Deals"], min_col=2, min_row=1, max_row=4), titles_from_data=True)
    wb["Notes"].add_chart(chart, "D2")
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        before = {name: zf.read(name) for name in zf.namelist() if "chart" in name or "drawing" in name}
        before["xl/worksheets/sheet2.xml"] = zf.read("xl/worksheets/sheet2.xml")
    write_report(path, report(), ["Deals"])
    with zipfile.ZipFile(path) as zf:
        assert {name: zf.read(name) for name in before} == before


def test_a_chart_on_a_result_tab_is_rebuilt_not_refused(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    write_report(path, report(), ["Deals"])  # Summary now holds a chart
    write_report(path, report(), ["Deals"])
    with zipfile.ZipFile(path) as zf:
        assert [name for name in zf.namelist() if name.startswith("xl/charts/")] == ["xl/charts/chart1.xml"]


def test_refuses_a_workbook_with_macros(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\x00macro")
    original = path.read_bytes()
    with pytest.raises(WorkbookNotSupported, match="macros"):
        write_report(path, report(), ["Deals"])
    assert path.read_bytes() == original


def test_sparklines_on_a_user_tab_are_kept_byte_for_byte(tmp_path: Path) -> None:
    path = user_workbook(tmp_path / "book.xlsx")
    sparklines = (
        '<extLst><ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        "<x14:sparklineGroups /></ext></extLst></worksheet>"
    )
    patch_part(path, "xl/worksheets/sheet2.xml", "</worksheet>", sparklines)
    with zipfile.ZipFile(path) as zf:
        before = zf.read("xl/worksheets/sheet2.xml")
    write_report(path, report(), ["Deals"])
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/worksheets/sheet2.xml") == before


def test_create_workbook_makes_a_bold_header_and_keeps_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    create_workbook(path, [("Team", [["Manager", "Share"], ["=SUM(1)", 0.25]])], {("Team", 1, 1): "0%"})
    ws = load_workbook(path)["Team"]
    assert ws["A1"].font.b and ws["B1"].font.b and not ws["A2"].font.b
    assert {(cell.font.name, cell.font.sz) for cell in (ws["A1"], ws["B1"], ws["A2"])} == {("Arial", 10)}
    assert (ws["A2"].value, ws["A2"].data_type) == ("=SUM(1)", "s")
    assert ws["B2"].number_format == "0%"
    assert path.stat().st_mode & 0o777 == 0o644


def test_create_workbook_sizes_columns_to_their_longest_value(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    rows = [["Signed", "Manager", "Note", "N"], [date(2026, 6, 1), "Svetlana Orlova", "x" * 70, 5]]
    create_workbook(path, [("Deals", rows)])
    widths = {key: dim.width for key, dim in load_workbook(path)["Deals"].column_dimensions.items()}
    # A date shows as 10 characters (2026-06-01); long text stops at 40; short columns keep about 9.
    assert widths == {"A": 12, "B": 17, "C": 40, "D": 9}


def test_a_kept_tabs_17_digit_number_survives_a_rewrite(tmp_path) -> None:
    """openpyxl alone writes %.16g: 0.30000000000000004 would come back as 0.3."""
    from openpyxl import Workbook as _Workbook
    from openpyxl import load_workbook as _load

    from formulas.report.model import ColumnSpec as _Column
    from formulas.report.model import Report as _Report
    from formulas.report.model import ResultTab as _Tab
    from sheets_sync.local.write import write_report as _write

    path = tmp_path / "digits.xlsx"
    book = _Workbook()
    book.active.title = "Notes"
    book.active["A1"] = 0.1 + 0.2
    book.active["A2"] = 1 / 3
    from sheets_sync.local.render import exact_numbers

    with exact_numbers():  # as Excel would store them: all 17 digits
        book.save(path)
    assert b"0.30000000000000004" in __import__("zipfile").ZipFile(path).read("xl/worksheets/sheet1.xml")
    _write(path, _Report([_Tab("summary", "Summary", [_Column("x")], [[1.5]])]), [])
    kept = _load(path)["Notes"]
    assert kept["A1"].value == 0.1 + 0.2 and kept["A2"].value == 1 / 3
