"""A local ``.xlsx`` workbook behind the adapter protocol (:class:`sheets_sync.protocol.Spreadsheet`)."""

from __future__ import annotations

from pathlib import Path

from formulas.raw import RawWorkbook
from formulas.read.tabs import input_tab_spec
from formulas.report.model import Report
from sheets_sync.local.read import read_workbook
from sheets_sync.local.write import write_report


class LocalWorkbook:
    """An ``.xlsx`` file: its input tabs are read, its result tabs replaced in one atomic file write."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._input_titles: list[str] = []

    @property
    def name(self) -> str:
        """The file's path as it was given, as a person typed it."""
        return str(self.path)

    def read(self) -> RawWorkbook:
        """The input tabs only: result tabs and a user's other tabs are never read (PRODUCT.md §3)."""
        workbook = read_workbook(self.path, lambda title: input_tab_spec(title) is not None)
        self._input_titles = workbook.titles()
        return workbook

    def write(self, report: Report) -> None:
        """Write the report into the file, replacing it atomically (a failure leaves it as it was)."""
        write_report(self.path, report, self._input_titles)
