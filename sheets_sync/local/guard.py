"""Refuse, before anything is written, a workbook whose content openpyxl would drop or degrade.

openpyxl rebuilds the whole package when it saves. Of the tabs it loads, shapes, form controls,
embedded objects, slicers, sparklines, validation rules kept in Excel's extension list and macros are
not written back; pictures only with Pillow installed, and charts only as far as openpyxl's chart
model reaches. Premia must never lose a user's data (PRODUCT.md section 3, "Untouched"), so such a
workbook is refused with a message naming the tab, and the file is left as it was. Pivot tables are
refused too. Premia's own result tabs are exempt: they are deleted and rebuilt on every run, charts
included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from zipfile import ZipFile

from sheets_sync.local.parts import SheetPart, sheet_parts

# Relationship kinds of a tab whose targets openpyxl does not carry through a load and save.
_DROPPED_RELATIONSHIPS = {
    "drawing": "a chart, picture or shape",
    "image": "a background picture",
    "oleObject": "an embedded object",
    "control": "a form control",
    "pivotTable": "a pivot table",
    "slicer": "a slicer",
    "timeline": "a timeline",
}
# Tab kinds openpyxl reads; any other (dialog sheets, Excel 4 macro sheets) would vanish on save.
_KEPT_SHEET_KINDS = {"worksheet", "chartsheet"}
# A worksheet's extension list is discarded by openpyxl. These extensions hold user content; the
# conditional-formatting one (Excel 2010 data-bar and icon details) and ignored-error marks are
# cosmetic, so they are let through. URIs as listed in openpyxl.xml.constants.EXT_TYPES.
_DROPPED_EXTENSIONS = {
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}": "validation rules that refer to other tabs",
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}": "sparklines",
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}": "a slicer",
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}": "a slicer",
    "{FC87AEE6-9EDD-4A0A-B7FB-166176984837}": "protected ranges",
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}": "a timeline",
    "{F7C9EE02-42E1-4005-9D12-6889AFFD525C}": "an add-in (web extension)",
}
_EXTENSION_URI = re.compile(rb"""uri\s*=\s*["'](\{[0-9A-Fa-f-]+\})["']""")
# A drawing part may be left empty after its last chart was deleted; only anchored objects count.
_ANCHORS = (b"CellAnchor", b"absoluteAnchor")


class WorkbookNotSupported(Exception):
    """The workbook holds content that rewriting it would lose; the file was not modified."""


def check_supported(zf: ZipFile, result_titles: Iterable[str]) -> None:
    """Raise :class:`WorkbookNotSupported` if saving the workbook would drop content of a user's tab.

    ``result_titles`` are the tabs Premia rewrites whole; their drawings are rebuilt, so they are
    not checked. Titles are compared case-insensitively, as spreadsheets compare them.
    """
    if any(name.lower().endswith("vbaproject.bin") for name in zf.namelist()):
        raise WorkbookNotSupported(
            "The workbook contains macros (VBA); Premia cannot keep them when it writes the workbook. "
            "Run Premia on a copy saved as .xlsx without macros."
        )
    exempt = {title.casefold() for title in result_titles}
    for sheet in sheet_parts(zf):
        if sheet.title.casefold() not in exempt:
            _check_sheet(zf, sheet)


def _check_sheet(zf: ZipFile, sheet: SheetPart) -> None:
    """Raise when one user tab holds something openpyxl would drop."""
    if sheet.kind not in _KEPT_SHEET_KINDS:
        _refuse(sheet.title, f"is a {sheet.kind}")
    for rel in sheet.relationships:
        what = _DROPPED_RELATIONSHIPS.get(rel.kind)
        if what is None:
            continue
        if rel.kind == "drawing" and not _has_anchors(zf, rel.target):
            continue
        _refuse(sheet.title, f"contains {what}")
    if sheet.kind == "worksheet":
        for uri in _EXTENSION_URI.findall(_read(zf, sheet.part)):
            what = _DROPPED_EXTENSIONS.get(uri.decode().upper())
            if what is not None:
                _refuse(sheet.title, f"contains {what}")


def _has_anchors(zf: ZipFile, part: str) -> bool:
    """True when the drawing part anchors at least one object (chart, picture, shape)."""
    data = _read(zf, part)
    return any(anchor in data for anchor in _ANCHORS)


def _read(zf: ZipFile, part: str) -> bytes:
    """The bytes of a part, or ``b""`` when the package lacks it (a dangling relationship)."""
    try:
        return zf.read(part)
    except KeyError:
        return b""


def _refuse(title: str, reason: str) -> None:
    """Raise the error a person can act on: which tab, what is in it, what to do."""
    raise WorkbookNotSupported(
        f"Tab '{title}' {reason}, which Premia cannot keep when it writes the workbook. "
        "Move it to another workbook (or use Google Sheets), then run Premia again."
    )
