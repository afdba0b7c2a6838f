"""The one protocol both adapters implement: read a spreadsheet's raw tabs, write a report back.

The service and the command line hold a :class:`Spreadsheet` without knowing whether it is a local
``.xlsx`` file (:class:`sheets_sync.local.LocalWorkbook`) or a Google spreadsheet
(:class:`sheets_sync.google.GoogleSpreadsheet`); :mod:`entrypoints.jobs` runs the engine between the two
calls. An adapter remembers what its read saw (the file, the tabs' ids and formats) so that its write
replaces exactly Premia's own things and nothing else.
"""

from __future__ import annotations

from typing import Protocol

from formulas.raw import RawWorkbook
from formulas.report.model import Report


class Spreadsheet(Protocol):
    """A spreadsheet Premia recalculates: one read, then at most one (atomic) write."""

    @property
    def name(self) -> str:
        """How to name the spreadsheet to a person: a file name or the spreadsheet's title."""
        ...

    def read(self) -> RawWorkbook:
        """The input tabs as raw cells, every tab title, and the spreadsheet's time zone."""
        ...

    def write(self, report: Report) -> None:
        """Replace the result tabs and Premia's own highlights with ``report``, all or nothing."""
        ...
