"""The service's JSON routes: recalculate, set up, explain one cell (PRODUCT.md sections 1 and 7).

Every answer is JSON; every failure is ``{"ok": false, "error": {"code", "message"}}`` with a 4xx
status (5xx only when Google is down or for a bug), never a stack trace. Credentials come from
:mod:`entrypoints.auth`; the Google adapter does all the talking to the Sheets API.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from entrypoints import dates
from entrypoints.auth import AuthProblem, RateLimiter, authenticate, require_editor
from entrypoints.jobs import recalculate_spreadsheet
from formulas.months import month_label
from formulas.report.drill import explain_cell
from sheets_sync.google import GoogleSpreadsheet, connect, setup_spreadsheet
from sheets_sync.google.http import RetryPolicy

api = Blueprint("api", __name__)
log = logging.getLogger("premia.api")
SPREADSHEET_ID = re.compile(r"^[A-Za-z0-9_-]{10,200}$")


class BadRequest(Exception):
    """The request itself is malformed: 400 with a plain message."""


def _caller_client(spreadsheet_id: str) -> Any:
    """Authenticate, rate-limit and authorize the caller; return a Sheets client acting for them.

    The client is made once per request, so the run's time budget (``RUN_BUDGET``, PRODUCT.md §7)
    covers the Drive check, both reads and the write; it is closed when the request ends.
    """
    if not SPREADSHEET_ID.match(spreadsheet_id):
        raise BadRequest("That is not a spreadsheet ID: copy the part of the sheet's URL between /d/ and /edit.")
    config = current_app.config
    caller = authenticate(config, request.headers.get("Authorization"))
    g.caller = caller.id
    limiter: RateLimiter = current_app.extensions["premia_limiter"]
    if not limiter.allow(caller.id):
        raise AuthProblem(429, "rate_limited", "Too many requests: wait a minute and try again.")
    client = connect(caller.credentials, config.get("SHEETS_API_ROOT"),
                     RetryPolicy(budget=float(config["RUN_BUDGET"])))
    g.setdefault("sheets_clients", []).append(client)
    require_editor(caller, spreadsheet_id, config, client)
    return client


@api.teardown_app_request
def _close_clients(_error: BaseException | None) -> None:
    """Close the connection pools of the clients this request made."""
    for client in g.pop("sheets_clients", []):
        client.http_client.session.close()


def _as_of(source: Mapping[str, Any]) -> date | None:
    """The ``as_of`` of a JSON body or a query; None means today in the spreadsheet's time zone (the job's).

    Only a string is a date here: a number or a list is refused like any other bad date.
    """
    value = source.get("as_of")
    if not isinstance(value, str | None):
        raise BadRequest(dates.RULE)
    try:
        return dates.parse_as_of(value)
    except ValueError as problem:
        raise BadRequest(str(problem)) from None


def _json_body() -> dict[str, Any]:
    """The request's JSON object (an empty body counts as {})."""
    if not request.get_data(cache=True):
        return {}
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # "[[[[…" nested deeper than Python's parser goes: 64 KB is enough for that
        raise BadRequest("The request body is nested too deeply to be a request of this service.") from None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    return body


@api.post("/v1/spreadsheets/<spreadsheet_id>/recalculate")
def recalculate_route(spreadsheet_id: str) -> Any:
    """Read the input tabs, compute, and write every result tab in one atomic batch."""
    body = _json_body()
    as_of = _as_of(body)
    client = _caller_client(spreadsheet_id)
    outcome = recalculate_spreadsheet(GoogleSpreadsheet(client, spreadsheet_id), as_of)
    issues = len(outcome.inputs.issues)
    log.info("recalculated caller=%s issues=%d", g.caller, issues)
    return jsonify({
        "ok": True, "issues": issues, "managers": len(outcome.summary),
        "report_month": month_label(outcome.report_month),
        "message": f"Recalculated {month_label(outcome.report_month)} for {len(outcome.summary)} managers. "
                   f"Input issues: {issues}.",
    })


@api.post("/v1/spreadsheets/<spreadsheet_id>/setup")
def setup_route(spreadsheet_id: str) -> Any:
    """Create the missing input tabs with headers, drop-downs and notes; never touch existing ones.

    ``{"with": ["splits", "scenario"]}`` also creates those optional tabs (PRODUCT.md 3b, 3c).
    """
    body = _json_body()
    optional = body.get("with", [])
    if not isinstance(optional, list) or not set(optional) <= {"splits", "scenario"}:
        raise BadRequest('with must be a list of "splits" and "scenario".')
    client = _caller_client(spreadsheet_id)
    created = setup_spreadsheet(client, spreadsheet_id, optional=tuple(optional))
    message = f"Created tabs: {', '.join(created)}." if created else "All input tabs are already there."
    return jsonify({"ok": True, "created": created, "message": message})


@api.get("/v1/spreadsheets/<spreadsheet_id>/explain")
def explain_route(spreadsheet_id: str) -> Any:
    """The drill-down of one result cell: formula, rule and contributions (nothing is written)."""
    sheet, cell = request.args.get("sheet", ""), request.args.get("cell", "")
    if not sheet or not cell:
        raise BadRequest("Give the result tab and the cell, e.g. ?sheet=Statements&cell=G5.")
    as_of = _as_of(request.args)
    client = _caller_client(spreadsheet_id)
    outcome = recalculate_spreadsheet(GoogleSpreadsheet(client, spreadsheet_id), as_of, write=False)
    answer = explain_cell(outcome, sheet, cell)
    if answer is None:
        raise BadRequest(f"{sheet}!{cell} is not a cell of a Premia result tab.")
    return jsonify({"ok": True, **answer})
