"""Find elements in an XML part by position, so a part can be edited without re-serialising it.

Premia's edits of a user's package are surgical (PRODUCT.md section 3, "Untouched"): a rule added to
a sheet, a tab added to the workbook, a style appended. Parsing and writing the XML back would change
bytes the user never asked to change (quotes, namespace prefixes, whitespace, entity forms), so
these helpers only *locate* elements — their byte spans — and the callers splice new text in.

Only what such edits need is handled: the document element, its direct children (skipping over big
subtrees such as ``sheetData`` without tokenising them), attributes of one start tag, and escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# One markup token: a comment, CDATA, processing instruction or declaration, or a start/end/empty tag
# whose attribute values may hold ">" (allowed in XML) inside quotes.
_TOKEN = re.compile(
    rb"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|![^>]*>"
    rb"|(?P<close>/)?(?P<name>[^\s/>]+)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?P<empty>/)?>)",
    re.S,
)
_ATTRIBUTE = re.compile(rb"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Element:
    """An element's place in the bytes: ``start``/``end`` span the whole element, ``inner`` its content."""

    name: bytes  # the qualified name as written, e.g. b"x:sheet"
    start: int
    end: int
    open_end: int  # just after the start tag
    close_start: int  # where the end tag starts (== end for an empty element)
    empty: bool

    @property
    def local(self) -> str:
        """The name without its namespace prefix."""
        return self.name.rsplit(b":", 1)[-1].decode()

    @property
    def prefix(self) -> bytes:
        """The namespace prefix with its colon (``b"x:"``), or ``b""``."""
        return self.name[: -len(self.local)] if b":" in self.name else b""


def root(xml: bytes) -> Element:
    """The document element (ValueError when there is none)."""
    for match in _TOKEN.finditer(xml):
        if match["name"] and not match["close"]:
            return _element(xml, match, set())
    raise ValueError("no document element")


def children(xml: bytes, parent: Element, skip: frozenset[str] = frozenset()) -> list[Element]:
    """The direct children of ``parent``. Children whose local name is in ``skip`` are jumped over by
    searching for their end tag, which is safe for elements that never nest inside themselves."""
    found: list[Element] = []
    if parent.empty:
        return found
    position = parent.open_end
    while True:
        match = _TOKEN.search(xml, position, parent.close_start)
        if match is None:
            return found
        if not match["name"] or match["close"]:
            position = match.end()
            continue
        child = _element(xml, match, skip)
        found.append(child)
        position = child.end


def _element(xml: bytes, match: re.Match[bytes], skip: set[str] | frozenset[str]) -> Element:
    """The element whose start tag is ``match``: find its end tag, counting nested same-named tags."""
    name = match["name"]
    if match["empty"]:
        return Element(name, match.start(), match.end(), match.end(), match.end(), True)
    local = name.rsplit(b":", 1)[-1].decode()
    if local in skip:
        close = match.end()
        while True:
            close = xml.find(b"</" + name, close)
            if close < 0:
                raise ValueError(f"unclosed <{name.decode()}>")
            after = close + 2 + len(name)
            if xml[after:after + 1] in (b">", b" ", b"\t", b"\r", b"\n"):  # not a longer name
                break
            close = after
        end = xml.index(b">", close) + 1
        return Element(name, match.start(), end, match.end(), close, False)
    depth, position = 1, match.end()
    while True:
        token = _TOKEN.search(xml, position)
        if token is None:
            raise ValueError(f"unclosed <{name.decode()}>")
        position = token.end()
        if token["name"] == name and not token["empty"]:
            depth += -1 if token["close"] else 1
            if depth == 0:
                return Element(name, match.start(), token.end(), match.end(), token.start(), False)


def attributes(xml: bytes, element: Element) -> dict[str, str]:
    """The attributes of an element's start tag, by qualified name, entities left as written."""
    tag = xml[element.start:element.open_end]
    return {key.decode(): (double if double is not None else single or b"").decode()
            for key, double, single in ((m[1], m[2], m[3]) for m in _ATTRIBUTE.finditer(tag))}


def set_attribute(xml: bytes, element: Element, name: str, value: str) -> bytes:
    """The start tag of ``element`` with attribute ``name`` set to ``value`` (added when absent)."""
    tag = xml[element.start:element.open_end]
    pattern = re.compile(rb"(\s" + re.escape(name.encode()) + rb"\s*=\s*)(\"[^\"]*\"|'[^']*')")
    quoted = b'"' + escape(value, attribute=True).encode() + b'"'
    if pattern.search(tag):
        return pattern.sub(lambda m: m[1] + quoted, tag, count=1)
    cut = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:cut].rstrip() + b" " + name.encode() + b"=" + quoted + tag[cut:]


def namespace_prefix(xml: bytes, element: Element, uris: tuple[str, ...]) -> bytes | None:
    """The prefix (with colon) the start tag of ``element`` binds to one of ``uris``; None if none."""
    for key, value in attributes(xml, element).items():
        if key.startswith("xmlns:") and value in uris:
            return key[len("xmlns:"):].encode() + b":"
    return None


def escape(text: str, attribute: bool = False) -> str:
    """Text escaped for XML content (and, with ``attribute``, for a double-quoted attribute value)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def splice(xml: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply non-overlapping (start, end, replacement) edits to ``xml``."""
    pieces, position = [], 0
    for start, end, text in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < position:
            raise ValueError("overlapping edits")
        pieces += [xml[position:start], text]
        position = end
    pieces.append(xml[position:])
    return b"".join(pieces)
