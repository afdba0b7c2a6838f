"""The HTTP layer of the Google adapter over real HTTP on loopback, through a real gspread client.

A tiny scripted server answers each request with the next scripted step (a status, or a pause longer
than the read timeout); the retry policy gets a recording ``sleep``, so the tests run instantly and
can assert the exact back-off.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import service_account
from requests.adapters import HTTPAdapter

from sheets_sync.google.http import (
    SCOPES,
    RetryPolicy,
    SheetsAuthError,
    SheetsForbidden,
    SheetsRequestError,
    SheetsUnavailable,
    SpreadsheetNotFound,
    api_root,
    call,
    make_client,
    service_account_credentials,
    spreadsheet_url,
)
from tests.fake_sheets import RewritingSession
from tests.fake_sheets.server import LoopbackServer

OK_BODY = {"spreadsheetId": "abc", "properties": {"title": "Book", "locale": "en_US"}, "sheets": []}


class ScriptedServer:
    """Answers request n with step n: a status (int) or ("pause", seconds); then 200 forever.

    ``/token`` is an OAuth token endpoint handing out token-1, token-2, … (not scripted).
    """

    def __init__(self, steps: list[Any]) -> None:
        self.steps = list(steps)
        self.hits: list[dict[str, Any]] = []
        self.tokens = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path == "/token":
                    server.tokens += 1
                    self._reply(200, {"access_token": f"token-{server.tokens}", "expires_in": 3600,
                                      "token_type": "Bearer"})
                    return
                server.hits.append({"method": self.command, "path": self.path,
                                    "auth": self.headers.get("Authorization"), "body": body})
                step = server.steps.pop(0) if server.steps else 200
                if isinstance(step, tuple):
                    time.sleep(step[1])
                    step = 200
                payload = OK_BODY if step == 200 else {"error": {
                    "code": step, "message": f"scripted {step}", "status": "SCRIPTED"}}
                self._reply(step, payload)

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a read timeout): nobody is listening any more

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.server = LoopbackServer(Handler)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return self.server.url

    def close(self) -> None:
        """Stop serving."""
        self.server.close()


class Sleeps:
    """A recording ``sleep`` and a ``uniform`` that always picks the upper bound (the worst case)."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    @staticmethod
    def uniform(low: float, high: float) -> float:
        return high


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def policy(sleeps: Sleeps) -> RetryPolicy:
    return RetryPolicy(sleep=sleeps.sleep, uniform=sleeps.uniform, timeout=(1.0, 0.3))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer([])
    yield scripted
    scripted.close()



def client_for(clients: list[gspread.Client], credentials: Any, root: str | None,
               policy: RetryPolicy) -> gspread.Client:
    """A real gspread client through a SheetsSession, closed after the test."""
    client = make_client(credentials, root, policy)
    clients.append(client)
    return client


def get(client: gspread.Client) -> dict[str, Any]:
    return call(client, "get", spreadsheet_url("abc"), params={"fields": "sheets"})


def post(client: gspread.Client) -> dict[str, Any]:
    return call(client, "post", spreadsheet_url("abc", ":batchUpdate"), body={"requests": []})


def test_three_503s_then_success_takes_four_tries(server, clients, policy, sleeps) -> None:
    server.steps = [503, 503, 503]
    assert get(client_for(clients, "tok", server.url, policy)) == OK_BODY
    assert len(server.hits) == 4
    assert sleeps.slept == [0.5, 1.0, 2.0]  # full jitter bounds: base * 2**n


def test_six_503s_give_up_after_exactly_five_tries(server, clients, policy, sleeps) -> None:
    server.steps = [503] * 6
    with pytest.raises(SheetsUnavailable, match=r"after 5 tries \(last: HTTP 503 scripted 503\)"):
        get(client_for(clients, "tok", server.url, policy))
    assert len(server.hits) == 5
    assert sleeps.slept == [0.5, 1.0, 2.0, 4.0]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
def test_other_retryable_statuses_are_retried_on_reads(server, clients, policy, status) -> None:
    server.steps = [status]
    get(client_for(clients, "tok", server.url, policy))
    assert len(server.hits) == 2


@pytest.mark.parametrize(("status", "error"), [
    (400, SheetsRequestError), (401, SheetsAuthError), (403, SheetsForbidden), (404, SpreadsheetNotFound),
    (409, SheetsRequestError),
])
def test_client_errors_are_never_retried(server, clients, policy, sleeps, status, error) -> None:
    server.steps = [status]
    with pytest.raises(error, match=f"scripted {status}") as raised:
        post(client_for(clients, "tok", server.url, policy))
    assert raised.value.status == status and raised.value.google_message == f"scripted {status}"
    assert len(server.hits) == 1 and sleeps.slept == []


