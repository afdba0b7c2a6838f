"""The service's month-close routes (PRODUCT.md section 3a), called by the add-on's month menu items.

``GET …/months`` lists every month with its state and whether it has ended, and the month each action
would name by default; ``POST …/close`` (``{"month", "as_of"}``), ``…/reopen`` (``{"month", "reason"}``)
and ``…/paid`` (``{"month"}``) each make one recalculation: two reads and one atomic write. ``POST …/whatif``
(``{"from", "to", "as_of"}``, each optional) writes the What-if tab alone (section 3c). A refusal is a 409
with the reason in words; nothing is written.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify, request

from entrypoints.jobs import Refused
from entrypoints.months import close, months_overview, paid, reopen
from entrypoints.routes import BadRequest, _as_of, _caller_client, _json_body
from entrypoints.whatif import whatif_spreadsheet
from sheets_sync.google import GoogleSpreadsheet
from sheets_sync.protocol import SpreadsheetChanged

months_api = Blueprint("months", __name__)
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


def _month(body: dict[str, Any], field: str = "month") -> int:
    """The ``field`` of a body as a month index (400 unless it is ``YYYY-MM``)."""
    value = body.get(field)
    if not isinstance(value, str) or not MONTH.match(value.strip()):
        raise BadRequest(f"{field} must be a month like 2026-03.")
    year, month = value.strip().split("-")
    return int(year) * 12 + int(month) - 1


def _sheet(spreadsheet_id: str) -> GoogleSpreadsheet:
    """The caller's spreadsheet, once they are authenticated and allowed to edit it."""
    return GoogleSpreadsheet(_caller_client(spreadsheet_id), spreadsheet_id)


@months_api.get("/v1/spreadsheets/<spreadsheet_id>/months")
def months_route(spreadsheet_id: str) -> Any:
    """Every month with its state (open, closed, paid) and whether it has ended, and the suggestions."""
    as_of = _as_of(request.args)
    return jsonify({"ok": True, **months_overview(_sheet(spreadsheet_id), as_of)})


@months_api.post("/v1/spreadsheets/<spreadsheet_id>/close")
def close_route(spreadsheet_id: str) -> Any:
    """Close a month: freeze its lines, record the close, recalculate, all in one write."""
    body = _json_body()
    month, as_of = _month(body), _as_of(body)
    done = close(_sheet(spreadsheet_id), month, as_of)
    return jsonify({"ok": True, "message": done.message})


@months_api.post("/v1/spreadsheets/<spreadsheet_id>/reopen")
def reopen_route(spreadsheet_id: str) -> Any:
    """Re-open the latest closed month that is not paid, with a reason."""
    body = _json_body()
    month, as_of = _month(body), _as_of(body)
    reason = body.get("reason")
    if not isinstance(reason, str):
        raise BadRequest("reason must be text: say why the month is re-opened.")
    done = reopen(_sheet(spreadsheet_id), month, reason, as_of)
    return jsonify({"ok": True, "message": done.message})


@months_api.post("/v1/spreadsheets/<spreadsheet_id>/paid")
def paid_route(spreadsheet_id: str) -> Any:
    """Mark a closed month paid."""
    body = _json_body()
    month, as_of = _month(body), _as_of(body)
    done = paid(_sheet(spreadsheet_id), month, as_of)
    return jsonify({"ok": True, "message": done.message})


@months_api.post("/v1/spreadsheets/<spreadsheet_id>/whatif")
def whatif_route(spreadsheet_id: str) -> Any:
    """Compare the Scenario tab with Rules over ``from``..``to`` (default: the last 12 months) and write the
    What-if tab only (PRODUCT.md section 3c): 2 reads, 1 write, no other tab touched."""
    body = _json_body()
    as_of = _as_of(body)
    first, last = (_month(body, end) if body.get(end) is not None else None for end in ("from", "to"))
    done = whatif_spreadsheet(_sheet(spreadsheet_id), as_of, first, last)
    return jsonify({"ok": True, "message": done.message})


@months_api.app_errorhandler(Refused)
def refused(problem: Refused) -> Any:
    """A refused action or run (altered frozen lines, a month that may not change): 409, nothing written."""
    return jsonify({"ok": False, "error": {"code": "month_refused", "message": str(problem)}}), 409


@months_api.app_errorhandler(SpreadsheetChanged)
def changed(problem: SpreadsheetChanged) -> Any:
    """The spreadsheet kept changing during the run: 409, nothing written."""
    return jsonify({"ok": False, "error": {"code": "spreadsheet_changed", "message": str(problem)}}), 409
