"""The Google Sheets adapter's small facade: connect, the adapter-protocol class, and set up.

A recalculation makes exactly three calls (PRODUCT.md §7): ``spreadsheets.get`` (metadata and number
formats), ``values.batchGet`` (the input tabs) and one atomic ``spreadsheets.batchUpdate`` (every
result tab, highlight, protection and chart). A failure raises a
:class:`~sheets_sync.google.http.SheetsError` subclass whose message a person can act on; a failed
write changes nothing. What happens around the write when someone else changes the spreadsheet meanwhile
is in :mod:`.guard`: a rejected write is explained by one more metadata read, and a user's rule the write
deleted is put back by one more small write (neither happens on an ordinary run).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import gspread

from formulas.contract import TAB_BY_KEY, norm
from formulas.raw import RawTab, RawWorkbook
from formulas.read.tabs import input_tab_spec
from formulas.report.model import Report
from formulas.text import say
from sheets_sync.google.budget import CELL_LIMIT, check_cells
from sheets_sync.google.guard import RecalculatedMeanwhile, lost_rules, restore_requests, verdict
from sheets_sync.google.http import (
    Credentials,
    RetryPolicy,
    SheetsError,
    SheetsRequestError,
    call,
    make_client,
    service_account_credentials,
    spreadsheet_url,
)
from sheets_sync.google.read import SheetMeta, existing_language, raw_tab, read_metadata, read_spreadsheet, read_values
from sheets_sync.google.reuse import BuiltCells
from sheets_sync.google.setup import build_setup_batch, missing_tabs
from sheets_sync.google.staged import BODY_LIMIT, encoded, estimated_bytes, one_body, staged_plan
from sheets_sync.protocol import SpreadsheetChanged

__all__ = ["GoogleSpreadsheet", "connect", "setup_spreadsheet"]
log = logging.getLogger("premia.google")


def connect(credentials: Credentials | None = None, root: str | None = None,
            policy: RetryPolicy | None = None) -> gspread.Client:
    """A client for a user's access token, google-auth credentials, or (None) the service account."""
    chosen = credentials if credentials is not None else service_account_credentials()
    return make_client(chosen, root, policy)


