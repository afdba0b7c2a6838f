"""Result tabs' cells built once per write: a staged write reuses what the one-request attempt built.

The write first tries one atomic body (:func:`~sheets_sync.google.staged.one_body`) and gives up once it
passes the size limit; by then the largest tabs' cells may be built. The staged write needs the same
cells on other sheetIds (its hidden staging tabs), so it takes them over, moved to the new sheetId,
instead of building them again: a second or more on a big agency. A tab is built again only when one of
its links would land on another tab's id under the staged write (a link to a result tab being replaced).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from formulas.report.model import Link, ResultTab
from sheets_sync.google.cells import tab_cells


@dataclass
class BuiltCells:
    """Each result tab's cell requests as built, with the link targets (title -> sheetId) used."""

    tabs: dict[str, tuple[Mapping[str, int], list[dict[str, Any]]]] = field(default_factory=dict)

    def build(self, tab: ResultTab, sheet_id: int, sheet_ids: Mapping[str, int]) -> list[dict[str, Any]]:
        """:func:`tab_cells`, remembered for :meth:`reuse`."""
        requests = tab_cells(tab, sheet_id, sheet_ids)
        self.tabs[tab.key] = (sheet_ids, requests)
        return requests

    def reuse(self, tab: ResultTab, sheet_id: int, sheet_ids: Mapping[str, int]) -> list[dict[str, Any]]:
        """The tab's requests on ``sheet_id`` with links to ``sheet_ids``: those built before, moved, when
        every link of the tab lands on the same id under both; else built now."""
        found = self.tabs.get(tab.key)
        if found is None or not _same_targets(tab, found[0], sheet_ids):
            return tab_cells(tab, sheet_id, sheet_ids)
        return [_moved(request, sheet_id) for request in found[1]]


def _same_targets(tab: ResultTab, before: Mapping[str, int], now: Mapping[str, int]) -> bool:
    """True when every tab the links of ``tab`` point at has the same sheetId in both mappings."""
    targets = {value.tab.casefold() for row in tab.rows for value in row if isinstance(value, Link)}
    return all(before.get(title) == now.get(title) for title in targets)


def _moved(request: dict[str, Any], sheet_id: int) -> dict[str, Any]:
    """A tab's ``updateCells`` or ``repeatCell`` on another sheetId; its cells are shared, not copied."""
    (kind, spec), = request.items()
    if kind not in ("updateCells", "repeatCell"):
        raise ValueError(f"a tab's cells never need a {kind} request")  # tab_cells makes only these two
    return {kind: {**spec, "range": {**spec["range"], "sheetId": sheet_id}}}
