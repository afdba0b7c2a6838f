"""Golden-data tests: the fake against real Google traffic recorded by gspread's own test suite.

Every cassette in /work/shared/reference/gspread-cassettes is replayed request by request against a
fresh fake (Drive's "create file" becomes `fake.create_spreadsheet` with the recorded id); each response
must have the recorded status and the same structure (same keys recursively, same JSON types; ids,
titles and numbers may differ). Ids Google assigned (sheetId, protectedRangeId) are mapped to the
fake's as replies come back. Separately, every recorded request body and query must pass (or, for the
bodies Google rejected as malformed, fail) the fake's discovery-document validation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests

from tests.fake_sheets import FakeSheets
from tests.fake_sheets.params import validate_query
from tests.fake_sheets.schema import validate_body

CASSETTES = Path("/work/shared/reference/gspread-cassettes")
TOKEN = "cassette-token"

# Cassettes that need what the fake does not implement; the last test proves each really hits a 501.
UNSUPPORTED = {
    "CellTest.test_define_named_range": "addNamedRange",
    "CellTest.test_delete_named_range": "addNamedRange",
    "CellTest.test_update_named_range": "addNamedRange",
    "ClientTest.test_import_csv": "Drive import renames the first sheet",
    "WorksheetTest.test_append_row": "values.append",
    "WorksheetTest.test_append_row_with_empty_value": "values.append",
    "WorksheetTest.test_append_row_with_empty_value_and_table_range": "values.append",
    "WorksheetTest.test_basic_filters": "setBasicFilter",
    "WorksheetTest.test_batch_clear": "values.batchClear",
    "WorksheetTest.test_copy_cut_range": "copyPaste",
    "WorksheetTest.test_delete_row": "values.append",
    "WorksheetTest.test_get_values_merge_cells_with_named_range": "addNamedRange",
    "WorksheetTest.test_group_columns": "addDimensionGroup",
    "WorksheetTest.test_group_rows": "addDimensionGroup",
    "WorksheetTest.test_insert_cols": "values.append",
    "WorksheetTest.test_insert_row": "values.append",
    "WorksheetTest.test_sort": "sortRange",
}
ALL = sorted(p.stem for p in CASSETTES.glob("*.json"))
SUPPORTED = [name for name in ALL if name not in UNSUPPORTED]


def interactions(name: str) -> list[dict[str, Any]]:
    """The recorded interactions of one cassette."""
    return json.loads((CASSETTES / f"{name}.json").read_text(encoding="utf-8"))["interactions"]


def structure_diff(want: Any, got: Any, path: str = "$") -> str | None:
    """Where two JSON values differ in structure (keys, list lengths, types), or None."""
    if isinstance(want, dict) and isinstance(got, dict):
        if set(want) != set(got):
            return f"{path}: keys differ {sorted(set(want) ^ set(got))}"
        return next((d for k in want if (d := structure_diff(want[k], got[k], f"{path}.{k}"))), None)
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return f"{path}: length {len(want)} != {len(got)}"
        return next(
            (
                d
                for i, (w, g) in enumerate(zip(want, got, strict=True))
                if (d := structure_diff(w, g, f"{path}[{i}]"))
            ),
            None,
        )
    numbers = (int, float)
    if (
        isinstance(want, numbers)
        and isinstance(got, numbers)
        and not isinstance(want, bool)
        and not isinstance(got, bool)
    ):
        return None  # Google's 1 and the fake's 1.0 are the same JSON number type
    return None if type(want) is type(got) else f"{path}: {want!r} vs {got!r}"


def _learn_ids(recorded: Any, ours: Any, ids: dict[int, int]) -> None:
    """Map ids Google assigned in a reply to the ones the fake assigned at the same place."""
    if isinstance(recorded, dict) and isinstance(ours, dict):
        for key in recorded.keys() & ours.keys():
            if key.endswith("Id") and isinstance(recorded[key], int) and isinstance(ours[key], int):
                ids[recorded[key]] = ours[key]
            else:
                _learn_ids(recorded[key], ours[key], ids)
    elif isinstance(recorded, list) and isinstance(ours, list):
        for a, b in zip(recorded, ours, strict=False):
            _learn_ids(a, b, ids)


def _remap(value: Any, ids: dict[int, int]) -> Any:
    """Replace recorded ids in a request body by the fake's."""
    if isinstance(value, dict):
        return {
            k: ids.get(v, v) if k.endswith("Id") and isinstance(v, int) else _remap(v, ids)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_remap(v, ids) for v in value]
    return value


