"""Nothing lost: a recalculation keeps every part of the user's package that is not Premia's byte for byte.

The workbook is the real-world fixture of :mod:`tests.test_local_fixtures` (features openpyxl drops or
breaks, odd values, a dangling relationship, a part name in another letter case). After a real job:

* every part that is neither a bookkeeping part nor an input tab has exactly its old bytes;
* input tabs have their old bytes once Premia's own conditional-format blocks are cut out;
* the workbook, its relationships and content types, and the stylesheet only gained entries: the old
  part is a subsequence of the new one, token by token (tags and text), counts aside.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from entrypoints.jobs import recalculate_spreadsheet
from formulas.report.model import RECALCULATION_KEYS
from formulas.text import say
from sheets_sync.local import LocalWorkbook
from tests.test_local_fixtures import AS_OF, INPUT_TABS, USER_TAB, read_parts, real_world_workbook

BOOKKEEPING = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml")
INPUT_PARTS = {f"xl/worksheets/sheet{index}.xml": title for index, title in enumerate(INPUT_TABS, start=1)}
_PREMIA_BLOCK = re.compile(rb"<(?:\w+:)?conditionalFormatting\b[^>]*>(?:(?!</(?:\w+:)?conditionalFormatting>).)*?"
                           rb"(?:\"|&quot;)premia(?:\"|&quot;)=(?:\"|&quot;)premia(?:\"|&quot;).*?"
                           rb"</(?:\w+:)?conditionalFormatting>", re.S)
_TOKEN = re.compile(rb"<[^>]*>|[^<]+")


def without_premia_rules(xml: bytes) -> bytes:
    """A sheet part with Premia's conditional-format blocks (the ones carrying its marker) cut out."""
    return _PREMIA_BLOCK.sub(b"", xml)


def inserted_tokens(before: bytes, after: bytes) -> list[bytes]:
    """The tokens ``after`` has in addition to ``before``; fails unless ``before`` is a subsequence of it."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    extra, position = [], 0
    for token in new:
        if position < len(old) and token == old[position]:
            position += 1
        else:
            extra.append(token)
    assert position == len(old), f"lost or changed: {old[position][:200]!r}"
    return extra


def _counts_aside(xml: bytes) -> bytes:
    """A stylesheet with its lists' counts blanked (appending entries updates them)."""
    return re.sub(rb'\scount="\d+"', b"", xml)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes], Path]:
    """The fixture's parts before and after one real recalculation, and the file."""
    path = real_world_workbook(tmp_path_factory.mktemp("real") / "book.xlsx")
    before = read_parts(path)
    outcome = recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert {(issue.tab, issue.row) for issue in outcome.inputs.issues} >= {("Deals", 4), ("Payments", 2),
                                                                           ("Payments", 3)}
    return before, read_parts(path), path


def test_every_part_that_is_not_premias_keeps_its_bytes(recalculated) -> None:
    before, after, _ = recalculated
    kept = [name for name in before if name not in BOOKKEEPING and name not in INPUT_PARTS]
    assert {"xl/worksheets/Sheet5.xml", "xl/sharedStrings.xml", "xl/metadata.xml", "xl/drawings/drawing1.xml",
            "xl/media/image1.png", "xl/drawings/vmlDrawingHF1.vml", "xl/ctrlProps/ctrlProp1.xml",
            "xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml", "customXml/item1.xml",
            "xl/printerSettings/printerSettings1.bin", "xl/featurePropertyBag/featurePropertyBag.xml"} <= set(kept)
    assert [name for name in kept if after.get(name) != before[name]] == []


def test_input_tabs_keep_their_bytes_except_premias_highlights(recalculated) -> None:
    before, after, _ = recalculated
    for part, title in INPUT_PARTS.items():
        assert without_premia_rules(after[part]) == before[part], title
    # The tabs with issues did get highlights, so the comparison above is not vacuous.
    assert _PREMIA_BLOCK.search(after["xl/worksheets/sheet2.xml"])
    assert _PREMIA_BLOCK.search(after["xl/worksheets/sheet3.xml"])


