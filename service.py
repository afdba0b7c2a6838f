"""Premia's Flask service and its ``flask --app service premia …`` command line.

Only wiring lives here: adapters in ``sheets_sync`` read and write spreadsheets, ``formulas``
computes. Nothing is built at import time (Flask tutorial's ``create_app``); ``gunicorn
'service:create_app()'`` is the production entry point (app.yaml).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from entrypoints.auth import AuthProblem, RateLimiter
from entrypoints.commands import premia_cli
from entrypoints.routes import BadRequest, api
from entrypoints.routes_months import months_api
from sheets_sync.google.budget import CellBudgetExceeded
from sheets_sync.google.guard import RecalculatedMeanwhile
from sheets_sync.google.http import (
    RUN_BUDGET,
    SheetsAuthError,
    SheetsError,
    SheetsForbidden,
    SheetsUnavailable,
    SpreadsheetNotFound,
)
from sheets_sync.google.write import ResultTabConflict

DEFAULTS = {
    "MAX_CONTENT_LENGTH": 64 * 1024,  # requests carry an as_of date at most; 413 beyond this
    "AUTH_MODE": "user",  # or "service_account"
    "RATE_LIMIT": 30,  # requests per caller per minute
    "RUN_BUDGET": RUN_BUDGET,  # seconds a whole run may take, retries included (PRODUCT.md §7)
}
SHEETS_STATUS = [(SheetsAuthError, 401, "unauthenticated"), (SheetsForbidden, 403, "forbidden"),
                 (SpreadsheetNotFound, 404, "not_found"), (ResultTabConflict, 409, "tab_conflict"),
                 (CellBudgetExceeded, 409, "too_many_cells"), (RecalculatedMeanwhile, 409, "recalculated_meanwhile"),
                 (SheetsUnavailable, 503, "unavailable"), (SheetsError, 502, "google_rejected")]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: configuration, routes, JSON error handlers and the ``premia`` commands."""
    app = Flask(__name__)
    # "…/spreadsheets//recalculate" would get an HTML redirect to the merged path; an odd path is a JSON 404.
    app.url_map.merge_slashes = False
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("PREMIA")
    if test_config:
        app.config.update(test_config)
    _check_budget(app.config["RUN_BUDGET"])
    app.extensions["premia_limiter"] = RateLimiter(int(app.config["RATE_LIMIT"]))
    app.register_blueprint(api)
    app.register_blueprint(months_api)
    _register_errors(app)

    @app.get("/healthz")
    def healthz() -> Any:
        """Liveness probe for App Engine and load balancers."""
        return jsonify({"status": "ok"})

    app.cli.add_command(premia_cli)
    return app


def _check_budget(budget: Any) -> None:
    """Refuse to start with a run budget that is not a positive number (better at boot than per request)."""
    if isinstance(budget, bool) or not isinstance(budget, int | float) or not budget > 0:
        raise ValueError(f"PREMIA_RUN_BUDGET must be a positive number of seconds, not {budget!r}")


def error(status: int, code: str, message: str) -> tuple[Any, int]:
    """The one JSON shape of every failure."""
    return jsonify({"ok": False, "error": {"code": code, "message": message}}), status


def _register_errors(app: Flask) -> None:
    """Map every failure to a JSON answer with a clear status; never leak a stack trace."""
    log = logging.getLogger("premia.api")

    @app.errorhandler(BadRequest)
    def bad_request(problem: BadRequest) -> tuple[Any, int]:
        return error(400, "bad_request", str(problem))

    @app.errorhandler(AuthProblem)
    def auth_problem(problem: AuthProblem) -> tuple[Any, int]:
        return error(problem.status, problem.code, str(problem))

    @app.errorhandler(SheetsError)
    def sheets_problem(problem: SheetsError) -> tuple[Any, int]:
        status, code = next((s, c) for kind, s, c in SHEETS_STATUS if isinstance(problem, kind))
        return error(status, code, str(problem))

    @app.errorhandler(HTTPException)
    def http_problem(problem: HTTPException) -> tuple[Any, int]:
        messages = {413: "The request is too large.", 404: "No such endpoint.", 405: "Method not allowed."}
        return error(problem.code or 500, (problem.name or "error").lower().replace(" ", "_"),
                     messages.get(problem.code or 0, problem.description or ""))

    @app.errorhandler(Exception)
    def unexpected(problem: Exception) -> tuple[Any, int]:
        log.exception("unexpected error")  # the trace goes to the log, never to the caller
        return error(500, "internal", "Premia hit an unexpected error; nothing was written. Try again later.")