def sheets_calls(name: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(request, response) pairs of a cassette that went to the Sheets API."""
    for item in interactions(name):
        if urlsplit(item["request"]["uri"]).netloc == "sheets.googleapis.com":
            yield item["request"], item["response"]


def replay(name: str, fake: FakeSheets) -> str | None:
    """Replay one cassette; return the first mismatch (None when everything matched)."""
    fake.add_token(TOKEN)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    ids: dict[int, int] = {}
    for number, item in enumerate(interactions(name)):
        request, response = item["request"], item["response"]
        url, code = urlsplit(request["uri"]), response["status"]["code"]
        if url.netloc != "sheets.googleapis.com":
            # Drive creates (and copies) spreadsheets; the fake is seeded with the same id instead.
            if request["method"] == "POST" and (url.path == "/drive/v3/files" or url.path.endswith("/copy")):
                created = json.loads(response["body"]["string"])
                fake.create_spreadsheet(created["name"], owner_token=TOKEN, spreadsheet_id=created["id"])
            continue
        sid = url.path.split("/")[3].split(":")[0]
        if code == 403:  # the recorded caller had no access to someone else's spreadsheet
            fake.create_spreadsheet("private", owner_token="someone-else", spreadsheet_id=sid)
        elif code != 404 and sid not in fake.spreadsheet_ids():  # made by an earlier run, found via Drive
            fake.create_spreadsheet("earlier", owner_token=TOKEN, spreadsheet_id=sid)
        body = json.dumps(_remap(json.loads(request["body"]), ids)) if request["body"] else None
        got = session.request(
            request["method"],
            fake.url.rstrip("/") + url.path + ("?" + url.query if url.query else ""),
            data=body,
            headers={"Content-Type": "application/json"} if body else {},
            timeout=10,
        )
        want = json.loads(response["body"]["string"])
        where = f"#{number} {request['method']} {unquote(url.path)}?{unquote(url.query)}"
        if got.status_code != code:
            return f"{where}: status {got.status_code} != {code}: {got.text[:300]}"
        _learn_ids(want, got.json(), ids)
        diff = structure_diff(want, got.json())
        if diff:
            return f"{where}: {diff}"
    return None


@pytest.mark.parametrize("name", SUPPORTED)
def test_replayed_cassette_matches_recorded_structure(name: str) -> None:
    malformed = sum("fieldViolations" in r["body"]["string"] for _, r in sheets_calls(name))
    with FakeSheets() as fake:
        assert replay(name, fake) is None
        # Only the bodies Google itself rejected as malformed may be schema violations.
        assert len(fake.schema_violations) == malformed


def test_most_cassettes_are_supported() -> None:
    assert len(ALL) == 124
    assert len(SUPPORTED) >= 107


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_cassettes_fail_only_on_unimplemented_features(name: str) -> None:
    with FakeSheets() as fake:
        mismatch = replay(name, fake)
    assert mismatch is not None
    # Either the fake answers 501 for the missing feature, or (Drive import) a tab it never saw.
    assert "status 501" in mismatch or ("status 400" in mismatch and "Unable to parse range" in mismatch)


def _kind(method: str, path: str) -> str:
    """The method kind of a recorded Sheets request, from its path."""
    if path.endswith(":batchUpdate"):
        return "values.batchUpdate" if "/values:" in path else "batchUpdate"
    for suffix, kind in (
        (":append", "values.append"),
        (":clear", "values.clear"),
        ("values:batchClear", "values.batchClear"),
        ("values:batchGet", "values.batchGet"),
    ):
        if path.endswith(suffix):
            return kind
    if "/values/" in path:
        return "values.update" if method == "PUT" else "values.get"
    return "get"


BODY_SCHEMAS = {
    "batchUpdate": ("BatchUpdateSpreadsheetRequest", ""),
    "values.update": ("ValueRange", "data"),
    "values.append": ("ValueRange", "data"),
    "values.batchUpdate": ("BatchUpdateValuesRequest", ""),
    "values.batchClear": ("BatchClearValuesRequest", ""),
    "values.clear": ("ClearValuesRequest", ""),
}


def test_every_recorded_body_passes_validation_unless_google_rejected_its_shape() -> None:
    checked = rejected = 0
    for name in ALL:
        for request, response in sheets_calls(name):
            kind = _kind(request["method"], urlsplit(request["uri"]).path)
            if kind not in BODY_SCHEMAS:
                continue
            schema, prefix = BODY_SCHEMAS[kind]
            problems = validate_body(schema, json.loads(request["body"] or "{}"), prefix)
            google_rejected_shape = "fieldViolations" in response["body"]["string"]
            assert bool(problems) == google_rejected_shape, (name, request["body"][:300], problems)
            checked += 1
            rejected += google_rejected_shape
    assert checked > 500 and rejected == 3


def test_rejected_body_gets_googles_exact_message() -> None:
    problems = validate_body("ValueRange", {"values": "X", "majorDimension": None}, "data")
    assert problems[0][0] == "data.values"
    assert problems[0][1].startswith("Invalid value at 'data.values'")


def test_every_recorded_query_passes_parameter_validation() -> None:
    checked = 0
    for name in ALL:
        for request, _ in sheets_calls(name):
            url = urlsplit(request["uri"])
            problems = validate_query(
                _kind(request["method"], url.path), parse_qs(url.query, keep_blank_values=True)
            )
            assert problems == [], (name, request["uri"])
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    "name", ["ClientTest.test_access_non_existing_spreadsheet", "ClientTest.test_access_private_spreadsheet"]
)
def test_error_bodies_are_byte_for_byte_googles(name: str) -> None:
    request, response = next((q, r) for q, r in sheets_calls(name) if r["status"]["code"] >= 400)
    url = urlsplit(request["uri"])
    with FakeSheets() as fake:
        fake.add_token(TOKEN)
        if response["status"]["code"] == 403:
            fake.create_spreadsheet(
                "private", owner_token="someone-else", spreadsheet_id=url.path.split("/")[3]
            )
        got = requests.get(
            fake.url.rstrip("/") + url.path + "?" + url.query,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
    assert got.status_code == response["status"]["code"]
    assert got.json() == json.loads(response["body"]["string"])
