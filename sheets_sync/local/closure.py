"""Which parts a tab owns, which are still in use, and fresh names for the parts Premia adds.

A result tab's old parts (its drawing, charts, notes) are deleted when it is rewritten, but only those
no other part still uses: a picture or printer-settings part may be shared with a user's tab. Parts are
followed through their relationships as the Open Packaging Conventions define them; a relationship
whose target is missing (a dangling drawing relationship) is simply not followed.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET

from sheets_sync.local.package import Package

_NUMBERED = re.compile(r"^(?P<stem>.*?)(?P<number>\d*)(?P<ext>\.[^.]*)?$")


def owned(package: Package, start: str) -> set[str]:
    """Every part reachable from ``start`` through relationships (``start`` itself left out)."""
    return reachable(package, [start], frozenset()) - {start}


def reachable(package: Package, starts: list[str], stop: frozenset[str]) -> set[str]:
    """The parts reachable from ``starts`` ("" = the package's own relationships), not looking past
    the parts in ``stop``. Raises ``ET.ParseError`` when a relationships part on the way is not XML."""
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        part = stack.pop()
        if part in seen:
            continue
        seen.add(part)
        if part in stop:
            continue
        for rel in package.relationships(part):
            stored = None if rel.external else package.name_of(rel.target)
            if stored is not None:
                stack.append(stored)
    return seen - {""}


def dead_parts(package: Package, rewritten: list[str]) -> set[str]:
    """The parts of the ``rewritten`` tabs that nothing else uses: safe to delete with the old tabs.

    When some relationships part cannot be read, nothing is deleted: an unused part left in the file
    is harmless, a part deleted while still in use is not.
    """
    stop = frozenset(rewritten)
    try:
        candidates = set().union(*(owned(package, part) for part in rewritten)) if rewritten else set()
        still_used = reachable(package, [""], stop)
    except ET.ParseError:
        return set()
    return candidates - still_used - stop


class Names:
    """Fresh part names that collide with no part of the package, in any letter case."""

    def __init__(self, taken: list[str]) -> None:
        self._taken = {name.casefold() for name in taken}

    def release(self, name: str) -> None:
        """Make a deleted part's name available again (so a second run reuses the names of the first)."""
        self._taken.discard(name.casefold())

    def fresh(self, like: str) -> str:
        """The first free name of the pattern of ``like``: ``xl/charts/chart3.xml`` -> ``xl/charts/chartN.xml``."""
        folder, base = posixpath.split(like)
        match = _NUMBERED.match(base)
        stem, ext = (match["stem"], match["ext"] or "") if match else (base, "")
        number = 1
        while posixpath.join(folder, f"{stem}{number}{ext}").casefold() in self._taken:
            number += 1
        name = posixpath.join(folder, f"{stem}{number}{ext}")
        self._taken.add(name.casefold())
        return name
