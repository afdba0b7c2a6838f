"""Render one :class:`ResultTab` of the report model onto an empty openpyxl worksheet.

Cells keep their model types: text is always a text cell (a value such as ``=IMPORTXML(...)`` stays a
literal string, never a formula, PRODUCT.md section 7), numbers are numbers, dates are date cells, and
a :class:`Link` is its text plus an internal hyperlink (``location``), never a HYPERLINK formula built
from user text. The tab gets its column formats and widths, a bold frozen header, notes, Premia's
tagged conditional rules and bar/column charts. Result tabs are marked by a grey tab colour and a note
on A1 rather than by sheet protection (see :mod:`sheets_sync.local_workbook` for why).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from numbers import Real

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from formulas.model import CellValue, Chart, ColumnSpec, Link, ResultTab
from sheets_sync.xlsx_rules import replace_premia_rules

RESULT_TAB_COLOR = "FF9E9E9E"  # opaque ARGB; openpyxl would prefix a 6-digit colour with alpha 00
AUTHOR = "Premia"
BANNER = (
    "Premia rewrites this tab on every recalculation: edits made here are lost. "
    "/ Premia перезаписывает этот лист при каждом пересчёте: правки здесь будут потеряны."
)
_HEADER_FONT = Font(bold=True)
_LINK_FONT = Font(color="0563C1", underline="single")


def render_result_tab(ws: Worksheet, tab: ResultTab) -> None:
    """Write header, rows, formats, widths, notes, frozen rows, highlights and charts of ``tab``."""
    for col, spec in enumerate(tab.columns, start=1):
        cell = ws.cell(row=1, column=col)
        write_text(cell, spec.header)
        cell.font = _HEADER_FONT
        ws.column_dimensions[get_column_letter(col)].width = spec.width
    for row, values in enumerate(tab.rows, start=2):
        for col, value in enumerate(values, start=1):
            if value is not None:
                write_value(ws.cell(row=row, column=col), value, _column(tab.columns, col - 1))
    _write_notes(ws, tab.notes)
    if tab.frozen_rows > 0:
        ws.freeze_panes = f"A{tab.frozen_rows + 1}"
    replace_premia_rules(ws, tab.highlights)
    for chart in tab.charts:
        _add_chart(ws, tab, chart)
    ws.sheet_properties.tabColor = RESULT_TAB_COLOR


def _column(columns: list[ColumnSpec], index: int) -> ColumnSpec:
    """The spec of a column; a row longer than the header gets general, unformatted cells."""
    return columns[index] if index < len(columns) else ColumnSpec("")


def write_text(cell: Cell, text: str) -> None:
    """Store ``text`` as a text cell, even when it starts with ``=``.

    openpyxl turns any string starting with "=" into a formula, so the type is forced back to text
    after assignment. Control characters that XML cannot hold are dropped (openpyxl would raise).
    """
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"


def write_value(cell: Cell, value: CellValue, spec: ColumnSpec) -> None:
    """Store one model value in ``cell`` with its column's number format; reject unknown types."""
    if isinstance(value, Link):
        write_text(cell, value.text)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link_location(value))
        cell.font = _LINK_FONT
    elif isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, Real | Decimal | date):
        # NaN and infinities have no xlsx form (the file would not open); they show as empty cells.
        if isinstance(value, float) and not math.isfinite(value):
            return
        cell.value = value
    else:
        raise TypeError(f"cannot write a {type(value).__name__} to cell {cell.coordinate}: {value!r}")
    if spec.number_format:
        cell.number_format = spec.number_format


def link_location(link: Link) -> str:
    """The internal hyperlink target of a link, e.g. ``'Deals'!A13`` (the title quoted when needed)."""
    return f"{quote_sheetname(link.tab)}!{get_column_letter(link.col + 1)}{link.row}"


def _write_notes(ws: Worksheet, notes: dict[tuple[int, int], str]) -> None:
    """Attach the tab's notes, with the "rewritten by Premia" banner first on A1."""
    merged = dict(notes)
    own = merged.get((1, 0))
    merged[(1, 0)] = BANNER if not own else f"{BANNER}\n\n{own}"
    for (row, col), text in sorted(merged.items()):
        comment = Comment(ILLEGAL_CHARACTERS_RE.sub("", text), AUTHOR, width=300, height=120)
        ws.cell(row=row, column=col + 1).comment = comment


def _add_chart(ws: Worksheet, tab: ResultTab, chart: Chart) -> None:
    """A bar or column chart of the value columns against the category column, at its anchor cell."""
    bar = BarChart()
    bar.type = "col" if chart.kind == "column" else "bar"
    bar.title = chart.title
    first, last = chart.rows
    for col in chart.value_cols:
        values = Reference(ws, min_col=col + 1, max_col=col + 1, min_row=first, max_row=last)
        # The series is named by its column header, written as text so no cell reference is needed.
        bar.series.append(Series(values, title=_column(tab.columns, col).header))
    col = chart.category_col + 1
    bar.set_categories(Reference(ws, min_col=col, max_col=col, min_row=first, max_row=last))
    # openpyxl 3.1 leaves the axes' "delete" flag unset, and recent Excel then hides both axes.
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    row, col = chart.anchor
    ws.add_chart(bar, f"{get_column_letter(col + 1)}{row}")
