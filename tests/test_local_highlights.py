"""Premia's issue highlights on an input tab are spliced into the sheet's own XML, whatever its shape.

The sheet text is what Excel or another program wrote: a namespace prefix, a block mixing a user's rule
with an old Premia rule, Excel 2010 rules in the extension list, later elements the new blocks must
precede. Only Premia's rules change; every other byte stays.
"""

from __future__ import annotations

from formulas.report.model import ISSUE, Highlight
from sheets_sync.local.highlights import replace_highlights

X = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
OLD_PREMIA = ('<x:cfRule type="expression" dxfId="4" priority="7">'
              "<x:formula>AND(TRUE,&quot;premia&quot;=&quot;premia&quot;)")
USER_RULE = '<x:cfRule type="cellIs" dxfId="0" priority="2" operator="greaterThan"><x:formula>5</x:formula></x:cfRule>'
SHEET = (f'<?xml version="1.0"?>\r\n<x:worksheet {X}><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
         f'</x:row></x:sheetData><x:conditionalFormatting sqref="A1:A9">{USER_RULE}{OLD_PREMIA}</x:formula>'
         '</x:cfRule></x:conditionalFormatting>\r\n<x:dataValidations count="0"/><x:extLst><x:ext uri="{78C0D931-'
         '6437-407d-A8EE-F0AAD7539E65}"><x14:conditionalFormattings xmlns:x14="urn:x14"><x14:conditionalFormatting>'
         '<x14:cfRule type="dataBar" priority="9" id="{1}"/></x14:conditionalFormatting></x14:conditionalFormattings>'
         "</x:ext></x:extLst></x:worksheet>")


def test_old_rules_go_new_ones_follow_the_users_with_the_sheets_prefix() -> None:
    new = replace_highlights(SHEET.encode(), [(Highlight("Deals", (3, 3), (0, 2), "always", ISSUE), 11)]).decode()
    added = ('<x:conditionalFormatting sqref="A3:C3"><x:cfRule type="expression" dxfId="11" priority="10">'
             '<x:formula>AND(TRUE,"premia"="premia")</x:formula></x:cfRule></x:conditionalFormatting>')
    # The user's rule stays in its block; Premia's new rule comes after every rule (the data bar's 9
    # included), right where conditional formatting ends, before the validations.
    expected = SHEET.replace(OLD_PREMIA + "</x:formula></x:cfRule>", "").replace(
        "</x:conditionalFormatting>\r\n<x:dataValidations", "</x:conditionalFormatting>" + added
        + "\r\n<x:dataValidations")
    assert new == expected


def test_a_sheet_without_premia_rules_and_no_highlights_is_the_same_object() -> None:
    xml = SHEET.replace(OLD_PREMIA + "</x:formula></x:cfRule>", "").encode()
    assert replace_highlights(xml, []) is xml


def test_removing_the_last_highlights_removes_their_blocks_only() -> None:
    xml = replace_highlights(SHEET.encode(), [(Highlight("Deals", (3, 3), (0, 2), "always", ISSUE), 11)])
    assert replace_highlights(xml, []).decode() == SHEET.replace(OLD_PREMIA + "</x:formula></x:cfRule>", "")
