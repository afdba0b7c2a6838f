"""HTTP plumbing: a ThreadingHTTPServer on 127.0.0.1 that routes v4 paths to the fake.

Paths are matched before percent-decoding (a range may contain `/` or `:`), exactly as gspread
builds them: `/v4/spreadsheets/{id}`, `/v4/spreadsheets/{id}:batchUpdate`,
`/v4/spreadsheets/{id}/values/{range}[:clear]`, `/v4/spreadsheets/{id}/values:batchGet|batchUpdate`.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Route = tuple[str, str | None, str | None]
# (status, JSON body, extra headers) for one request.
Reply = tuple[int, dict[str, Any], dict[str, str]]
Dispatch = Callable[[str, str, dict[str, list[str]], bytes, str | None], Reply]

_ID = r"([^/:]+)"
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v4/spreadsheets$"), "create"),
    ("GET", re.compile(rf"^/drive/v3/files/{_ID}/permissions$"), "drive.permissions.list"),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}$"), "get"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/developerMetadata:search$"), "developerMetadata.search"),
    # The metadataId lands where a values route has its range.
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}/developerMetadata/([^/:]+)$"), "developerMetadata.get"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}:batchUpdate$"), "batchUpdate"),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchGet$"), "values.batchGet"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values:batchUpdate$"), "values.batchUpdate"),
    ("POST", re.compile(rf"^/v4/spreadsheets/{_ID}/values/(.+):clear$"), "values.clear"),
    ("GET", re.compile(rf"^/v4/spreadsheets/{_ID}/values/([^:]+(?::[^:]+)?)$"), "values.get"),
    ("PUT", re.compile(rf"^/v4/spreadsheets/{_ID}/values/([^:]+(?::[^:]+)?)$"), "values.update"),
]


def route(method: str, raw_path: str) -> Route | None:
    """Map an HTTP method and raw path to (kind, spreadsheetId, range), or None when not implemented."""
    for verb, pattern, kind in _ROUTES:
        match = pattern.match(raw_path)
        if verb == method and match:
            groups = [unquote(g) for g in match.groups()]
            return kind, (groups[0] if groups else None), (groups[1] if len(groups) > 1 else None)
    return None


def _handler_class(dispatch: Dispatch) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one fake's dispatch function."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle + delayed ACK add ~40 ms each.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            query = parse_qs(parts.query, keep_blank_values=True)
            status, body, headers = dispatch(
                self.command, parts.path, query, raw, self.headers.get("Authorization")
            )
            payload = json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: tests read `fake.requests` instead of stderr."""

    return Handler


class LoopbackServer:
    """A ThreadingHTTPServer on an ephemeral loopback port, serving ``handler`` in a daemon thread.

    The one server behind every HTTP double here: the fake Sheets API and the tests' scripted stubs.
    """

    def __init__(self, handler: type[BaseHTTPRequestHandler], name: str = "loopback") -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT/`."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class HttpServer(LoopbackServer):
    """The fake Sheets API's server: requests go to ``dispatch``."""

    def __init__(self, dispatch: Dispatch) -> None:
        super().__init__(_handler_class(dispatch), name="fake-sheets")
