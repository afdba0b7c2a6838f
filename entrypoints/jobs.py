"""The jobs the service and the command line run: an adapter, the engine between its read and its write.

Only here are the clock read ("today", in the spreadsheet's own time zone, PRODUCT.md section 6) and
the process-wide collector pause applied; the core gets ``as_of`` as a parameter and switches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from entrypoints.runtime import collector_paused
from formulas.close.state import ClosedState, load_state
from formulas.engine import Outcome, recalculate
from formulas.raw import RawWorkbook
from formulas.read.tabs import workbook_language
from formulas.report.model import Report
from formulas.text import say
from sheets_sync.protocol import Spreadsheet, SpreadsheetChanged

T = TypeVar("T")


def recalculate_spreadsheet(sheet: Spreadsheet, as_of: date | None = None, *, write: bool = True) -> Outcome:
    """Read the spreadsheet, recalculate as of ``as_of`` (default: today there) and, with ``write``,
    write every result tab back in one step. A failure leaves the spreadsheet as it was.
    """
    def recalculated(workbook: RawWorkbook) -> tuple[Outcome, Report]:
        outcome = recalculate(workbook, as_of or today_in(workbook.time_zone), state=checked_state(workbook))
        return outcome, outcome.report

    if not write:
        with collector_paused():
            workbook = sheet.read()
            require_inputs(workbook, sheet.name)
            return recalculated(workbook)[0]
    return write_from_fresh_read(sheet, recalculated)


def write_from_fresh_read(sheet: Spreadsheet, make: Callable[[RawWorkbook], tuple[T, Report]]) -> T:
    """Read the spreadsheet, ``make`` a report from it, write the report; return what ``make`` returned.

    When the spreadsheet changed between the read and the write (a user saved an edit meanwhile), the
    run starts over once from a fresh read, so the results include the edit; a second change in a row
    stops with :class:`SpreadsheetChanged`.
    """
    for attempt in range(2):
        with collector_paused():
            workbook = sheet.read()
            require_inputs(workbook, sheet.name)
            result, report = make(workbook)
            # Free the raw cells while the collector is still off, so that it does not walk millions of
            # them once when it resumes (they are acyclic: reference counting frees them here).
            del workbook
            try:
                sheet.write(report)
            except SpreadsheetChanged:
                if attempt:
                    raise
                continue
        return result
    raise AssertionError("unreachable")  # the loop returns or raises


class Refused(Exception):
    """The run or action cannot happen; ``str(error)`` says why in the spreadsheet's language.

    Raised before anything is written: altered frozen lines of closed months, a month that may not be
    closed, re-opened or marked paid (PRODUCT.md section 3a).
    """


def require_inputs(workbook: RawWorkbook, name: str) -> None:
    """:class:`Refused` when the spreadsheet has no Premia input tab at all: a wrong file, most likely.

    Writing seven result tabs of nothing into it would only add clutter (issue: "say plainly, write
    nothing").
    """
    if not workbook.tabs:
        raise Refused(say("issue.no_input_tabs", "en", name=name))


def checked_state(workbook: RawWorkbook) -> ClosedState:
    """The workbook's closed months, verified; :class:`Refused` when their frozen lines were altered."""
    state, problem = load_state(workbook, workbook_language(workbook))
    if problem:
        raise Refused(problem)
    return state


def today_in(time_zone: str) -> date:
    """Today's date in the spreadsheet's time zone; the machine's local date when it names none we know."""
    if time_zone:
        try:
            return datetime.now(ZoneInfo(time_zone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            pass  # an unknown zone name: the machine's date is the best guess left
    return date.today()
