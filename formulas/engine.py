"""One recalculation, pure: raw workbook in, validated inputs, pay, funnel, signals and a report out.

Adapters call :func:`recalculate` and write the report; the service and the CLI only wire them.
``as_of`` is always a parameter (PRODUCT.md: "today" is never read inside logic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from time import perf_counter

import pandas as pd

from entrypoints.runtime import collector_paused
from formulas.funnel.forecast import forecast
from formulas.funnel.metrics import FunnelResult, analyse_funnel
from formulas.funnel.signals import compute_signals
from formulas.months import month_of
from formulas.pay.compute import PayResult, compute_pay
from formulas.raw import RawWorkbook
from formulas.read.inputs import Inputs
from formulas.read.validate import validate
from formulas.report.charts import add_summary_charts
from formulas.report.funnel_tabs import funnel_report_tab, signals_tab
from formulas.report.issues_tab import input_highlights, issues_tab
from formulas.report.model import Report
from formulas.report.statements import explain_tab, statements_tab
from formulas.report.summary import Extras, leaderboard_tab, summary_frame, summary_tab


@dataclass
class Outcome:
    """Everything a recalculation produced, for the adapters, the CLI and the service."""

    inputs: Inputs
    pay: PayResult
    funnel: FunnelResult
    signals: pd.DataFrame
    summary: pd.DataFrame  # summary_frame of the report month
    report_month: int
    report: Report


def analyse(inputs: Inputs, pay: PayResult) -> tuple[FunnelResult, pd.DataFrame, pd.DataFrame]:
    """Funnel figures, forecast and signals as of the as-of date, under the Rules in force."""
    book = pay.context.book
    as_of, month = inputs.as_of, month_of(inputs.as_of)
    funnel = analyse_funnel(inputs.funnel, as_of, book.stuck_limit,
                            lambda manager: book.setting("idle_days", manager, month))
    outlook = forecast(inputs.deals, funnel, as_of, inputs.team["manager_key"])
    signals = compute_signals(inputs.deals, inputs.payments, inputs.plans, funnel, as_of, book.setting,
                              book.turnover_thresholds, lang=inputs.lang)
    return funnel, outlook, signals


def recalculate(workbook: RawWorkbook, as_of: date, report_month: int | None = None,
                timings: dict[str, float] | None = None) -> Outcome:
    """Validate, compute pay, funnel and signals, and build every result tab.

    ``timings``, when given, receives the seconds each stage took (for ``bench/``).
    """
    with collector_paused():
        return _recalculate(workbook, as_of, report_month, _Stopwatch(timings))


def _recalculate(workbook: RawWorkbook, as_of: date, report_month: int | None, clock: _Stopwatch) -> Outcome:
    """The steps of :func:`recalculate`, timed by ``clock``."""
    inputs = validate(workbook, as_of)
    clock.lap("parse")
    pay = compute_pay(inputs)
    clock.lap("pay")
    month = report_month if report_month is not None else month_of(as_of)
    funnel, outlook, signals = analyse(inputs, pay)
    clock.lap("funnel_signals")
    frame = summary_frame(inputs, pay, month)
    extras = Extras(forecast=dict(zip(outlook["manager_key"], outlook["forecast"], strict=True)),
                    signals=_signal_counts(signals, month))
    names = inputs.manager_names()
    summary = summary_tab(inputs, frame, extras, month)
    add_summary_charts(summary, funnel, inputs.lang, managers=len(frame))
    tabs = [
        summary,
        statements_tab(inputs, pay.lines),
        explain_tab(inputs, pay.contributions, month),
        leaderboard_tab(inputs, frame, month),
        funnel_report_tab(funnel, names, inputs.lang, inputs.titles),
        # Signals keeps every month's signals (history matters: a plan missed twice); Summary counts
        # only the report month's.
        signals_tab(signals, names, inputs.lang, inputs.titles),
        issues_tab(inputs),
    ]
    report = Report(tabs, input_highlights(inputs))
    clock.lap("report")
    return Outcome(inputs, pay, funnel, signals, frame, month, report)


def _signal_counts(signals: pd.DataFrame, month: int) -> dict[str, int]:
    """Signals per manager dated in the report month (the Summary's Signals column)."""
    if signals.empty:
        return {}
    in_month = signals[signals["date"].map(lambda day: month_of(day) == month)]
    return in_month["manager_key"].value_counts().to_dict()


class _Stopwatch:
    """Records lap times into a dict when one is given; does nothing otherwise."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = perf_counter()

    def lap(self, name: str) -> None:
        """Store the seconds since the previous lap under ``name``."""
        now = perf_counter()
        if self.timings is not None:
            self.timings[name] = now - self.last
        self.last = now
