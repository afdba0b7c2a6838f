"""The one table of pay components (PRODUCT.md section 3): everything else derives from it.

A record says what a component is called, the basis it is earned on, how its Rules Threshold and Value
read, how it computes its contributions, how its statement line's formula reads, what its line counts,
and whether a clawback reverses it. Validation (the Rules keys and Threshold readings), pay (the order
of computing), the formula text and the result tabs (statement order, basis, Summary columns) all read
this table. Adding a component: a compute function, then one record here.

Base salary, clawback and carry-over are explicit steps of :func:`formulas.pay.compute.compute_pay`
after the table's components; clawback is listed (without a compute) because it is also a Rules key
with a threshold, a value and a formula of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from formulas.pay import wording
from formulas.pay.booked import client_turnover_bonus, deal_count_bonus, deal_percent, inbound_deal_bonus, plan_bonus
from formulas.pay.context import PayContext
from formulas.pay.paid import collected_percent, first_month_margin_percent, payment_percent
from formulas.pay.stage import stage_bonus

Compute = Callable[[PayContext], pd.DataFrame]
Wording = Callable[[wording.Figures, str], str]


@dataclass(frozen=True)
class Component:
    """One pay component of PRODUCT.md section 3."""

    key: str  # the identifier users type in Rules and see in Statements
    basis: str  # "booked", "paid", "funnel" or "cancellation": when it is earned
    threshold: str  # how a Rules Threshold reads: a parser kind of formulas.read.columns
    value: str  # "percent" (percentage points of a base) or "sum" (a fixed sum)
    compute: Compute | None  # contributions from the pay context; None for clawback (a later step)
    wording: Wording  # the formula text of its statement line
    counts: str | None  # what its line's contributions are, for Details ("deals", "payments", …)
    reversible: bool = False  # a clawback reverses it (PRODUCT.md "Cancellations")


COMPONENTS: tuple[Component, ...] = (
    Component("deal_percent", "booked", "number", "percent", deal_percent, wording.percent_of_base, "deals",
              reversible=True),
    Component("plan_bonus", "booked", "attainment", "sum", plan_bonus, wording.attainment_reached, None),
    Component("deal_count_bonus", "booked", "deal_count", "sum", deal_count_bonus, wording.deal_count_reached,
              None),
    Component("client_turnover_bonus", "booked", "money", "sum", client_turnover_bonus, wording.fixed_sums,
              "deals", reversible=True),
    Component("payment_percent", "paid", "contract_month", "percent", payment_percent, wording.percent_of_base,
              "payments"),
    Component("first_month_margin_percent", "paid", "number", "percent", first_month_margin_percent,
              wording.percent_of_base, "deals"),
    Component("inbound_deal_bonus", "booked", "number", "sum", inbound_deal_bonus, wording.fixed_sums, "deals",
              reversible=True),
    Component("stage_bonus", "funnel", "threshold_stage", "sum", stage_bonus, wording.fixed_sums, "clients"),
    Component("collected_percent", "paid", "number", "percent", collected_percent, wording.percent_of_base,
              "payments"),
    Component("clawback", "cancellation", "months", "percent", None, wording.share_of_booked, "deals"),
)
BY_KEY: dict[str, Component] = {component.key: component for component in COMPONENTS}
REVERSIBLE: tuple[str, ...] = tuple(c.key for c in COMPONENTS if c.reversible)

# Statement lines that are not Rules components: their basis, formula and order around the table's.
BASE_SALARY, ADJUSTMENT, CARRIED_OVER = "base_salary", "adjustment", "carried_over"
LINE_BASIS: dict[str, str] = {BASE_SALARY: "salary", **{c.key: c.basis for c in COMPONENTS},
                              ADJUSTMENT: "adjustment", CARRIED_OVER: "carry"}
LINE_WORDING: dict[str, Wording] = {BASE_SALARY: wording.days_employed, **{c.key: c.wording for c in COMPONENTS},
                                    ADJUSTMENT: wording.amount_only, CARRIED_OVER: wording.carried}
STATEMENT_ORDER: tuple[str, ...] = (BASE_SALARY, *BY_KEY, ADJUSTMENT, CARRIED_OVER)


def formula(component: str, figures: wording.Figures, lang: str) -> str:
    """The formula text of a statement line of ``component``."""
    return LINE_WORDING.get(component, wording.amount_only)(figures, lang)


def details(component: str, figures: wording.Figures, lang: str) -> str:
    """What a statement line is made of, e.g. ``5 deals``; a plan bonus line's attainment."""
    if component == "plan_bonus" and not math.isnan(figures.rate):
        return wording.attainment(figures, lang)
    found = BY_KEY.get(component)
    return wording.counted(found.counts if found else None, figures.count, lang)


def line_words(component: str, figures: wording.Figures, lang: str, given_formula: object = None,
               given_details: object = None) -> tuple[str, str]:
    """(Formula, Details) of a statement line: the words it was frozen with when it has them (a closed
    month's line, an adjustment's origin), else the component's own."""
    return (given_formula if isinstance(given_formula, str) else formula(component, figures, lang),
            given_details if isinstance(given_details, str) else details(component, figures, lang))
