"""An .xlsx package held in memory: its parts by name, their relationships, and reproducible zip bytes.

Part names are looked up case-insensitively, as the Open Packaging Conventions (and Excel) compare them:
a relationship may say ``worksheets/Sheet1.xml`` for the entry ``xl/worksheets/sheet1.xml``. A part
that a relationship names but the zip lacks (a dangling relationship) is simply absent: callers get
``None``, never a KeyError.

The zip is written reproducibly: the same parts in the same order give the same bytes (fixed entry
times, one compression setting), so a second run with the same report gives a byte-identical file.
"""

from __future__ import annotations

import io
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import unquote
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

# The earliest time a zip entry can carry; any fixed value makes the bytes repeatable.
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: id, type URI, and target (a part name, or a URI when external)."""

    id: str
    type: str
    target: str
    external: bool = False

    @property
    def kind(self) -> str:
        """The last segment of the type, e.g. ``"worksheet"`` or ``"drawing"``."""
        return self.type.rsplit("/", 1)[-1]


class Package:
    """The parts of a zip package, in zip order, with case-insensitive lookup."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self._names = {name.casefold(): name for name in parts}

    @classmethod
    def from_bytes(cls, data: bytes) -> Package:
        """Read every entry of a zip (``zipfile.BadZipFile`` when ``data`` is not one)."""
        with ZipFile(io.BytesIO(data)) as archive:
            return cls({info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()})

    def name_of(self, name: str) -> str | None:
        """The entry name as stored for a part name in any letter case, or None when absent."""
        return self._names.get(name.lstrip("/").casefold())

    def read(self, name: str) -> bytes | None:
        """The bytes of a part (any letter case), or None when the package lacks it."""
        stored = self.name_of(name)
        return None if stored is None else self.parts[stored]

    def relationships(self, part: str) -> list[Relationship]:
        """The relationships of ``part`` ("" for the package's own); empty when it has none.

        Raises ``ET.ParseError`` when the relationships part is not XML.
        """
        data = self.read(rels_path(part))
        if data is None:
            return []
        found = []
        for node in ET.fromstring(data):
            if node.tag != f"{{{REL_NS}}}Relationship":
                continue
            target, external = node.get("Target", ""), node.get("TargetMode") == "External"
            if not external:
                target = resolve(part, target)
            found.append(Relationship(node.get("Id", ""), node.get("Type", ""), target, external))
        return found

    def to_bytes(self) -> bytes:
        """The package as zip bytes, entries in order, each with the same fixed time and compression."""
        buffer = io.BytesIO()
        with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
            for name, data in self.parts.items():
                info = ZipInfo(name, date_time=ENTRY_TIME)
                info.compress_type = ZIP_DEFLATED
                info.external_attr = 0o600 << 16  # what ZipFile gives entries added by name
                archive.writestr(info, data)
        return buffer.getvalue()


def rels_path(part: str) -> str:
    """The relationships part of ``part``: ``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source: str, target: str) -> str:
    """A relationship target as a part name: absolute from the package root, else from the source's folder."""
    target = unquote(target.split("#", 1)[0])
    base = "" if target.startswith("/") else posixpath.dirname(source)
    return posixpath.normpath(posixpath.join(base, target.lstrip("/"))).lstrip("/")


def relative(source: str, target: str) -> str:
    """The relationship target that names part ``target`` from part ``source`` (relative, as Excel writes)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")
