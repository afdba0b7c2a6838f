"""Every route, fuzzed: whatever the body, the headers or the query, the answer is JSON and never a 5xx,
and no token ever shows up in an answer or in the logs (PRODUCT.md §7, "Security").

Hypothesis draws a route (with a good or a mangled spreadsheet ID and sometimes the wrong method), an
Authorization header (the owner's real token, a secret-looking token, any text), a Content-Type, extra
headers, a query string and a body (JSON of any shape, an ``as_of`` of any kind, bytes). The service
talks to the fake Sheets API on loopback, so a request that passes every check really recalculates a
tiny spreadsheet. Examples are bounded (``PREMIA_FUZZ_EXAMPLES``) so the suite stays quick in CI.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from google.auth import crypt, jwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import create_app
from tests.fake_sheets import FakeSheets
from tests.test_service_auth import AUDIENCE, KID, SERVICE_TOKEN, _key_and_cert
from tests.test_service_outages import Stub, as_json

# Bounded for CI (about 10 s for both tests); PREMIA_FUZZ_EXAMPLES=2000 for a long local run.
FUZZ_EXAMPLES = int(os.environ.get("PREMIA_FUZZ_EXAMPLES", "60"))
OWNER = "owner-token"
EDITOR_EMAIL = "editor@agency.test"
# Every token a test invents carries this marker: finding it in an answer or a log is a leak.
MARKER = "ZqxSecretMarker"
ROUTES = [("POST", "/v1/spreadsheets/{}/recalculate"), ("POST", "/v1/spreadsheets/{}/setup"),
          ("GET", "/v1/spreadsheets/{}/explain")]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/"
TEAM = [["Manager", "Role", "Base salary"], ["Anna Petrova", "sales", 45000]]
SETTINGS = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class Recorder(logging.Handler):
    """Keeps every log record as text: message, traceback and extra fields."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.text: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.text.append(self.format(record) + repr(record.__dict__))


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    """A fake Sheets API with a tiny spreadsheet, Google's certificates, and the service in both modes."""
    key, cert = _key_and_cert()
    certs = Stub(lambda _path, _query: as_json(200, {KID: cert.decode()}))
    with FakeSheets() as fake:
        fake.emails["editor-principal"] = EDITOR_EMAIL
        sheet = fake.create_spreadsheet("Tiny agency", {"Team": TEAM}, owner_token=OWNER,
                                        editors=["editor-principal"])
        fake.share(sheet, SERVICE_TOKEN, "writer")
        common = {"TESTING": True, "RATE_LIMIT": 10**9, "SHEETS_API_ROOT": fake.url, "DRIVE_API_ROOT": fake.url}
        user = create_app(common).test_client()
        robot = create_app({**common, "AUTH_MODE": "service_account", "ID_TOKEN_AUDIENCE": AUDIENCE,
                            "ID_TOKEN_CERTS_URL": certs.url, "SERVICE_CREDENTIALS": SERVICE_TOKEN}).test_client()
        yield {"fake": fake, "sheet": sheet, "user": user, "robot": robot, "key": key}
        assert fake.schema_violations == [], fake.schema_violations
    certs.close()


# -- strategies ------------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)
as_of_values = st.one_of(json_values, st.dates().map(str), st.text(alphabet="0123456789-W", max_size=12),
                         st.sampled_from(["", "2026-11-23", "0001-01-01", "9999-12-31", "2026-02-30"]))
bodies = st.one_of(
    st.just(b""),
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({}, optional={"as_of": as_of_values, "month": json_values}).map(
        lambda v: json.dumps(v).encode()),
    st.sampled_from([2, 900, 1500, 5000]).map(lambda depth: ("[" * depth + "]" * depth).encode()),
)
secret = st.text(alphabet=B64, min_size=4, max_size=40).map(lambda s: f"ya29.{MARKER}{s}")
latin1 = st.characters(min_codepoint=1, max_codepoint=255, blacklist_characters="\r\n")
authorizations = st.one_of(
    st.none(),
    st.just(f"Bearer {OWNER}"),
    secret.map(lambda s: f"Bearer {s}"),
    st.tuples(st.sampled_from(["Bearer", "bearer", "Basic", "Token", ""]), secret,
              st.text(latin1, max_size=20)).map(lambda t: f"{t[0]} {t[1]}{t[2]}"),
    st.text(latin1, max_size=60).map(lambda s: f"Bearer {MARKER}{s}"),
)
content_types = st.one_of(st.none(), st.sampled_from(["application/json", "application/json; charset=utf-8",
                                                      "text/plain", "application/x-www-form-urlencoded",
                                                      "multipart/form-data; boundary=x"]),
                          st.text(latin1, max_size=30))
header_names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20)
extra_headers = st.lists(st.tuples(header_names.filter(lambda n: n.lower() not in (
    "content-length", "transfer-encoding", "host", "authorization", "content-type")),
    st.text(latin1, max_size=40)), max_size=3)
