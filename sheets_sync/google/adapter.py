"""The Google Sheets adapter's small facade: connect, read, write, set up, recalculate.

A recalculation makes exactly three calls (PRODUCT.md §7): ``spreadsheets.get`` (metadata and number
formats), ``values.batchGet`` (the input tabs) and one atomic ``spreadsheets.batchUpdate`` (every
result tab, highlight, protection and chart). A failure raises a
:class:`~sheets_sync.google.http.SheetsError` subclass whose message a person can act on; a failed
write changes nothing.
"""

from __future__ import annotations

from datetime import date

import gspread

from formulas.contract import TAB_BY_KEY, norm
from formulas.engine import Outcome, recalculate
from formulas.raw import RawWorkbook
from formulas.read.tabs import input_tab_spec
from formulas.report.model import Report
from sheets_sync.google.http import (
    Credentials,
    RetryPolicy,
    call,
    make_client,
    service_account_credentials,
    spreadsheet_url,
)
from sheets_sync.google.read import SheetMeta, read_metadata, read_spreadsheet, read_values
from sheets_sync.google.setup import build_setup_batch, missing_tabs
from sheets_sync.google.write import build_batch_update

__all__ = ["connect", "read_spreadsheet", "read_workbook", "recalc_spreadsheet", "setup_spreadsheet",
           "write_report"]


def connect(credentials: Credentials | None = None, root: str | None = None,
            policy: RetryPolicy | None = None) -> gspread.Client:
    """A client for a user's access token, google-auth credentials, or (None) the service account."""
    chosen = credentials if credentials is not None else service_account_credentials()
    return make_client(chosen, root, policy)


def write_report(client: gspread.Client, spreadsheet_id: str, meta: SheetMeta, report: Report) -> None:
    """Write every result tab of ``report`` in one atomic ``batchUpdate``."""
    body = build_batch_update(meta, report)
    call(client, "post", spreadsheet_url(spreadsheet_id, ":batchUpdate"), body=body)


def recalc_spreadsheet(client: gspread.Client, spreadsheet_id: str, as_of: date,
                       report_month: int | None = None) -> Outcome:
    """Read, recalculate and write back a spreadsheet: 2 reads and 1 write."""
    workbook, meta = read_spreadsheet(client, spreadsheet_id)
    outcome = recalculate(workbook, as_of, report_month)
    write_report(client, spreadsheet_id, meta, outcome.report)
    return outcome


def setup_spreadsheet(client: gspread.Client, spreadsheet_id: str, lang: str | None = None) -> list[str]:
    """Create the missing input tabs; return their titles (no write when nothing is missing).

    Calls: one metadata read; one header read of an existing Team tab when manager drop-downs of a
    new tab must point at it; one ``batchUpdate``.
    """
    meta, _ = read_metadata(client, spreadsheet_id, with_formats=False)
    team = next((s for s in meta.input_sheets() if _spec_key(s.title) == "team"), None)
    team_manager = None
    if team is not None and missing_tabs(meta):
        (rows,) = read_values(client, spreadsheet_id, [team.title])
        team_manager = _manager_column(team.title, rows)
    body = build_setup_batch(meta, lang, team_manager)
    if not body["requests"]:
        return []
    call(client, "post", spreadsheet_url(spreadsheet_id, ":batchUpdate"), body=body)
    return [r["addSheet"]["properties"]["title"] for r in body["requests"] if "addSheet" in r]


def _spec_key(title: str) -> str | None:
    """The input tab key a title names."""
    spec = input_tab_spec(title)
    return spec.key if spec else None


def _manager_column(title: str, rows: list[list[object]]) -> tuple[str, int] | None:
    """(Team title, column of its Manager header), or None when the header row has none."""
    column = TAB_BY_KEY["team"].columns[0]  # Manager / Менеджер
    header = rows[0] if rows else []
    for col, text in enumerate(header):
        if norm(text) in (norm(column.en), norm(column.ru)):
            return title, col
    return None


def read_workbook(client: gspread.Client, spreadsheet_id: str) -> RawWorkbook:
    """Only the input tabs, as the core reads them (for ``premia check``)."""
    return read_spreadsheet(client, spreadsheet_id)[0]
