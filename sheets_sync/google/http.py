"""The only module that talks HTTP to the Google Sheets API: session, endpoint, timeouts, retry, errors.

A :class:`SheetsSession` is a ``requests.Session`` handed to ``gspread.Client(auth=None, session=…)``
(GOOGLE_FACTS.md: patching ``gspread.urls`` does nothing). On every request it

* sends ``https://sheets.googleapis.com/…`` to the root in ``PREMIA_SHEETS_API_ROOT`` (PRODUCT.md §6);
* adds ``Authorization: Bearer …`` from a user's access token or google-auth credentials, refreshing
  them when they are stale or when Google answers 401 once (``AuthorizedSession`` semantics);
* applies a (connect, read) timeout: gspread's default is to wait forever;
* retries at most ``tries`` times with full jitter on 408/429/5xx and network failures, never on
  other 4xx (PRODUCT.md §7), then raises :class:`SheetsUnavailable`;
* keeps a whole run within a time budget (PRODUCT.md §7: a recalculation ends within 4 minutes, as
  Apps Script stops an add-on call at 6). The budget (``RetryPolicy.budget``, 240 s) starts when the
  session is made, one per run; every call's timeout is cut to the time left, a retry is made only
  when its back-off fits in the time left, and a spent budget stops the run with
  :class:`SheetsUnavailable` — the write is one atomic ``batchUpdate``, so nothing is half-written;
* turns every other failure into one of the narrow :class:`SheetsError` subclasses, so gspread's
  ``APIError`` never reaches callers.

A write (POST) is retried only when Google surely applied nothing: a status it answers without
running the batch, or a connection that never opened. After a lost answer (read timeout, reset) the
atomic ``batchUpdate`` may already have run, and repeating it could delete the wrong conditional
rules by index; the run stops instead, and repeating the whole recalculation is safe.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import google.auth.credentials
import google.auth.exceptions
import gspread
import orjson
import requests
from google.auth.transport.requests import Request as AuthRequest
from gspread.exceptions import APIError
from urllib3.exceptions import NewConnectionError

SHEETS_ROOT = "https://sheets.googleapis.com/"
ROOT_ENV = "PREMIA_SHEETS_API_ROOT"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
SPREADSHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
# Statuses Google answers without running a batch (batchUpdate is atomic): safe to repeat a write.
UNAPPLIED = frozenset({408, 429, 500, 503})
# PRODUCT.md §7: a whole recalculation, retries included, within 4 minutes (Apps Script gives 6).
RUN_BUDGET = 240.0
# requests refuses a zero timeout; a call started with (almost) no time left gets this and times out.
_SHORTEST = 0.001
_SPREADSHEET_ID = re.compile(r"^[A-Za-z0-9_-]{1,200}$")

Credentials = str | google.auth.credentials.Credentials
# What ``requests`` takes as ``timeout``: seconds, or (connect, read); None means no limit.
Timeout = float | tuple[float | None, float | None] | None


class SheetsError(Exception):
    """A Google Sheets call failed; ``str(error)`` tells a person what to do about it."""

    def __init__(self, message: str, status: int | None = None, google_message: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.google_message = google_message


class SheetsUnavailable(SheetsError):
    """Google did not answer usefully after the allowed tries (or a write's fate is unknown)."""


class SheetsAuthError(SheetsError):
    """The credentials were missing, expired or rejected (HTTP 401)."""


class SheetsForbidden(SheetsError):
    """The credentials may not read or edit this spreadsheet (HTTP 403)."""


class SpreadsheetNotFound(SheetsError):
    """No spreadsheet has this ID (HTTP 404)."""


class SheetsRequestError(SheetsError):
    """Google rejected the request (another 4xx); carries Google's own message."""


@dataclass(frozen=True)
class RetryPolicy:
    """How many tries, how long to wait between them, the (connect, read) timeout of each, and the
    time budget of a whole run (PRODUCT.md §7: a recalculation, retries included, ends within 4
    minutes, because Apps Script stops an add-on call at 6).

    ``sleep``, ``uniform`` and ``clock`` are injectable so tests can run the worst case instantly.
    """

    tries: int = 5
    base: float = 0.5
    cap: float = 16.0
    timeout: tuple[float, float] = (5.0, 60.0)
    budget: float = RUN_BUDGET
    sleep: Callable[[float], None] = time.sleep
    uniform: Callable[[float, float], float] = random.uniform
    clock: Callable[[], float] = time.monotonic

    def delay(self, retry: int) -> float:
        """Full jitter before retry number ``retry`` (0 = the first retry)."""
        return self.uniform(0.0, min(self.cap, self.base * 2**retry))


class Deadline:
    """The moment a run must be over: ``budget`` seconds after it started, on a monotonic clock."""

    def __init__(self, budget: float, clock: Callable[[], float] = time.monotonic) -> None:
        if not budget > 0:
            raise ValueError(f"a run's time budget must be a positive number of seconds, not {budget!r}")
        self.budget = budget
        self._clock = clock
        self._ends = clock() + budget

    def left(self) -> float:
        """Seconds left (zero or negative once the budget is spent)."""
        return self._ends - self._clock()

    def cut(self, wanted: Timeout) -> Timeout:
        """``wanted`` (one number or a (connect, read) pair; None = no limit) cut to the time left."""
        left = max(self.left(), _SHORTEST)
        if isinstance(wanted, tuple):
            return tuple(left if part is None else min(part, left) for part in wanted)  # type: ignore[return-value]
        return left if wanted is None else min(wanted, left)

    def spent(self, last: str = "") -> SheetsUnavailable:
        """The error that stops a run whose budget is spent (nothing more is sent)."""
        during = f" while Google kept failing (last: {last})" if last else ""
        return SheetsUnavailable(
            f"Premia stopped: a run may take {self.budget:g} s and that time ran out{during}. Nothing was "
            "half-written (the results are written in one all-or-nothing step); try again in a few minutes.",
            None, last)


def api_root(root: str | None = None) -> str:
    """The Sheets API root: ``root``, else ``PREMIA_SHEETS_API_ROOT``, else Google's; ends with ``/``."""
    chosen = root or os.environ.get(ROOT_ENV) or SHEETS_ROOT
    if not chosen.startswith(("https://", "http://")):
        raise ValueError(f"{ROOT_ENV} must be an http(s) URL, not {chosen!r}")
    return chosen if chosen.endswith("/") else chosen + "/"


def spreadsheet_url(spreadsheet_id: str, suffix: str = "") -> str:
    """``…/v4/spreadsheets/{id}{suffix}``; an ID that cannot be one is refused before any call."""
    if not _SPREADSHEET_ID.match(spreadsheet_id or ""):
        raise SpreadsheetNotFound(
            f"{spreadsheet_id!r} is not a spreadsheet ID: copy the part of the sheet's URL between "
            "'/d/' and '/edit'.")
    return f"{SPREADSHEETS}/{quote(spreadsheet_id, safe='')}{suffix}"


class SheetsSession(requests.Session):
    """A session that rewrites the endpoint, authorizes, times out, retries and wraps errors.

    Its :class:`Deadline` starts when it is made (one session per run, see :func:`make_client`): every
    call, back-off and token refresh of the run shares ``policy.budget``.
    """

    def __init__(self, credentials: Credentials, root: str | None = None,
                 policy: RetryPolicy | None = None) -> None:
        super().__init__()
        if isinstance(credentials, str) and not credentials.strip():
            raise SheetsAuthError("No Google access token was given: sign in again.")
        self.credentials = credentials
        self.root = api_root(root)
        self.policy = policy or RetryPolicy()
        self.deadline = Deadline(self.policy.budget, self.policy.clock)
        self._auth_session = _TokenSession(self.deadline, self.policy.timeout)

    def close(self) -> None:
        """Close both connection pools."""
        self._auth_session.close()
        super().close()

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send with the root rewritten, auth and a timeout; retry as the policy and the deadline allow."""
        verb = method.decode() if isinstance(method, bytes) else method
        target = self._rewrite(url.decode() if isinstance(url, bytes) else url)
        wanted = kwargs.pop("timeout", None) or self.policy.timeout
        idempotent = verb.upper() in ("GET", "HEAD")
        last, refreshed, tries, pause = "", False, 0, False
        while tries < self.policy.tries:
            if pause:
                self._back_off(tries - 1, last)
            if self.deadline.left() <= 0:
                raise self.deadline.spent(last)
            tries += 1
            try:
                kwargs["headers"] = self._authorized(verb, target, kwargs.get("headers"))
                response = super().request(verb, target, *args, timeout=self.deadline.cut(wanted), **kwargs)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                    google.auth.exceptions.TransportError) as error:
                if not (idempotent or _never_sent(error)):
                    cause = error if self.deadline.left() > 0 else f"the {self.deadline.budget:g} s time limit ran out"
                    raise SheetsUnavailable(_lost_write(cause)) from error
                last, pause = f"{type(error).__name__}: {error}", True
                continue
            status = response.status_code
            if status == 401 and not refreshed and not isinstance(self.credentials, str):
                # The token expired early: refresh once and resend, as AuthorizedSession does.
                response.close()
                self._refresh()
                refreshed, pause = True, False
                continue
            if status in (408, 429) or status >= 500:
                said = google_message(response)
                last, pause = f"HTTP {status} {said}".strip(), True
                response.close()
                if idempotent or status in UNAPPLIED:
                    continue
                raise SheetsUnavailable(_lost_write(last), status, said)
            if not response.ok:
                raise error_for(response)
            return response
        raise SheetsUnavailable(
            f"Google Sheets did not answer after {self.policy.tries} tries (last: {last}). Nothing was "
            "changed by the failed call; try again in a few minutes.", None, last)

    def _back_off(self, retry: int, last: str) -> None:
        """Wait before retry number ``retry``, or stop the run when the wait would not leave time to retry."""
        delay = self.policy.delay(retry)
        if delay >= self.deadline.left():
            raise self.deadline.spent(last)
        self.policy.sleep(delay)

    def _rewrite(self, url: str) -> str:
        """Send Sheets API URLs to the configured root."""
        return self.root + url[len(SHEETS_ROOT):] if url.startswith(SHEETS_ROOT) else url

    def _authorized(self, method: str, url: str, headers: Mapping[str, str] | None) -> dict[str, str]:
        """The request's headers plus a current bearer token (stale credentials are refreshed)."""
        out = dict(headers or {})
        if isinstance(self.credentials, str):
            out["Authorization"] = f"Bearer {self.credentials.strip()}"
            return out
        try:
            self.credentials.before_request(AuthRequest(self._auth_session), method, url, out)
        except (google.auth.exceptions.RefreshError, google.auth.exceptions.TransportError) as error:
            raise _token_failure(error) from error
        return out

    def _refresh(self) -> None:
        """Get a new access token now."""
        assert not isinstance(self.credentials, str)
        try:
            self.credentials.refresh(AuthRequest(self._auth_session))
        except (google.auth.exceptions.RefreshError, google.auth.exceptions.TransportError) as error:
            raise _token_failure(error) from error


class _TokenSession(requests.Session):
    """The session google-auth fetches access tokens with: no rewrite and no retry of ours (google-auth
    retries its token endpoint itself), but every request is cut to the run's time left — google-auth's
    own default timeout is 120 s, half of a whole run's budget."""

    def __init__(self, deadline: Deadline, timeout: Timeout) -> None:
        super().__init__()
        self.deadline = deadline
        self.timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send with the run's timeout; refuse (as a timeout) once the run's budget is spent."""
        if self.deadline.left() <= 0:
            raise requests.Timeout("the run's time budget is spent")
        kwargs["timeout"] = self.deadline.cut(self.timeout)
        return super().request(method, url, *args, **kwargs)


def _token_failure(error: Exception) -> SheetsError:
    """The error for a failed access-token request.

    Google refusing the credentials (a revoked or malformed key: a RefreshError google-auth does not
    mark retryable) is the caller's to fix; the token service being unreachable or answering 5xx is
    Google being unavailable, never a bad key.
    """
    if isinstance(error, google.auth.exceptions.RefreshError) and not getattr(error, "retryable", False):
        return SheetsAuthError(f"Google refused to issue an access token ({error}): check the service "
                               "account key or sign in again.")
    return SheetsUnavailable("Google's sign-in service did not issue an access token (it is unreachable or "
                             "failing). Nothing was changed; try again in a few minutes.")


def _never_sent(error: Exception) -> bool:
    """True when the request surely never reached Google (no connection was made)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


def _lost_write(problem: object) -> str:
    """The message when a write's outcome is unknown."""
    return (f"The connection to Google Sheets failed while the results were being written ({problem}). "
            "The write is all-or-nothing, so the spreadsheet holds either the old or the new results; "
            "run the recalculation again.")


def google_message(response: requests.Response) -> str:
    """Google's ``error.message`` from an error body ('' when the body is not Google's JSON)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300].strip()
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("message", "")) if isinstance(error, dict) else ""


def error_for(response: requests.Response) -> SheetsError:
    """The narrow error for a non-retryable error response."""
    status, said = response.status_code, google_message(response)
    if status == 401:
        return SheetsAuthError(f"Google rejected the credentials (HTTP 401: {said}). Sign in again or "
                               "check the service account key.", status, said)
    if status == 403:
        return SheetsForbidden(f"No permission for this spreadsheet (HTTP 403: {said}). Ask its owner to "
                               "share it with you (or the service account) as an editor.", status, said)
    if status == 404:
        return SpreadsheetNotFound(f"Spreadsheet not found (HTTP 404: {said}). Check the ID in the URL.",
                                   status, said)
    return SheetsRequestError(f"Google Sheets rejected the request (HTTP {status}): {said}", status, said)


def make_client(credentials: Credentials, root: str | None = None,
                policy: RetryPolicy | None = None) -> gspread.Client:
    """A gspread client whose every call goes through a :class:`SheetsSession`.

    Make one per run: the run's time budget (``policy.budget``) starts now.
    """
    session = SheetsSession(credentials, root, policy)
    client = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
    client.set_timeout(session.policy.timeout)
    return client


def service_account_credentials(path: str | None = None) -> google.auth.credentials.Credentials:
    """Service-account credentials from ``path`` or ``GOOGLE_APPLICATION_CREDENTIALS``."""
    from google.oauth2 import service_account

    key_file = path or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if not key_file:
        raise SheetsAuthError("No Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service "
                              "account key file, or sign in with a Google account.")
    try:
        return service_account.Credentials.from_service_account_file(key_file, scopes=list(SCOPES))
    except (OSError, ValueError) as error:
        raise SheetsAuthError(f"Cannot use the service account key {key_file!r}: {error}") from error


def call(client: gspread.Client, method: str, url: str, *, params: Mapping[str, Any] | None = None,
         body: Mapping[str, Any] | None = None, service: str = "Google Sheets",
         encoded_body: bytes | None = None) -> dict[str, Any]:
    """One API call through the client's HTTP layer; returns the JSON object it answered.

    ``service`` names the API in the message when the answer is not a JSON object (Drive answers
    through the same session in service-account mode).

    ``APIError`` can only come from a client built without a :class:`SheetsSession`; it is wrapped
    the same way, so callers only ever see :class:`SheetsError`. ``encoded_body`` is a body already
    encoded (the writer measures its size before sending it, and encodes it only once).
    """
    content = call_bytes(client, method, url, params=params, body=body, encoded_body=encoded_body)
    try:
        # orjson: a big spreadsheet's answers are a hundred megabytes, decoded about 6x faster
        data = orjson.loads(content)
    except (ValueError, RecursionError) as error:  # HTML from a proxy; JSON nested past the parser's depth
        raise not_json(service, error) from error
    if not isinstance(data, dict):
        raise not_json(service)
    return data


def call_bytes(client: gspread.Client, method: str, url: str, *, params: Mapping[str, Any] | None = None,
               body: Mapping[str, Any] | None = None, encoded_body: bytes | None = None) -> bytes:
    """:func:`call` without decoding: the answer's bytes, for a caller that decodes only what it uses."""
    data, headers = encoded_body, {"Content-Type": "application/json; charset=utf-8"} if encoded_body else None
    if body is not None:
        # Compact UTF-8 JSON: Russian text as 2 bytes a letter, not 6 (``\u0441``), no padding spaces;
        # NaN is refused here rather than sent as invalid JSON.
        data = orjson.dumps(body)
        headers = {"Content-Type": "application/json; charset=utf-8"}
    try:
        # prettyPrint=false: Google indents its JSON answers by default, a third of a big read.
        query = {"prettyPrint": "false", **(params or {})}
        response = client.http_client.request(method, url, params=query, data=data, headers=headers)
    except APIError as error:
        raise error_for(error.response) from None
    return response.content


def not_json(service: str, error: Exception | None = None) -> SheetsUnavailable:
    """The error for an answer that is not a JSON object (HTML from a proxy, a cut or odd answer)."""
    if error is None:
        return SheetsUnavailable(f"{service} answered with an unexpected JSON value; try again later.")
    return SheetsUnavailable(f"{service} answered with something that is not JSON ({error}); try again later.")
