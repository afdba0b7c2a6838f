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


class SpreadsheetChanged(Exception):
    """The spreadsheet changed between this run's read and its write; nothing was written, or (Google only)
    the write went through but deleted a user's conditional-format rule added meanwhile, which was put back.

    A job reads and recalculates once more when it sees this; the message tells a person what happened.
    """


class Spreadsheet(Protocol):
    """A spreadsheet Premia recalculates: one read, then at most one (atomic) write."""

    @property
    def name(self) -> str:
        """How to name the spreadsheet to a person: a file name or the spreadsheet's title."""
        ...

    def read(self) -> RawWorkbook:
        """The input tabs as raw cells, every tab title, the spreadsheet's time zone, Premia's stored
        records (``properties``) and the result tabs of ``report.model.READ_BACK`` (``own_tabs``)."""
        ...

    def write(self, report: Report) -> None:
        """Replace the result tabs, Premia's own highlights and (unless ``report.properties`` is None)
        Premia's records with ``report``, all or nothing. Raises :class:`SpreadsheetChanged`, writing
        nothing, when the spreadsheet changed since :meth:`read` in a way the write would lose."""
        ...
