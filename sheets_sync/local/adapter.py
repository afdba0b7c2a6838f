"""A local ``.xlsx`` workbook behind the adapter protocol (:class:`sheets_sync.protocol.Spreadsheet`)."""

from __future__ import annotations

from pathlib import Path

from formulas.raw import RawWorkbook
from formulas.read.tabs import input_tab_spec
from formulas.report.model import Report
from sheets_sync.local.commit import Snapshot, snapshot
from sheets_sync.local.package import Package
from sheets_sync.local.read import read_package
from sheets_sync.local.write import write_snapshot


class LocalWorkbook:
    """An ``.xlsx`` file: its input tabs are read, its result tabs replaced in one atomic file write.

    The read keeps the file's bytes; the write merges the report into exactly those bytes and replaces
    the file only if it still holds them, raising :class:`sheets_sync.protocol.SpreadsheetChanged`
    otherwise (a person saved an edit meanwhile, or another run wrote its results).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._input_titles: list[str] = []
        self._read: Snapshot | None = None

    @property
    def name(self) -> str:
        """The file's path as it was given, as a person typed it."""
        return str(self.path)

    @property
    def digest(self) -> str:
        """The SHA-256 of the file as last read or written by this adapter ("" before the first read)."""
        return self._read.digest if self._read else ""

    def read(self) -> RawWorkbook:
        """The input tabs only, plus Premia's records and read-back tabs: result tabs and a user's other
        tabs are never read (PRODUCT.md section 3)."""
        self._read = snapshot(self.path)
        workbook = read_package(Package.from_bytes(self._read.data), lambda title: input_tab_spec(title) is not None)
        self._input_titles = workbook.titles()
        return workbook

    def write(self, report: Report) -> None:
        """Write the report into the file as it was read, replacing it atomically (a failure leaves it as
        it was); :class:`SpreadsheetChanged` when the file changed since :meth:`read`."""
        if self._read is None:
            self.read()
        assert self._read is not None
        self._read = write_snapshot(self.path, self._read, report, self._input_titles)