def test_gspread_api_error_never_leaks_even_from_a_plain_session(server, clients) -> None:
    server.steps = [403]
    client = gspread.Client(auth=None, session=RewritingSession(server.url, "tok"))  # type: ignore[arg-type]
    clients.append(client)
    with pytest.raises(SheetsForbidden):
        get(client)


def test_connection_refused_is_retried_then_unavailable(clients, policy, sleeps) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    client = client_for(clients, "tok", f"http://127.0.0.1:{port}/", policy)
    for attempt in (get, post):  # a write that never left is safe to repeat too
        sleeps.slept.clear()
        with pytest.raises(SheetsUnavailable, match="after 5 tries"):
            attempt(client)
        assert len(sleeps.slept) == 4


def test_a_read_timeout_is_retried_on_reads(server, clients, policy) -> None:
    server.steps = [("pause", 0.6), ("pause", 0.6)]
    assert get(client_for(clients, "tok", server.url, policy)) == OK_BODY
    assert len(server.hits) == 3


def test_a_write_whose_answer_was_lost_is_not_repeated(server, clients, policy, sleeps) -> None:
    server.steps = [("pause", 0.6)]
    with pytest.raises(SheetsUnavailable, match="all-or-nothing"):
        post(client_for(clients, "tok", server.url, policy))
    assert len(server.hits) == 1 and sleeps.slept == []


def test_writes_repeat_only_when_google_applied_nothing(server, clients, policy) -> None:
    client = client_for(clients, "tok", server.url, policy)
    server.steps = [429, 503, 500]
    post(client)
    assert len(server.hits) == 4
    server.steps = [502]  # a gateway error: the batch may have run behind it
    with pytest.raises(SheetsUnavailable, match="all-or-nothing"):
        post(client)
    assert len(server.hits) == 5


class RecordingAdapter(HTTPAdapter):
    """A real transport adapter that remembers the timeout of every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.timeouts: list[Any] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.timeouts.append(kwargs.get("timeout"))
        return super().send(request, **kwargs)


def test_every_call_carries_the_timeout(server, clients, sleeps) -> None:
    client = client_for(clients, "tok", server.url, RetryPolicy(sleep=sleeps.sleep))
    assert client.http_client.timeout == (5.0, 60.0)
    adapter = RecordingAdapter()
    client.http_client.session.mount("http://", adapter)
    server.steps = [503]
    get(client)
    post(client)
    client.http_client.set_timeout(None)  # even when gspread's own timeout is unset
    get(client)
    assert adapter.timeouts == [(5.0, 60.0)] * 4


def test_requests_go_to_the_root_from_the_environment_with_the_bearer_token(
        server, clients, policy, monkeypatch) -> None:
    monkeypatch.setenv("PREMIA_SHEETS_API_ROOT", server.url.rstrip("/"))
    get(client_for(clients, " user-token ", None, policy))
    assert server.hits[0]["path"] == "/v4/spreadsheets/abc?prettyPrint=false&fields=sheets"
    assert server.hits[0]["auth"] == "Bearer user-token"


def test_bad_roots_ids_and_tokens_fail_before_any_call(server, clients, policy) -> None:
    with pytest.raises(ValueError):
        api_root("ftp://example.com")
    with pytest.raises(SpreadsheetNotFound, match="not a spreadsheet ID"):
        spreadsheet_url("../other")
    with pytest.raises(SheetsAuthError):
        make_client("  ", server.url, policy)
    assert server.hits == []


def test_the_delay_is_capped() -> None:
    bounds: list[tuple[float, float]] = []
    policy = RetryPolicy(uniform=lambda low, high: bounds.append((low, high)) or high)
    assert [policy.delay(n) for n in (0, 1, 5, 6, 30)] == [0.5, 1.0, 16.0, 16.0, 16.0]
    assert all(low == 0.0 for low, _ in bounds)


def _key_info(token_uri: str) -> dict[str, str]:
    """A service account key with a fresh RSA key, its token endpoint on loopback."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"type": "service_account", "project_id": "p", "private_key_id": "k1", "private_key": pem,
            "client_email": "premia@p.iam.gserviceaccount.com", "client_id": "1", "token_uri": token_uri}


def test_service_account_tokens_are_fetched_and_refreshed_once_on_401(server, clients, policy) -> None:
    credentials = service_account.Credentials.from_service_account_info(
        _key_info(server.url + "token"), scopes=list(SCOPES))
    client = client_for(clients, credentials, server.url, policy)
    get(client)
    assert server.tokens == 1 and server.hits[0]["auth"] == "Bearer token-1"
    server.steps = [401]  # revoked early: refresh once and resend
    get(client)
    assert server.tokens == 2 and [h["auth"] for h in server.hits[1:]] == ["Bearer token-1", "Bearer token-2"]
    server.steps = [401, 401]  # still refused after a refresh: the user must act
    with pytest.raises(SheetsAuthError):
        get(client)


