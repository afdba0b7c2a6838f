"""What the fake records and reports: a logged request, a tab's listing, a schema violation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass
class RecordedRequest:
    """One request as the fake saw it, with the status it answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    kind: str | None
    spreadsheet_id: str | None
    token: str | None
    status: int = 0
    size: int = 0  # bytes of the request body (a body over the limit is logged with `body` None)


class SheetInfo(NamedTuple):
    """One tab as `FakeSheets.sheet_list` reports it."""

    sheet_id: int
    title: str
    index: int
    hidden: bool
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        """rows x columns: what the tab counts against the cell limit."""
        return self.rows * self.columns


@dataclass
class Violation:
    """A request that failed schema or query validation: what was sent and what was wrong."""

    kind: str
    path: str
    body: Any
    problems: list[tuple[str, str]]
