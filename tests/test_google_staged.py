"""Google at every size (PRODUCT.md section 7), end to end through the fake Sheets API with its limits.

The request size limit is forced small so the demo needs a staged write: hidden staging tabs written in
several requests, then one small request that swaps them in. The visible spreadsheet is never half
written: before the swap it is the old one, after it the same as a one-request write.
"""

from __future__ import annotations

from typing import Any

import pytest

from entrypoints.jobs import recalculate_spreadsheet
from sheets_sync.google import GoogleSpreadsheet, connect
from sheets_sync.google.budget import CellBudgetExceeded
from sheets_sync.google.http import SheetsRequestError
from tests.conftest import AS_OF, OWNER, seed_demo

SMALL = 150_000  # bytes per request body: the demo's write needs several


def sheet_for(fake: Any, clients: list[Any], sid: str, **limits: int) -> GoogleSpreadsheet:
    """The demo spreadsheet through a real gspread client."""
    client = connect(OWNER)
    clients.append(client)
    return GoogleSpreadsheet(client, sid, **limits)


def visible(fake: Any, sid: str) -> list[tuple[str, list[list[Any]]]]:
    """Every visible tab's title and values, in order: what a user sees."""
    return [(info.title, fake.values(sid, f"'{info.title}'")) for info in fake.sheet_list(sid) if not info.hidden]


def test_a_write_over_the_limit_is_staged_and_ends_as_a_one_request_write_would(fake, clients) -> None:
    whole, staged = seed_demo(fake), seed_demo(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, whole), AS_OF)
    fake.requests.clear()
    recalculate_spreadsheet(sheet_for(fake, clients, staged, body_limit=SMALL), AS_OF)
    writes = fake.calls("batchUpdate")
    assert len(writes) >= 3 and all(0 < request.size <= SMALL for request in writes)
    assert [r.kind for r in fake.requests if r.kind != "batchUpdate"] == ["get", "values.batchGet"]
    assert visible(fake, staged) == visible(fake, whole)
    assert not any(info.hidden for info in fake.sheet_list(staged))
    assert fake.developer_metadata(staged, metadataKey="premia:staging") == []
    # a second staged run replaces the tabs again, in place
    recalculate_spreadsheet(sheet_for(fake, clients, staged, body_limit=SMALL), AS_OF)
    assert visible(fake, staged) == visible(fake, whole)


def test_a_failure_in_the_middle_leaves_the_visible_spreadsheet_and_removes_the_staging(fake, clients) -> None:
    sid = seed_demo(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid), AS_OF)
    before = visible(fake, sid)
    fake.fail_batch_update(n=2, status=400, message="Invalid requests[0]: injected")
    with pytest.raises(SheetsRequestError, match="injected"):
        recalculate_spreadsheet(sheet_for(fake, clients, sid, body_limit=SMALL), AS_OF)
    assert visible(fake, sid) == before
    assert [info for info in fake.sheet_list(sid) if info.hidden] == []  # the staging tabs were removed


def test_the_next_run_removes_what_a_killed_staged_write_left(fake, clients) -> None:
    sid = seed_demo(fake)
    before = visible(fake, sid)
    sheet = sheet_for(fake, clients, sid, body_limit=SMALL)
    # the swap fails and so does the clean-up after it: as if the process had been killed between them
    fake.fail_batch_update(n=_staging_bodies(sheet), status=400, message="swap refused", times=2)
    with pytest.raises(SheetsRequestError, match="swap refused"):
        recalculate_spreadsheet(sheet, AS_OF)
    assert visible(fake, sid) == before
    assert any(info.hidden for info in fake.sheet_list(sid))  # left behind, hidden
    recalculate_spreadsheet(sheet_for(fake, clients, sid), AS_OF)  # an ordinary run
    assert not any(info.hidden for info in fake.sheet_list(sid))
    assert fake.developer_metadata(sid, metadataKey="premia:staging") == []


def _staging_bodies(sheet: GoogleSpreadsheet) -> int:
    """How many requests the staged write of the demo takes (the swap is the last one)."""
    from sheets_sync.google.staged import staged_plan

    outcome = recalculate_spreadsheet(sheet, AS_OF, write=False)
    return len(staged_plan(sheet._meta, outcome.report, "count", sheet.body_limit).bodies)  # type: ignore[arg-type]


def test_results_over_the_cell_limit_write_nothing_and_say_which_tabs_are_largest(fake, clients) -> None:
    sid = seed_demo(fake)
    fake.set_grid_size(sid, "Deals", rows=99_000, columns=10)
    before = fake.snapshot(sid)
    fake.requests.clear()
    with pytest.raises(CellBudgetExceeded) as refused:
        recalculate_spreadsheet(sheet_for(fake, clients, sid, cell_limit=1_000_000), AS_OF)
    message = str(refused.value)
    assert "Google allows 1 000 000" in message and "over" in message and "Deals: 990 000" in message
    assert fake.calls("batchUpdate") == [] and fake.snapshot(sid) == before


def test_the_fake_refuses_what_google_refuses(fake, clients) -> None:
    sid = seed_demo(fake)
    fake.body_limit = 100_000
    with pytest.raises(SheetsRequestError, match="Request payload size exceeds the limit: 100000 bytes"):
        recalculate_spreadsheet(sheet_for(fake, clients, sid, body_limit=10**9), AS_OF)
    recalculate_spreadsheet(sheet_for(fake, clients, sid, body_limit=90_000), AS_OF)  # staged: fits


def test_the_service_answers_409_over_the_cell_limit(client, fake) -> None:
    sid = seed_demo(fake)
    fake.set_grid_size(sid, "Deals", rows=1_000_000, columns=10)
    answer = client.post(f"/v1/spreadsheets/{sid}/recalculate", json={"as_of": AS_OF.isoformat()},
                         headers={"Authorization": f"Bearer {OWNER}"})
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "too_many_cells"
    assert "Deals: 10 000 000" in answer.get_json()["error"]["message"]
