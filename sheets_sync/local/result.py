"""Render one :class:`ResultTab` of the report model onto an empty openpyxl worksheet.

Cells keep their model types: text is always a text cell (a value such as ``=IMPORTXML(...)`` stays a
literal string, never a formula, PRODUCT.md section 7), numbers are numbers, dates are date cells, and
a :class:`Link` is its text plus an internal hyperlink (``location``), never a HYPERLINK formula built
from user text. The tab gets its column formats and widths, a bold, wrapped, frozen header, notes,
Premia's tagged conditional rules, bar/column charts and a landscape page setup one page wide with the
header repeated on every page. Every
cell names its font (Arial 10): a font without a name prints in a serif face in LibreOffice. Result
tabs are marked by a grey tab colour and a note on A1; only tabs the report marks ``locked`` are
sheet-protected (see :mod:`sheets_sync.local.write` for why). The tab is drawn into a workbook of its
own (:mod:`sheets_sync.local.render`), never into the user's.
"""

from __future__ import annotations

import math
from copy import copy
from datetime import date
from decimal import Decimal
from numbers import Real

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import StrData, StrRef, StrVal
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText
from openpyxl.comments import Comment
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from formulas.report.model import CHART_HEIGHT, CHART_WIDTH, CellValue, Chart, ColumnSpec, Link, ResultTab
from formulas.text import every
from sheets_sync.local.rules import replace_premia_rules

RESULT_TAB_COLOR = "FF9E9E9E"  # opaque ARGB; openpyxl would prefix a 6-digit colour with alpha 00
AUTHOR = "Premia"
# The note on A1 of every result tab, in both languages: the tab may be opened by either team.
BANNER = " / ".join(every("result.banner"))
# Arial is what Google Sheets uses too; LibreOffice maps it to Liberation Sans or DejaVu Sans.
FONT_NAME, FONT_SIZE = "Arial", 10
BODY_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
LINK_FONT = Font(name=FONT_NAME, size=FONT_SIZE, color="0563C1", underline="single")
TITLE_FONT = Font(name=FONT_NAME, size=12, bold=True)
LINE_HEIGHT = 13.0  # points per line of wrapped Arial 10 text (the default row is 15 points, one line)
# Headers sit where their column's cells do: right over numbers, left and indented over indented text.
_HEADER_NUMBER = Alignment(wrap_text=True, vertical="bottom", horizontal="right")
_HEADER_TEXT = Alignment(wrap_text=True, vertical="bottom", horizontal="left", indent=1)
# When a wrapped cell grows its row, the row reads from the top. Numbers keep the general alignment
# (right); text is indented one step so it never touches a number in the column to its left.
_BODY_NUMBER = Alignment(wrap_text=True, vertical="top")
_BODY_TEXT = Alignment(wrap_text=True, vertical="top", horizontal="left", indent=1)
_FREE_ALIGNMENT = Alignment(vertical="top")  # a free line runs across the empty cells to its right
PX_PER_CM = 96 / 2.54  # a chart's size is given in pixels (model) and written in cm (openpyxl)


def render_result_tab(ws: Worksheet, tab: ResultTab) -> None:
    """Write header, rows, formats, widths, notes, frozen rows, highlights, charts and page setup.

    A title line (Summary's) goes on row 1 and the header below it. Headers read the way their column's
    cells do: right over numbers, left (indented like the text below) over text. Text cells wrap inside
    their column and never run into the next one, except a tab's free lines, which may run across the
    empty cells to their right.
    """
    if tab.title_line:
        write_text(ws.cell(row=1, column=1), tab.title_line)
        ws.cell(row=1, column=1).font = TITLE_FONT
    for col, spec in enumerate(tab.columns, start=1):
        cell = ws.cell(row=tab.header_row, column=col)
        write_text(cell, spec.header)
        cell.font = HEADER_FONT
        cell.alignment = _HEADER_NUMBER if spec.numeric else _HEADER_TEXT
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = spec.width
        dimension.hidden = spec.hidden
    styles: dict[int, StyleArray] = {}
    for row, values in enumerate(tab.rows, start=tab.first_row):
        free = row in tab.free_rows
        for col, value in enumerate(values, start=1):
            if value is None:
                continue
            style = styles.get(col)
            if style is None:
                style = styles[col] = column_style(ws, _column(tab.columns, col - 1))
            write_value(ws.cell(row=row, column=col), value, style)
            if free:
                ws.cell(row=row, column=col).alignment = _FREE_ALIGNMENT
    _grow_rows(ws, tab)
    for (row, col), number_format in tab.cell_formats.items():
        ws.cell(row=row, column=col + 1).number_format = number_format
    _write_notes(ws, tab.notes)
    if tab.frozen_rows > 0:
        ws.freeze_panes = f"A{tab.frozen_rows + 1}"
    replace_premia_rules(ws, tab.highlights)
    for chart in tab.charts:
        _bold_chart_header(ws, chart, tab.header_row)
        _add_chart(ws, tab, chart)
    set_page_setup(ws, tab.header_row, tab.one_page)
    ws.sheet_properties.tabColor = RESULT_TAB_COLOR