def test_service_account_key_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(_key_info("https://oauth2.googleapis.com/token")))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    credentials = service_account_credentials()
    assert credentials.service_account_email == "premia@p.iam.gserviceaccount.com"
    assert tuple(credentials.scopes) == SCOPES
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    with pytest.raises(SheetsAuthError, match=r"missing\.json"):
        service_account_credentials()
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")
    with pytest.raises(SheetsAuthError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        service_account_credentials()


class Clock:
    """A fake monotonic clock that only moves when the retry policy sleeps (or a test moves it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def budgeted(clock: Clock, budget: float, timeout: tuple[float, float] = (1.0, 0.3)) -> RetryPolicy:
    """A worst-case policy (full back-off) on the fake clock with a run budget of ``budget`` seconds."""
    return RetryPolicy(sleep=clock.sleep, uniform=Sleeps.uniform, clock=clock, budget=budget, timeout=timeout)


def test_the_default_run_budget_is_four_minutes() -> None:
    assert RetryPolicy().budget == 240.0  # PRODUCT.md §7: Apps Script stops an add-on call at 6


def test_a_retry_is_made_only_when_its_back_off_fits_in_the_time_left(server, clients, clock) -> None:
    server.steps = [503] * 6
    with pytest.raises(SheetsUnavailable, match=r"a run may take 3 s .*last: HTTP 503 scripted 503"):
        get(client_for(clients, "tok", server.url, budgeted(clock, 3.0)))
    # waits 0.5 and 1.0 fit (0.5 s and 1.5 s of 3 s used); the next, 2.0 s, would not leave 1.5 s
    assert clock.slept == [0.5, 1.0] and len(server.hits) == 3


def test_the_budget_is_shared_by_every_call_of_the_run(server, clients, clock) -> None:
    client = client_for(clients, "tok", server.url, budgeted(clock, 10.0))
    get(client)
    clock.now += 10.0  # the engine took the rest of the run's time
    with pytest.raises(SheetsUnavailable, match="a run may take 10 s and that time ran out"):
        post(client)
    assert len(server.hits) == 1  # the write was never sent


def test_every_call_timeout_is_cut_to_the_time_left(server, clients, clock) -> None:
    client = client_for(clients, "tok", server.url, budgeted(clock, 100.0, timeout=(5.0, 60.0)))
    adapter = RecordingAdapter()
    client.http_client.session.mount("http://", adapter)
    get(client)
    clock.now += 50.0
    get(client)
    clock.now += 47.0
    post(client)
    assert adapter.timeouts == [(5.0, 60.0), (5.0, 50.0), (3.0, 3.0)]


def test_a_write_cut_short_by_the_budget_says_so(server, clients) -> None:
    """Real time: the budget (0.4 s) ends while Google is still working on the write."""
    server.steps = [("pause", 1.0)]
    policy = RetryPolicy(budget=0.4, timeout=(1.0, 30.0))
    client = client_for(clients, "tok", server.url, policy)
    started = time.monotonic()
    with pytest.raises(SheetsUnavailable, match=r"0\.4 s time limit ran out.*all-or-nothing"):
        post(client)
    assert time.monotonic() - started < 0.9
    assert len(server.hits) == 1


def test_a_token_refresh_is_cut_to_the_time_left(server, clients, clock) -> None:
    credentials = service_account.Credentials.from_service_account_info(
        _key_info(server.url + "token"), scopes=list(SCOPES))
    client = client_for(clients, credentials, server.url, budgeted(clock, 30.0, timeout=(5.0, 60.0)))
    token_adapter = RecordingAdapter()
    client.http_client.session._auth_session.mount("http://", token_adapter)
    get(client)
    assert server.tokens == 1 and token_adapter.timeouts == [(5.0, 30.0)]  # google-auth would wait 120 s


@pytest.mark.parametrize("outage", ["unreachable", "503"])
def test_a_token_service_outage_is_unavailable_not_a_bad_key(server, clients, policy, monkeypatch, outage) -> None:
    monkeypatch.setattr("google.auth._exponential_backoff.time.sleep", lambda _seconds: None)
    if outage == "unreachable":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            token_uri = f"http://127.0.0.1:{probe.getsockname()[1]}/token"
    else:
        token_uri = server.url + "token-down"
        server.steps = [503] * 6  # google-auth tries its token endpoint three times, for each attempt
    credentials = service_account.Credentials.from_service_account_info(_key_info(token_uri), scopes=list(SCOPES))
    for attempt in (get, post):
        with pytest.raises(SheetsUnavailable, match="sign-in service") as raised:
            attempt(client_for(clients, credentials, server.url, policy))
        assert not isinstance(raised.value, SheetsAuthError)
    assert all(hit["path"] == "/token-down" for hit in server.hits)  # Sheets was never called
