"""Google field masks: `sheets(properties,conditionalFormats)`, `sheets.data.rowData.values.note`,
`sheets/properties/title`, `gridProperties.rowCount,title`, `*`.

A mask parses into a tree `{name: subtree-or-None}`; None means "the whole field". The same tree
selects fields of a response (`project`) and the fields an update request writes (`apply_update`).
"""

from __future__ import annotations

import copy
from typing import Any

Mask = dict[str, Any]


class MaskError(ValueError):
    """Raised for a field mask Google cannot parse."""


def parse(text: str) -> Mask:
    """Parse a field mask into a tree; an empty mask is an empty tree."""
    tree: Mask = {}
    pos = _parse_list(text.replace(" ", ""), 0, tree)
    if pos != len(text.replace(" ", "")):
        raise MaskError(text)
    return tree


def _parse_list(text: str, pos: int, into: Mask) -> int:
    """Parse `item(,item)*` starting at pos; return the position after it."""
    while pos < len(text):
        pos = _parse_item(text, pos, into)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return pos


def _parse_item(text: str, pos: int, into: Mask) -> int:
    """Parse `name[.name|/name]*[(list)]` and merge it into the tree."""
    start = pos
    while pos < len(text) and text[pos] not in ",()":
        pos += 1
    path = [p for p in text[start:pos].replace("/", ".").split(".")]
    if not path or any(not p for p in path):
        raise MaskError(text)
    node = into
    for name in path[:-1]:
        node = _child(node, name)
    if pos < len(text) and text[pos] == "(":
        sub = _child(node, path[-1])
        pos = _parse_list(text, pos + 1, sub)
        if pos >= len(text) or text[pos] != ")":
            raise MaskError(text)
        return pos + 1
    node[path[-1]] = None
    return pos


def _child(node: Mask, name: str) -> Mask:
    """Descend into (creating) a subtree; a whole-field selection stays whole."""
    existing = node.get(name, {})
    if existing is None:
        return {}
    node[name] = existing
    return existing


def project(value: Any, tree: Mask | None) -> Any:
    """Keep only the masked fields of a response value (lists are projected element-wise)."""
    if tree is None or "*" in tree:
        return value
    if isinstance(value, list):
        return [project(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: project(value[key], sub) for key, sub in tree.items() if key in value}


def apply_update(target: dict[str, Any], source: dict[str, Any], tree: Mask) -> None:
    """Write the masked fields of `source` into `target`; a masked field absent from source is cleared."""
    if "*" in tree:
        target.clear()
        target.update(copy.deepcopy(source))
        return
    for key, sub in tree.items():
        if sub is None:
            if key in source:
                target[key] = copy.deepcopy(source[key])
            else:
                target.pop(key, None)
            continue
        child_source = source.get(key)
        child = target.setdefault(key, {})
        if not isinstance(child, dict):
            child = target[key] = {}
        apply_update(child, child_source if isinstance(child_source, dict) else {}, sub)
        if not child:
            target.pop(key)


def paths(tree: Mask, prefix: str = "") -> list[str]:
    """Flatten a mask tree to dotted paths (for checking masks against a schema)."""
    out: list[str] = []
    for key, sub in tree.items():
        name = f"{prefix}{key}"
        out.extend([name] if sub is None or not sub else paths(sub, name + "."))
    return out