def _grow_rows(ws: Worksheet, tab: ResultTab) -> None:
    """Make rows with wrapped text tall enough for it: the header row, and every row with text.

    Neither Excel nor LibreOffice measures rows again when it opens a file, so a wrapped cell in a row
    of default height would spill over the rows below it. Lines are estimated from the length of the
    text against the column's width in characters (less the text's indent), which errs on the tall side
    for proportional fonts.
    """
    widths = [max(1, int(spec.width) - (0 if spec.numeric else 1)) for spec in tab.columns]
    header = max((_lines(spec.header, width) for spec, width in zip(tab.columns, widths, strict=True)), default=1)
    if header > 1:
        ws.row_dimensions[tab.header_row].height = header * LINE_HEIGHT + 2
    for row, values in enumerate(tab.rows, start=tab.first_row):
        if row in tab.free_rows:
            continue
        lines = max((_lines(_shown(value), widths[col]) for col, value in enumerate(values[:len(widths)])),
                    default=1)
        if lines > 1:
            ws.row_dimensions[row].height = lines * LINE_HEIGHT + 2


def _shown(value: CellValue) -> str:
    """The text a cell shows, roughly (numbers and dates never wrap to more than one line)."""
    return value.text if isinstance(value, Link) else value if isinstance(value, str) else ""


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (at least one), breaking at
    spaces as a spreadsheet does: a word that does not fit the rest of a line starts the next one."""
    if not text:
        return 1
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size > width:
                lines, used = lines + 1, 0
            used = used + 1 + size if used else size
            while used > width:  # a word longer than the column is broken across lines
                lines, used = lines + 1, used - width
        total += lines
    return total


def set_page_setup(ws: Worksheet, header_rows: int = 1, one_page: bool = False) -> None:
    """A4 landscape, as many pages high as needed (one with ``one_page``) but one page wide, so no column
    is cut off in print; the header rows (and a title line above them) repeat at the top of every page.

    The paper is named because a page setup without one means US Letter to LibreOffice and Excel.
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0 = any number of pages
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_rows}"


def _column(columns: list[ColumnSpec], index: int) -> ColumnSpec:
    """The spec of a column; a row longer than the header gets general, unformatted cells."""
    return columns[index] if index < len(columns) else ColumnSpec("")


def column_style(ws: Worksheet, spec: ColumnSpec) -> StyleArray:
    """The style every body cell of a column shares: font, number format, alignment (wrapped, and for a
    text column indented, so text never touches a number right-aligned in the column before it).

    Built once per column and copied into each cell, as openpyxl's own sheet copy does: setting the
    font and format through the cell's properties costs a style lookup per property per cell.
    """
    proto = Cell(ws)
    proto.font = BODY_FONT
    proto.alignment = _BODY_NUMBER if spec.numeric else _BODY_TEXT
    if spec.number_format:
        proto.number_format = spec.number_format
    return proto._style


def write_text(cell: Cell, text: str) -> None:
    """Store ``text`` as a text cell, even when it starts with ``=``.

    openpyxl turns any string starting with "=" into a formula, so the type is forced back to text
    after assignment. Control characters that XML cannot hold are dropped (openpyxl would raise).
    """
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"


