"""A raw tab handed over column by column (how the Google adapter reads it) reads exactly like the same tab
handed over row by row (the local workbook): the same rows, header, cells and the same input frames; and
Google's column answer, ragged and with "" for empty cells, becomes the tab the spreadsheet holds."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formulas.raw import RawTab, RawWorkbook
from formulas.read.tabs import find_tabs, row_has_content
from sheets_sync.google.read import raw_tab

CELLS = st.one_of(st.none(), st.text(max_size=4), st.integers(-5, 50_000), st.floats(allow_nan=False, width=32))
HEADER = ["Date", "Manager", "Client", "Stage", "Note", "Extra"]  # Funnel's columns and one of the user's


def padded_columns(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows column by column, every column as tall as the tab."""
    width = max(map(len, rows), default=0)
    return [[row[at] if at < len(row) else None for row in rows] for at in range(width)]


def google_answer(rows: list[list[Any]]) -> list[list[Any]]:
    """What ``values.batchGet`` with ``majorDimension=COLUMNS`` sends for these cells (None = empty): each
    column without its trailing empty cells (an empty column as []), trailing empty columns left out, and
    an empty cell above a filled one as ""."""
    answer = []
    for column in padded_columns(rows):
        end = max((at + 1 for at, cell in enumerate(column) if cell is not None), default=0)
        answer.append(["" if cell is None else cell for cell in column[:end]])
    while answer and not answer[-1]:
        answer.pop()
    return answer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, max_size=7), min_size=1, max_size=12))
def test_a_tab_read_by_columns_reads_as_the_same_tab_read_by_rows(body: list[list[Any]]) -> None:
    rows = [HEADER, *body]
    width = max(map(len, rows))
    by_rows = RawTab("Funnel", [[*row, *([None] * (width - len(row)))] for row in rows])
    by_columns = RawTab("Funnel", columns=padded_columns(rows))
    assert by_columns.values == by_rows.values and by_columns == by_rows
    assert by_columns.header() == by_rows.header() == [*HEADER, *([None] * (width - len(HEADER)))]
    assert by_columns.height() == by_rows.height() == len(rows)
    for index in range(len(rows) + 1):
        assert by_columns.row(index) == by_rows.row(index)  # [] past the last row
        if 0 < index < len(rows):
            assert row_has_content(by_columns, index + 1) == row_has_content(by_rows, index + 1)
    assert [list(c) for c in by_columns.body_columns()] == [list(c) for c in by_rows.body_columns()]
    frames = [find_tabs(RawWorkbook([tab]))[0]["funnel"].frame for tab in (by_rows, by_columns)]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert frames[1].index.tolist() == list(range(2, len(rows) + 1))


def test_short_columns_are_padded_and_an_empty_column_keeps_its_place() -> None:
    # Client's column is empty from top to bottom: Google answers it as [], and Stage stays the 4th column
    tab = RawTab("Funnel", columns=[["Date", 46086, 46087], ["Manager", "Anna"], [], ["Stage", 2, 3]])
    assert tab.header() == ["Date", "Manager", None, "Stage"]
    assert tab.values == [["Date", "Manager", None, "Stage"], [46086, "Anna", None, 2], [46087, None, None, 3]]
    assert [list(c) for c in tab.body_columns()] == [[46086, 46087], ["Anna", None], [None, None], [2, 3]]
    assert tab.row(5) == [] and RawTab("Empty", columns=[]).values == []


def test_a_tab_is_given_by_rows_or_by_columns_not_both() -> None:
    try:
        RawTab("Deals", [["Date"]], columns=[["Date"]])
    except ValueError as refused:
        assert "not both" in str(refused)
    else:
        raise AssertionError("both forms accepted")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.none(), st.none(), CELLS), max_size=6), max_size=8))
def test_googles_column_answer_becomes_the_tab_as_the_spreadsheet_holds_it(grid: list[list[Any]]) -> None:
    """raw_tab pads Google's ragged columns back and reads "" as an empty cell: the tab holds the grid's cells
    up to its last filled row and column, every row as wide as that, an empty cell None."""
    grid = [[None if cell == "" else cell for cell in row] for row in grid]  # a cell cannot hold empty text
    answer = google_answer(grid)
    tab = raw_tab("Deals", answer, {})
    height = max(map(len, answer), default=0)
    expected = [[row[at] if at < len(row) else None for at in range(len(answer))] for row in grid[:height]]
    assert tab.values == expected and tab.height() == height
    assert tab == RawTab("Deals", expected)
