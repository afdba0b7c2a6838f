"""The jobs the service and the command line run: an adapter, the engine between its read and its write.

Only here are the clock read ("today", in the spreadsheet's own time zone, PRODUCT.md section 6) and
the process-wide collector pause applied; the core gets ``as_of`` as a parameter and switches nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from entrypoints.runtime import collector_paused
from formulas.engine import Outcome, recalculate
from sheets_sync.protocol import Spreadsheet, SpreadsheetChanged


def recalculate_spreadsheet(sheet: Spreadsheet, as_of: date | None = None, *, write: bool = True) -> Outcome:
    """Read the spreadsheet, recalculate as of ``as_of`` (default: today there) and, with ``write``,
    write every result tab back in one step. A failure leaves the spreadsheet as it was.

    When the spreadsheet changed between the read and the write (a user saved an edit meanwhile), the
    run starts over once from a fresh read, so the results include the edit; a second change in a row
    stops with :class:`SpreadsheetChanged`.
    """
    for attempt in range(2):
        with collector_paused():
            workbook = sheet.read()
            outcome = recalculate(workbook, as_of or today_in(workbook.time_zone))
            if not write:
                return outcome
            try:
                sheet.write(outcome.report)
            except SpreadsheetChanged:
                if attempt:
                    raise
                continue
        return outcome
    raise AssertionError("unreachable")  # the loop returns or raises


def today_in(time_zone: str) -> date:
    """Today's date in the spreadsheet's time zone; the machine's local date when it names none we know."""
    if time_zone:
        try:
            return datetime.now(ZoneInfo(time_zone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            pass  # an unknown zone name: the machine's date is the best guess left
    return date.today()
