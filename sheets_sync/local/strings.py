"""Cell text as spreadsheets store it: ``_xHHHH_`` escapes, inline and shared strings.

XML cannot carry every character (control characters) and turns a typed ``\\r\\n`` into ``\\n`` when it
is parsed, so spreadsheets escape such characters as ``_xHHHH_`` (``_x000D_`` for ``\\r``), and a literal
``_x0041_`` typed by a user as ``_x005F_x0041_``. Reading undoes that, as Excel does; writing (Premia's
records tab) does it, so any text comes back exactly.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters XML 1.0 cannot hold, plus the carriage return, which parsing would turn into a newline.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def unescape(text: str) -> str:
    """Text as the user typed it: every ``_xHHHH_`` replaced by its character, left to right."""
    return _ESCAPED.sub(lambda match: chr(int(match[1], 16)), text) if "_x" in text else text


def escape(text: str) -> str:
    """Text safe to store in XML that :func:`unescape` turns back into exactly ``text``."""
    text = _LOOKS_ESCAPED.sub("_x005F_", text)  # a literal "_x0041_" must not read back as "A"
    return _UNSAFE.sub(lambda match: f"_x{ord(match[0]):04X}_", text)


def rich_text(node: ET.Element) -> str:
    """The text of an ``<is>`` or ``<si>`` element: its ``<t>``, or its runs' ``<t>``; phonetic runs left out."""
    parts: list[str] = []
    for child in node:
        local = child.tag.rsplit("}", 1)[-1]
        if local == "t":
            parts.append(child.text or "")
        elif local == "r":
            parts.extend(grand.text or "" for grand in child if grand.tag.rsplit("}", 1)[-1] == "t")
    return unescape("".join(parts))


def shared_strings(data: bytes | None) -> list[str]:
    """The shared strings table, in order (empty when the package has none)."""
    if not data:
        return []
    strings: list[str] = []
    for _, node in ET.iterparse(io.BytesIO(data)):
        if node.tag.rsplit("}", 1)[-1] == "si":
            strings.append(rich_text(node))
            node.clear()
    return strings
