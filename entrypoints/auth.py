"""Who is calling, and with which Google credentials Premia may act for them.

* ``user`` mode (the add-on): the caller sends their own OAuth access token as ``Authorization:
  Bearer``; Premia uses it as the credentials, so Google itself decides what the caller may touch.
* ``service_account`` mode (daily timer, CLI): the caller sends a Google ID token; it is verified
  with google-auth against the configured audience, and before acting with the service account's
  broader credentials Premia checks in Drive that the verified user may edit the spreadsheet — so the
  service never becomes a confused deputy.

Tokens are never logged: a caller is known in logs and rate limits by a short hash.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
from google.auth.transport.requests import Request as AuthRequest
from google.oauth2 import id_token

from sheets_sync.google.http import Credentials, make_client, service_account_credentials

GOOGLE_CERTS = "https://www.googleapis.com/oauth2/v1/certs"
ISSUERS = ("accounts.google.com", "https://accounts.google.com")
EDIT_ROLES = frozenset({"owner", "organizer", "fileOrganizer", "writer"})


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
    """The token of an ``Authorization: Bearer …`` header, or an AuthProblem (401)."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthProblem(401, "unauthenticated", "Sign in: send your Google token as 'Authorization: Bearer …'.")
    return token.strip()


def authenticate(config: dict[str, Any], header: str | None) -> Caller:
    """Turn the Authorization header into a :class:`Caller` according to the configured mode."""
    token = bearer(header)
    if config.get("AUTH_MODE", "user") != "service_account":
        return Caller(caller_id(token), token)
    email = verified_email(token, config)
    credentials = config.get("SERVICE_CREDENTIALS") or service_account_credentials()
    return Caller(caller_id(email), credentials, email)


def verified_email(token: str, config: dict[str, Any]) -> str:
    """The e-mail of a valid Google ID token for our audience, or an AuthProblem (401)."""
    audience = config.get("ID_TOKEN_AUDIENCE")
    if not audience:
        raise AuthProblem(500, "misconfigured", "The service has no ID token audience configured.")
    try:
        claims = id_token.verify_token(token, AuthRequest(), audience=audience,
                                       certs_url=config.get("ID_TOKEN_CERTS_URL", GOOGLE_CERTS))
    except (ValueError, google.auth.exceptions.GoogleAuthError) as error:
        raise AuthProblem(401, "invalid_token", f"The ID token was rejected: {error}") from None
    if claims.get("iss") not in ISSUERS:
        raise AuthProblem(401, "invalid_token", "The ID token was not issued by Google.")
    if not claims.get("email") or not claims.get("email_verified"):
        raise AuthProblem(401, "invalid_token", "The ID token carries no verified e-mail address.")
    return str(claims["email"]).lower()


def require_editor(caller: Caller, spreadsheet_id: str, config: dict[str, Any]) -> None:
    """In service-account mode, refuse (403) unless Drive lists the caller as an editor of the file."""
    if not caller.email:
        return  # user mode: Google checks the caller's own token on every call
    client = make_client(caller.credentials, config.get("SHEETS_API_ROOT"))
    root = config.get("DRIVE_API_ROOT", "https://www.googleapis.com/").rstrip("/")
    url = f"{root}/drive/v3/files/{spreadsheet_id}/permissions"
    params = {"fields": "permissions(type,role,emailAddress,domain)", "supportsAllDrives": "true"}
    response = client.http_client.session.request("get", url, params=params)
    permissions = response.json().get("permissions", [])
    domain = caller.email.rpartition("@")[2]
    for permission in permissions:
        if permission.get("role") not in EDIT_ROLES:
            continue
        kind = permission.get("type")
        if (kind in ("user", "group") and str(permission.get("emailAddress", "")).lower() == caller.email) \
                or (kind == "domain" and permission.get("domain") == domain) or kind == "anyone":
            return
    raise AuthProblem(403, "forbidden", f"{caller.email} may not edit this spreadsheet: ask its owner to "
                                        "share it with you as an editor.")


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
