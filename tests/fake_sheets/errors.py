"""Google's error bodies: `{"error": {"code", "message", "status", ["details"]}}`.

Shapes and messages for 400/403/404 are copied from the recorded gspread cassettes; 401, 429, 500,
503 and 408 follow Google's documented error model (no recording of them exists here).
"""

from __future__ import annotations

from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

DEFAULT_MESSAGES = {
    401: (
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
        "or other valid authentication credential. "
        "See https://developers.google.com/identity/sign-in/web/devconsole-project."
    ),
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    408: "Request timed out.",
    429: (
        "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of "
        "service 'sheets.googleapis.com'."
    ),
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


class Invalid(ValueError):
    """A batchUpdate subrequest is invalid; the dispatcher words it as `Invalid requests[i].kind: ...`."""


class ApiError(Exception):
    """An error the fake answers with; `body()` is the exact JSON Google would send."""

    def __init__(
        self, code: int, message: str | None = None, details: list[dict[str, Any]] | None = None
    ) -> None:
        self.code = code
        self.message = message if message is not None else DEFAULT_MESSAGES.get(code, "Error")
        self.details = details
        super().__init__(f"{code} {self.message}")

    @classmethod
    def invalid(cls, message: str) -> ApiError:
        """A semantic 400 (no details), like `Invalid requests[0].updateSheetProperties: ...`."""
        return cls(400, message)

    @classmethod
    def bad_request(cls, violations: list[tuple[str, str]]) -> ApiError:
        """A payload 400 with `google.rpc.BadRequest` field violations, like the recorded ones."""
        return cls(
            400,
            violations[0][1],
            [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": f, "description": d} for f, d in violations],
                }
            ],
        )

    @classmethod
    def unauthenticated(cls, reason: str) -> ApiError:
        """401 with an ErrorInfo reason (`CREDENTIALS_MISSING`, `ACCESS_TOKEN_EXPIRED`)."""
        message = DEFAULT_MESSAGES[401]
        if reason == "CREDENTIALS_MISSING":
            message = message.replace(
                "Request had invalid authentication credentials",
                "Request is missing required authentication credential",
            )
        return cls(
            401,
            message,
            [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": reason,
                    "domain": "googleapis.com",
                    "metadata": {"service": "sheets.googleapis.com"},
                }
            ],
        )

    def body(self) -> dict[str, Any]:
        """The JSON body: code, message, status and optional details, in Google's key order."""
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
        }
        if self.details:
            error["details"] = self.details
        return {"error": error}


def at(index: int, kind: str, message: str) -> ApiError:
    """A batchUpdate subrequest error, worded like `Invalid requests[0].addSheet: ...`."""
    return ApiError.invalid(f"Invalid requests[{index}].{kind}: {message}")