def test_bookkeeping_parts_only_gain_the_entries_premias_tabs_need(recalculated) -> None:
    before, after, _ = recalculated
    added = inserted_tokens(before["xl/workbook.xml"], after["xl/workbook.xml"])
    sheets = [token for token in added if token.startswith(b"<sheet ")]
    titles = [say(f"title.{key}", "en") for key in RECALCULATION_KEYS]
    assert [re.search(rb'name="([^"]+)"', token)[1].decode() for token in sheets] == titles
    # Besides, each result tab's print titles: its header rows repeated on every printed page.
    names = [token for token in added if not token.startswith(b"<sheet ")]
    assert names == [piece for title in titles for piece in (
        b'<definedName name="_xlnm.Print_Titles" localSheetId="%d">' % (len(INPUT_TABS) + 1 + titles.index(title)),
        f"'{title}'!$1:${2 if title == 'Summary' else 1}".encode(), b"</definedName>")]
    assert all(token.startswith(b"<Relationship ") for token in inserted_tokens(
        before["xl/_rels/workbook.xml.rels"], after["xl/_rels/workbook.xml.rels"]))
    assert all(token.startswith(b"<Override ") for token in inserted_tokens(
        before["[Content_Types].xml"], after["[Content_Types].xml"]))
    styles = inserted_tokens(_counts_aside(before["xl/styles.xml"]), _counts_aside(after["xl/styles.xml"]))
    assert styles and not any(b"xfComplement" in token for token in styles)  # appended, the checkbox style kept


def test_a_second_run_gives_the_same_bytes(recalculated) -> None:
    _, _, path = recalculated
    first = path.read_bytes()
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert path.read_bytes() == first


def test_a_later_run_with_other_issues_only_swaps_premias_highlights(recalculated, tmp_path: Path) -> None:
    before, after, path = recalculated
    earlier = tmp_path / "earlier.xlsx"
    earlier.write_bytes(path.read_bytes())
    # As of 3 March, the deals signed on the 4th and 5th are in the future: other rows get highlights.
    outcome = recalculate_spreadsheet(LocalWorkbook(earlier), date(2026, 3, 3))
    assert ("Deals", 5) in {(issue.tab, issue.row) for issue in outcome.inputs.issues}
    again = read_parts(earlier)
    assert again["xl/worksheets/sheet2.xml"] != after["xl/worksheets/sheet2.xml"]
    for part in INPUT_PARTS:
        assert without_premia_rules(again[part]) == before[part], part
    assert [name for name in before if name not in BOOKKEEPING and name not in INPUT_PARTS
            and again.get(name) != before[name]] == []


def test_the_result_opens_in_openpyxl_with_every_tab(recalculated) -> None:
    _, _, path = recalculated
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about the extensions it cannot read
        wb = load_workbook(path)
    # openpyxl looks parts up in the letter case their relationship gives, so it misses the user's tab
    # stored as Sheet5.xml (it misses it in the user's own file too); every other tab is there.
    assert [title for title in wb.sheetnames if title != USER_TAB] == [
        *INPUT_TABS, *(say(f"title.{key}", "en") for key in RECALCULATION_KEYS)]
    assert {"Deals", "Payments"} <= {cell.value for cell in wb["Input issues"]["A"]}
    assert wb["Summary"]["A1"].font.name == "Arial"


@pytest.mark.slow
def test_the_result_opens_in_libreoffice_with_every_tab(recalculated, tmp_path: Path) -> None:
    _, _, path = recalculated
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is missing; install it with `bash tests/render/install-libreoffice.sh`")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(path)],
                   capture_output=True, timeout=120, check=True)
    saved = read_parts(tmp_path / "out" / "book.xlsx")["xl/workbook.xml"].decode()
    assert re.findall(r'<sheet name="([^"]+)"', saved) == [
        *INPUT_TABS, USER_TAB, *(say(f"title.{key}", "en") for key in RECALCULATION_KEYS)]
