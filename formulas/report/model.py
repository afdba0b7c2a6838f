"""The backend-neutral report model: what the core asks an adapter to write.

A :class:`Report` is a list of result tabs (typed cells, column number formats, links, notes,
frozen header, conditional highlights, charts) plus highlights on input rows that have issues.
The local-workbook adapter renders it with openpyxl and the Google adapter as one
``spreadsheets.batchUpdate``; neither needs to know what the tabs mean.

Cell values are plain Python: ``None`` (empty), ``str`` (always written as text, never as a
formula), ``int``/``float`` (numbers), ``datetime.date`` (a date cell), or :class:`Link`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# Colours of highlights, as RGB hex; adapters map them to their own colour objects.
RED = "F4C7C3"
AMBER = "FCE8B2"
GREEN = "B7E1CD"
ISSUE = "F4C7C3"

# The result tabs of PRODUCT.md section 5, in the order they are written; titles are text keys "title.<key>".
# The tabs every recalculation writes; once a month has been closed, Closed months and Payroll too; What-if
# only when a what-if runs. Every result tab's title is the text key "title.<key>".
RECALCULATION_KEYS = ("summary", "statements", "explain", "leaderboard", "funnel_report", "signals",
                      "input_issues")
RESULT_KEYS = (*RECALCULATION_KEYS, "closed_months", "payroll", "whatif")
# Result tabs an adapter reads back on every run, because they hold what a run must not recompute: the
# frozen lines of closed months (PRODUCT.md section 3a). Adapters find them by their key, not their title.
READ_BACK = ("closed_months",)

# Adapters draw every chart CHART_WIDTH x CHART_HEIGHT pixels, which stays within CHART_ROWS rows of
# default height (20 px in xlsx, 21 px in Google Sheets): the core leaves CHART_ROWS rows per chart when
# it places charts one under another.
CHART_WIDTH = 1000
CHART_HEIGHT = 380
CHART_ROWS = 20


@dataclass(frozen=True)
class Link:
    """A cell that shows ``text`` and links to a cell of the same spreadsheet.

    ``tab`` is the target tab's title, ``row`` the 1-based sheet row and ``col`` the 0-based
    column (0 = column A). Adapters build the hyperlink from these values only, never from user text
    concatenated into a formula.
    """

    text: str
    tab: str
    row: int
    col: int = 0


CellValue = None | str | int | float | date | Link


@dataclass(frozen=True)
class ColumnSpec:
    """A result column: its header and the number format of its cells (``""`` = general).

    Formats are spreadsheet patterns understood by both Excel and Google Sheets, e.g.
    ``"#,##0.00"``, ``"0.0%"``, ``"yyyy-mm-dd"``, ``"@"`` (text). ``key`` names what the column holds
    (``"amount"``, ``"attainment"``, a component identifier) whatever its header says in either language,
    so code finds a column by its key, never by its position or header text.
    """

    header: str
    number_format: str = ""
    width: int = 14  # in characters; a hint, adapters may ignore it
    key: str = ""
    hidden: bool = False  # kept in the tab (formulas and the drill-down still see it) but not shown

    @property
    def numeric(self) -> bool:
        """True when the column holds numbers (or dates): its cells and its header read right-aligned."""
        return self.number_format not in ("", "@")


@dataclass(frozen=True)
class RowKey:
    """What a result row is about, kept beside its cells so the drill-down never reads the cells back.

    ``month`` is a month index; ``manager_key`` a trimmed, case-folded name (None on a team row);
    ``component`` a statement component; ``source_tab``/``source_row`` and ``rule_row`` locate the input
    row and the Rules row behind one contribution. Adapters do not write keys.
    """

    month: int | None = None
    manager_key: str | None = None
    component: str | None = None
    source_tab: str | None = None
    source_row: int | None = None
    rule_row: int | None = None
    origin: str | None = None  # an adjustment's "YYYY-MM:component" (several per manager and month)


@dataclass(frozen=True)
class Highlight:
    """A conditional highlight over a block of cells.

    ``rows`` and ``cols`` are inclusive 1-based row and 0-based column ranges on ``tab``.
    ``when`` is one of:
      * ``"lt"``: number < values[0];  * ``"gte"``: number >= values[0];
      * ``"between"``: values[0] <= number < values[1];
      * ``"always"``: the whole block (used for rows known to need attention: issues, stuck clients).
    """

    tab: str
    rows: tuple[int, int]
    cols: tuple[int, int]
    when: Literal["lt", "gte", "between", "always"]
    color: str
    values: tuple[float, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart on a result tab: one category column and one or more value series from that tab.

    ``rows`` is the inclusive 1-based data row range without the header row: the row just above
    ``rows[0]`` holds the series names (in the value columns), and adapters show it bold like the tab
    header. Columns are 0-based. ``anchor`` is the (row, col) of the chart's top-left cell. A ``"bar"``
    chart lists its categories top to bottom in row order.
    """

    title: str
    kind: Literal["column", "bar"]
    rows: tuple[int, int]
    category_col: int
    value_cols: tuple[int, ...]
    anchor: tuple[int, int]


