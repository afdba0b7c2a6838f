"""The month-close contract of a local workbook (PRODUCT.md section 3a): records, read-back tabs, locks.

``write(report)`` stores ``report.properties`` in a very hidden tab ``Premia`` (replacing every record;
None leaves them as they are) and sheet-protects every result tab marked ``locked``; ``read()`` gives
the records back and the Closed months tab (in either language) as ``own_tabs``.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formulas.report.model import ColumnSpec, Report, ResultTab
from formulas.text import say
from sheets_sync.local import LocalWorkbook
from sheets_sync.local.guard import WorkbookNotSupported
from sheets_sync.local.strings import unescape
from sheets_sync.local.write import create_workbook
from tests.builders import HEADERS
from tests.test_local_fixtures import read_parts


def book(tmp_path: Path) -> Path:
    """A workbook with one input tab and a user's tab."""
    path = tmp_path / "book.xlsx"
    create_workbook(path, [("Team", [HEADERS["Team"], ["Anna", "sales", 30000, None, None]]), ("Notes", [["mine"]])])
    return path


def closed_months(lang: str = "en", locked: bool = True) -> ResultTab:
    """A frozen-lines tab as the month close writes it."""
    return ResultTab("closed_months", say("title.closed_months", lang),
                     [ColumnSpec("Month"), ColumnSpec("Manager"), ColumnSpec("Amount", "#,##0.00"),
                      ColumnSpec("Closed on", "yyyy-mm-dd")],
                     [["2026-02", "Anna", 30000.5, date(2026, 3, 2)], ["2026-02", "=Boris", -12.25, None]],
                     locked=locked)


def written(path: Path, report: Report) -> LocalWorkbook:
    """Read the workbook, write ``report`` into it, and read it again with a fresh adapter."""
    sheet = LocalWorkbook(path)
    sheet.read()
    sheet.write(report)
    again = LocalWorkbook(path)
    again.read()
    return again


def test_records_are_stored_in_a_very_hidden_tab_and_read_back(tmp_path: Path) -> None:
    path = book(tmp_path)
    written(path, Report([], properties={"close:2026-02": '{"sha256": "ab"}', "history": "[]"}))
    workbook = LocalWorkbook(path).read()
    assert workbook.properties == {"close:2026-02": '{"sha256": "ab"}', "history": "[]"}
    assert workbook.all_titles == ("Team", "Notes")  # never a user or input tab
    assert re.search(r'<sheet name="Premia" sheetId="\d+" state="veryHidden"',
                     zipfile.ZipFile(path).read("xl/workbook.xml").decode())
    wb = load_workbook(path)
    assert wb["Premia"].sheet_state == "veryHidden" and wb["Premia"].protection.sheet


def test_writing_records_replaces_every_record_and_none_leaves_them(tmp_path: Path) -> None:
    path = book(tmp_path)
    written(path, Report([], properties={"a": "1", "b": "2"}))
    written(path, Report([], properties={"c": "3"}))
    assert LocalWorkbook(path).read().properties == {"c": "3"}
    records = read_parts(path)
    written(path, Report([closed_months()], properties=None))
    assert LocalWorkbook(path).read().properties == {"c": "3"}
    after = read_parts(path)
    assert [name for name in records if name.startswith("xl/worksheets/") and after.get(name) != records[name]] == []
    written(path, Report([], properties={}))
    assert LocalWorkbook(path).read().properties == {}


def test_long_and_odd_values_come_back_exactly(tmp_path: Path) -> None:
    path = book(tmp_path)
    long = "".join(f"{i:05d}\r\n" for i in range(20_000)) + "🙂" * 20_000  # 160 000 characters
    odd = "=SUM(A1)\x01\x1f _x0041_ _x005F_ <&> \"quoted\" \t tab \u2028"
    values = {"long": long, "odd": odd, "empty": "", " spaced key ": "  value  "}
    written(path, Report([], properties=values))
    assert LocalWorkbook(path).read().properties == values
    sheet = next(data for data in read_parts(path).values() if b"_x005F_x0041_" in data)
    cells = [unescape(html.unescape(text.decode())) for text in re.findall(rb"<t[^>]*>([^<]*)</t>", sheet)]
    # Excel counts a cell's 32 767 characters in UTF-16 units (an emoji is two).
    assert max(len(text.encode("utf-16-le")) // 2 for text in cells) <= 32_767
    assert len(cells) > 2 * len(values)  # the long value was split over several rows


def test_locked_result_tabs_are_sheet_protected_and_others_are_not(tmp_path: Path) -> None:
    path = book(tmp_path)
    summary = ResultTab("summary", "Summary", [ColumnSpec("Manager")], [["Anna"]])
    written(path, Report([summary, closed_months()]))
    wb = load_workbook(path)
    assert wb["Closed months"].protection.sheet and not wb["Summary"].protection.sheet


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_closed_months_tab_is_read_back_in_either_language(tmp_path: Path, lang: str) -> None:
    path = book(tmp_path)
    sheet = written(path, Report([closed_months(lang)]))
    workbook = sheet.read()
    tab = workbook.own_tabs["closed_months"]
    assert tab.title == say("title.closed_months", lang)
    assert tab.values[1][:3] == ["2026-02", "Anna", 30000.5] and tab.values[2][1] == "=Boris"
    assert tab.values[1][3].date() == date(2026, 3, 2)
    assert [t.title for t in workbook.tabs] == ["Team"]  # a read-back tab is not an input tab


def test_a_users_own_visible_tab_named_premia_is_never_taken(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(path, [("Team", [HEADERS["Team"]]), ("Premia", [["my notes about Premia"]])])
    sheet = LocalWorkbook(path)
    workbook = sheet.read()
    assert workbook.properties == {} and "Premia" in workbook.all_titles
    before = path.read_bytes()
    with pytest.raises(WorkbookNotSupported, match=r"Tab 'Premia' is visible.*If it is yours, rename it"):
        sheet.write(Report([], properties={"a": "1"}))
    assert path.read_bytes() == before
    sheet.write(Report([closed_months()]))  # without records to store, the tab is no obstacle
    assert LocalWorkbook(path).read().all_titles == ("Team", "Premia", "Closed months")


@pytest.mark.slow
def test_libreoffice_opens_records_and_a_locked_tab_and_keeps_them_hidden(tmp_path: Path) -> None:
    path = book(tmp_path)
    written(path, Report([closed_months()], properties={"close:2026-02": "x" * 40_000}))
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is missing; install it with `bash tests/render/install-libreoffice.sh`")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(path)],
                   capture_output=True, timeout=120, check=True)
    saved = LocalWorkbook(tmp_path / "out" / "book.xlsx")
    # LibreOffice keeps the records, but saves the tab as hidden (it has no "very hidden"); the next
    # write of records makes it very hidden again.
    assert saved.read().all_titles == ("Team", "Notes", "Closed months")
    assert saved.read().properties == {"close:2026-02": "x" * 40_000}
    saved.write(Report([], properties={"close:2026-02": "y"}))
    workbook = read_parts(saved.path)["xl/workbook.xml"].decode()
    assert re.search(r'<sheet name="Premia" [^>]*state="veryHidden"', workbook)
