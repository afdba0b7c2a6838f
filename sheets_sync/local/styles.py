"""Append the styles Premia's tabs need to a user's ``styles.xml``, never renumbering the user's own.

Every cell of a user's tab points at a style by its index in ``cellXfs``; every conditional rule at a
``dxfs`` index. Re-numbering them would restyle the user's cells, so styles are only ever *appended*:
each style a result tab uses (rendered by openpyxl into a separate package) is mapped to an equal entry
the user's file already has (compared by meaning: element names, attributes, content) or appended at the
end of its list, with the lists' ``count`` updated. A second run finds the entries the first one
appended, so it appends nothing and the file stays byte-identical.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from openpyxl.styles.numbers import BUILTIN_FORMATS

from sheets_sync.local import xmlscan

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# The order of a stylesheet's lists (CT_Stylesheet), where a missing one must be inserted.
ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
         "tableStyles", "colors", "extLst")
_LISTS = ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "dxfs")
_BUILTIN_IDS = {code: number for number, code in BUILTIN_FORMATS.items()}
FIRST_CUSTOM_FORMAT = 164  # ids below are built-in formats every reader knows
EMPTY = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}"/>'.encode()

Canon = tuple[object, ...]


def _local(tag: str) -> str:
    """An ElementTree tag or attribute without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def canon(node: ET.Element) -> Canon:
    """What a style entry means, whatever its prefixes, attribute order and whitespace."""
    return (_local(node.tag), tuple(sorted(node.attrib.items())), (node.text or "").strip(),
            tuple(canon(child) for child in node))


