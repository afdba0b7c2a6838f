"""Google's cell limit (PRODUCT.md section 7): 10 000 000 cells per spreadsheet, every tab's grid counted.

Before writing, Premia counts the cells the spreadsheet will hold at the write's peak: every tab that
stays as it is, every result tab at its new size, and during a staged write the old result tabs too
(they are replaced only at the end). Over the limit, nothing is written and the message says how many
cells are over and which tabs are the largest.
"""

from __future__ import annotations

from formulas.report.model import Report
from sheets_sync.google.cells import used_size
from sheets_sync.google.http import SheetsError
from sheets_sync.google.read import SheetMeta

CELL_LIMIT = 10_000_000


class CellBudgetExceeded(SheetsError):
    """The results would take the spreadsheet over Google's cell limit; nothing was written."""


def tab_cells(meta: SheetMeta, report: Report, staged: bool) -> dict[str, int]:
    """Cells per tab title at the write's peak (leftover staging tabs are removed first)."""
    results = {tab.title.casefold() for tab in report.tabs}
    counts = {sheet.title: sheet.row_count * sheet.column_count for sheet in meta.sheets
              if not sheet.staging and (staged or sheet.title.casefold() not in results)}
    for tab in report.tabs:
        rows, cols = used_size(tab)
        title = f"{tab.title} (new)" if staged and tab.title in counts else tab.title
        counts[title] = rows * cols
    return counts


def check_cells(meta: SheetMeta, report: Report, staged: bool, limit: int = CELL_LIMIT) -> None:
    """Raise :class:`CellBudgetExceeded` when the write would need more cells than Google allows."""
    counts = tab_cells(meta, report, staged)
    total = sum(counts.values())
    if total <= limit:
        return
    largest = sorted(counts.items(), key=lambda item: -item[1])[:3]
    named = "; ".join(f"{title}: {_count(cells)}" for title, cells in largest)
    raise CellBudgetExceeded(
        f"The results would make the spreadsheet hold {_count(total)} cells, and Google allows "
        f"{_count(limit)}: {_count(total - limit)} over. The largest tabs are {named}. Nothing was written. "
        "Delete the empty rows and columns of the largest tabs, or move past years to another spreadsheet, "
        "then recalculate.")


def _count(cells: int) -> str:
    """A cell count with thousands apart: 10 440 000."""
    return f"{cells:,}".replace(",", " ")
