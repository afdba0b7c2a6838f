"""Service-account mode end to end: real Google ID tokens, verified by google-auth, against our own keys.

An RSA key and a self-signed X.509 certificate are made with `cryptography`; a loopback HTTP server
serves the certificates as Google does (``{kid: PEM}``); tokens are signed with google-auth's own
``RSASigner`` + ``jwt.encode``. The service then checks the verified e-mail against the fake's Drive
permission list before it acts with the service account's token (``sa-token``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

from service import create_app
from tests.conftest import AS_OF, bearer, seed_demo

AUDIENCE = "https://premia.example.test"
KID = "premia-test-key"
SERVICE_TOKEN = "sa-token"
EDITOR, READER, STRANGER = "editor-principal", "reader-principal", "stranger-principal"
EMAILS = {EDITOR: "editor@agency.test", READER: "reader@agency.test", STRANGER: "stranger@elsewhere.test"}
RECALC = "/v1/spreadsheets/{}/recalculate"


def _key_and_cert() -> tuple[bytes, bytes]:
    """A fresh RSA private key (PEM) and a self-signed certificate for it (PEM), valid for a day."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "premia-test")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return pem, cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def keys() -> dict[str, bytes]:
    """Google's (published) key and an attacker's (unpublished) key."""
    google_key, google_cert = _key_and_cert()
    forger_key, _ = _key_and_cert()
    return {"google": google_key, "cert": google_cert, "forger": forger_key}


@pytest.fixture(scope="module")
def certs_url(keys: dict[str, bytes]) -> Iterator[str]:
    """A loopback server answering every GET with the certificates JSON, like Google's certs endpoint."""
    payload = json.dumps({KID: keys["cert"].decode()}).encode()

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/oauth2/v1/certs"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def id_token(key: bytes, email: str, **overrides: Any) -> str:
    """A Google-shaped ID token signed with ``key``; ``overrides`` replace or (None) drop claims."""
    now = int(time.time())
    claims: dict[str, Any] = {"iss": "https://accounts.google.com", "aud": AUDIENCE, "sub": f"sub-{email}",
                              "email": email, "email_verified": True, "iat": now, "exp": now + 3600}
    claims.update(overrides)
    signer = crypt.RSASigner.from_string(key, key_id=KID)
    return jwt.encode(signer, {k: v for k, v in claims.items() if v is not None}).decode()


@pytest.fixture
def web(fake: Any, certs_url: str) -> Any:
    """The service in service-account mode, reaching the fake for Sheets and Drive."""
    app = create_app({"TESTING": True, "AUTH_MODE": "service_account", "ID_TOKEN_AUDIENCE": AUDIENCE,
                      "ID_TOKEN_CERTS_URL": certs_url, "SERVICE_CREDENTIALS": SERVICE_TOKEN,
                      "SHEETS_API_ROOT": fake.url, "DRIVE_API_ROOT": fake.url})
    return app.test_client()


@pytest.fixture
def sheet_id(fake: Any) -> str:
    """The demo, shared with an editor, a reader and the service account (as writer)."""
    fake.emails.update(EMAILS)
    sheet = seed_demo(fake, editors=[EDITOR], readers=[READER])
    fake.add_token(STRANGER)
    fake.share(sheet, SERVICE_TOKEN, "writer")
    return sheet


def _post(web: Any, sheet: str, token: str) -> Any:
    return web.post(RECALC.format(sheet), json={"as_of": AS_OF.isoformat()}, headers=bearer(token))


def test_an_editor_recalculates_with_the_service_accounts_token(web, fake, sheet_id, keys) -> None:
    fake.reset_log()
    answer = _post(web, sheet_id, id_token(keys["google"], "Editor@Agency.test"))
    assert answer.status_code == 200, answer.get_json()
    assert [r.kind for r in fake.requests] == ["drive.permissions.list", "get", "values.batchGet", "batchUpdate"]
    assert {r.token for r in fake.requests} == {SERVICE_TOKEN}  # never the caller's ID token
    assert "Summary" in [s.properties["title"] for s in fake.spreadsheet(sheet_id).sheets]


