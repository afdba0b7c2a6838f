"""What-if (PRODUCT.md section 3c): the same data paid under `Rules` and under `Scenario`, side by side.

Both runs are pure recomputations from the same validated inputs (month close aside: a closed month's
frozen lines play no part), so every difference comes from the rules alone. Figures are whole kopecks
(ints), summed from the statement lines, so every block of the What-if tab adds up exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from formulas.issues import Issue
from formulas.months import month_of
from formulas.pay.components import BASE_SALARY, CARRIED_OVER
from formulas.pay.compute import PayResult, compute_pay
from formulas.raw import RawWorkbook
from formulas.read.inputs import Inputs
from formulas.read.validate import validate
from formulas.text import say

PERIOD = 12  # months compared by default, up to the report month


class WhatIfRefused(Exception):
    """The what-if cannot run (no Scenario tab, an empty or reversed period); ``str`` says why."""


@dataclass
class WhatIf:
    """The two pay results over the chosen months and the Scenario's identity."""

    inputs: Inputs
    months: list[int]
    current: PayResult
    scenario: PayResult
    version: str  # the first 12 hex digits of the SHA-256 of the Scenario tab's cells
    scenario_issues: list[Issue]


def what_if(workbook: RawWorkbook, as_of: date, first: int | None = None, last: int | None = None) -> WhatIf:
    """Validate once, pay twice (Rules, then Scenario in place of Rules) over ``first``..``last``.

    Defaults: ``last`` is the report month (the as-of month), ``first`` 11 months before it, moved up to
    the first month with any data.
    """
    inputs = validate(workbook, as_of, scenario=True)
    if inputs.scenario is None:
        raise WhatIfRefused(say("whatif.no_scenario", inputs.lang, rules=inputs.titles["rules"],
                                scenario=inputs.titles["scenario"]))
    if inputs.scenario.empty and not inputs.scenario_issues:  # a tab made by setup and never filled in
        raise WhatIfRefused(say("whatif.empty_scenario", inputs.lang, rules=inputs.titles["rules"],
                                scenario=inputs.titles["scenario"]))
    current = compute_pay(inputs)
    scenario = compute_pay(replace(inputs, rules=inputs.scenario))
    last = month_of(as_of) if last is None else last
    first = max(last - PERIOD + 1, current.months[0]) if first is None else first
    if first > last or last > month_of(as_of):
        raise WhatIfRefused(say("whatif.bad_period", inputs.lang))
    months = list(range(first, last + 1))
    return WhatIf(inputs, months, current, scenario, scenario_version(workbook, inputs.titles["scenario"]),
                  inputs.scenario_issues)


def scenario_version(workbook: RawWorkbook, title: str) -> str:
    """A short fingerprint of the Scenario tab as typed: two what-ifs with the same one used the same scheme."""
    tab = next((tab for tab in workbook.tabs if tab.title == title), None)
    cells = repr([list(row) for row in tab.values]) if tab is not None else ""
    return hashlib.sha256(cells.encode()).hexdigest()[:12]


def kopecks(lines: pd.DataFrame, months: list[int], by: list[str],
            leave_out: tuple[str, ...] = ()) -> pd.Series:
    """Σ of statement lines in ``months`` per ``by``, in whole kopecks (each line is a rounded sum)."""
    chosen = lines[lines["month"].isin(months) & ~lines["component"].isin(list(leave_out))]
    cents = (chosen["amount"].astype("float64") * 100).round().astype("int64")
    return cents.groupby([chosen[column] for column in by]).sum()


def side_by_side(result: WhatIf, by: list[str], leave_out: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per ``by``: current and scenario kopecks (0 where one side has nothing), sorted by ``by``."""
    now = kopecks(result.current.lines, result.months, by, leave_out).rename("current")
    then = kopecks(result.scenario.lines, result.months, by, leave_out).rename("scenario")
    frame = pd.concat([now, then], axis=1).fillna(0).astype("int64")
    return frame.sort_index()


def variable_pay(result: WhatIf) -> tuple[int, int]:
    """(current, scenario) variable pay in kopecks: every line but base salary and carry-over."""
    frame = side_by_side(result, ["month"], (BASE_SALARY, CARRIED_OVER))
    return int(frame["current"].sum()), int(frame["scenario"].sum())


def signed_kopecks(result: WhatIf) -> int:
    """The team's signed amount over the period, in kopecks (the same under both schemes)."""
    facts = result.current.context.facts
    chosen = facts[facts["month"].isin(result.months)]
    return int((chosen["fact"].astype("float64") * 100).round().sum())
