"""Reading a local workbook's parts directly: odd values, odd files, and tabs sized by their data.

Each test writes the sheet XML a real program writes next to the values the core must get, then reads
it through the adapter. Odd files (a dangling relationship, a part name in another letter case, a
missing part) are read and written, or refused in plain words: never a KeyError.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from entrypoints.jobs import recalculate_spreadsheet
from service import create_app
from sheets_sync.local import LocalWorkbook
from sheets_sync.local.guard import WorkbookDamaged
from sheets_sync.local.write import create_workbook, read_workbook
from tests.builders import HEADERS
from tests.test_local_fixtures import AS_OF, base_workbook, read_parts, write_parts

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def one_sheet(folder: Path, cells: str, styles: str = "", shared: str = "", date1904: bool = False) -> Path:
    """A workbook of one tab whose ``<sheetData>`` is ``cells``; optional extra number formats and strings."""
    folder.mkdir(exist_ok=True)
    path = folder / "book.xlsx"
    create_workbook(path, [("Notes", [["x"]])])
    parts = read_parts(path)
    xml = parts[SHEET].decode()
    start, end = xml.index("<sheetData>"), xml.index("</sheetData>") + len("</sheetData>")
    parts[SHEET] = (xml[:start] + f"<sheetData>{cells}</sheetData>" + xml[end:]).encode()
    if styles:
        parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b"</cellXfs>", styles.encode() + b"</cellXfs>")
    if shared:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{shared}</sst>'.encode()
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    if date1904:
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"<workbookPr />", b'<workbookPr date1904="1"/>')
    write_parts(path, parts)
    return path


def values(path: Path) -> list[list[Any]]:
    """The first tab's values as the adapter reads them."""
    return read_workbook(path).tabs[0].values


def test_odd_values_read_as_what_the_cell_holds(tmp_path: Path) -> None:
    date_format = '<xf numFmtId="14" fontId="0" fillId="0" borderId="0"/>'  # built-in m/d/yy
    path = one_sheet(tmp_path, (
        '<row r="1"><c r="A1"><v>1E+999</v></c><c r="B1" s="2"><v>10000000</v></c><c r="C1" s="2"><v>1E-9</v></c>'
        '<c r="D1" s="2"><v>46082</v></c><c r="E1" s="2"><v>-3</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a_x000D_\nb</t></is></c><c r="B2" t="s"><v>0</v></c>'
        '<c r="C2" t="s"><v>1</v></c><c r="D2" t="inlineStr"><is><t/></is></c>'
        '<c r="E2" t="str"><v>x_x005F_x0041_</v></c></row>'
        '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#DIV/0!</v></c>'
        '<c r="C3" t="d"><v>2026-03-05T00:00:00</v></c><c r="D3"><f>1+1</f></c>'
        '<c r="E3"><v>12345678901234567890</v></c></row>'),
        styles=date_format, shared="<si><t></t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>"
                                   "<rPh><t>ignored</t></rPh></si>")
    rows = values(path)
    assert math.isinf(rows[0][0]) and rows[0][1:] == [10000000, 1e-09, datetime(2026, 3, 1), -3]
    assert rows[1] == ["a\r\nb", "", "rich text", "", "x_x0041_"]
    assert rows[2] == [True, "#DIV/0!", datetime(2026, 3, 5), None, 12345678901234567890]


def test_cells_and_rows_without_references_follow_their_neighbours(tmp_path: Path) -> None:
    path = one_sheet(tmp_path, '<row><c><v>1</v></c><c><v>2</v></c></row><row r="3"><c r="B3"><v>3</v></c><c>'
                               "<v>4</v></c></row>")
    assert values(path) == [[1, 2, None], [None, None, None], [None, 3, 4]]


def test_dates_of_a_1904_workbook(tmp_path: Path) -> None:
    path = one_sheet(tmp_path, '<row r="1"><c r="A1" s="2"><v>44620</v></c></row>',
                     styles='<xf numFmtId="14" fontId="0" fillId="0" borderId="0"/>', date1904=True)
    assert values(path) == [[datetime(2026, 3, 1)]]


