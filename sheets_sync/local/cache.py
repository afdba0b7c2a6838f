"""Keep the cached results of formulas when openpyxl rewrites a workbook.

An .xlsx formula cell stores the formula and the value it last computed. openpyxl loads either one
or the other, and when it saves a formula it writes an empty value. Excel and LibreOffice recompute on
opening, but Premia itself reads cached values (``data_only=True``): without this module, a user's
formula cells on input tabs would read as empty on the next run. So before saving, the cached
values of every kept tab are collected from the original package, and while the new package is
written they are put back into the formula cells openpyxl emitted, byte for byte as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from zipfile import ZipFile

from sheets_sync.local.parts import sheet_parts

# One cached value: the cell's ``t`` attribute ("" for a number) and the raw, still-escaped <v> text.
Cached = tuple[str, str]

_NAME = r"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix, as some generators write them
# A formula cell of any generator: <c attrs><f ...>text</f> or <f .../>, then its cached <v>.
_SOURCE_CELL = re.compile(
    rf"<{_NAME}c\b([^>]*)>\s*<{_NAME}f\b[^>]*?(?:/>|>[^<]*</{_NAME}f>)\s*<{_NAME}v>([^<]*)</{_NAME}v>".encode()
)
_ATTRIBUTE = re.compile(rb"""\b(r|t)\s*=\s*["']([^"']*)["']""")
# A formula cell exactly as openpyxl 3.1 writes it: reference, optional style, formula, empty value.
_WRITTEN_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?)>(<f\b[^>]*?(?:/>|>[^<]*</f>))<v />')
# Types a cached formula result may have; "s" (an index into the old shared strings) cannot be kept.
_KEPT_TYPES = {b"", b"n", b"str", b"b", b"e", b"d"}


def cached_values(zf: ZipFile, titles: Iterable[str]) -> dict[str, dict[bytes, Cached]]:
    """The cached formula results of the named worksheets: title -> cell reference -> cached value.

    Cells without a cached value, without a reference, or with a shared-string result are left
    out; they are written as openpyxl writes them (recomputed when the workbook is next opened).
    """
    wanted = set(titles)
    found: dict[str, dict[bytes, Cached]] = {}
    for sheet in sheet_parts(zf):
        if sheet.kind == "worksheet" and sheet.title in wanted:
            cells = _formula_results(zf.read(sheet.part))
            if cells:
                found[sheet.title] = cells
    return found


def _formula_results(xml: bytes) -> dict[bytes, Cached]:
    """Cell reference -> (type, raw value) for every formula cell of one sheet that has a result."""
    results: dict[bytes, Cached] = {}
    for match in _SOURCE_CELL.finditer(xml):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        ref, kind = attributes.get(b"r"), attributes.get(b"t", b"")
        if ref and kind in _KEPT_TYPES:
            results[ref] = ("" if kind == b"n" else kind.decode(), match.group(2).decode())
    return results


def restore(xml: bytes, cells: dict[bytes, Cached]) -> bytes:
    """Put cached results back into the formula cells of a worksheet written by openpyxl."""
    if not cells:
        return xml

    def fill(match: re.Match[bytes]) -> bytes:
        cached = cells.get(match.group(1))
        if cached is None:
            return match.group(0)
        kind, value = cached
        type_attribute = f' t="{kind}"'.encode() if kind else b""
        ref, style, formula = match.groups()
        return b'<c r="%s"%s%s>%s<v>%s</v>' % (ref, style, type_attribute, formula, value.encode())

    return _WRITTEN_CELL.sub(fill, xml)