def write_value(cell: Cell, value: CellValue, style: StyleArray) -> None:
    """Store one model value in ``cell`` with its column's style (see :func:`column_style`)."""
    if isinstance(value, Link):
        write_text(cell, value.text)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link_location(value))
        cell._style = copy(style)
        cell.font = LINK_FONT
        return
    if isinstance(value, str):
        write_text(cell, value)
    elif isinstance(value, Real | Decimal | date):
        # NaN and infinities have no xlsx form (the file would not open); they show as empty cells.
        if isinstance(value, float) and not math.isfinite(value):
            return
        cell.value = value
    else:
        raise TypeError(f"cannot write a {type(value).__name__} to cell {cell.coordinate}: {value!r}")
    cell._style = copy(style)


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


def _bold_chart_header(ws: Worksheet, chart: Chart, header_row: int) -> None:
    """A chart's header row below the tab header (e.g. the Summary's funnel block) is bold too."""
    row = chart.rows[0] - 1
    if row > header_row:
        for col in (chart.category_col, *chart.value_cols):
            ws.cell(row=row, column=col + 1).font = HEADER_FONT


def _add_chart(ws: Worksheet, tab: ResultTab, chart: Chart) -> None:
    """A bar or column chart of the value columns against the category column, at its anchor cell.

    Series are named by reference to the chart's header row, the row just above ``chart.rows``; a bar
    chart's category axis runs top to bottom (stage 1 on top), as the model asks.
    """
    bar = BarChart()
    bar.type = "col" if chart.kind == "column" else "bar"
    bar.title = chart.title
    first, last = chart.rows
    for col in chart.value_cols:
        values = Reference(ws, min_col=col + 1, max_col=col + 1, min_row=first, max_row=last)
        series = Series(values)
        series.tx = _series_label(ws, tab, first - 1, col)
        bar.series.append(series)
    col = chart.category_col + 1
    bar.set_categories(Reference(ws, min_col=col, max_col=col, min_row=first, max_row=last))
    # openpyxl 3.1 leaves the axes' "delete" flag unset, and recent Excel then hides both axes.
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    if chart.kind == "bar":
        bar.x_axis.scaling.orientation = "maxMin"  # spreadsheets draw the first category at the bottom
        bar.y_axis.crosses = "max"  # keeps the value axis at the bottom once the categories are flipped
    bar.y_axis.number_format = "#,##0"  # whole amounts, not linked to the cells: ".00" on an axis is noise
    bar.x_axis.txPr = _unrotated_labels()
    bar.width, bar.height = CHART_WIDTH / PX_PER_CM, CHART_HEIGHT / PX_PER_CM
    row, col = chart.anchor
    ws.add_chart(bar, f"{get_column_letter(col + 1)}{row}")


def header_text(tab: ResultTab, row: int, col: int) -> str:
    """The text of the cell a series is named by: the tab header on its row, else that row's cell."""
    if row == tab.header_row:
        return _column(tab.columns, col).header
    index = row - tab.first_row
    values = tab.rows[index] if 0 <= index < len(tab.rows) else []
    value = values[col] if col < len(values) else None
    return value.text if isinstance(value, Link) else "" if value is None else str(value)


def _series_label(ws: Worksheet, tab: ResultTab, row: int, col: int) -> SeriesLabel:
    """A series name that refers to its header cell, with the cell's text cached for readers that
    do not recalculate charts."""
    ref = f"{quote_sheetname(ws.title)}!${get_column_letter(col + 1)}${row}"
    cache = StrData(ptCount=1, pt=[StrVal(idx=0, v=header_text(tab, row, col))])
    return SeriesLabel(strRef=StrRef(f=ref, strCache=cache))


def _unrotated_labels() -> RichText:
    """Category labels drawn horizontally (LibreOffice otherwise tilts long names by 45 degrees)."""
    plain = CharacterProperties()
    return RichText(bodyPr=RichTextProperties(rot=0, vert="horz"),
                    p=[Paragraph(pPr=ParagraphProperties(defRPr=plain), endParaRPr=plain)])
