"""Read 1's answer is decoded only where it is used: metadata of every tab, number formats of the tabs whose
formats the core reads (Rules), and anything that is not a JSON object is Google being unavailable."""

from __future__ import annotations

import orjson
import pytest

from bench import AS_OF
from bench.generate import generate
from bench.responses import build
from bench.typed import typed
from sheets_sync.google.http import SheetsUnavailable
from sheets_sync.google.read import decode_metadata, parse_metadata


@pytest.fixture(scope="module")
def answer() -> bytes:
    """Read 1 exactly as Google answers it for the tiny agency, dates typed as dates (bench.responses)."""
    return build(typed(generate("tiny", AS_OF))).metadata


def test_only_the_grid_data_of_tabs_whose_formats_are_read_is_decoded(answer) -> None:
    full, decoded = orjson.loads(answer), decode_metadata(answer)
    assert {key: value for key, value in full.items() if key != "sheets"} == \
           {key: value for key, value in decoded.items() if key != "sheets"}
    kept = [sheet["properties"]["title"] for sheet in decoded["sheets"] if "data" in sheet]
    assert kept == ["Rules"]  # the date formats of Deals, Payments, Funnel … are never built
    for whole, part in zip(full["sheets"], decoded["sheets"], strict=True):
        assert part == (whole if "data" in part else {key: v for key, v in whole.items() if key != "data"})
    # what the adapter makes of it is what it made of the whole answer: same tabs, same percent cells
    assert parse_metadata(decoded) == parse_metadata(full)
    assert parse_metadata(decoded)[1]  # the Rules tab's percent cell is there


def test_a_tab_named_rules_that_is_a_chart_keeps_no_grid_data() -> None:
    answer = orjson.dumps({"sheets": [
        {"properties": {"sheetId": 3, "title": "Rules", "sheetType": "OBJECT"}, "data": [{"rowData": []}]}]})
    assert decode_metadata(answer) == {"sheets": [{"properties": {"sheetId": 3, "title": "Rules",
                                                                   "sheetType": "OBJECT"}}]}


ODD_ANSWERS = {
    "html": b"<!doctype html><title>Google</title>",
    "empty": b"",
    "cut": b'{"sheets":[{"properties":{"title":"Deals"',
    "a list": b'[{"sheets":[]}]',
    "nested past the parser": b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}",
}


@pytest.mark.parametrize("case", ODD_ANSWERS)
def test_an_answer_that_is_not_a_json_object_is_google_unavailable(case) -> None:
    with pytest.raises(SheetsUnavailable, match=r"Google Sheets answered with .*try again later"):
        decode_metadata(ODD_ANSWERS[case])


def test_an_answer_without_tabs_has_none_and_tabs_that_are_not_a_list_are_google_unavailable() -> None:
    assert decode_metadata(b'{"properties":{"title":"Book"}}') == {"properties": {"title": "Book"}, "sheets": []}
    for odd in (b'{"sheets":7}', b'{"sheets":null}', b'{"sheets":{"title":"Deals"}}'):
        with pytest.raises(SheetsUnavailable, match="unexpected JSON value"):
            decode_metadata(odd)


def test_numbers_and_text_decode_as_json_loads_does() -> None:
    answer = '{"properties":{"title":"Книга ₽ 😀","n":1e3,"z":-0.0,"i":12345678901234},"sheets":[]}'.encode()
    assert decode_metadata(answer) == orjson.loads(answer)
