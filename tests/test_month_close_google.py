"""Month close on Google Sheets through the service, end to end against the fake Sheets API.

A close is one recalculation: two reads and one atomic batchUpdate that writes the frozen tab and the
close records (spreadsheet-level developer metadata) together.
"""

from __future__ import annotations

from typing import Any

from tests.builders import HEADERS
from tests.conftest import OWNER, bearer
from tests.test_month_close import DEALS, PAYMENTS, RULES, TEAM

AS_OF = "2026-04-10"


def agency(fake: Any) -> str:
    """The two-manager agency of tests/test_month_close.py as a Google spreadsheet."""
    tabs = {"Team": TEAM, "Plans": [], "Deals": DEALS, "Payments": PAYMENTS, "Funnel": [], "Rules": RULES}
    return fake.create_spreadsheet("Agency", {title: [HEADERS[title], *rows] for title, rows in tabs.items()},
                                   owner_token=OWNER)


def post(client: Any, sheet_id: str, action: str, **body: Any) -> Any:
    """POST a month action as the add-on does."""
    return client.post(f"/v1/spreadsheets/{sheet_id}/{action}", json={"as_of": AS_OF, **body},
                       headers=bearer(OWNER))


def test_closing_is_one_read_pair_and_one_write_with_the_records(client, fake) -> None:
    sheet_id = agency(fake)
    months = client.get(f"/v1/spreadsheets/{sheet_id}/months", query_string={"as_of": AS_OF},
                        headers=bearer(OWNER)).get_json()
    assert months["suggested_close"] == "2026-01" and months["suggested_reopen"] is None
    assert [m["state"] for m in months["months"]] == ["open"] * 4
    fake.requests.clear()
    answer = post(client, sheet_id, "close", month="2026-01")
    assert answer.status_code == 200, answer.get_json()
    assert "Closed 2026-01" in answer.get_json()["message"]
    assert [r.kind for r in fake.requests if r.kind != "drive.permissions"] == ["get", "values.batchGet",
                                                                              "batchUpdate"]
    records = fake.developer_metadata(sheet_id)
    assert {m["metadataKey"] for m in records} >= {"premia:record:month.2026-01", "premia:record:history"}
    closed = fake.values(sheet_id, "'Closed months'")
    assert closed[1][:4] == ["2026-01", "Anna", "base_salary", 30000]


def test_a_later_fix_becomes_an_adjustment_and_typing_over_a_frozen_line_stops_the_run(client, fake) -> None:
    sheet_id = agency(fake)
    assert post(client, sheet_id, "close", month="2026-01").status_code == 200
    assert post(client, sheet_id, "close", month="2026-02").status_code == 200
    fake.set_cell(sheet_id, "'Deals'!E2", 120000)  # D1: 100 000 -> 120 000, signed in January
    assert post(client, sheet_id, "recalculate").status_code == 200
    statements = fake.values(sheet_id, "'Statements'")
    adjustment = [row for row in statements if row[2] == "adjustment"]
    assert adjustment == [["2026-03", "Anna", "adjustment", "adjustment", "", "", 1000, "1,000.00",
                           "2026-01 · deal_percent · was 7,500.00, now 8,500.00"]]
    assert post(client, sheet_id, "close", month="2026-02").get_json()["error"]["code"] == "month_refused"
    fake.set_cell(sheet_id, "'Closed months'!D3", 999999)
    fake.requests.clear()
    stopped = post(client, sheet_id, "recalculate")
    assert stopped.status_code == 409
    assert "The frozen lines of 2026-01" in stopped.get_json()["error"]["message"]
    assert not fake.calls("batchUpdate")


def test_reopen_and_paid_follow_the_rules(client, fake) -> None:
    sheet_id = agency(fake)
    for month in ("2026-01", "2026-02"):
        assert post(client, sheet_id, "close", month=month).status_code == 200
    assert post(client, sheet_id, "paid", month="2026-01").status_code == 200
    refused = post(client, sheet_id, "reopen", month="2026-01", reason="typo")
    assert refused.status_code == 409 and "never be re-opened" in refused.get_json()["error"]["message"]
    assert post(client, sheet_id, "reopen", month="2026-02", reason="typo").status_code == 200
    months = client.get(f"/v1/spreadsheets/{sheet_id}/months", query_string={"as_of": AS_OF},
                        headers=bearer(OWNER)).get_json()
    assert [m["state"] for m in months["months"]][:2] == ["paid", "open"]
    assert months["suggested_close"] == "2026-02" and months["suggested_reopen"] is None
