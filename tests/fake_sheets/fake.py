"""`FakeSheets`: a stateful, strict fake of the Google Sheets API v4 served over loopback HTTP.

    with FakeSheets() as fake:
        sid = fake.create_spreadsheet("Plan", sheets={"Сделки": [["Дата", "Сумма"], ["2024-01-05", 100]]},
                                      owner_token="tok")
        client = gspread_client(fake, "tok")      # real gspread, real HTTP
        ...
        assert fake.schema_violations == []
        assert len(fake.calls("batchUpdate")) == 1

Every request is logged in `fake.requests`; every body or query that fails the discovery-document
validation is also logged in `fake.schema_violations` and answered with Google's 400.

Google's hard limits are enforced (`limits.py`): a request body over `body_limit` bytes (default
10 485 760) is refused with Google's 400 before anything else, and a batchUpdate (or create) that would
take a spreadsheet over `cell_limit` grid cells (default 10 000 000) fails whole. Force small limits to
exercise staged writes: `FakeSheets(body_limit=200_000, cell_limit=50_000)`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from tests.fake_sheets import api, batch_update, bu_metadata, drive, entry, grid, limits, masks, state, values
from tests.fake_sheets.errors import ApiError
from tests.fake_sheets.faults import Faults
from tests.fake_sheets.params import response_mask, validate_query
from tests.fake_sheets.records import RecordedRequest, SheetInfo, Violation
from tests.fake_sheets.schema import validate_body
from tests.fake_sheets.server import HttpServer, Reply, route


class FakeSheets:
    """The fake: state, access control, fault injection, request log, and the HTTP server."""

    def __init__(
        self, latency: float = 0.0, *, body_limit: int = limits.BODY_LIMIT, cell_limit: int = limits.CELL_LIMIT
    ) -> None:
        self.latency = latency
        self.body_limit = body_limit  # bytes; a longer request body gets Google's 400 (may be changed live)
        self.cell_limit = cell_limit  # grid cells per spreadsheet (may be changed live)
        self.requests: list[RecordedRequest] = []
        self.schema_violations: list[Violation] = []
        self.tokens: set[str] = set()
        self.emails: dict[str, str] = {}  # token -> the account's e-mail (Drive permissions)
        self._books: dict[str, state.Spreadsheet] = {}
        self._faults = Faults()
        self._lock = threading.RLock()
        self._server: HttpServer | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeSheets:
        """Start serving on an ephemeral 127.0.0.1 port (idempotent)."""
        if self._server is None:
            self._server = HttpServer(self._dispatch)
        return self

    def stop(self) -> None:
        """Stop the server."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def __enter__(self) -> FakeSheets:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, `http://127.0.0.1:PORT/` (what PREMIA_SHEETS_API_ROOT should be set to)."""
        if self._server is None:
            raise RuntimeError("FakeSheets is not started")
        return self._server.url

    # -- seeding and inspection --------------------------------------------------------------------
    def create_spreadsheet(
        self,
        title: str,
        sheets: dict[str, list[list[Any]]] | None = None,
        *,
        owner_token: str = "owner-token",
        editors: list[str] | tuple[str, ...] = (),
        readers: list[str] | tuple[str, ...] = (),
        spreadsheet_id: str | None = None,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
        hidden: list[str] | tuple[str, ...] = (),
    ) -> str:
        """Create a spreadsheet with tabs `{title: rows}` (first tab gets sheetId 0); return its id.

        Cell values are seeded as typed: str -> text (`=...` -> formula), int/float -> number,
        bool -> boolean, datetime.date -> DATE-formatted serial, dict -> CellData as is, None -> empty.
        Tabs named in `hidden` are hidden (e.g. staging tabs a crashed run left behind).
        Every token named here becomes a valid token. Seeding is not held to the cell limit.
        """
        with self._lock:
            book = api.new_book(title, owner_token, spreadsheet_id, locale, time_zone)
            book.editors.update(editors)
            book.readers.update(readers)
            self.tokens.update([owner_token, *editors, *readers])
            if sheets:
                book.sheets.clear()
                for index, (name, rows) in enumerate(sheets.items()):
                    sheet = state.new_sheet(
                        0 if index == 0 else book.new_id(),
                        name,
                        index,
                        max(state.DEFAULT_ROWS, len(rows)),
                        max([state.DEFAULT_COLUMNS, *(len(r) for r in rows)]),
                    )
                    book.sheets.append(sheet)
                    if name in hidden:
                        sheet.properties["hidden"] = True
                    for r, row in enumerate(rows):
                        for c, value in enumerate(row):
                            values.put_cell(sheet, r, c, entry.seeded(value))
            self._books[book.spreadsheet_id] = book
            return book.spreadsheet_id

    def set_cell(
        self,
        spreadsheet_id: str,
        a1_cell: str,
        value: Any = None,
        *,
        number_format: dict[str, Any] | None = None,
        note: str | None = None,
        cell: dict[str, Any] | None = None,
    ) -> None:
        """Seed one cell directly, e.g. `set_cell(sid, "'Сделки'!C2", 0.15, number_format={"type":
        "PERCENT", "pattern": "0%"})`; `cell=` gives the whole CellData."""
        with self._lock:
            book = self._books[spreadsheet_id]
            bounds = values.resolve(book, a1_cell)
            data = dict(cell) if cell is not None else entry.seeded(value)
            if number_format is not None:
                data.setdefault("userEnteredFormat", {})["numberFormat"] = number_format
            if note is not None:
                data["note"] = note
            values.put_cell(bounds.sheet, bounds.row0, bounds.col0, data)

    def cell(self, spreadsheet_id: str, a1_cell: str) -> dict[str, Any]:
        """The stored CellData of one cell ({} when empty) — a copy."""
        with self._lock:
            bounds = values.resolve(self._books[spreadsheet_id], a1_cell)
            return json.loads(json.dumps(bounds.sheet.cells.get((bounds.row0, bounds.col0), {})))

    def values(
        self, spreadsheet_id: str, a1_range: str, render: str = "UNFORMATTED_VALUE"
    ) -> list[list[Any]]:
        """Read values directly (no HTTP, not logged), trimmed like values.get."""
        with self._lock:
            return values.read(values.resolve(self._books[spreadsheet_id], a1_range), render, "SERIAL_NUMBER")

    def spreadsheet_ids(self) -> list[str]:
        """Ids of every spreadsheet the fake holds."""
        with self._lock:
            return list(self._books)

    def spreadsheet(self, spreadsheet_id: str) -> state.Spreadsheet:
        """The live state object (read it; mutate only if you mean to)."""
        return self._books[spreadsheet_id]

    def snapshot(self, spreadsheet_id: str) -> dict[str, Any]:
        """A deep, JSON-able, comparable copy of one spreadsheet's whole state."""
        with self._lock:
            return state.snapshot(self._books[spreadsheet_id])

    def set_grid_size(
        self, spreadsheet_id: str, title: str, rows: int | None = None, columns: int | None = None
    ) -> None:
        """Seed a tab's grid size (cheap: cells are sparse), e.g. to bring a book near the cell limit.

        Not held to the cell limit; cells beyond a shrunk edge are dropped."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, title)
            if rows is not None:
                grid.resize(sheet, "ROWS", rows)
            if columns is not None:
                grid.resize(sheet, "COLUMNS", columns)

    def cell_count(self, spreadsheet_id: str) -> int:
        """Cells the spreadsheet holds against the cell limit: every tab's rows x columns, empty included."""
        with self._lock:
            return limits.cell_count(self._books[spreadsheet_id])

    def sheet_list(self, spreadsheet_id: str) -> list[SheetInfo]:
        """The tabs in order: `SheetInfo(sheet_id, title, index, hidden, rows, columns)`.

        e.g. `[(s.title, s.hidden) for s in fake.sheet_list(sid)] == [("Сделки", False), ("stage", True)]`.
        """
        with self._lock:
            return [
                SheetInfo(s.sheet_id, s.title, int(s.properties["index"]), bool(s.properties.get("hidden")),
                          s.rows, s.columns)
                for s in self._books[spreadsheet_id].sheets
            ]

    def developer_metadata(self, spreadsheet_id: str, **lookup: Any) -> list[dict[str, Any]]:
        """Copies of the spreadsheet's developer metadata (spreadsheet-level first, then tab by tab),
        optionally filtered like a DeveloperMetadataLookup: `developer_metadata(sid, metadataKey="premia")`."""
        with self._lock:
            return bu_metadata.find(self._books[spreadsheet_id], lookup)

    def _sheet(self, spreadsheet_id: str, title: str) -> state.Sheet:
        """A tab by exact title, or KeyError."""
        sheet = self._books[spreadsheet_id].sheet_by_title(title)
        if sheet is None:
            raise KeyError(title)
        return sheet

    def share(self, spreadsheet_id: str, token: str, role: str = "writer") -> None:
        """Grant `writer` or `reader` access to a token (which becomes valid)."""
        with self._lock:
            book = self._books[spreadsheet_id]
            (book.editors if role == "writer" else book.readers).add(token)
            self.tokens.add(token)

    def add_token(self, token: str) -> None:
        """Make a token valid (it has no access to anything until shared)."""
        self.tokens.add(token)

    def revoke_token(self, token: str) -> None:
        """Make a token invalid: its requests now get 401, as an expired token would."""
        self.tokens.discard(token)

    def can_edit(self, token: str, spreadsheet_id: str) -> bool:
        """Would a write with this token be allowed?"""
        book = self._books.get(spreadsheet_id)
        return token in self.tokens and book is not None and book.can_edit(token)

    # -- faults and the log ------------------------------------------------------------------------
    def inject(self, statuses: list[int]) -> None:
        """The next len(statuses) requests fail with these statuses (429, 500, 503, 408...)."""
        with self._lock:
            self._faults.queue.extend(statuses)

    def fail_call(
        self,
        kind: str,
        n: int = 1,
        status: int = 503,
        *,
        message: str | None = None,
        applied: bool = False,
        times: int = 1,
    ) -> None:
        """The n-th request of `kind` from now on (1-based) fails with `status`, and so do the
        `times - 1` requests of that kind right after it (a retrying client keeps failing).

        `applied=True`: the request is carried out, then answered with the error (the caller cannot tell
        whether it happened). `message` replaces Google's default message for the status. Requests of
        the kind are counted on arrival, whatever their fate.
        """
        with self._lock:
            self._faults.arm(kind, n, status, message, applied, times)

    def fail_batch_update(self, n: int = 1, status: int = 503, **options: Any) -> None:
        """`fail_call("batchUpdate", n, status, ...)`: e.g. kill a staged write at its second batchUpdate."""
        self.fail_call("batchUpdate", n, status, **options)

    def before_call(self, kind: str, action: Callable[[], None], n: int = 1) -> None:
        """Run `action()` when the n-th request of `kind` from now on arrives, before it is handled: e.g. a
        user's edit between a run's read and its write. It runs under the fake's lock, so it may call the
        seeding methods or change `spreadsheet(sid)` directly (never make HTTP requests from it)."""
        with self._lock:
            self._faults.hook(kind, n, action)

    def apply_batch_update(self, spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Carry out a batchUpdate body directly (no HTTP, not logged, atomic like the real call): another
        client's write, e.g. from a `before_call` action. Returns Google's response."""
        with self._lock:
            new_book, response = batch_update.apply(self._books[spreadsheet_id], body, self.cell_limit)
            self._books[spreadsheet_id] = new_book
            return response

    def clear_faults(self) -> None:
        """Drop every queued and armed fault and every hook."""
        with self._lock:
            self._faults.clear()

    def calls(self, kind: str | None = None, method: str | None = None) -> list[RecordedRequest]:
        """Logged requests, optionally only one kind (`get`, `values.batchGet`, `batchUpdate`, ...)."""
        with self._lock:
            return [
                r
                for r in self.requests
                if (kind is None or r.kind == kind) and (method is None or r.method == method)
            ]

    def reset_log(self) -> None:
        """Forget logged requests and violations (state is kept)."""
        with self._lock:
            self.requests.clear()
            self.schema_violations.clear()

    # -- request handling --------------------------------------------------------------------------
    def _dispatch(
        self, method: str, path: str, query: dict[str, list[str]], raw: bytes, authorization: str | None
    ) -> Reply:
        """Handle one HTTP request end to end and log it."""
        if self.latency:
            time.sleep(self.latency)
        routed = route(method, path)
        kind, sid, a1_range = routed if routed else (None, None, None)
        token = authorization[7:].strip() if (authorization or "").startswith("Bearer ") else None
        record = RecordedRequest(method, path, query, None, kind, sid, token, size=len(raw))
        with self._lock:
            self.requests.append(record)
            try:
                reply = self._handle(record, raw, a1_range)
            except ApiError as error:
                reply = self._error(error)
            record.status = reply[0]
            return reply

    def _handle(self, record: RecordedRequest, raw: bytes, a1_range: str | None) -> Reply:
        """Faults, the body limit, JSON, auth, validation, then the method itself."""
        fail_now, fail_after = self._faults.arrive(record.kind)
        for action in self._faults.due(record.kind):
            action()
        if fail_now is not None:
            raise fail_now
        if len(raw) > self.body_limit:
            raise ApiError.invalid(limits.payload_message(self.body_limit))
        try:
            record.body = json.loads(raw) if raw else None
        except json.JSONDecodeError as problem:
            raise ApiError.bad_request([("", f"Invalid JSON payload received. {problem}")]) from None
        if record.kind is None:
            raise ApiError(501, f"fake_sheets does not implement {record.method} {record.path}")
        if record.token is None:
            raise ApiError.unauthenticated("CREDENTIALS_MISSING")
        if record.token not in self.tokens:
            raise ApiError.unauthenticated("ACCESS_TOKEN_EXPIRED")
        if record.kind == "drive.permissions.list":
            book = self._books.get(record.spreadsheet_id or "")
            return 200, drive.list_permissions(book, record.token, self.emails, record.query,
                                               record.spreadsheet_id or ""), {}
        self._validate(record)
        mask = response_mask(record.kind, record.query)
        call = api.Call(
            record.kind, record.token, record.spreadsheet_id, a1_range, record.query, record.body, self.cell_limit
        )
        result = api.METHODS[record.kind](self._books, call)
        if fail_after is not None:
            raise fail_after.error()
        # spreadsheets.get applies its own mask (it also decides whether grid data is rendered).
        return 200, result if mask is None or record.kind == "get" else masks.project(result, mask), {}

    def _validate(self, record: RecordedRequest) -> None:
        """Check query parameters and the body against the discovery document; log violations."""
        assert record.kind is not None
        problems = validate_query(record.kind, record.query)
        if record.kind in api.BODY_SCHEMAS:
            schema_name, prefix = api.BODY_SCHEMAS[record.kind]
            problems += validate_body(schema_name, record.body if record.body is not None else {}, prefix)
        if problems:
            self.schema_violations.append(Violation(record.kind, record.path, record.body, problems))
            raise ApiError.bad_request(problems)

    @staticmethod
    def _error(error: ApiError) -> Reply:
        """An error reply; a 401 also carries WWW-Authenticate like Google's."""
        headers = (
            {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'} if error.code == 401 else {}
        )
        return error.code, error.body(), headers
