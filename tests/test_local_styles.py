"""Styles Premia's tabs need are appended to the user's stylesheet; the user's entries never move.

The rendered stylesheet is openpyxl's (:func:`sheets_sync.local.render.render_tabs`); the user's one is
written here the way other programs write them: a prefix, missing lists, empty lists.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from formulas.report.model import ColumnSpec, ResultTab
from sheets_sync.local.render import render_tabs
from sheets_sync.local.styles import StyleMerger

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
USER = (f'<x:styleSheet xmlns:x="{MAIN}"><x:fonts count="1"><x:font><x:sz val="12"/><x:name val="Times New Roman"/>'
        '</x:font></x:fonts><x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill><x:fill>'
        '<x:patternFill patternType="gray125"/></x:fill></x:fills><x:borders count="1"><x:border/></x:borders>'
        '<x:cellStyleXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></x:cellStyleXfs>'
        '<x:cellXfs count="1"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></x:cellXfs>'
        '<x:dxfs count="0"/></x:styleSheet>')


def rendered_styles() -> bytes:
    """openpyxl's stylesheet for a tab with a dated, a money and a plain column."""
    tab = ResultTab("summary", "Summary", [ColumnSpec("Day", "yyyy-mm-dd"), ColumnSpec("Sum", "#,##0.00"),
                                           ColumnSpec("Name")], [[date(2026, 1, 5), 1.5, "x"]])
    return render_tabs([tab]).parts["xl/styles.xml"]


def test_entries_are_appended_with_the_users_prefix_and_counts() -> None:
    merger = StyleMerger(USER.encode(), rendered_styles())
    indices = [merger.cell_style(index) for index in range(len(ET.fromstring(rendered_styles()).find(
        f"{{{MAIN}}}cellXfs")))]
    dxf = merger.fill_dxf("FFF4C7C3")
    merged = merger.merged()
    assert merged is not None
    text = merged.decode()
    user_font = '<x:font><x:sz val="12"/><x:name val="Times New Roman"/></x:font>'
    assert re.search(r'<x:fonts count="\d+">' + re.escape(user_font), text)  # the user's font 0 first, untouched
    assert min(indices) >= 1 and dxf == 0  # the user's cell style 0 keeps index 0
    assert '<x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></x:numFmts>' in text
    assert re.search(r'<x:cellXfs count="(\d+)">', text)[1] == str(max(indices) + 1)
    assert '<x:dxfs count="1"><x:dxf><x:fill><x:patternFill patternType="solid"><x:fgColor rgb="FFF4C7C3"/>' in text
    assert text.index("<x:numFmts") < text.index("<x:fonts")  # where the schema wants it


def test_a_second_merge_finds_what_the_first_appended() -> None:
    first = StyleMerger(USER.encode(), rendered_styles())
    styles = [first.cell_style(1), first.cell_style(2), first.fill_dxf("FFB7E1CD")]
    merged = first.merged()
    assert merged is not None
    again = StyleMerger(merged, rendered_styles())
    assert [again.cell_style(1), again.cell_style(2), again.fill_dxf("FFB7E1CD")] == styles
    assert again.merged() is None


def test_a_workbook_without_a_stylesheet_gets_one_whose_style_0_is_plain() -> None:
    merger = StyleMerger(None, rendered_styles())
    bold = merger.cell_style(1)
    root = ET.fromstring(merger.merged() or b"")
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    assert xfs is not None and bold >= 1 and xfs[0].get("fontId") == "0"
    assert [fill[0].get("patternType") for fill in root.find(f"{{{MAIN}}}fills")][:2] in (
        [None, "gray125"], ["none", "gray125"])
