"""The layout of a workbook package: its tabs (title, state, id, kind, part) and its workbook-wide parts.

Read from ``xl/workbook.xml`` and its relationships, tolerating what real files hold: transitional or
strict namespaces, prefixed element names, relationship targets in another letter case, and tabs
whose part is missing (``part`` is then None).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from sheets_sync.local.guard import WorkbookDamaged
from sheets_sync.local.package import Package, Relationship

STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"


@dataclass(frozen=True)
class Sheet:
    """One tab as the workbook lists it."""

    title: str
    state: str  # "visible", "hidden" or "veryHidden"
    sheet_id: int
    rel_id: str
    kind: str  # "worksheet", "chartsheet", "dialogsheet", "xlMacrosheet"…, "" when the relationship is missing
    part: str | None  # the zip entry, None when the package lacks it


@dataclass(frozen=True)
class Book:
    """The workbook part, its relationships and tabs, and the parts cells depend on."""

    part: str
    relationships: tuple[Relationship, ...]
    sheets: tuple[Sheet, ...]
    date1904: bool
    strict: bool

    def related(self, kind: str) -> str | None:
        """The zip entry of the workbook's first relationship of ``kind`` (e.g. "styles"), if present."""
        return next((rel.target for rel in self.relationships if rel.kind == kind and not rel.external), None)

    def sheet(self, title: str) -> Sheet | None:
        """The tab with this title, compared case-insensitively as spreadsheets compare titles."""
        return next((sheet for sheet in self.sheets if sheet.title.casefold() == title.casefold()), None)


def _local(tag: str) -> str:
    """An ElementTree tag or attribute name without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def read_book(package: Package) -> Book:
    """The workbook layout of ``package`` (:class:`WorkbookDamaged` when it has no readable workbook)."""
    try:
        root_rels = package.relationships("")
        part = next((rel.target for rel in root_rels if rel.kind == "officeDocument"), "xl/workbook.xml")
        stored = package.name_of(part)
        data = package.read(part)
        if stored is None or data is None:
            raise WorkbookDamaged("the file has no workbook part: it is not a spreadsheet Premia can read")
        relationships = package.relationships(stored)
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise WorkbookDamaged(f"part of the file is damaged ({error}); open it in Excel or LibreOffice, "
                              "save it again, then run Premia again") from None
    by_id = {rel.id: rel for rel in relationships}
    sheets = []
    for node in root.iter():
        if _local(node.tag) != "sheet":
            continue
        rel_id = next((v for k, v in node.attrib.items() if k.startswith("{") and _local(k) == "id"), "")
        rel = by_id.get(rel_id)
        sheets.append(Sheet(
            title=node.get("name", ""), state=node.get("state", "visible"),
            sheet_id=_integer(node.get("sheetId")), rel_id=rel_id,
            kind=rel.kind if rel else "", part=package.name_of(rel.target) if rel and not rel.external else None,
        ))
    properties = next((node for node in root if _local(node.tag) == "workbookPr"), None)
    date1904 = properties is not None and properties.get("date1904", "0").lower() in ("1", "true")
    resolved = tuple(Relationship(rel.id, rel.type, package.name_of(rel.target) or rel.target, rel.external)
                     for rel in relationships)
    return Book(stored, resolved, tuple(sheets), date1904, root.tag.startswith(f"{{{STRICT_MAIN}}}"))


def _integer(text: str | None) -> int:
    """An integer attribute, 0 when it is missing or not a number."""
    try:
        return int(text or 0)
    except ValueError:
        return 0