@pytest.mark.parametrize("who", [READER, STRANGER])
def test_a_reader_or_a_stranger_gets_403_and_nothing_changes(web, fake, sheet_id, keys, who) -> None:
    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    fake.reset_log()
    answer = _post(web, sheet_id, id_token(keys["google"], EMAILS[who]))
    assert answer.status_code == 403
    assert EMAILS[who] in answer.get_json()["error"]["message"]
    assert [r.kind for r in fake.requests] == ["drive.permissions.list"]  # Sheets is never called
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before


BAD_TOKENS = {  # case: (claims to override, or the forger's key, and what the refusal must say)
    "wrong_audience": ({"aud": "https://someone-else.test"}, "wrong audience"),
    "forged": ({}, "signature"),
    "expired": ({"iat": -7200, "exp": -3600}, "expired"),
    "unverified": ({"email_verified": False}, "no verified e-mail"),
    "not_google": ({"iss": "https://evil.test"}, "not issued by Google"),
}


@pytest.mark.parametrize("case", [*BAD_TOKENS, "garbage"])
def test_a_bad_id_token_is_401_before_any_google_call(web, fake, sheet_id, keys, case) -> None:
    overrides, reason = BAD_TOKENS.get(case, ({}, "segments"))
    now = int(time.time())
    claims = {k: now + v if k in ("iat", "exp") else v for k, v in overrides.items()}
    key = keys["forger"] if case == "forged" else keys["google"]
    token = "not-a-jwt" if case == "garbage" else id_token(key, EMAILS[EDITOR], **claims)
    fake.reset_log()
    answer = _post(web, sheet_id, token)
    assert answer.status_code == 401, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_token" and reason in error["message"], error
    assert fake.requests == []
    assert not echoes(answer.get_data(as_text=True), token)


def echoes(text: str, token: str, piece: int = 6) -> bool:
    """True when ``text`` holds the token or any ``piece`` characters of it in a row."""
    return any(token[i:i + piece] in text for i in range(max(len(token) - piece + 1, 1)))


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b", "aaaa.bbbb.cccc", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
                                   "x" * 40 + ".." + "y" * 40])
def test_a_malformed_id_token_is_refused_in_our_words(web, fake, sheet_id, token) -> None:
    answer = _post(web, sheet_id, token)
    assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "invalid_token"
    assert not echoes(answer.get_data(as_text=True), token), answer.get_json()


@pytest.mark.parametrize("header", ["Bearer tok en", "Bearer ya29.secret\u00e9token", "Bearer {secret-token}",
                                    "Basic dXNlcjpwYXNz", "bearer", "Bearer    "])
def test_a_header_that_holds_no_token_is_401_and_never_echoed(client, fake, header) -> None:
    sheet_id = seed_demo(fake)
    fake.reset_log()
    answer = client.post(RECALC.format(sheet_id), json={}, headers={"Authorization": header})
    assert answer.status_code == 401 and answer.get_json()["ok"] is False
    token = header.partition(" ")[2].strip()
    assert not token or not echoes(answer.get_data(as_text=True), token)
    assert fake.requests == []  # nothing that cannot be a token is ever sent on to Google


def test_service_account_mode_without_an_audience_refuses_clearly(fake, sheet_id, keys) -> None:
    app = create_app({"TESTING": True, "AUTH_MODE": "service_account", "SERVICE_CREDENTIALS": SERVICE_TOKEN,
                      "SHEETS_API_ROOT": fake.url, "DRIVE_API_ROOT": fake.url})
    answer = _post(app.test_client(), sheet_id, id_token(keys["google"], EMAILS[EDITOR]))
    assert answer.status_code == 500 and answer.get_json()["error"]["code"] == "misconfigured"