queries = st.one_of(
    st.text(latin1, max_size=60),
    st.dictionaries(st.sampled_from(["sheet", "cell", "as_of", "x"]),
                    st.one_of(st.text(max_size=20), as_of_values.map(str),
                              st.sampled_from(["Summary", "Statements", "B2", "G5", "ZZZ9999999", "$A$1"])),
                    max_size=4).map(urlencode),
)
ids = st.one_of(st.just("SHEET"), st.just("NoSuchSpreadsheet123"),
                st.text(max_size=30).map(lambda s: quote(s, safe="")))


def mostly(draw: st.DrawFn, good: Any, fuzzed: st.SearchStrategy[Any]) -> Any:
    """``good`` or a fuzzed value, half and half: enough requests pass the early checks to reach Google
    and the engine, enough fail them to probe every refusal."""
    return good if draw(st.booleans()) else draw(fuzzed)


@st.composite
def fuzzed_requests(draw: st.DrawFn) -> dict[str, Any]:
    """One request: method, path, headers, query string and body."""
    method, path = draw(st.sampled_from(ROUTES))
    if draw(st.integers(0, 9)) == 0:
        method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]))
    headers = draw(extra_headers)
    authorization = mostly(draw, f"Bearer {OWNER}", authorizations)
    if authorization is not None:
        headers.append(("Authorization", authorization))
    content_type = mostly(draw, "application/json", content_types)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    query = mostly(draw, urlencode({"sheet": "Summary", "cell": "B2", "as_of": "2026-11-23"}), queries)
    body = mostly(draw, b'{"as_of": "2026-11-23"}', bodies) if method != "GET" else b""
    return {"method": method, "path": path, "id": mostly(draw, "SHEET", ids), "headers": headers,
            "query": query, "body": body}


def id_tokens(key: bytes) -> st.SearchStrategy[str]:
    """Signed ID tokens with fuzzed claims (some valid for the editor), and unsigned look-alikes."""
    base = {"iss": "https://accounts.google.com", "aud": AUDIENCE, "sub": "s", "email": EDITOR_EMAIL,
            "email_verified": True}
    claims = st.dictionaries(st.sampled_from([*base, "iat", "exp"]), json_values, max_size=3)

    def sign(changes: dict[str, Any]) -> str:
        now = int(time.time())
        payload = {**base, "iat": now, "exp": now + 3600, "marker": MARKER, **changes}
        return jwt.encode(crypt.RSASigner.from_string(key, key_id=KID), payload).decode()

    segment = st.text(alphabet=B64[:64], min_size=1, max_size=30)
    look_alike = st.tuples(segment, segment, segment).map(lambda s: f"{MARKER}{s[0]}.{s[1]}.{s[2]}")
    return st.one_of(claims.map(sign), look_alike)


# -- the checks --------------------------------------------------------------------------------------
def send(web: Any, sheet: str, request: dict[str, Any]) -> tuple[Any, str]:
    """Send one fuzzed request; (answer, every log line written meanwhile)."""
    path = request["path"].format(sheet if request["id"] == "SHEET" else request["id"])
    recorder, root = Recorder(), logging.getLogger()
    level = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    try:
        answer = web.open(path, method=request["method"], headers=request["headers"],
                          query_string=request["query"], data=request["body"])
    finally:
        root.removeHandler(recorder)
        root.setLevel(level)
    return answer, "\n".join(recorder.text)


def check(answer: Any, logs: str, secrets: list[str]) -> None:
    """A JSON answer below 500 in the one shape, and no secret in it or in the logs."""
    text = answer.get_data(as_text=True)
    assert answer.status_code < 500, text
    body = json.loads(text)
    if answer.status_code >= 400:
        assert body["ok"] is False and set(body["error"]) == {"code", "message"}, body
        assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
        assert body["error"]["message"], body
    else:
        assert answer.status_code == 200 and (body.get("ok") is True or body == {"status": "ok"}), body
    for token in secrets:
        assert token not in text and token not in logs
    assert MARKER not in text and MARKER not in logs


@SETTINGS
@given(req=fuzzed_requests())
def test_user_mode_routes_answer_json_below_500_and_never_leak_tokens(world, req) -> None:
    answer, logs = send(world["user"], world["sheet"], req)
    sent = [value.partition(" ")[2].strip() for name, value in req["headers"] if name == "Authorization"]
    check(answer, logs, [token for token in sent if len(token) >= 8 and token != OWNER])


@SETTINGS
@given(req=fuzzed_requests(), data=st.data())
def test_service_account_mode_routes_answer_json_below_500_and_never_leak_tokens(world, req, data) -> None:
    token = data.draw(id_tokens(world["key"]))
    headers = [(n, v) for n, v in req["headers"] if n != "Authorization"]
    if data.draw(st.booleans()):
        headers.append(("Authorization", f"Bearer {token}"))
    answer, logs = send(world["robot"], world["sheet"], {**req, "headers": headers})
    check(answer, logs, [part for part in (token, *token.split(".")) if len(part) >= 8])
