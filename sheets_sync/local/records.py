"""Premia's own records in a local workbook: a very hidden tab named ``Premia`` of key/value rows.

PRODUCT.md section 3a keeps the month-close records "where users do not type": in an ``.xlsx`` file that
is a tab with ``state="veryHidden"``, which Excel and LibreOffice do not list among the tabs a person can
unhide. It is never an input or user tab (:func:`is_records_sheet`), and it is rewritten whole whenever
a report carries records.

Row 1 is a header; each following row holds a key in column A and (a piece of) its value in column B.
A cell holds at most 32 767 characters, so a longer value is split over consecutive rows with the same
key and joined again on reading. Text is ``_xHHHH_``-escaped (:mod:`.strings`), so any character,
control characters and ``\\r`` included, reads back exactly.
"""

from __future__ import annotations

from formulas.raw import RawTab
from sheets_sync.local.book import Sheet
from sheets_sync.local.strings import escape
from sheets_sync.local.xmlscan import escape as xml_escape

TITLE = "Premia"
STATE = "veryHidden"
HEADER = ("key", "value")
# Code points per cell: at most two UTF-16 units each, so a piece stays under Excel's 32 767 characters
# even after escaping made it longer in the XML (the limit counts characters as read).
PIECE = 16_000
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def is_records_sheet(sheet: Sheet) -> bool:
    """True for Premia's records tab: titled ``Premia`` and hidden. Premia writes it very hidden; LibreOffice
    saves very hidden tabs as merely hidden, so a hidden one is Premia's too (a visible one is a user's)."""
    return sheet.state in (STATE, "hidden") and sheet.title.casefold() == TITLE.casefold()


def records_rows(properties: dict[str, str]) -> list[tuple[str, str]]:
    """The (key, piece) rows that store ``properties``, header first, long values split."""
    rows = [HEADER]
    for key, value in properties.items():
        pieces = [value[start:start + PIECE] for start in range(0, len(value), PIECE)] or [""]
        rows.extend((key, piece) for piece in pieces)
    return rows


def records_sheet_xml(properties: dict[str, str]) -> bytes:
    """The worksheet part of the records tab: two columns of inline text, sheet-protected."""
    rows = []
    for number, (key, piece) in enumerate(records_rows(properties), start=1):
        cells = "".join(
            f'<c r="{column}{number}" t="inlineStr"><is><t xml:space="preserve">{xml_escape(escape(text))}</t></is></c>'
            for column, text in (("A", key), ("B", piece)))
        rows.append(f'<row r="{number}">{cells}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
            f'<sheetData>{"".join(rows)}</sheetData><sheetProtection sheet="1"/></worksheet>').encode()


def read_records(tab: RawTab) -> dict[str, str]:
    """The records stored in the tab as read: consecutive rows with the same key are one value."""
    found: dict[str, str] = {}
    previous = None
    for row in tab.values[1:]:
        key = _text(row[0] if row else None)
        piece = _text(row[1] if len(row) > 1 else None)
        if key == previous:
            found[key] += piece
        else:
            found[key] = piece
        previous = key
    return found


def _text(value: object) -> str:
    """A cell of the records tab as text (every cell is written as text; a blank one reads as "")."""
    return "" if value is None else str(value)