class StyleMerger:
    """Maps styles of a rendered package onto a user's stylesheet, collecting what must be appended."""

    def __init__(self, target: bytes | None, source: bytes) -> None:
        self.fresh = target is None  # the user's package has no stylesheet at all
        self.target = EMPTY if target is None else target
        self.source = {_local(section.tag): list(section) for section in ET.fromstring(source)}
        self.entries: dict[str, list[Canon]] = {name: [] for name in _LISTS}
        self.formats: dict[str, int] = {}
        self.format_count = 0  # numFmt entries the user's file has (two may share a pattern)
        for section in ET.fromstring(self.target):
            name = _local(section.tag)
            if name in self.entries:
                self.entries[name] = [canon(child) for child in section]
            elif name == "numFmts":
                self.formats = {node.get("formatCode", ""): int(node.get("numFmtId", "0")) for node in section}
                self.format_count = len(section)
        self.added: dict[str, list[ET.Element]] = {name: [] for name in ("numFmts", *_LISTS)}
        self._cell_styles: dict[int, int] = {}
        if self.fresh:  # index 0 of every list is what unstyled cells use: seed it with openpyxl's defaults
            for name in ("fonts", "fills", "fills", "borders"):
                self._append(name, self.source[name][len(self.entries[name])])
            self.cell_style(0)

    def cell_style(self, index: int) -> int:
        """The user-file index of the rendered package's cell style ``index``."""
        if index not in self._cell_styles:
            node = copy.deepcopy(self.source["cellXfs"][index])
            node.set("numFmtId", str(self._format(int(node.get("numFmtId", "0")))))
            for attribute, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
                node.set(attribute, str(self._entry(name, int(node.get(attribute, "0")))))
            if self.entries["cellStyleXfs"]:
                node.set("xfId", "0")  # the user's Normal style
            else:
                node.attrib.pop("xfId", None)
            self._cell_styles[index] = self._find_or_append("cellXfs", node)
        return self._cell_styles[index]

    def dxf(self, index: int) -> int:
        """The user-file index of the rendered package's differential style ``index``."""
        return self._find_or_append("dxfs", copy.deepcopy(self.source["dxfs"][index]))

    def fill_dxf(self, argb: str) -> int:
        """A differential style filling cells with one opaque colour (Premia's highlights on input tabs)."""
        node = ET.fromstring(f'<dxf xmlns="{MAIN}"><fill><patternFill patternType="solid"><fgColor rgb="{argb}"/>'
                             f'<bgColor rgb="{argb}"/></patternFill></fill></dxf>')
        return self._find_or_append("dxfs", node)

    def merged(self) -> bytes | None:
        """The user's stylesheet with the appended entries, or None when nothing was appended."""
        if not any(self.added.values()) and not self.fresh:
            return None
        xml = self.target
        for name in ORDER:
            if self.added.get(name):
                xml = self._insert(xml, name)
        return xml

    def _format(self, number: int) -> int:
        """A number format id in the user's file: built-ins as they are, custom ones by their pattern."""
        if number < FIRST_CUSTOM_FORMAT:
            return number
        code = next(node.get("formatCode", "") for node in self.source.get("numFmts", [])
                    if node.get("numFmtId") == str(number))
        if code in self.formats:
            return self.formats[code]
        if code in _BUILTIN_IDS:
            return _BUILTIN_IDS[code]
        new = max([FIRST_CUSTOM_FORMAT - 1, *self.formats.values()]) + 1
        self.formats[code] = new
        self.added["numFmts"].append(ET.Element("numFmt", {"numFmtId": str(new), "formatCode": code}))
        return new

    def _entry(self, name: str, index: int) -> int:
        """A font, fill or border of the rendered package in the user's file. Fills 0 and 1 are the
        reserved "none" and "gray125" of every stylesheet, so they map to the user's own."""
        if name == "fills" and index < 2 <= len(self.entries["fills"]):
            return index
        return self._find_or_append(name, copy.deepcopy(self.source[name][index]))

    def _find_or_append(self, name: str, node: ET.Element) -> int:
        """The index of an equal entry of the list ``name``, appending ``node`` when there is none."""
        meaning = canon(node)
        if meaning in self.entries[name]:
            return self.entries[name].index(meaning)
        return self._append(name, node)

    def _append(self, name: str, node: ET.Element) -> int:
        """Append ``node`` to the list ``name``; its new index."""
        self.entries[name].append(canon(node))
        self.added[name].append(node)
        return len(self.entries[name]) - 1

    def _insert(self, xml: bytes, name: str) -> bytes:
        """Splice the entries added to list ``name`` into the stylesheet text, updating its count."""
        root = xmlscan.root(xml)
        total = self.format_count + len(self.added[name]) if name == "numFmts" else len(self.entries[name])
        # The lists never nest in themselves, so their ends are found without reading thousands of entries.
        sections = xmlscan.children(xml, root, skip=frozenset(ORDER[:-1]))
        section = next((child for child in sections if child.local == name), None)
        prefix = section.prefix if section is not None else root.prefix
        text = b"".join(_serialise(node, prefix) for node in self.added[name])
        if section is None:
            later = [child for child in sections if child.local in ORDER[ORDER.index(name) + 1:]]
            at = later[0].start if later else root.close_start
            block = b"<%s%s count=\"%d\">%s</%s%s>" % (prefix, name.encode(), total, text, prefix, name.encode())
            if root.empty:  # the empty stylesheet of a package that had none
                return xml[:root.open_end - 2].rstrip() + b">" + block + b"</" + root.name + b">" + xml[root.end:]
            return xml[:at] + block + xml[at:]
        tag = xmlscan.set_attribute(xml, section, "count", str(total))
        if section.empty:
            tag = tag[:-2].rstrip() + b">"
            return xml[:section.start] + tag + text + b"</" + section.name + b">" + xml[section.end:]
        return xml[:section.start] + tag + xml[section.open_end:section.close_start] + text + xml[section.close_start:]


def _serialise(node: ET.Element, prefix: bytes) -> bytes:
    """An entry as XML text in the user's stylesheet, named with the stylesheet's own prefix."""
    name = prefix + _local(node.tag).encode()
    attributes = b"".join(b' %s="%s"' % (key.encode(), xmlscan.escape(value, attribute=True).encode())
                          for key, value in node.attrib.items() if not key.startswith("{"))
    inner = xmlscan.escape(node.text or "").encode() + b"".join(_serialise(child, prefix) for child in node)
    return b"<%s%s>%s</%s>" % (name, attributes, inner, name) if inner else b"<%s%s/>" % (name, attributes)