def test_a_stray_formatted_cell_far_down_does_not_grow_the_tab(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>row {r}</t></is></c>'
                   "</row>" for r in range(1, 2001))
    clean = one_sheet(tmp_path / "clean", rows)
    last = '<row r="1048576" s="1" customFormat="1"><c r="XFD1048576" s="1"/></row>'  # bold, empty
    stray = one_sheet(tmp_path / "stray", rows + last)
    tab = read_workbook(stray).tabs[0]
    assert len(tab.values) == 2000 and len(tab.values[0]) == 2
    assert tab.values == read_workbook(clean).tabs[0].values
    # Work, not wall time (a shared machine's timing proves nothing): memory at its peak while reading
    # the stray tab stays that of the clean one; a tab sized to row 1 048 576 would hold a million rows.
    assert _peak_bytes(lambda: read_workbook(stray)) < 2 * _peak_bytes(lambda: read_workbook(clean)) + 1_000_000


# ---------------------------------------------------------------- odd files


def invoke(*args: str) -> Result:
    """Run ``flask premia ARGS`` as a person would (errors in plain words, never a traceback)."""
    return create_app({"TESTING": True}).test_cli_runner().invoke(args=["premia", *args])


def test_a_dangling_relationship_and_a_part_name_in_another_case_are_fine(tmp_path: Path) -> None:
    path = base_workbook(tmp_path / "book.xlsx")
    parts = read_parts(path)
    parts["xl/worksheets/_rels/sheet5.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
        b'Target="../drawings/drawing9.xml"/></Relationships>')
    parts = {("XL/Worksheets/SHEET2.XML" if name == "xl/worksheets/sheet2.xml" else name): data
             for name, data in parts.items()}
    write_parts(path, parts)
    outcome = recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert ("Deals", 4, "AMOUNT-INF") in {(issue.tab, issue.row, issue.value) for issue in outcome.inputs.issues}
    after = read_parts(path)
    assert after["XL/Worksheets/SHEET2.XML"].startswith(parts["XL/Worksheets/SHEET2.XML"][:200])
    assert after["xl/worksheets/_rels/sheet5.xml.rels"] == parts["xl/worksheets/_rels/sheet5.xml.rels"]


@pytest.mark.parametrize(("missing", "message"), [
    ("xl/worksheets/sheet2.xml", "Tab 'Deals' is missing from the file"),
    ("xl/sharedStrings.xml", "Tab 'Deals' cell D2 refers to text the file does not contain"),
])
def test_a_missing_part_is_refused_in_plain_words(tmp_path: Path, missing: str, message: str) -> None:
    path = base_workbook(tmp_path / "book.xlsx")
    parts = read_parts(path)
    if missing.endswith("sharedStrings.xml"):  # Excel keeps text in a shared table: point a cell at it
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        parts["xl/worksheets/sheet2.xml"] = re.sub(rb'<c r="D2".*?</c>', b'<c r="D2" t="s"><v>0</v></c>',
                                                   parts["xl/worksheets/sheet2.xml"], count=1)
    parts.pop(missing, None)
    write_parts(path, parts)
    with pytest.raises(WorkbookDamaged, match=message):
        LocalWorkbook(path).read()
    result = invoke("recalc", str(path), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_result_tab_whose_part_is_missing_is_refused_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(path, [("Team", [HEADERS["Team"]]), ("Summary", [["old"]])])
    parts = read_parts(path)
    del parts["xl/worksheets/sheet2.xml"]
    write_parts(path, parts)
    before = path.read_bytes()
    result = invoke("recalc", str(path), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1 and "Tab 'Summary' is missing from the file" in result.output
    assert path.read_bytes() == before


def _peak_bytes(action) -> int:
    """The peak of Python memory allocated while ``action`` runs (tracemalloc)."""
    import tracemalloc

    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
