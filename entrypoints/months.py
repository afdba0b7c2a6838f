"""The month-close jobs (PRODUCT.md section 3a): close, re-open, mark paid, list months, payroll.

Each job is one recalculation on the adapter: read, check the closed months, decide, recompute with the
new state, and write the result tabs and the records in the same single write (Google: 2 reads and 1
``batchUpdate``). A refusal (not ended, out of order, already closed, paid, no such month, altered frozen
lines) raises :class:`Refused` with words for a person, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from entrypoints.jobs import Refused, checked_state, today_in
from entrypoints.runtime import collector_paused
from formulas.close.actions import check_close, check_paid, check_reopen, close_month, mark_paid, reopen_month
from formulas.close.payroll import Payroll, payroll
from formulas.close.records import rule_fingerprint, to_properties
from formulas.close.state import ClosedState
from formulas.engine import Outcome, recalculate
from formulas.months import month_end, month_label
from formulas.raw import RawWorkbook
from formulas.read.rule_keys import COMPONENT_KEYS
from formulas.read.tabs import workbook_language
from formulas.text import say
from sheets_sync.protocol import Spreadsheet


@dataclass(frozen=True)
class Done:
    """What an action did, in words, and the recalculation written with it."""

    message: str
    outcome: Outcome


def close(sheet: Spreadsheet, month: int, as_of: date | None = None, now: str | None = None) -> Done:
    """Close ``month``: recalculate, freeze its Statements lines, record the close, write it all at once."""
    with collector_paused():
        workbook, state, day, stamp = _prepare(sheet, as_of, now)
        lang = workbook_language(workbook)
        outcome = recalculate(workbook, day, state=state)
        refusal = check_close(state, month, sorted(set(outcome.pay.months) | set(state.closed)), day, lang)
        if refusal:
            raise Refused(refusal)
        closed = close_month(state, outcome.statement, outcome.inputs.manager_names(), month, stamp,
                             _rule_fingerprints(outcome, month), lang)
        final = _write(sheet, workbook, day, closed)
    count = len(closed.frozen[month])
    return Done(say("close.closed", lang, month=month_label(month), count=count,
                    title=say("title.closed_months", lang)), final)


def reopen(sheet: Spreadsheet, month: int, reason: str, as_of: date | None = None, now: str | None = None) -> Done:
    """Re-open the latest closed month that is not paid; the reason goes into the history."""
    with collector_paused():
        workbook, state, day, stamp = _prepare(sheet, as_of, now)
        lang = workbook_language(workbook)
        refusal = check_reopen(state, month, reason, lang)
        if refusal:
            raise Refused(refusal)
        final = _write(sheet, workbook, day, reopen_month(state, month, reason, stamp))
    return Done(say("close.reopened", lang, month=month_label(month)), final)


def paid(sheet: Spreadsheet, month: int, as_of: date | None = None, now: str | None = None) -> Done:
    """Mark a closed month paid: from now on it can never be re-opened."""
    with collector_paused():
        workbook, state, day, stamp = _prepare(sheet, as_of, now)
        lang = workbook_language(workbook)
        refusal = check_paid(state, month, lang)
        if refusal:
            raise Refused(refusal)
        final = _write(sheet, workbook, day, mark_paid(state, month, stamp))
    return Done(say("close.marked_paid", lang, month=month_label(month)), final)


def payroll_of(sheet: Spreadsheet, month: int | None = None,
               as_of: date | None = None) -> tuple[Payroll, str, Callable[[str, int], str | None]]:
    """The payroll of a closed month (default: the latest), its language and the managers' roles then.

    Nothing is written; an open month is refused: only closed figures are paid.
    """
    workbook = sheet.read()
    state, lang = checked_state(workbook), workbook_language(workbook)
    chosen = month if month is not None else state.last_closed
    if chosen is None:
        raise Refused(say("close.no_payroll", lang))
    if chosen not in state.records.months:
        raise Refused(say("close.open_refused", lang, month=month_label(chosen)))
    outcome = recalculate(workbook, as_of or today_in(workbook.time_zone), state=state)
    return payroll(state, chosen), lang, outcome.pay.context.book.role_of


def months_overview(sheet: Spreadsheet, as_of: date | None = None) -> dict[str, object]:
    """Every month of Statements with its state and whether it has ended, and what each action would name."""
    workbook = sheet.read()
    state = checked_state(workbook)
    day = as_of or today_in(workbook.time_zone)
    outcome = recalculate(workbook, day, state=state)
    months = sorted(set(outcome.pay.months) | set(state.closed))
    listed = [{"month": month_label(m), "state": state.records.state_of(m), "ended": month_end(m) <= day}
              for m in months]
    first_open = next((m for m in months if state.records.state_of(m) == "open"), None)
    unpaid = [m for m in state.closed if state.records.state_of(m) == "closed"]
    last = state.last_closed
    return {"months": listed,
            "suggested_close": month_label(first_open) if first_open is not None and month_end(first_open) <= day
            else None,
            "suggested_reopen": month_label(last) if last is not None and state.records.state_of(last) == "closed"
            else None,
            "suggested_paid": month_label(unpaid[0]) if unpaid else None}


def _prepare(sheet: Spreadsheet, as_of: date | None, now: str | None) -> tuple[RawWorkbook, ClosedState, date, str]:
    """Read once: the workbook, its checked state, the calculation date and the time of the action."""
    workbook = sheet.read()
    state = checked_state(workbook)
    return workbook, state, as_of or today_in(workbook.time_zone), now or now_in(workbook.time_zone)


def _write(sheet: Spreadsheet, workbook: RawWorkbook, day: date, state: ClosedState) -> Outcome:
    """Recalculate with the new state and write the result tabs and the records in one write."""
    outcome = recalculate(workbook, day, state=state)
    outcome.report.properties = to_properties(state.records)
    sheet.write(outcome.report)
    return outcome


def _rule_fingerprints(outcome: Outcome, month: int) -> frozenset[str]:
    """The pay rules with From up to ``month``: those may stay dated in it once it is closed."""
    rules = outcome.inputs.rules
    rules = rules[rules["component"].isin(COMPONENT_KEYS) & (rules["from_month"] <= month)]
    return frozenset(rule_fingerprint(int(r.from_month), r.applies_to, r.component, r.threshold, r.value)
                     for r in rules.itertuples(index=False))


def now_in(time_zone: str) -> str:
    """The time now in the spreadsheet's time zone, to the minute (the machine's when it names none)."""
    try:
        moment = datetime.now(ZoneInfo(time_zone)) if time_zone else datetime.now()
    except (ZoneInfoNotFoundError, ValueError):
        moment = datetime.now()
    return moment.strftime("%Y-%m-%d %H:%M")
