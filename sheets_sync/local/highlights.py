"""Replace Premia's issue highlights on an input tab by editing its sheet XML in place.

PRODUCT.md section 3 "Untouched": on input tabs Premia only adds and removes its own conditional-format
rules. They are found by the marker in their formula (:data:`.rules.MARKER`) and cut out of the sheet's
text; the new ones are spliced in after the user's own rules (a higher priority number, so the user's
formatting wins where both apply). Every other byte of the part stays as it was, and a tab that had no
Premia rules and gets none is not touched at all.
"""

from __future__ import annotations

import html
import re

from formulas.report.model import Highlight
from sheets_sync.local import xmlscan
from sheets_sync.local.rules import MARKER, highlight_formula, highlight_range

# Elements that come before conditional formatting in a worksheet (CT_Worksheet's sequence).
_BEFORE = frozenset({"sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
                     "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
                     "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting"})
# Big lists that never hold an element of their own name: their end is found without reading them.
_NOT_NESTING = frozenset({"sheetData", "cols", "mergeCells", "conditionalFormatting", "dataValidations", "hyperlinks",
                          "rowBreaks", "colBreaks"})
_PRIORITY = re.compile(rb"<(?:[\w.-]+:)?cfRule\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?\bpriority\s*=\s*[\"'](\d+)[\"']")


def is_premia_rule(text: bytes) -> bool:
    """True for the text of a ``<cfRule>`` Premia wrote: an expression rule whose formula has the marker."""
    decoded = html.unescape(text.decode("utf-8", "replace"))
    return MARKER in decoded and re.search(r"""\btype\s*=\s*["']expression["']""", decoded) is not None


def replace_highlights(xml: bytes, highlights: list[tuple[Highlight, int]]) -> bytes:
    """The sheet XML with Premia's previous rules removed and one rule per (highlight, dxf index) added.

    Returns ``xml`` itself (unchanged bytes) when there is nothing to remove or add.
    """
    root = xmlscan.root(xml)
    blocks = xmlscan.children(xml, root, skip=_NOT_NESTING)
    edits: list[tuple[int, int, bytes]] = []
    removed: list[tuple[int, int]] = []
    for block in blocks:
        if block.local != "conditionalFormatting":
            continue
        rules = [rule for rule in xmlscan.children(xml, block) if rule.local == "cfRule"]
        premia = [rule for rule in rules if is_premia_rule(xml[rule.start:rule.end])]
        if premia and len(premia) == len(rules):
            edits.append((block.start, block.end, b""))
            removed.append((block.start, block.end))
        else:
            edits.extend((rule.start, rule.end, b"") for rule in premia)
            removed.extend((rule.start, rule.end) for rule in premia)
    if not edits and not highlights:
        return xml
    tail = max((block.end for block in blocks if block.local in _BEFORE), default=root.close_start)
    cells_end = next((block.end for block in blocks if block.local == "sheetData"), root.open_end)
    first = _highest_priority(xml, removed, cells_end) + 1
    added = b"".join(_block(root.prefix, highlight, dxf, first + offset)
                     for offset, (highlight, dxf) in enumerate(highlights))
    # The new blocks go right after the last element that precedes them; a removed block ending there
    # is an edit of its own span, so the insertion is a separate, empty-width edit after it.
    edits.append((tail, tail, added))
    return xmlscan.splice(xml, edits)


def _highest_priority(xml: bytes, removed: list[tuple[int, int]], start: int) -> int:
    """The highest priority among the rules that stay (Excel 2010 extension rules included)."""
    found = 0
    for match in _PRIORITY.finditer(xml, start):  # the cells hold no rules: start after them
        if not any(begin <= match.start() < end for begin, end in removed):
            found = max(found, int(match[1]))
    return found


def _block(prefix: bytes, highlight: Highlight, dxf: int, priority: int) -> bytes:
    """One ``<conditionalFormatting>`` block holding one expression rule, named with the sheet's prefix."""
    formula = xmlscan.escape(highlight_formula(highlight))
    p = prefix.decode()
    return (f'<{p}conditionalFormatting sqref="{highlight_range(highlight)}"><{p}cfRule type="expression" '
            f'dxfId="{dxf}" priority="{priority}"><{p}formula>{formula}</{p}formula></{p}cfRule>'
            f"</{p}conditionalFormatting>").encode()
