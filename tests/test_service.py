"""The service end to end: Flask routes -> Google adapter -> gspread -> real HTTP -> the fake Sheets API."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import AS_OF, OWNER, bearer, seed_demo

RECALC = "/v1/spreadsheets/{}/recalculate"


def _kinds(fake) -> list[str]:
    return [r.kind for r in fake.requests]


def test_healthz(client) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_recalculate_makes_three_calls_and_reports(client, fake) -> None:
    sheet_id = seed_demo(fake)
    fake.reset_log()
    answer = client.post(RECALC.format(sheet_id), json={"as_of": AS_OF.isoformat()}, headers=bearer(OWNER))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["ok"] is True and body["issues"] == 7 and body["report_month"] == "2026-11"
    assert _kinds(fake) == ["get", "values.batchGet", "batchUpdate"]
    titles = [s.properties["title"] for s in fake.spreadsheet(sheet_id).sheets]
    for result in ("Summary", "Statements", "Explain", "Leaderboard", "Funnel report", "Signals", "Input issues"):
        assert result in titles


def test_second_run_rewrites_in_place_with_three_calls(client, fake) -> None:
    sheet_id = seed_demo(fake)
    for _ in range(2):
        fake.reset_log()
        answer = client.post(RECALC.format(sheet_id), json={"as_of": "2026-11-23"}, headers=bearer(OWNER))
        assert answer.status_code == 200, answer.get_json()
        assert _kinds(fake) == ["get", "values.batchGet", "batchUpdate"]
    titles = [s.properties["title"] for s in fake.spreadsheet(sheet_id).sheets]
    assert titles.count("Summary") == 1


def test_empty_body_is_accepted(client, fake) -> None:
    sheet_id = seed_demo(fake)
    answer = client.post(RECALC.format(sheet_id), headers=bearer(OWNER))
    assert answer.status_code == 200, answer.get_json()


def test_missing_token_is_401_and_nothing_is_called(client, fake) -> None:
    sheet_id = seed_demo(fake)
    fake.reset_log()
    answer = client.post(RECALC.format(sheet_id))
    assert answer.status_code == 401
    assert answer.get_json()["ok"] is False
    assert fake.requests == []


def test_token_without_access_gets_a_clear_403_and_nothing_changes(client, fake) -> None:
    sheet_id = seed_demo(fake)
    fake.add_token("stranger")
    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    answer = client.post(RECALC.format(sheet_id), headers=bearer("stranger"))
    assert answer.status_code == 403
    assert "share" in answer.get_json()["error"]["message"]
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before


def test_reader_cannot_write(client, fake) -> None:
    sheet_id = seed_demo(fake, readers=["reader"])
    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    answer = client.post(RECALC.format(sheet_id), headers=bearer("reader"))
    assert answer.status_code == 403
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before


def test_unknown_spreadsheet_is_404(client, fake) -> None:
    fake.add_token(OWNER)
    answer = client.post(RECALC.format("NoSuchSpreadsheet123"), headers=bearer(OWNER))
    assert answer.status_code == 404


def test_bad_as_of_and_bad_id_are_400(client, fake) -> None:
    sheet_id = seed_demo(fake)
    assert client.post(RECALC.format(sheet_id), json={"as_of": "yesterday"}, headers=bearer(OWNER)).status_code == 400
    assert client.post(RECALC.format("bad id!"), headers=bearer(OWNER)).status_code in (400, 404)
    assert client.post(RECALC.format(sheet_id), data="[1, 2", headers={**bearer(OWNER), "Content-Type":
                                                                     "application/json"}).status_code == 400


def test_oversized_body_is_413(client, fake) -> None:
    sheet_id = seed_demo(fake)
    answer = client.post(RECALC.format(sheet_id), data=b"{" + b" " * 200_000 + b"}",
                         headers={**bearer(OWNER), "Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.get_json()["ok"] is False


def test_three_503s_then_success(client, fake, monkeypatch) -> None:
    monkeypatch.setattr("sheets_sync.google.http.time.sleep", lambda _seconds: None)
    sheet_id = seed_demo(fake)
    fake.inject([503, 503, 503])
    answer = client.post(RECALC.format(sheet_id), json={"as_of": "2026-11-23"}, headers=bearer(OWNER))
    assert answer.status_code == 200, answer.get_json()


def test_retries_run_out_and_the_spreadsheet_is_unchanged(client, fake, monkeypatch) -> None:
    monkeypatch.setattr("sheets_sync.google.http.time.sleep", lambda _seconds: None)
    sheet_id = seed_demo(fake)
    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    fake.inject([503] * 20)
    answer = client.post(RECALC.format(sheet_id), json={"as_of": "2026-11-23"}, headers=bearer(OWNER))
    assert answer.status_code == 503
    assert "try again" in answer.get_json()["error"]["message"]
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before


def test_rate_limit_per_caller(fake) -> None:
    from service import create_app

    app = create_app({"TESTING": True, "RATE_LIMIT": 2})
    web = app.test_client()
    sheet_id = seed_demo(fake)
    statuses = [web.post(RECALC.format(sheet_id), json={"as_of": "2026-11-23"}, headers=bearer(OWNER)).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_logs_never_contain_the_token(client, fake, caplog) -> None:
    sheet_id = seed_demo(fake)
    secret = "ya29.super-secret-token"
    fake.share(sheet_id, secret)
    with caplog.at_level("DEBUG"):
        client.post(RECALC.format(sheet_id), json={"as_of": "2026-11-23"}, headers=bearer(secret))
    assert secret not in caplog.text


def test_a_deeply_nested_body_is_400(client, fake) -> None:
    sheet_id = seed_demo(fake)
    fake.reset_log()
    answer = client.post(RECALC.format(sheet_id), data="[" * 30_000 + "]" * 30_000,
                         headers={**bearer(OWNER), "Content-Type": "application/json"})
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["error"]["code"] == "bad_request"
    assert fake.requests == []


@pytest.mark.parametrize("as_of", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31", "2026-02-30",
                                   "20261123", "2026-W47-1", 20261123, ["2026-11-23"], {"y": 2026}, True])
def test_an_as_of_outside_the_window_is_400_before_any_call(client, fake, as_of) -> None:
    sheet_id = seed_demo(fake)
    fake.reset_log()
    answer = client.post(RECALC.format(sheet_id), json={"as_of": as_of}, headers=bearer(OWNER))
    assert answer.status_code == 400, answer.get_json()
    assert "between 2000-01-01 and 2100-12-31" in answer.get_json()["error"]["message"]
    assert fake.requests == []  # refused before Google is asked anything, so nothing is overwritten


def test_the_explain_route_refuses_the_same_dates(client, fake) -> None:
    sheet_id = seed_demo(fake)
    fake.reset_log()
    answer = client.get(f"/v1/spreadsheets/{sheet_id}/explain", headers=bearer(OWNER),
                        query_string={"sheet": "Summary", "cell": "B2", "as_of": "9999-12-31"})
    assert answer.status_code == 400 and "2100-12-31" in answer.get_json()["error"]["message"]
    assert fake.requests == []


def test_the_window_edges_are_accepted(client, fake) -> None:
    sheet_id = fake.create_spreadsheet("Tiny", {"Team": [["Manager", "Role", "Base salary"], ["Anna", "sales", 1]]},
                                       owner_token=OWNER)
    for as_of in ("2000-01-01", "2100-12-31"):
        answer = client.post(RECALC.format(sheet_id), json={"as_of": as_of}, headers=bearer(OWNER))
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["report_month"] == as_of[:7]


def test_a_slow_google_ends_the_run_within_its_budget(fake) -> None:
    """Real time, through the fake: every call takes 0.8 s, a run may take 0.3 s; the answer is a 503
    in about 0.3 s, and nothing was written."""
    from service import create_app

    web = create_app({"TESTING": True, "RUN_BUDGET": 0.3}).test_client()
    sheet_id = seed_demo(fake)
    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    fake.reset_log()
    fake.latency = 0.8
    started = time.monotonic()
    answer = web.post(RECALC.format(sheet_id), json={"as_of": "2026-11-23"}, headers=bearer(OWNER))
    elapsed = time.monotonic() - started
    assert answer.status_code == 503, answer.get_json()
    assert "0.3 s" in answer.get_json()["error"]["message"]
    assert 0.25 < elapsed < 0.8
    while not fake.requests:  # let the fake finish the abandoned read inside this test
        time.sleep(0.05)
    fake.latency = 0.0
    assert [r.kind for r in fake.requests] == ["get"]
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before


def test_a_bad_run_budget_stops_the_service_at_start() -> None:
    from service import create_app

    for budget in (0, -1, "soon", None, True):
        with pytest.raises(ValueError, match="PREMIA_RUN_BUDGET"):
            create_app({"TESTING": True, "RUN_BUDGET": budget})


@pytest.mark.parametrize("path", ["/v1/spreadsheets//recalculate", "/v1/spreadsheets/0%2F/explain?sheet=S&cell=A1",
                                  "/v1//spreadsheets/abc/setup", "/v1/spreadsheets/abcdefghijkl/recalculate/"])
def test_an_odd_path_is_a_json_404_not_an_html_redirect(client, path) -> None:
    answer = client.open(path, method="GET" if "explain" in path else "POST", headers=bearer(OWNER))
    assert answer.status_code == 404 and answer.get_json()["ok"] is False