class GoogleSpreadsheet:
    """A Google spreadsheet behind the adapter protocol: 2 reads, then 1 atomic ``batchUpdate``."""

    def __init__(self, client: gspread.Client, spreadsheet_id: str, body_limit: int = BODY_LIMIT,
                 cell_limit: int = CELL_LIMIT) -> None:
        self.client = client
        self.spreadsheet_id = spreadsheet_id
        self.body_limit = body_limit  # bytes per request body; Google refuses more than 10 485 760
        self.cell_limit = cell_limit  # cells per spreadsheet, every tab's grid counted
        self._meta: SheetMeta | None = None

    @property
    def name(self) -> str:
        """The spreadsheet's title once read, else its id."""
        return self._meta.title if self._meta and self._meta.title else self.spreadsheet_id

    def read(self) -> RawWorkbook:
        """Read 1 (metadata, formats, time zone) and read 2 (the input tabs' values)."""
        workbook, self._meta = read_spreadsheet(self.client, self.spreadsheet_id)
        return workbook

    def write(self, report: Report) -> None:
        """Every result tab, highlight, protection and chart in one atomic ``batchUpdate``; or, when that
        body would pass the request size limit, a staged write whose last request swaps the tabs in.

        Nothing is sent when the results would take the spreadsheet over Google's cell limit. A write
        Google rejects because the spreadsheet changed since :meth:`read` raises
        :class:`RecalculatedMeanwhile` (another run's results are there) or :class:`SpreadsheetChanged`;
        a write that deleted a user's conditional-format rule (added meanwhile) puts it back and raises
        :class:`SpreadsheetChanged`, so the job recalculates from a fresh read.
        """
        if self._meta is None:
            raise RuntimeError("read the spreadsheet before writing to it")  # a programming error
        try:
            requests, answer = self._write(report, self._meta)
        except SheetsRequestError as error:
            explained = self._explained(error, self._meta)
            if explained is error:
                raise
            raise explained from error
        self._check_rules(requests, answer, self._meta)

    def _write(self, report: Report, meta: SheetMeta) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Send the write; return the subrequests of its committing body and Google's answer to it."""
        # Results clearly too big for one request go straight to staging: building the one body first
        # would cost a big agency seconds for nothing.
        built = BuiltCells()  # the tabs the one-request attempt builds, for the staged write to take over
        if estimated_bytes(report) <= 3 * self.body_limit:
            one = one_body(meta, report, self.body_limit, built)
            if one is not None:
                check_cells(meta, report, staged=False, limit=self.cell_limit)
                return one[0], self._send(one[1])
        check_cells(meta, report, staged=True, limit=self.cell_limit)
        plan = staged_plan(meta, report, uuid.uuid4().hex[:8], self.body_limit, built)
        added: list[int] = []
        answer: dict[str, Any] = {}
        for index, staged in enumerate(plan.bodies):
            try:
                answer = self._send(staged)
            except SheetsError:
                self._remove(added)
                raise
            if index < len(plan.added):
                added += plan.added[index]
        return plan.swap, answer

    def _send(self, body: bytes) -> dict[str, Any]:
        """One ``batchUpdate`` with an encoded body; Google's answer."""
        return call(self.client, "post", spreadsheet_url(self.spreadsheet_id, ":batchUpdate"), encoded_body=body)

    def _explained(self, error: SheetsRequestError, meta: SheetMeta) -> SheetsError | SpreadsheetChanged:
        """Why Google rejected the write, from one fresh metadata read: another run's results landed
        first, or the spreadsheet changed under the write; else Google's own error as it was."""
        try:
            now, _ = read_metadata(self.client, self.spreadsheet_id, with_formats=False)
        except SheetsError:
            return error
        why, lang = verdict(meta, now), existing_language(meta)
        if why == "another_run":
            return RecalculatedMeanwhile(say("google.recalculated_meanwhile", lang, name=self.name),
                                         error.status, error.google_message)
        if why == "changed":
            return SpreadsheetChanged(say("google.changed_meanwhile", lang, name=self.name))
        return error

    def _check_rules(self, requests: list[dict[str, Any]], answer: dict[str, Any], meta: SheetMeta) -> None:
        """Put back any user's rule the committed write deleted (see :mod:`.guard`), then have the job
        start over: the fresh run removes Premia's own rule that the wrong deletion left behind."""
        own = {sheet.sheet_id for sheet in meta.sheets if sheet.premia_key is not None}
        lost = lost_rules(requests, answer.get("replies") or [], own)
        if not lost:
            return
        try:
            self._send(encoded({"requests": restore_requests(lost)}))
        except SheetsRequestError:  # the list shrank again meanwhile: put them back at most at its end
            now, _ = read_metadata(self.client, self.spreadsheet_id, with_formats=False)
            self._send(encoded({"requests": restore_requests(lost, {s.sheet_id: s.rule_count for s in now.sheets})}))
        titles = sorted({sheet.title for sheet in meta.sheets if sheet.sheet_id in {e.sheet_id for e in lost}})
        raise SpreadsheetChanged(say("google.rules_put_back", existing_language(meta), name=self.name,
                                     tabs=", ".join(titles), count=len(lost)))

    def _remove(self, sheet_ids: list[int]) -> None:
        """Delete the staging tabs a failed staged write added; if that fails too, the next write does it."""
        if not sheet_ids:
            return
        try:
            self._send(encoded({"requests": [{"deleteSheet": {"sheetId": sheet_id}} for sheet_id in sheet_ids]}))
        except SheetsError:
            log.warning("staging tabs left for the next run to remove: %s", sheet_ids)


def setup_spreadsheet(client: gspread.Client, spreadsheet_id: str, lang: str | None = None,
                      optional: tuple[str, ...] = ()) -> list[str]:
    """Create the missing input tabs, and the optional ones ``optional`` names ("splits", "scenario"); return
    their titles (no write when nothing is missing).

    Calls: one metadata read; one header read of an existing Team tab when manager drop-downs of a
    new tab must point at it; one ``batchUpdate``.
    """
    meta, _ = read_metadata(client, spreadsheet_id, with_formats=False)
    team = next((s for s in meta.input_sheets() if _spec_key(s.title) == "team"), None)
    team_manager = None
    if team is not None and missing_tabs(meta, optional):
        (columns,) = read_values(client, spreadsheet_id, [team.title])
        team_manager = _manager_column(raw_tab(team.title, columns, {}))
    body = build_setup_batch(meta, lang, team_manager, optional)
    if not body["requests"]:
        return []
    call(client, "post", spreadsheet_url(spreadsheet_id, ":batchUpdate"), body=body)
    return [r["addSheet"]["properties"]["title"] for r in body["requests"] if "addSheet" in r]


def _spec_key(title: str) -> str | None:
    """The input tab key a title names."""
    spec = input_tab_spec(title)
    return spec.key if spec else None


def _manager_column(team: RawTab) -> tuple[str, int] | None:
    """(Team title, column of its Manager header), or None when the header row has none."""
    column = TAB_BY_KEY["team"].columns[0]  # Manager / Менеджер
    for col, text in enumerate(team.header()):
        if norm(text) in (norm(column.en), norm(column.ru)):
            return team.title, col
    return None
