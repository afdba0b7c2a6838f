"""A hand-written in-memory adapter: input tabs in, result tabs and records kept as a spreadsheet would.

It behaves like the adapters where month close needs it: the result tabs of ``READ_BACK`` come back on
the next read as the values written (links as their text), and ``report.properties`` replace the stored
records. Tests use it for the close logic; the real adapters have their own tests.
"""

from __future__ import annotations

from typing import Any

from formulas.raw import RawTab, RawWorkbook
from formulas.report.model import READ_BACK, Link, Report, ResultTab


class MemorySheet:
    """A spreadsheet in memory: its input tabs can be edited between runs like a user would."""

    def __init__(self, workbook: RawWorkbook, name: str = "memory") -> None:
        self.inputs = list(workbook.tabs)
        self.properties: dict[str, str] = {}
        self.results: dict[str, ResultTab] = {}
        self.writes = 0
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def read(self) -> RawWorkbook:
        own = {key: _as_raw(tab) for key, tab in self.results.items() if key in READ_BACK}
        return RawWorkbook(list(self.inputs), properties=dict(self.properties), own_tabs=own)

    def write(self, report: Report) -> None:
        self.writes += 1
        self.results.update({tab.key: tab for tab in report.tabs})
        if report.properties is not None:
            self.properties = dict(report.properties)

    def tab(self, title: str) -> RawTab:
        """An input tab by title."""
        return next(tab for tab in self.inputs if tab.title == title)

    def replace(self, title: str, rows: list[list[Any]]) -> None:
        """Replace an input tab's data rows (the header stays): a user's edit."""
        old = self.tab(title)
        self.inputs[self.inputs.index(old)] = RawTab(title, [old.values[0], *rows])

    def edit_result(self, key: str, row: int, col: int, value: Any) -> None:
        """Type over a result cell (1-based sheet row, 0-based column), as a user ignoring the warning would."""
        tab = self.results[key]
        tab.rows[row - 2][col] = value


def _as_raw(tab: ResultTab) -> RawTab:
    """A result tab as an adapter reads it back: header row first, a link as its text, blanks as None."""
    rows = [[spec.header for spec in tab.columns]]
    rows += [[cell.text if isinstance(cell, Link) else cell for cell in row] for row in tab.rows]
    return RawTab(tab.title, rows)
