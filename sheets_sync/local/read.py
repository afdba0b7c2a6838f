"""Read a local .xlsx workbook into :class:`formulas.raw.RawWorkbook`: raw values plus number formats.

The package is read once into memory (:class:`.package.Package`) and its parts parsed directly
(:mod:`.cells`), without openpyxl: part names match in any letter case, a dangling relationship is just
a missing part, and a tab is sized by its data. Besides the input tabs, the read fills Premia's own
records (``properties``, from the very hidden records tab, :mod:`.records`) and the result tabs a run
needs back (``own_tabs``: each key of ``formulas.report.model.READ_BACK``, found by its title in any
language). The records tab is never listed among the tabs (``all_titles``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from formulas.raw import RawTab, RawWorkbook
from formulas.report.model import READ_BACK
from formulas.text import every
from sheets_sync.local.book import Book, Sheet, read_book
from sheets_sync.local.cells import Context, read_cells
from sheets_sync.local.guard import WorkbookDamaged
from sheets_sync.local.numfmt import style_formats
from sheets_sync.local.package import Package
from sheets_sync.local.records import is_records_sheet, read_records
from sheets_sync.local.strings import shared_strings


def read_workbook(path: str | Path, input_titles: Callable[[str], bool] | None = None) -> RawWorkbook:
    """Read the workbook at ``path``: the tabs ``input_titles`` accepts (every worksheet without it)."""
    return read_package(Package.from_bytes(Path(path).read_bytes()), input_titles)


def read_package(package: Package, input_titles: Callable[[str], bool] | None = None) -> RawWorkbook:
    """Read a workbook package: input tabs in workbook order, every title, records and read-back tabs.

    Only worksheets hold cells: chart sheets and the like are listed in ``all_titles`` but not read.
    Result tabs and a user's other tabs are never read (PRODUCT.md section 3, "Untouched"), except the
    result tabs of ``READ_BACK``.
    """
    book = read_book(package)
    reader = _Reader(package, book)
    listed = [sheet for sheet in book.sheets if not is_records_sheet(sheet)]
    tabs = [reader.tab(sheet) for sheet in listed
            if sheet.kind == "worksheet" and (input_titles is None or input_titles(sheet.title))]
    records = next((sheet for sheet in book.sheets if is_records_sheet(sheet)), None)
    properties = read_records(reader.tab(records)) if records is not None and records.part else {}
    own: dict[str, RawTab] = {}
    for key in READ_BACK:
        titles = {title.casefold() for title in every(f"title.{key}")}
        found = next((s for s in listed if s.kind == "worksheet" and s.title.casefold() in titles), None)
        if found is not None:
            own[key] = reader.tab(found)
    return RawWorkbook(tabs, tuple(sheet.title for sheet in listed), properties=properties, own_tabs=own)


class _Reader:
    """Reads tabs of one package, parsing the shared strings and styles once, when first needed."""

    def __init__(self, package: Package, book: Book) -> None:
        self.package, self.book = package, book
        self._context: Context | None = None

    def context(self) -> Context:
        """Shared strings, number formats per style and the date system of the workbook."""
        if self._context is None:
            strings = self.book.related("sharedStrings")
            styles = self.book.related("styles")
            try:
                self._context = Context(shared_strings(self.package.read(strings) if strings else None),
                                        style_formats(self.package.read(styles) if styles else None),
                                        self.book.date1904)
            except (ET.ParseError, ValueError) as error:  # a damaged part, said in plain words
                raise WorkbookDamaged(f"the workbook's shared text or styles are damaged ({error}); open it in "
                                      "Excel or LibreOffice, save it again, then run Premia again") from None
        return self._context

    def tab(self, sheet: Sheet) -> RawTab:
        """One tab's cells; a tab whose part is missing from the file is refused in plain words."""
        data = self.package.read(sheet.part) if sheet.part else None
        if data is None:
            raise WorkbookDamaged(f"Tab '{sheet.title}' is missing from the file (the file is damaged); open it in "
                                  "Excel or LibreOffice, save it again, then run Premia again")
        return read_cells(sheet.title, data, self.context())
