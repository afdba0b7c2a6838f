"""``entrypoints.dates.parse_as_of``: the one rule for an as-of date, shared by the routes and the CLI."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.dates import EARLIEST, LATEST, parse_as_of


@pytest.mark.parametrize("text", [None, "", "   "])
def test_blank_means_today_in_the_spreadsheets_time_zone(text) -> None:
    assert parse_as_of(text) is None


@pytest.mark.parametrize(("text", "day"), [("2026-03-31", date(2026, 3, 31)), (" 2026-11-23\n", date(2026, 11, 23)),
                                           ("2000-01-01", EARLIEST), ("2100-12-31", LATEST),
                                           ("2024-02-29", date(2024, 2, 29))])
def test_a_date_in_the_window_is_read(text, day) -> None:
    assert parse_as_of(text) == day


@pytest.mark.parametrize("text", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31",  # outside the window
                                  "2026-02-30", "2026-13-01", "yesterday", "31.03.2026", "2026/03/31",
                                  "20260331", "2026-W13-2", "2026-03-31T00:00", "٢٠٢٦-٠٣-٣١", "2026-3-31"])
def test_anything_else_is_refused_naming_the_window_and_not_the_text(text) -> None:
    with pytest.raises(ValueError) as refused:
        parse_as_of(text)
    message = str(refused.value)
    assert "2026-03-31" in message and "between 2000-01-01 and 2100-12-31" in message
    assert text not in message


@given(st.dates())
def test_every_date_is_read_exactly_when_it_is_in_the_window(day) -> None:
    if EARLIEST <= day <= LATEST:
        assert parse_as_of(day.isoformat()) == day
    else:
        with pytest.raises(ValueError):
            parse_as_of(day.isoformat())


@given(st.text(max_size=40))
def test_any_text_is_a_date_none_or_a_plain_value_error(text) -> None:
    try:
        day = parse_as_of(text)
    except ValueError as refused:
        assert "between 2000-01-01 and 2100-12-31" in str(refused)
    else:
        assert day is None or EARLIEST <= day <= LATEST
