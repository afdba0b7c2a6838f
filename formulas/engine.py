"""One recalculation, pure: raw workbook in, validated inputs, pay, funnel, signals and a report out.

The jobs of :mod:`entrypoints.jobs` read a spreadsheet through an adapter, call :func:`recalculate` and
hand the report back to the adapter; the service and the CLI only wire them.
``as_of`` is always a parameter (PRODUCT.md: "today" is never read inside logic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import pandas as pd

from formulas.close.adjust import Statement, statement_lines
from formulas.close.state import ClosedState, load_state
from formulas.funnel.forecast import forecast
from formulas.funnel.metrics import FunnelResult, analyse_funnel
from formulas.funnel.signals import compute_signals
from formulas.months import month_of
from formulas.pay.compute import PayResult, compute_pay
from formulas.raw import RawWorkbook
from formulas.read.inputs import Closure, Inputs
from formulas.read.tabs import workbook_language
from formulas.read.validate import validate
from formulas.report.charts import add_summary_charts
from formulas.report.closing import closed_months_tab, payroll_tab
from formulas.report.funnel_tabs import funnel_report_tab, signals_tab
from formulas.report.issues_tab import input_highlights, issues_tab
from formulas.report.model import Report
from formulas.report.statements import explain_tab, statements_tab
from formulas.report.summary import Extras, leaderboard_tab, summary_frame, summary_tab
from formulas.text import say


@dataclass
class Outcome:
    """Everything a recalculation produced, for the adapters, the CLI and the service."""

    inputs: Inputs
    pay: PayResult
    statement: Statement  # the statement lines as shown: frozen for closed months, adjustments
    state: ClosedState
    funnel: FunnelResult
    signals: pd.DataFrame
    summary: pd.DataFrame  # summary_frame of the report month
    report_month: int
    report: Report


class Analysis(NamedTuple):
    """The funnel figures, the month-end forecast per manager and the signals, as of the as-of date."""

    funnel: FunnelResult
    outlook: pd.DataFrame
    signals: pd.DataFrame


def analyse(inputs: Inputs, pay: PayResult) -> Analysis:
    """Funnel figures, forecast and signals as of the as-of date, under the Rules in force."""
    book = pay.context.book
    as_of, month = inputs.as_of, month_of(inputs.as_of)
    funnel = analyse_funnel(inputs.funnel, as_of, book.stuck_limit,
                            lambda manager: book.setting("idle_days", manager, month))
    credited = pay.context.deals  # one row per deal and participant: shares count toward plans and pace
    outlook = forecast(credited.assign(amount=credited["credit"]), funnel, as_of, inputs.team["manager_key"])
    signals = compute_signals(inputs.deals, inputs.payments, inputs.plans, funnel, as_of, book.setting,
                              book.turnover_thresholds, lang=inputs.lang, credited=credited)
    return Analysis(funnel, outlook, signals)


def settle(inputs: Inputs, pay: PayResult, state: ClosedState) -> Statement:
    """The statement lines a person sees: frozen lines for closed months, adjustments in the first open one."""
    return statement_lines(pay.lines, pay.months, state, set(inputs.team["manager_key"]), inputs.lang)


def build_report(inputs: Inputs, pay: PayResult, statement: Statement, state: ClosedState, analysis: Analysis,
                 month: int) -> Outcome:
    """Every result tab of the report month (Statements: every month) and the input highlights."""
    funnel, outlook, signals = analysis
    frame = summary_frame(inputs, pay, statement.lines, month)
    extras = Extras(forecast=dict(zip(outlook["manager_key"], outlook["forecast"], strict=True)),
                    signals=_signal_counts(signals, month), state=state.records.state_of(month))
    names = inputs.manager_names()
    summary = summary_tab(inputs, frame, extras, month)
    add_summary_charts(summary, funnel, inputs.lang, managers=int((frame["plan"].fillna(0) > 0).sum()))
    closed_title = say("title.closed_months", inputs.lang)
    tabs = [
        summary,
        statements_tab(inputs, statement.lines, closed_title),
        explain_tab(inputs, pay.contributions, month, statement),
        leaderboard_tab(inputs, frame, month),
        funnel_report_tab(funnel, names, inputs.lang, inputs.titles),
        # Signals keeps every month's signals (history matters: a plan missed twice); Summary counts
        # only the report month's.
        signals_tab(signals, names, inputs.lang, inputs.titles),
        issues_tab(inputs),
    ]
    if state.active:  # once a month has been closed, its record and the payroll hand-off are kept in view
        tabs += [closed_months_tab(state, inputs.lang), payroll_tab(state, None, pay.context.book.role_of,
                                                                    inputs.lang)]
    report = Report(tabs, input_highlights(inputs))
    return Outcome(inputs, pay, statement, state, funnel, signals, frame, month, report)


def recalculate(workbook: RawWorkbook, as_of: date, report_month: int | None = None,
                state: ClosedState | None = None) -> Outcome:
    """One recalculation: validate, compute pay, settle closed months, analyse the funnel, build the tabs.

    ``state`` is what the spreadsheet says about closed months, checked (:func:`load_state`); by default it
    is read from the workbook here, and a workbook whose frozen lines were altered is refused with
    :class:`ClosedMonthsAltered` (jobs check first and answer in plain words). The steps are public so
    ``bench/`` can time each one; this is the only place that chains them.
    """
    if state is None:
        state, problem = load_state(workbook, workbook_language(workbook))
        if problem:
            raise ClosedMonthsAltered(problem)
    inputs = validate(workbook, as_of, closure_of(state))
    pay = compute_pay(inputs)
    statement = settle(inputs, pay, state)
    analysis = analyse(inputs, pay)
    month = report_month if report_month is not None else month_of(as_of)
    return build_report(inputs, pay, statement, state, analysis, month)


def closure_of(state: ClosedState) -> Closure:
    """What validation needs to know about the closed months."""
    managers = {line.manager_key: line.manager for line in state.frozen_lines()}
    return Closure(state.last_closed, state.records.known_rules(), managers)


class ClosedMonthsAltered(Exception):
    """The frozen lines or records of closed months were altered: nothing may be written (section 3a)."""


def _signal_counts(signals: pd.DataFrame, month: int) -> dict[str, int]:
    """Signals per manager dated in the report month (the Summary's Signals column)."""
    if signals.empty:
        return {}
    in_month = signals[signals["date"].map(lambda day: month_of(day) == month)]
    return in_month["manager_key"].value_counts().to_dict()
