"""The only module that talks HTTP to the Google Sheets API: session, endpoint, timeouts, retry, errors.

A :class:`SheetsSession` is a ``requests.Session`` handed to ``gspread.Client(auth=None, session=…)``
(GOOGLE_FACTS.md: patching ``gspread.urls`` does nothing). On every request it

* sends ``https://sheets.googleapis.com/…`` to the root in ``PREMIA_SHEETS_API_ROOT`` (PRODUCT.md §6);
* adds ``Authorization: Bearer …`` from a user's access token or google-auth credentials, refreshing
  them when they are stale or when Google answers 401 once (``AuthorizedSession`` semantics);
* applies a (connect, read) timeout: gspread's default is to wait forever;
* retries at most ``tries`` times with full jitter on 408/429/5xx and network failures, never on
  other 4xx (PRODUCT.md §7), then raises :class:`SheetsUnavailable`;
* turns every other failure into one of the narrow :class:`SheetsError` subclasses, so gspread's
  ``APIError`` never reaches callers.

A write (POST) is retried only when Google surely applied nothing: a status it answers without
running the batch, or a connection that never opened. After a lost answer (read timeout, reset) the
atomic ``batchUpdate`` may already have run, and repeating it could delete the wrong conditional
rules by index; the run stops instead, and repeating the whole recalculation is safe.
"""

from __future__ import annotations

import json
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
_SPREADSHEET_ID = re.compile(r"^[A-Za-z0-9_-]{1,200}$")

Credentials = str | google.auth.credentials.Credentials


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
    """How many tries, how long to wait between them, and the (connect, read) timeout of each."""

    tries: int = 5
    base: float = 0.5
    cap: float = 16.0
    timeout: tuple[float, float] = (5.0, 60.0)
    sleep: Callable[[float], None] = time.sleep
    uniform: Callable[[float, float], float] = random.uniform

    def delay(self, retry: int) -> float:
        """Full jitter before retry number ``retry`` (0 = the first retry)."""
        return self.uniform(0.0, min(self.cap, self.base * 2**retry))


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
    """A session that rewrites the endpoint, authorizes, times out, retries and wraps errors."""

    def __init__(self, credentials: Credentials, root: str | None = None,
                 policy: RetryPolicy | None = None) -> None:
        super().__init__()
        if isinstance(credentials, str) and not credentials.strip():
            raise SheetsAuthError("No Google access token was given: sign in again.")
        self.credentials = credentials
        self.root = api_root(root)
        self.policy = policy or RetryPolicy()
        self._auth_session = requests.Session()  # token refreshes bypass the rewrite and the retry

    def close(self) -> None:
        """Close both connection pools."""
        self._auth_session.close()
        super().close()

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send with the root rewritten, auth and a timeout; retry as the policy allows."""
        verb = method.decode() if isinstance(method, bytes) else method
        target = self._rewrite(url.decode() if isinstance(url, bytes) else url)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.policy.timeout
        idempotent = verb.upper() in ("GET", "HEAD")
        last, refreshed, tries, pause = "", False, 0, False
        while tries < self.policy.tries:
            if pause:
                self.policy.sleep(self.policy.delay(tries - 1))
            tries += 1
            try:
                kwargs["headers"] = self._authorized(verb, target, kwargs.get("headers"))
                response = super().request(verb, target, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                    google.auth.exceptions.TransportError) as error:
                if not (idempotent or _never_sent(error)):
                    raise SheetsUnavailable(_lost_write(error)) from error
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
        except google.auth.exceptions.RefreshError as error:
            raise _refusal(error) from error
        return out

    def _refresh(self) -> None:
        """Get a new access token now."""
        assert not isinstance(self.credentials, str)
        try:
            self.credentials.refresh(AuthRequest(self._auth_session))
        except google.auth.exceptions.RefreshError as error:
            raise _refusal(error) from error
        except google.auth.exceptions.TransportError as error:
            raise SheetsUnavailable(f"Google's token service did not answer ({error}); "
                                    "try again later.") from error


def _refusal(error: Exception) -> SheetsAuthError:
    """The error for credentials Google will not exchange for an access token."""
    return SheetsAuthError(f"Google refused to issue an access token ({error}): check the service account "
                           "key or sign in again.")


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
    """A gspread client whose every call goes through a :class:`SheetsSession`."""
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
         body: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One API call through the client's HTTP layer; returns the JSON body.

    ``APIError`` can only come from a client built without a :class:`SheetsSession`; it is wrapped
    the same way, so callers only ever see :class:`SheetsError`.
    """
    data, headers = None, None
    if body is not None:
        # Compact UTF-8 JSON: Russian text as 2 bytes a letter, not 6 (``\u0441``), no padding spaces;
        # NaN is refused here rather than sent as invalid JSON.
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
    try:
        # prettyPrint=false: Google indents its JSON answers by default, a third of a big read.
        query = {"prettyPrint": "false", **(params or {})}
        response = client.http_client.request(method, url, params=query, data=data, headers=headers)
    except APIError as error:
        raise error_for(error.response) from None
    try:
        data = response.json()
    except ValueError as error:
        raise SheetsUnavailable(f"Google Sheets answered with something that is not JSON ({error}); "
                                "try again later.") from error
    if not isinstance(data, dict):
        raise SheetsUnavailable("Google Sheets answered with an unexpected JSON value; try again later.")
    return data