@dataclass
class ResultTab:
    """One result tab, rewritten whole on every run: header, rows, formats, highlights, charts."""

    key: str  # stable identifier, e.g. "summary"; the title is language-dependent
    title: str
    columns: list[ColumnSpec]
    rows: list[list[CellValue]]
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # (sheet row, col) -> note
    highlights: list[Highlight] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    frozen_rows: int = 1
    protected: bool = True  # warning-only protection: users may edit after a confirmation
    # Locked against edits where the spreadsheet can (a local file's sheet protection); Google keeps the
    # warning-only protection of every result tab (PRODUCT.md section 3a, the Closed months tab).
    locked: bool = False
    # (sheet row, col) -> number format used instead of the column's, for a few cells below the table
    cell_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    # keys[i] says what rows[i] (sheet row i + first_row) is about; None (or missing) for rows about nothing
    keys: list[RowKey | None] = field(default_factory=list)
    # A line above the header saying what the tab shows (Summary: month, as-of date, state); when set, the
    # header moves to row 2 and every sheet row the tab names (highlights, charts, notes) counts from there.
    title_line: str = ""
    # Sheet rows holding one free line of text (a definition under a table): it may run across empty cells
    # to its right instead of wrapping inside its narrow first column.
    free_rows: set[int] = field(default_factory=set)
    # Printed on one page, scaled down as needed (Summary: the owner's one-page view); other tabs print one
    # page wide and as many pages high as they need.
    one_page: bool = False

    @property
    def header_row(self) -> int:
        """The sheet row of the column headers: 1, or 2 below a title line."""
        return 2 if self.title_line else 1

    @property
    def first_row(self) -> int:
        """The sheet row of ``rows[0]``."""
        return self.header_row + 1

    def column(self, key: str) -> int:
        """The 0-based index of the column holding ``key`` (KeyError when the tab has none)."""
        for index, spec in enumerate(self.columns):
            if spec.key == key:
                return index
        raise KeyError(key)

    def key_at(self, sheet_row: int) -> RowKey | None:
        """The key of the row shown on ``sheet_row``, None when it has none (the header, a title line)."""
        index = sheet_row - self.first_row
        return self.keys[index] if 0 <= index < len(self.keys) else None


@dataclass
class Report:
    """Everything one recalculation writes: result tabs in order, and input-row highlights."""

    tabs: list[ResultTab]
    # highlights of input rows with issues; None: leave the input tabs' highlights as they are (a what-if)
    input_highlights: list[Highlight] | None = field(default_factory=list)
    # Premia's records to store (replacing every record stored before), or None to leave them as they are.
    properties: dict[str, str] | None = None

    def tab(self, key: str) -> ResultTab:
        """The result tab with this key (raises KeyError: asking for an unknown tab is a bug)."""
        for tab in self.tabs:
            if tab.key == key:
                return tab
        raise KeyError(key)


def column_letters(index: int) -> str:
    """A 0-based column index as spreadsheet letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
