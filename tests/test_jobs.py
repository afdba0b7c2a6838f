"""The jobs (entrypoints/jobs.py): one adapter protocol for both spreadsheets, and "today" where they are."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from demo.workbook import write_demo
from entrypoints.jobs import Refused, recalculate_spreadsheet, today_in
from formulas.raw import RawTab, RawWorkbook
from formulas.report.model import Report
from sheets_sync.google import GoogleSpreadsheet, connect
from sheets_sync.local import LocalWorkbook
from sheets_sync.protocol import SpreadsheetChanged
from tests.conftest import OWNER, seed_demo

TEAM_ONLY = [RawTab("Team", [["Manager", "Role"], ["Anna", "sales"]])]


class MemorySheet:
    """A hand-written adapter holding a workbook in memory: what a job needs from any spreadsheet."""

    def __init__(self, workbook: RawWorkbook) -> None:
        self.workbook = workbook
        self.written: list[Report] = []

    @property
    def name(self) -> str:
        return "memory"

    def read(self) -> RawWorkbook:
        return self.workbook

    def write(self, report: Report) -> None:
        self.written.append(report)


def test_today_is_the_date_in_the_spreadsheets_time_zone() -> None:
    # Kiritimati (UTC+14) and Pago Pago (UTC−11) are 25 hours apart: never on the same date.
    east, west = today_in("Pacific/Kiritimati"), today_in("Pacific/Pago_Pago")
    assert 1 <= (east - west).days <= 2
    assert east == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert today_in("") == date.today() == today_in("Not/AZone")  # no zone, or one we do not know


def test_a_job_without_as_of_uses_today_in_the_spreadsheets_zone() -> None:
    sheet = MemorySheet(RawWorkbook(TEAM_ONLY, time_zone="Pacific/Kiritimati"))
    outcome = recalculate_spreadsheet(sheet, None)
    assert outcome.inputs.as_of == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert len(sheet.written) == 1
    recalculate_spreadsheet(sheet, date(2026, 3, 31), write=False)
    assert len(sheet.written) == 1  # a read-only job never writes


def test_google_reads_the_spreadsheets_time_zone(fake, clients) -> None:
    sid = fake.create_spreadsheet("Book", {"Team": [["Manager", "Role"]]}, owner_token=OWNER,
                                  time_zone="Asia/Vladivostok")
    client = connect(OWNER)
    clients.append(client)
    assert GoogleSpreadsheet(client, sid).read().time_zone == "Asia/Vladivostok"


def test_the_same_job_gives_the_same_results_on_both_adapters(fake, clients, tmp_path: Path) -> None:
    as_of = date(2026, 11, 23)
    path = tmp_path / "demo.xlsx"
    write_demo(path, as_of)
    local = recalculate_spreadsheet(LocalWorkbook(path), as_of)
    client = connect(OWNER)
    clients.append(client)
    google = recalculate_spreadsheet(GoogleSpreadsheet(client, seed_demo(fake, as_of)), as_of)
    columns = ["month", "manager_key", "component", "amount"]
    assert local.pay.lines[columns].equals(google.pay.lines[columns])
    assert [tab.rows for tab in local.report.tabs] == [tab.rows for tab in google.report.tabs]


class ChangingSheet(MemorySheet):
    """A spreadsheet a user edits while Premia computes: the first ``changes`` writes find it changed."""

    def __init__(self, workbook: RawWorkbook, changes: int) -> None:
        super().__init__(workbook)
        self.changes = changes
        self.reads = 0

    def read(self) -> RawWorkbook:
        self.reads += 1
        return self.workbook

    def write(self, report: Report) -> None:
        if self.changes:
            self.changes -= 1
            raise SpreadsheetChanged("changed since it was read")
        super().write(report)


def test_a_change_between_read_and_write_starts_the_run_over_once() -> None:
    sheet = ChangingSheet(RawWorkbook(TEAM_ONLY), changes=1)
    recalculate_spreadsheet(sheet, date(2026, 3, 31))
    assert sheet.reads == 2 and len(sheet.written) == 1


def test_two_changes_in_a_row_stop_the_run_without_writing() -> None:
    sheet = ChangingSheet(RawWorkbook(TEAM_ONLY), changes=2)
    with pytest.raises(SpreadsheetChanged):
        recalculate_spreadsheet(sheet, date(2026, 3, 31))
    assert sheet.reads == 2 and sheet.written == []


def test_a_spreadsheet_without_any_input_tab_is_refused_in_plain_words_and_left_alone() -> None:
    sheet = MemorySheet(RawWorkbook([], all_titles=("Notes", "Budget 2026")))
    with pytest.raises(Refused, match="No Premia input tab was found in memory: Premia reads the tabs Team"):
        recalculate_spreadsheet(sheet, date(2026, 3, 31))
    assert sheet.written == []
