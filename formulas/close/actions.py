"""Close, re-open and mark paid (PRODUCT.md section 3a): whether each may happen, and the new records.

Each ``check_…`` returns None when the action may go ahead, else the plain words of the refusal; a
refused action writes nothing. :func:`close_month` freezes a month's statement lines as `Statements`
shows them at the moment of the close.
"""

from __future__ import annotations

from datetime import date

from formulas.close.adjust import Statement
from formulas.close.frozen import FrozenLine, digest
from formulas.close.records import CLOSED, PAID, Event, MonthRecord, Records
from formulas.close.state import ClosedState
from formulas.months import month_end, month_label
from formulas.pay.components import line_words
from formulas.pay.wording import Figures
from formulas.text import say


def check_close(state: ClosedState, month: int, months: list[int], as_of: date, lang: str) -> str | None:
    """Refuse a month that is not in Statements, has not ended, is closed already, or skips an open one."""
    record = state.records.months.get(month)
    if record is not None:
        return say("close.already_closed", lang, month=month_label(month), at=record.closed_at)
    if month not in months:
        return say("close.no_such_month", lang, month=month_label(month), first=month_label(min(months)),
                   last=month_label(max(months)))
    if month_end(month) > as_of:
        return say("close.not_ended", lang, month=month_label(month), as_of=as_of.isoformat(),
                   end=month_end(month).isoformat())
    earlier = [m for m in months if m < month and state.records.state_of(m) == "open"]
    if earlier:
        return say("close.out_of_order", lang, month=month_label(month), first=month_label(earlier[0]))
    return None


def check_reopen(state: ClosedState, month: int, reason: str, lang: str) -> str | None:
    """Only the latest closed month that is not paid re-opens, and only with a reason."""
    record = state.records.months.get(month)
    if record is None:
        return say("close.not_closed", lang, month=month_label(month))
    if record.state == PAID:
        return say("close.paid_never_reopens", lang, month=month_label(month), at=record.paid_at)
    if month != state.last_closed:
        return say("close.reopen_latest_first", lang, month=month_label(month),
                   latest=month_label(state.last_closed or month))
    if not reason.strip():
        return say("close.reason_needed", lang)
    return None


def check_paid(state: ClosedState, month: int, lang: str) -> str | None:
    """Only a closed month can be marked paid, once."""
    record = state.records.months.get(month)
    if record is None:
        return say("close.not_closed", lang, month=month_label(month))
    if record.state == PAID:
        return say("close.already_paid", lang, month=month_label(month), at=record.paid_at)
    return None


def close_month(state: ClosedState, statement: Statement, names: dict[str, str], month: int, now: str,
                rules: frozenset[str], lang: str) -> ClosedState:
    """The state with ``month`` closed: its lines as `Statements` shows them now, frozen and fingerprinted.

    ``rules`` are the fingerprints of the pay rules with From up to the month (they may stay there).
    """
    lines = statement.lines[statement.lines["month"] == month]
    frozen = [FrozenLine(month_label(month), line.manager or names.get(line.manager_key, line.manager_key),
                         line.component, float(line.amount), *_words(line, lang), now)
              for line in lines.itertuples(index=False)]
    record = MonthRecord(month, CLOSED, now, digest(frozen), rules=rules)
    records = state.records.with_month(record, Event(month, "close", now))
    return ClosedState(records, {**state.frozen, month: frozen})


def reopen_month(state: ClosedState, month: int, reason: str, now: str) -> ClosedState:
    """The state with the latest closed month open again, its frozen lines gone, the reason kept."""
    records: Records = state.records.without_month(month, Event(month, "reopen", now, reason.strip()))
    return ClosedState(records, {key: value for key, value in state.frozen.items() if key != month})


def mark_paid(state: ClosedState, month: int, now: str) -> ClosedState:
    """The state with a closed month marked paid (it can never be re-opened)."""
    return ClosedState(state.records.marked_paid(month, Event(month, "paid", now)), state.frozen)


def _words(line: object, lang: str) -> tuple[str, str]:
    """(Formula, Details) of a statement line as `Statements` shows them."""
    figures = Figures(float(line.base), float(line.rate), float(line.amount), int(line.count),  # type: ignore[attr-defined]
                      int(line.month))  # type: ignore[attr-defined]
    return line_words(line.component, figures, lang, line.formula, line.details)  # type: ignore[attr-defined]
