"""Service-account mode when Google misbehaves: its certificates, its token service, Drive's answers.

Google failing is a 503 with a plain message, never the caller's 401 and never a 500; Drive's permission
list is read page after page. A tiny loopback server (``Stub``) plays whichever Google endpoint a test
needs with the answers the test scripts; the fake Sheets API serves the spreadsheet itself.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from google.oauth2 import service_account

from service import create_app
from sheets_sync.google.http import SCOPES
from tests.conftest import AS_OF, bearer, seed_demo
from tests.fake_sheets.server import LoopbackServer
from tests.test_google_retry import _key_info
from tests.test_service_auth import AUDIENCE, EDITOR, EMAILS, KID, SERVICE_TOKEN, _key_and_cert, id_token

RECALC = "/v1/spreadsheets/{}/recalculate"
# (status, content type, body) of one answer
Answer = tuple[int, str, bytes]


def as_json(status: int, value: Any) -> Answer:
    """A JSON answer."""
    return status, "application/json", json.dumps(value).encode()


class Stub:
    """A loopback HTTP server answering each request with ``respond(path, query)``; it logs the queries."""

    def __init__(self, respond: Callable[[str, dict[str, list[str]]], Answer]) -> None:
        self.queries: list[dict[str, list[str]]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                query = parse_qs(parts.query, keep_blank_values=True)
                stub.queries.append(query)
                status, kind, body = respond(parts.path, query)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

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


@pytest.fixture
def stubs() -> Iterator[Callable[[Callable[[str, dict[str, list[str]]], Answer]], Stub]]:
    """Start stubs on demand; all are stopped after the test."""
    started: list[Stub] = []

    def start(respond: Callable[[str, dict[str, list[str]]], Answer]) -> Stub:
        started.append(Stub(respond))
        return started[-1]

    yield start
    for stub in started:
        stub.close()


@pytest.fixture(scope="module")
def keys() -> dict[str, bytes]:
    """Google's signing key and its published certificate."""
    key, cert = _key_and_cert()
    return {"google": key, "cert": cert}


def dead_url() -> str:
    """A loopback URL nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


def service(fake: Any, certs_url: str, drive_root: str, credentials: Any = SERVICE_TOKEN) -> Any:
    """The service in service-account mode with the given certificate endpoint and Drive root."""
    return create_app({"TESTING": True, "AUTH_MODE": "service_account", "ID_TOKEN_AUDIENCE": AUDIENCE,
                       "ID_TOKEN_CERTS_URL": certs_url, "SERVICE_CREDENTIALS": credentials,
                       "SHEETS_API_ROOT": fake.url, "DRIVE_API_ROOT": drive_root}).test_client()


@pytest.fixture
def sheet_id(fake: Any) -> str:
    """The demo, shared with the editor and the service account."""
    fake.emails.update(EMAILS)
    sheet = seed_demo(fake, editors=[EDITOR])
    fake.share(sheet, SERVICE_TOKEN, "writer")
    return sheet


@pytest.fixture
def certs(stubs: Any, keys: dict[str, bytes]) -> Stub:
    """Google's certificate endpoint, working."""
    return stubs(lambda _path, _query: as_json(200, {KID: keys["cert"].decode()}))


def recalc(web: Any, sheet: str, token: str) -> Any:
    """POST a recalculation as ``token``."""
    return web.post(RECALC.format(sheet), json={"as_of": AS_OF.isoformat()}, headers=bearer(token))


CERT_OUTAGES = {
    "unreachable": None,
    "500": (500, "text/html", b"<html>Server Error</html>"),
    "html": (200, "text/html", b"<html>Sign in</html>"),
    "list": as_json(200, ["not", "certificates"]),
    "jwk set": as_json(200, {"keys": [{"kid": KID, "kty": "RSA"}]}),
    "empty": as_json(200, {}),
}


@pytest.mark.parametrize("case", CERT_OUTAGES)
def test_certificates_that_cannot_be_fetched_are_a_503_naming_no_url(fake, sheet_id, keys, stubs, case) -> None:
    answer_with = CERT_OUTAGES[case]
    url = dead_url() if answer_with is None else stubs(lambda _p, _q: answer_with).url
    web = service(fake, url + "oauth2/v1/certs", fake.url)
    fake.reset_log()
    answer = recalc(web, sheet_id, id_token(keys["google"], EMAILS[EDITOR]))
    assert answer.status_code == 503, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == "unavailable" and "try again" in error["message"].lower()
    assert "http" not in error["message"] and "127.0.0.1" not in error["message"]
    assert fake.requests == []


