"""Who is calling, and with which Google credentials Premia may act for them.

* ``user`` mode (the add-on): the caller sends their own OAuth access token as ``Authorization:
  Bearer``; Premia uses it as the credentials, so Google itself decides what the caller may touch.
* ``service_account`` mode (daily timer, CLI): the caller sends a Google ID token; it is verified
  with google-auth against the configured audience, and before acting with the service account's
  broader credentials Premia checks in Drive that the verified user may edit the spreadsheet — so the
  service never becomes a confused deputy.

Tokens are never logged nor repeated in an answer: a caller is known in logs and rate limits by a
short hash. Google failing (its certificates, its token service, Drive) is a 503, never the caller's 401.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import google.auth.exceptions
import gspread
import requests
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import id_token

from sheets_sync.google.http import (
    Credentials,
    SheetsUnavailable,
    call,
    make_client,
    service_account_credentials,
)

GOOGLE_CERTS = "https://www.googleapis.com/oauth2/v1/certs"
ISSUERS = ("accounts.google.com", "https://accounts.google.com")
EDIT_ROLES = frozenset({"owner", "organizer", "fileOrganizer", "writer"})
# google-auth waits 120 s for the certificates by default; Google serves them in well under a second,
# and the add-on call that waits on us has 6 minutes in all (PRODUCT.md §7).
CERTS_TIMEOUT = (5.0, 10.0)
# RFC 6750's b64token: all an OAuth bearer token (and a JWT) may contain. Anything else cannot be a
# token, and refusing it here keeps control characters out of the headers we send on.
_B64TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*")
# A JWT is three base64url segments; anything else is refused before the certificates are fetched.
_JWT = re.compile(r"[A-Za-z0-9_-]+=*\.[A-Za-z0-9_-]+=*\.[A-Za-z0-9_-]+=*")
# Drive lists at most 100 permissions a page; 50 pages is far beyond any agency's sharing list and
# stops a Drive that keeps handing out page tokens.
PERMISSION_PAGE_SIZE = 100
PERMISSION_PAGES = 50
# google-auth's rejection messages quote the token or its segments; the caller gets these words only.
_REJECTIONS = (
    ("audience", "The ID token was issued for another service (wrong audience)."),
    ("expired", "The ID token has expired: sign in again."),
    ("too early", "The ID token is not valid yet: check the computer's clock."),
    ("signature", "The ID token's signature does not match Google's keys."),
    ("certificate", "The ID token's signature does not match Google's keys."),
    ("algorithm", "The ID token's signature does not match Google's keys."),
)
_UNREADABLE = "The ID token cannot be read: it must be three dot-separated segments of Google's signed JSON."
CERTS_DOWN = ("Google's sign-in keys could not be fetched to check your ID token (our side or Google's, "
              "not yours). Try again in a few minutes.")


class AuthProblem(Exception):
    """The request cannot be served for this caller; carries the HTTP status and a plain message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: a log-safe id, the credentials to act with, and the verified e-mail."""

    id: str
    credentials: Credentials
    email: str = ""


def caller_id(secret: str) -> str:
    """A short, stable, non-reversible id for logs and rate limiting."""
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header, or an AuthProblem (401).

    The refusal never repeats the header: it may hold a real token sent the wrong way.
    """
    scheme, _, token = (header or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthProblem(401, "unauthenticated", "Sign in: send your Google token as 'Authorization: Bearer …'.")
    if not _B64TOKEN.fullmatch(token):
        raise AuthProblem(401, "invalid_token", "The Authorization header does not hold a Google token: "
                                                "sign in again.")
    return token


def authenticate(config: dict[str, Any], header: str | None) -> Caller:
    """Turn the Authorization header into a :class:`Caller` according to the configured mode."""
    token = bearer(header)
    if config.get("AUTH_MODE", "user") != "service_account":
        return Caller(caller_id(token), token)
    email = verified_email(token, config)
    credentials = config.get("SERVICE_CREDENTIALS") or service_account_credentials()
    return Caller(caller_id(email), credentials, email)


def verified_email(token: str, config: dict[str, Any]) -> str:
    """The e-mail of a valid Google ID token for our audience, or an AuthProblem.

    401 when the token is bad (in our words: google-auth's quote the token); 503 when Google's
    certificates cannot be fetched — that outage is ours, not the caller's.
    """
    audience = config.get("ID_TOKEN_AUDIENCE")
    if not audience:
        raise AuthProblem(500, "misconfigured", "The service has no ID token audience configured.")
    if not _JWT.fullmatch(token):
        raise AuthProblem(401, "invalid_token", "The ID token is not a Google ID token: it must be three "
                                                "dot-separated segments.")
    certs_url = config.get("ID_TOKEN_CERTS_URL", GOOGLE_CERTS)
    try:
        with requests.Session() as session:
            claims = id_token.verify_token(token, _CertsRequest(session), audience=audience, certs_url=certs_url)
    except _CertsUnavailable:
        raise AuthProblem(503, "unavailable", CERTS_DOWN) from None
    except (ValueError, TypeError, google.auth.exceptions.GoogleAuthError) as error:
        # TypeError too: a segment can decode to JSON of any shape (a list header, a string ``alg``).
        raise AuthProblem(401, "invalid_token", _rejection(error)) from None
    if claims.get("iss") not in ISSUERS:
        raise AuthProblem(401, "invalid_token", "The ID token was not issued by Google.")
    if not claims.get("email") or not claims.get("email_verified"):
        raise AuthProblem(401, "invalid_token", "The ID token carries no verified e-mail address.")
    return str(claims["email"]).lower()


def _rejection(error: Exception) -> str:
    """Our plain reason for google-auth's rejection of a token (its own text is never passed on)."""
    said = str(error).lower()
    return next((reason for needle, reason in _REJECTIONS if needle in said), _UNREADABLE)


class _CertsUnavailable(Exception):
    """Google's ID-token certificates could not be fetched (not a GoogleAuthError, so it is told apart)."""


class _CertsRequest(AuthRequest):
    """google-auth's transport for the certificate fetch: a short timeout, and any failure to get the
    certificates raised as :class:`_CertsUnavailable` rather than as a rejection of the caller's token."""

    def __call__(self, url: str, method: str = "GET", body: Any = None, headers: Any = None,
                 timeout: Any = None, **kwargs: Any) -> Any:
        """Fetch ``url`` within :data:`CERTS_TIMEOUT`; only a 200 certificate map counts as an answer."""
        try:
            response = super().__call__(url, method, body, headers, timeout=CERTS_TIMEOUT, **kwargs)
        except google.auth.exceptions.TransportError:
            raise _CertsUnavailable() from None
        if response.status != 200 or not _is_certificate_map(response.data):
            raise _CertsUnavailable()
        return response


def _is_certificate_map(data: bytes) -> bool:
    """True when ``data`` is what :data:`GOOGLE_CERTS` serves: a JSON object of key id -> PEM text.

    (A JWK set, ``{"keys": [...]}``, would need PyJWT, which Premia does not install.)
    """
    try:
        certs = json.loads(data)
    except (ValueError, RecursionError):
        return False
    return isinstance(certs, dict) and bool(certs) and all(isinstance(v, str) for v in certs.values())


def require_editor(caller: Caller, spreadsheet_id: str, config: dict[str, Any],
                   client: gspread.Client | None = None) -> None:
    """In service-account mode, refuse (403) unless Drive lists the caller as an editor of the file.

    ``client`` is the run's client (its time budget then covers this check too); without one a client
    is made and closed here.
    """
    if not caller.email:
        return  # user mode: Google checks the caller's own token on every call
    own = client is None
    checker = client or make_client(caller.credentials, config.get("SHEETS_API_ROOT"))
    try:
        if any(_lets_edit(p, caller.email) for p in drive_permissions(checker, spreadsheet_id, config)):
            return
    finally:
        if own:
            checker.http_client.session.close()
    raise AuthProblem(403, "forbidden", f"{caller.email} may not edit this spreadsheet: ask its owner to "
                                        "share it with you as an editor.")


def drive_permissions(client: gspread.Client, spreadsheet_id: str,
                      config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every permission Drive lists for the file, page after page (``nextPageToken``), lazily.

    An answer that is not a permission list is Google misbehaving: :class:`SheetsUnavailable` (503).
    """
    root = config.get("DRIVE_API_ROOT", "https://www.googleapis.com/").rstrip("/")
    url = f"{root}/drive/v3/files/{quote(spreadsheet_id, safe='')}/permissions"
    params = {"fields": "nextPageToken,permissions(type,role,emailAddress,domain)", "supportsAllDrives": "true",
              "pageSize": str(PERMISSION_PAGE_SIZE)}
    page_token = ""
    for _ in range(PERMISSION_PAGES):
        page = call(client, "get", url, params={**params, **({"pageToken": page_token} if page_token else {})},
                    service="Google Drive")
        permissions, page_token = page.get("permissions", []), page.get("nextPageToken") or ""
        if not isinstance(permissions, list) or not all(isinstance(p, dict) for p in permissions) \
                or not isinstance(page_token, str):
            raise SheetsUnavailable("Google Drive answered with a permission list Premia cannot read; "
                                    "try again in a few minutes.")
        yield from permissions
        if not page_token:
            return
    raise SheetsUnavailable(f"Google Drive kept listing permissions beyond {PERMISSION_PAGES} pages; "
                            "try again in a few minutes.")


def _lets_edit(permission: dict[str, Any], email: str) -> bool:
    """True when this Drive permission lets ``email`` edit: as a user or group, by domain, or anyone."""
    role = permission.get("role")
    if not isinstance(role, str) or role not in EDIT_ROLES:  # a list or dict is not hashable
        return False
    kind = permission.get("type")
    if kind in ("user", "group"):
        return str(permission.get("emailAddress", "")).lower() == email
    if kind == "domain":
        return permission.get("domain") == email.rpartition("@")[2]
    return kind == "anyone"


class RateLimiter:
    """A per-caller sliding window: at most ``limit`` requests per ``window`` seconds (in memory)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allow(self, caller: str, now: float | None = None) -> bool:
        """Record a request; False when the caller is over the limit."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            recent = [t for t in self._seen.get(caller, []) if moment - t < self.window]
            if len(recent) >= self.limit:
                self._seen[caller] = recent
                return False
            recent.append(moment)
            self._seen[caller] = recent
            return True
