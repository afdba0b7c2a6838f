"""Surgical edits of a package's bookkeeping parts: the workbook's tab list, relationships, content types.

Each function returns the part's bytes with one entry added, renamed or removed and every other byte
as it was (PRODUCT.md section 3, "Untouched"): Premia's tabs need entries there, nothing else does.
"""

from __future__ import annotations

import posixpath

from sheets_sync.local import xmlscan
from sheets_sync.local.package import CONTENT_TYPES, Package

RELATIONSHIPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                 "http://purl.oclc.org/ooxml/officeDocument/relationships")
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


def _sheets(xml: bytes) -> tuple[xmlscan.Element, xmlscan.Element]:
    """The workbook's document element and its ``<sheets>`` list."""
    root = xmlscan.root(xml)
    found = next((child for child in xmlscan.children(xml, root) if child.local == "sheets"), None)
    if found is None:
        raise ValueError("the workbook lists no tabs")
    return root, found


def _rel_attribute(xml: bytes, root: xmlscan.Element) -> tuple[bytes, bytes]:
    """The qualified name of the relationship-id attribute, and a namespace declaration if one is needed."""
    prefix = xmlscan.namespace_prefix(xml, root, RELATIONSHIPS)
    if prefix is not None:
        return prefix + b"id", b""
    return b"pr:id", b' xmlns:pr="%s"' % RELATIONSHIPS[0].encode()


def add_sheet(xml: bytes, title: str, sheet_id: int, rel_id: str, state: str = "") -> bytes:
    """The workbook part with a tab appended to its tab list."""
    root, sheets = _sheets(xml)
    attribute, declaration = _rel_attribute(xml, root)
    shown = f' state="{state}"' if state else ""
    entry = (b'<%ssheet name="%s" sheetId="%d"%s %s="%s"%s/>' % (
        sheets.prefix, xmlscan.escape(title, attribute=True).encode(), sheet_id, shown.encode(), attribute,
        rel_id.encode(), declaration))
    return _append(xml, sheets, entry)


def set_sheet(xml: bytes, rel_id: str, attribute: str, value: str) -> bytes:
    """The workbook part with one attribute (``name``, ``state``) of the tab of relationship ``rel_id`` set."""
    _, sheets = _sheets(xml)
    for sheet in xmlscan.children(xml, sheets):
        ids = [value for key, value in xmlscan.attributes(xml, sheet).items() if key.endswith(":id")]
        if sheet.local == "sheet" and rel_id in ids:
            return xml[:sheet.start] + xmlscan.set_attribute(xml, sheet, attribute, value) + xml[sheet.open_end:]
    raise ValueError(f"no tab with relationship {rel_id}")


def add_relationship(xml: bytes | None, rel_id: str, kind: str, target: str) -> bytes:
    """A relationships part with one internal relationship appended (a new part when ``xml`` is None)."""
    entry = b'<Relationship Id="%s" Type="%s" Target="%s"/>' % (
        rel_id.encode(), kind.encode(), xmlscan.escape(target, attribute=True).encode())
    if xml is None:
        return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                b'"http://schemas.openxmlformats.org/package/2006/relationships">' + entry + b"</Relationships>")
    root = xmlscan.root(xml)
    return _append(xml, root, entry.replace(b"<Relationship", b"<" + root.prefix + b"Relationship"))


def remove_relationship(xml: bytes, rel_id: str) -> bytes:
    """A relationships part without the relationship ``rel_id``."""
    root = xmlscan.root(xml)
    for node in xmlscan.children(xml, root):
        if xmlscan.attributes(xml, node).get("Id") == rel_id:
            return xml[:node.start] + xml[node.end:]
    return xml


def free_id(taken: set[str], stem: str = "rId") -> str:
    """The first id ``stem1``, ``stem2``… not in ``taken``."""
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def content_type(package: Package, part: str) -> str | None:
    """The content type the package declares for ``part``: its override, else its extension's default."""
    xml = package.read(CONTENT_TYPES) or b""
    root = xmlscan.root(xml)
    extension = posixpath.splitext(part)[1].lstrip(".").casefold()
    default = None
    for node in xmlscan.children(xml, root):
        attributes = xmlscan.attributes(xml, node)
        if node.local == "Override" and attributes.get("PartName", "").lstrip("/").casefold() == part.casefold():
            return attributes.get("ContentType")
        if node.local == "Default" and attributes.get("Extension", "").casefold() == extension:
            default = attributes.get("ContentType")
    return default