@pytest.mark.parametrize("outage", ["unreachable", "503"])
def test_a_token_service_outage_is_a_503_not_a_bad_key(fake, sheet_id, keys, certs, stubs, monkeypatch,
                                                       outage) -> None:
    monkeypatch.setattr("google.auth._exponential_backoff.time.sleep", lambda _seconds: None)
    token_root = dead_url() if outage == "unreachable" else \
        stubs(lambda _path, _query: as_json(503, {"error": "internal_failure"})).url
    credentials = service_account.Credentials.from_service_account_info(
        _key_info(token_root + "token"), scopes=list(SCOPES))
    web = service(fake, certs.url, fake.url, credentials)
    answer = recalc(web, sheet_id, id_token(keys["google"], EMAILS[EDITOR]))
    assert answer.status_code == 503, answer.get_json()
    message = answer.get_json()["error"]["message"]
    assert "sign-in service" in message and "key" not in message


def permissions(*emails: str, role: str = "writer") -> list[dict[str, str]]:
    """Drive permission entries for these users."""
    return [{"type": "user", "role": role, "emailAddress": email} for email in emails]


def test_drive_permission_pages_after_the_first_are_read(fake, sheet_id, keys, certs, stubs) -> None:
    pages = {"": {"permissions": permissions("a@agency.test", "b@agency.test"), "nextPageToken": "p2"},
             "p2": {"permissions": permissions("c@agency.test", role="reader"), "nextPageToken": "p3"},
             "p3": {"permissions": permissions(EMAILS[EDITOR])}}
    drive = stubs(lambda _path, query: as_json(200, pages[query.get("pageToken", [""])[0]]))
    web = service(fake, certs.url, drive.url)
    answer = recalc(web, sheet_id, id_token(keys["google"], EMAILS[EDITOR]))
    assert answer.status_code == 200, answer.get_json()
    assert [q.get("pageToken", [""])[0] for q in drive.queries] == ["", "p2", "p3"]
    assert "nextPageToken" in drive.queries[0]["fields"][0]


def test_paging_stops_as_soon_as_the_caller_is_found(fake, sheet_id, keys, certs, stubs) -> None:
    page = {"permissions": permissions(EMAILS[EDITOR]), "nextPageToken": "more"}
    drive = stubs(lambda _path, _query: as_json(200, page))
    answer = recalc(service(fake, certs.url, drive.url), sheet_id, id_token(keys["google"], EMAILS[EDITOR]))
    assert answer.status_code == 200 and len(drive.queries) == 1


def test_a_drive_that_never_stops_paging_is_a_503(fake, sheet_id, keys, certs, stubs) -> None:
    drive = stubs(lambda _path, _query: as_json(200, {"permissions": [], "nextPageToken": "again"}))
    answer = recalc(service(fake, certs.url, drive.url), sheet_id, id_token(keys["google"], EMAILS[EDITOR]))
    assert answer.status_code == 503, answer.get_json()
    assert len(drive.queries) == 50


ODD_DRIVE_ANSWERS = {
    "html": (200, "text/html", b"<!doctype html><title>Google</title>"),
    "list": as_json(200, [{"type": "anyone", "role": "writer"}]),
    "null permissions": as_json(200, {"permissions": None}),
    "permission not an object": as_json(200, {"permissions": ["anyone"]}),
    "unhashable role": as_json(200, {"permissions": [{"type": "anyone", "role": ["writer"]}]}),
    "page token not text": as_json(200, {"permissions": [], "nextPageToken": 7}),
    "nested past the parser": (200, "application/json", b"[" * 5000 + b"]" * 5000),
}


@pytest.mark.parametrize("case", ODD_DRIVE_ANSWERS)
def test_an_odd_drive_answer_is_never_a_500(fake, sheet_id, keys, certs, stubs, case) -> None:
    odd = ODD_DRIVE_ANSWERS[case]
    drive = stubs(lambda _path, _query: odd)
    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    fake.reset_log()
    answer = recalc(service(fake, certs.url, drive.url), sheet_id, id_token(keys["google"], EMAILS[EDITOR]))
    assert answer.status_code in (403, 503), answer.get_json()
    assert answer.get_json()["ok"] is False
    assert fake.requests == []  # Sheets is never called without a confirmed editor
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before
