"""Google Sheets without the network: the adapter's real client, answered from prepared bytes.

:func:`replay_client` is the client ``sheets_sync.google.http.make_client`` makes (a ``SheetsSession``
with its endpoint rewrite, bearer header, time budget and retry loop, inside ``gspread.Client``), with a
transport adapter mounted in place of urllib3. Everything above the socket runs as in production:
requests builds the URL and query, the adapter decodes the prepared JSON with ``Response.json()``, and
``call`` encodes each request body. :class:`Replay` answers read 1 and read 2 with the prepared bytes
(each handed over once and then dropped, so they are freed after decoding as a received body would be),
records every ``batchUpdate`` body as sent, and refuses any other call, or a read whose query differs
from the one the bytes answer (the benchmark must not time answers to a question nobody asks).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import gspread
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from sheets_sync.google.http import SHEETS_ROOT, make_client

_ROUTES = (
    ("GET", re.compile(r"^/v4/spreadsheets/[^/:]+$"), "get"),
    ("GET", re.compile(r"^/v4/spreadsheets/[^/:]+/values:batchGet$"), "values.batchGet"),
    ("POST", re.compile(r"^/v4/spreadsheets/[^/:]+:batchUpdate$"), "batchUpdate"),
)


class UnexpectedCall(AssertionError):
    """The adapter made a call the benchmark does not model: its figures would be wrong."""


@dataclass
class Sent:
    """One request as it left the client."""

    kind: str
    body: bytes  # b"" for a read


@dataclass
class Replay:
    """The prepared answers and the log of what was sent."""

    answers: dict[str, bytes]  # kind ("get", "values.batchGet") -> response body
    queries: dict[str, dict[str, list[str]]]  # kind -> the query string the answer is for
    sent: list[Sent] = field(default_factory=list)

    def answer(self, request: requests.PreparedRequest) -> bytes:
        """The response body for one request; batchUpdate bodies are recorded."""
        parts = urlsplit(request.url or "")
        kind = next((name for verb, path, name in _ROUTES if verb == request.method and path.match(parts.path)),
                    None)
        if kind is None:
            raise UnexpectedCall(f"the benchmark answers no {request.method} {parts.path}")
        if kind == "batchUpdate":
            body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
            self.sent.append(Sent(kind, body))
            # Google replies with one entry per subrequest; Premia reads none of them, so none are made up.
            return json.dumps({"spreadsheetId": _spreadsheet_id(parts.path), "replies": []}).encode()
        query = parse_qs(parts.query, keep_blank_values=True)
        if query != self.queries[kind]:
            raise UnexpectedCall(f"{kind} now asks {query}; the prepared bytes answer {self.queries[kind]}: "
                                 "update bench/responses.py")
        if kind not in self.answers:
            raise UnexpectedCall(f"a second {kind}: the benchmark answers each read once")
        self.sent.append(Sent(kind, b""))
        return self.answers.pop(kind)


def _spreadsheet_id(path: str) -> str:
    """The spreadsheet id in a request path."""
    return path.split("/")[3].split(":")[0]


class _ReplayAdapter(BaseAdapter):
    """A transport adapter that answers from a :class:`Replay` instead of the network."""

    def __init__(self, replay: Replay) -> None:
        super().__init__()
        self.replay = replay

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: object = None,
             verify: object = True, cert: object = None, proxies: object = None) -> requests.Response:
        """A 200 response with the prepared body, built as ``HTTPAdapter.build_response`` builds one."""
        payload = self.replay.answer(request)
        response = requests.Response()
        response.status_code, response.reason, response.url = 200, "OK", request.url or ""
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json; charset=UTF-8",
                                                "Content-Length": str(len(payload))})
        response.encoding = get_encoding_from_headers(response.headers)
        response._content = payload  # the body as received
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release."""


def replay_client(replay: Replay) -> gspread.Client:
    """The production client (``make_client``) with its transport replaced by ``replay``."""
    client = make_client("bench-token", SHEETS_ROOT)
    client.http_client.session.mount(SHEETS_ROOT, _ReplayAdapter(replay))
    return client