def add_override(xml: bytes, part: str, kind: str) -> bytes:
    """The content types part declaring ``kind`` for ``part`` (an existing override for it is replaced)."""
    xml = remove_overrides(xml, {part})
    root = xmlscan.root(xml)
    entry = b'<%sOverride PartName="/%s" ContentType="%s"/>' % (
        root.prefix, xmlscan.escape(part, attribute=True).encode(), kind.encode())
    return _append(xml, root, entry)


def remove_overrides(xml: bytes, parts: set[str]) -> bytes:
    """The content types part without the overrides of ``parts`` (compared case-insensitively)."""
    wanted = {part.casefold() for part in parts}
    root = xmlscan.root(xml)
    edits = [(node.start, node.end, b"") for node in xmlscan.children(xml, root)
             if node.local == "Override"
             and xmlscan.attributes(xml, node).get("PartName", "").lstrip("/").casefold() in wanted]
    return xmlscan.splice(xml, edits) if edits else xml


def _append(xml: bytes, parent: xmlscan.Element, entry: bytes) -> bytes:
    """``xml`` with ``entry`` as the last child of ``parent`` (opened up if it was an empty element)."""
    if parent.empty:
        tag = xml[parent.start:parent.end][:-2].rstrip() + b">"
        return xml[:parent.start] + tag + entry + b"</" + parent.name + b">" + xml[parent.end:]
    return xml[:parent.close_start] + entry + xml[parent.close_start:]


PRINT_TITLES = "_xlnm.Print_Titles"
# Children of <workbook> that come before <definedNames> (CT_Workbook's order): a new list goes after them.
_BEFORE_NAMES = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
                 "functionGroups", "externalReferences")


def set_print_titles(xml: bytes, title: str, rows: int) -> bytes:
    """The workbook part with rows 1 to ``rows`` of tab ``title`` repeated at the top of every printed
    page (the tab's ``_xlnm.Print_Titles`` name, replacing the one it had); unchanged without that tab."""
    root, sheets = _sheets(xml)
    index = next((i for i, sheet in enumerate(s for s in xmlscan.children(xml, sheets) if s.local == "sheet")
                  if xmlscan.attributes(xml, sheet).get("name") == xmlscan.escape(title, attribute=True)), None)
    if index is None:
        return xml
    quoted = "'" + title.replace("'", "''") + "'"
    value = xmlscan.escape(f"{quoted}!$1:${rows}").encode()
    parts = xmlscan.children(xml, root, skip=frozenset({"sheets"}))
    names = next((child for child in parts if child.local == "definedNames"), None)
    if names is None:
        entry = b'<%sdefinedNames><%sdefinedName name="%s" localSheetId="%d">%s</%sdefinedName></%sdefinedNames>' % (
            root.prefix, root.prefix, PRINT_TITLES.encode(), index, value, root.prefix, root.prefix)
        earlier = [child for child in parts if child.local in _BEFORE_NAMES]
        at = earlier[-1].end if earlier else root.open_end
        return xml[:at] + entry + xml[at:]
    for name in xmlscan.children(xml, names):
        attributes = xmlscan.attributes(xml, name)
        if attributes.get("name") == PRINT_TITLES and attributes.get("localSheetId") == str(index):
            xml = xml[:name.start] + xml[name.end:]
            root = xmlscan.root(xml)
            names = next(child for child in xmlscan.children(xml, root, skip=frozenset({"sheets"}))
                         if child.local == "definedNames")
            break
    entry = b'<%sdefinedName name="%s" localSheetId="%d">%s</%sdefinedName>' % (
        names.prefix, PRINT_TITLES.encode(), index, value, names.prefix)
    return _append(xml, names, entry)
