"""What an adapter hands to the core: tabs of raw cell values, with the number formats that matter.

Values are exactly what the spreadsheet holds: ``None`` for an empty cell, ``str``, ``int``/``float``
(Google returns dates as serial numbers), ``bool``, or ``datetime``/``date`` (local workbooks).
Rows are kept in sheet order; ``values[0]`` is the header row, so the sheet row of ``values[i]`` is
``i + 1``. Formats are sparse: only cells whose number format is not the default are listed, because
the core only needs to know which cells are percent-formatted (a cell showing 5 % holds 0.05).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawTab:
    """One tab as read: its title, its cell values row by row, and its non-default number formats."""

    title: str
    values: list[list[Any]]
    # (row index into ``values``, column index) -> number format pattern, e.g. "0.00%".
    formats: dict[tuple[int, int], str] = field(default_factory=dict)

    def is_percent(self, row: int, col: int) -> bool:
        """True when the cell at ``values[row][col]`` is shown as a percentage."""
        return "%" in self.formats.get((row, col), "")


@dataclass(frozen=True)
class RawWorkbook:
    """All tabs of a spreadsheet, in the order the spreadsheet lists them."""

    tabs: list[RawTab]
    # Every tab title of the spreadsheet in order, the tabs not read included (adapters read only input
    # tabs); a missing input tab's issue names the closest of them. Empty: the titles of ``tabs``.
    all_titles: tuple[str, ...] = ()
    # The spreadsheet's own time zone (an IANA name such as "Europe/Moscow"), "" when it has none (a
    # local file: the machine's). Only the edge reads the clock; it uses this to know what "today" is.
    time_zone: str = ""
    # Premia's own records (month close), stored where users do not type: Google developer metadata, a
    # hidden tab of a local file. Keys and values are plain text; the adapter only stores them.
    properties: dict[str, str] = field(default_factory=dict)
    # Premia's own result tabs that a run needs back (by result key, see report.model.READ_BACK), as read.
    own_tabs: dict[str, RawTab] = field(default_factory=dict)

    def titles(self) -> list[str]:
        """The titles of the tabs read, in spreadsheet order."""
        return [tab.title for tab in self.tabs]

    def every_title(self) -> list[str]:
        """Every tab title of the spreadsheet, read or not."""
        return list(self.all_titles) or self.titles()
