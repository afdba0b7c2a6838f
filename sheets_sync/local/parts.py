"""Where each tab of an .xlsx package lives: sheet titles mapped to their XML parts and relationships.

openpyxl hides the package layout, but two jobs need it: refusing workbooks whose content openpyxl
would silently drop (:mod:`sheets_sync.local.guard`) and keeping the cached results of formulas
(:mod:`sheets_sync.local.cache`). Both read the original zip directly, so the mapping is done here
once, following the relationships as the Open Packaging Conventions define them (targets may be
relative to the source part or absolute; namespaces may be transitional or strict).
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from zipfile import ZipFile


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its type's last path segment (e.g. ``"drawing"``) and target part."""

    kind: str
    target: str


@dataclass(frozen=True)
class SheetPart:
    """One tab: its title, kind (``"worksheet"``, ``"chartsheet"``...), XML part and relationships."""

    title: str
    kind: str
    part: str
    relationships: tuple[Relationship, ...]


def _local(tag: str) -> str:
    """The local name of an ElementTree tag or attribute, without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def rels_path(part: str) -> str:
    """The relationships part of ``part``: ``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def read_relationships(zf: ZipFile, part: str) -> dict[str, Relationship]:
    """The relationships of ``part`` by id; empty when the part has none. External targets are kept as is."""
    try:
        data = zf.read(rels_path(part))
    except KeyError:  # a part without relationships has no .rels file
        return {}
    found: dict[str, Relationship] = {}
    for node in ET.fromstring(data):
        target = node.get("Target", "")
        if node.get("TargetMode") != "External":
            # Absolute targets start at the package root; relative ones at the source part's folder.
            base = "" if target.startswith("/") else posixpath.dirname(part)
            target = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
        found[node.get("Id", "")] = Relationship(node.get("Type", "").rsplit("/", 1)[-1], target)
    return found


def workbook_part(zf: ZipFile) -> str:
    """The main workbook part named by the package's root relationships (usually ``xl/workbook.xml``)."""
    for rel in read_relationships(zf, "").values():
        if rel.kind == "officeDocument":
            return rel.target
    return "xl/workbook.xml"


def sheet_parts(zf: ZipFile) -> list[SheetPart]:
    """Every tab of the package in workbook order, with its part and that part's relationships."""
    book = workbook_part(zf)
    book_rels = read_relationships(zf, book)
    sheets: list[SheetPart] = []
    for node in ET.fromstring(zf.read(book)).iter():
        if _local(node.tag) != "sheet":
            continue
        rel_id = next((v for k, v in node.attrib.items() if _local(k) == "id" and k.startswith("{")), "")
        rel = book_rels.get(rel_id)
        if rel is None:
            continue
        own = tuple(read_relationships(zf, rel.target).values())
        sheets.append(SheetPart(node.get("name", ""), rel.kind, rel.target, own))
    return sheets
