"""Stream one worksheet part into a :class:`RawTab`: raw values, non-General number formats, sized by its data.

Only cells that hold a value are kept while streaming, so a tab is as big as its data, not as its
stored ``<dimension>`` or its last formatted cell: a bold, empty cell in row 1 048 576 costs one
element, not a million empty rows (openpyxl's read-only ``iter_rows`` fills every gap).

Values follow :mod:`formulas.raw`: ``str`` (inline, shared or formula text, ``_xHHHH_`` unescaped),
``int``/``float`` (``1E+999`` reads as ``inf``), ``bool``, error text such as ``#DIV/0!``, dates for
date-formatted numbers in range (:mod:`.numfmt`), ``None`` for a cell without a value (a formula
without a cached result included). An empty string stays ``""``.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_ISO8601

from formulas.raw import RawTab
from sheets_sync.local import numfmt
from sheets_sync.local.guard import WorkbookDamaged
from sheets_sync.local.strings import rich_text, unescape

_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_ROW = {f"{{{ns}}}row" for ns in _MAIN}
_CELL = {f"{{{ns}}}c" for ns in _MAIN}
_DATA = {f"{{{ns}}}sheetData" for ns in _MAIN}
_COLUMNS: dict[str, int] = {}


@dataclass(frozen=True)
class Context:
    """What reading cells needs from the rest of the workbook."""

    strings: list[str]
    formats: list[str]  # number format pattern per style index
    date1904: bool


def read_cells(title: str, xml: bytes, context: Context) -> RawTab:
    """One tab's values (trailing empty rows and columns trimmed, short rows padded) and formats."""
    cells: list[tuple[int, int, Any, str]] = []
    height = width = 0
    row_index, data = -1, None
    try:
        for event, node in ET.iterparse(io.BytesIO(xml), events=("start", "end")):
            if event == "start":
                if node.tag in _DATA:
                    data = node
                continue
            if node.tag not in _ROW:
                continue
            number = node.get("r")
            row_index = int(number) - 1 if number else row_index + 1
            col_index = -1
            for cell in node:
                if cell.tag not in _CELL:
                    continue
                ref = cell.get("r")
                col_index = _column(ref) if ref else col_index + 1
                value, pattern = _value(cell, context, title)
                if value is None:
                    continue
                cells.append((row_index, col_index, value, pattern))
                if value != "":  # an empty string is a value, but does not make the tab bigger
                    height, width = max(height, row_index + 1), max(width, col_index + 1)
            if data is not None:
                data.remove(node)  # keep memory flat: the row is done
    except (ET.ParseError, ValueError) as error:
        raise WorkbookDamaged(f"Tab '{title}' is damaged in the file ({error}); open it in Excel or "
                              "LibreOffice, save it again, then run Premia again") from None
    values: list[list[Any]] = [[None] * width for _ in range(height)]
    formats: dict[tuple[int, int], str] = {}
    for row, col, value, pattern in cells:
        if row < height and col < width:
            values[row][col] = value
            if pattern != numfmt.GENERAL:
                formats[(row, col)] = pattern
    return RawTab(title, values, formats)


def _column(ref: str) -> int:
    """The 0-based column of a cell reference such as ``AB12``."""
    letters = ref.rstrip("0123456789$").lstrip("$")
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for letter in letters.upper():
            index = index * 26 + ord(letter) - 64
        if not letters or index <= 0:
            raise ValueError(f"bad cell reference {ref!r}")
        index = _COLUMNS[letters] = index - 1
    return index


def _value(cell: ET.Element, context: Context, title: str) -> tuple[Any, str]:
    """A cell's value as the core gets it, and its number format pattern."""
    kind = cell.get("t", "n")
    style = cell.get("s")
    pattern = numfmt.GENERAL
    if style is not None and style.isdigit() and int(style) < len(context.formats):
        pattern = context.formats[int(style)]
    stored = inline = None
    for child in cell:
        local = child.tag.rsplit("}", 1)[-1]
        if local == "v":
            stored = child.text or ""
        elif local == "is":
            inline = child
    if kind == "inlineStr":
        return (rich_text(inline) if inline is not None else unescape(stored) if stored is not None else None), pattern
    if stored is None or (stored == "" and kind != "str"):
        return None, pattern  # no value, or a formula without a cached result (openpyxl writes <v/>)
    if kind == "s":
        try:
            return context.strings[int(stored)], pattern
        except (ValueError, IndexError):
            raise WorkbookDamaged(f"Tab '{title}' cell {cell.get('r', '?')} refers to text the file does not "
                                  "contain (the file is damaged); open it in Excel or LibreOffice, save it again, "
                                  "then run Premia again") from None
    if kind == "str":
        return unescape(stored), pattern
    if kind == "b":
        return stored.strip().lower() in ("1", "true"), pattern
    if kind == "e":
        return stored, pattern
    if kind == "d":
        try:
            return from_ISO8601(stored), pattern
        except ValueError:
            return stored, pattern
    number = _number(stored)
    if isinstance(number, str):
        return number, pattern
    return numfmt.shown(number, numfmt.kind_of(pattern), context.date1904), pattern


def _number(text: str) -> int | float | str:
    """A stored number as openpyxl reads it: int unless it has a point or exponent; text if not a number."""
    text = text.strip()
    try:
        return float(text) if ("." in text or "e" in text or "E" in text) else int(text)
    except ValueError:
        try:
            return float(text)  # "INF", "NaN" and other spellings float() accepts
        except ValueError:
            return text
