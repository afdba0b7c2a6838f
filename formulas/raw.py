"""What an adapter hands to the core: tabs of raw cell values, with the number formats that matter.

Values are exactly what the spreadsheet holds: ``None`` for an empty cell, ``str``, ``int``/``float``
(Google returns dates as serial numbers), ``bool``, or ``datetime``/``date`` (local workbooks).
Rows are kept in sheet order; ``values[0]`` is the header row, so the sheet row of ``values[i]`` is
``i + 1``. Formats are sparse: only cells whose number format is not the default are listed, because
the core only needs to know which cells are percent-formatted (a cell showing 5 % holds 0.05).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np


class RawTab:
    """One tab as read: its title, its cells and its non-default number formats.

    An adapter hands the cells over row by row (``values``, the header row first) or, when it reads
    them that way, column by column (``columns=``: each list from the header cell down, as Google's
    ``majorDimension=COLUMNS`` answers; a column shorter than the tab reads as padded with None). The
    core reads them through :meth:`header`, :meth:`body_columns` and :meth:`row`, which do not care
    which; ``values`` gives rows either way. A tab is never changed once built (its attributes are
    read-only; nothing may edit the lists it was given).
    """

    __slots__ = ("_columns", "_rows", "formats", "title")

    def __init__(self, title: str, values: list[list[Any]] | None = None,
                 formats: dict[tuple[int, int], str] | None = None, *,
                 columns: list[list[Any]] | None = None) -> None:
        if values is not None and columns is not None:
            raise ValueError("a tab's cells are given row by row or column by column, not both")
        set_once = super().__setattr__
        set_once("title", title)
        # (row index into ``values``, column index) -> number format pattern, e.g. "0.00%".
        set_once("formats", {} if formats is None else formats)
        set_once("_rows", None if columns is not None else (values or []))
        set_once("_columns", columns)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a raw tab is never changed once built (tried to set {name})")

    title: str
    formats: dict[tuple[int, int], str]
    _rows: list[list[Any]] | None
    _columns: list[list[Any]] | None

    @property
    def values(self) -> list[list[Any]]:
        """The cells row by row, header first (laid out once from the columns when read that way)."""
        if self._rows is None:
            super().__setattr__("_rows", [self.row(index) for index in range(self.height())])
        return self._rows

    def header(self) -> list[Any]:
        """The first row's cells."""
        if self._columns is not None:
            return [column[0] if column else None for column in self._columns]
        return list(self._rows[0]) if self._rows else []

    def height(self) -> int:
        """Rows, the header included."""
        if self._columns is not None:
            return max(map(len, self._columns), default=0)
        return len(self._rows)

    def row(self, index: int) -> list[Any]:
        """The cells of ``values[index]`` ([] past the last row)."""
        if self._columns is not None:
            if index >= self.height():
                return []
            return [column[index] if index < len(column) else None for column in self._columns]
        return list(self._rows[index]) if index < len(self._rows) else []

    def body_columns(self) -> list[np.ndarray]:
        """The cells below the header column by column, one object array per column, each as long as the
        body (short rows and columns padded with None: spreadsheets omit trailing empty cells)."""
        if self._columns is not None:
            height = self.height()
            return [_body_of(column, height) for column in self._columns]
        body = self._rows[1:]
        if not body:
            return []
        grid = _grid(body)
        return [grid[:, at] for at in range(grid.shape[1])]

    def is_percent(self, row: int, col: int) -> bool:
        """True when the cell at ``values[row][col]`` is shown as a percentage."""
        return "%" in self.formats.get((row, col), "")

    def __eq__(self, other: object) -> bool:
        """Equal titles, formats and rows (row by row as :meth:`row` gives them, nothing cached)."""
        if not isinstance(other, RawTab):
            return NotImplemented
        return (self.title == other.title and self.formats == other.formats and self.height() == other.height()
                and all(self.row(index) == other.row(index) for index in range(self.height())))

    __hash__ = None  # type: ignore[assignment]  # unhashable, as the frozen dataclass of lists it replaced

    def __repr__(self) -> str:
        return f"RawTab({self.title!r}, {self.height()} rows, {len(self.formats)} formats)"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled and copied through the constructor (its attributes cannot be set one by one)."""
        if self._columns is not None:
            return _tab_of_columns, (self.title, self._columns, self.formats)
        return RawTab, (self.title, self._rows, self.formats)


def _tab_of_columns(title: str, columns: list[list[Any]], formats: dict[tuple[int, int], str]) -> RawTab:
    """A tab given column by column (how a pickled one is rebuilt)."""
    return RawTab(title, formats=formats, columns=columns)


def _body_of(column: list[Any], height: int) -> np.ndarray:
    """A column's cells below the header, then None down to ``height``; the list is copied in one C pass
    (a generator over a million cells costs ten times as much)."""
    body = np.fromiter(column, dtype=object, count=len(column))[1:]
    missing = height - 1 - len(body)
    return np.concatenate((body, np.full(missing, None, dtype=object))) if missing > 0 else body


def _grid(body: list[list[Any]]) -> np.ndarray:
    """The rows as a 2-D object array, built in one C pass when they are rectangular lists of scalars
    (how both adapters hand them over); otherwise padded first and filled column by column, so a cell
    holding a list stays one cell."""
    try:
        grid = np.array(body, dtype=object)
    except ValueError:  # rows of scalars and sequences mixed: fall back to the cell-by-cell layout
        grid = None
    if grid is not None and grid.ndim == 2:
        return grid
    width = max(map(len, body))
    rows = [row if len(row) == width else [*row, *([None] * (width - len(row)))] for row in body]
    grid = np.empty((len(rows), width), dtype=object)
    for at in range(width):
        grid[:, at] = np.fromiter(map(itemgetter(at), rows), dtype=object, count=len(rows))
    return grid


@dataclass(frozen=True)
class RawWorkbook:
    """All tabs of a spreadsheet, in the order the spreadsheet lists them."""

    tabs: list[RawTab]
    # Every tab title of the spreadsheet in order, the tabs not read included (adapters read only input
    # tabs); a missing input tab's issue names the closest of them. Empty: the titles of ``tabs``.
    all_titles: tuple[str, ...] = ()
    # The spreadsheet's own time zone (an IANA name such as "Europe/Moscow"), "" when it has none (a
    # local file: the machine's). Only the edge reads the clock; it uses this to know what "today" is.
    time_zone: str = ""
    # Premia's own records (month close), stored where users do not type: Google developer metadata, a
    # hidden tab of a local file. Keys and values are plain text; the adapter only stores them.
    properties: dict[str, str] = field(default_factory=dict)
    # Premia's own result tabs that a run needs back (by result key, see report.model.READ_BACK), as read.
    own_tabs: dict[str, RawTab] = field(default_factory=dict)

    def titles(self) -> list[str]:
        """The titles of the tabs read, in spreadsheet order."""
        return [tab.title for tab in self.tabs]

    def every_title(self) -> list[str]:
        """Every tab title of the spreadsheet, read or not."""
        return list(self.all_titles) or self.titles()
