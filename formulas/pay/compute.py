"""The pay engine (PRODUCT.md section 3): the component table, then clawback, base salary, lines, carry-over.

Each component of :data:`formulas.pay.components.COMPONENTS` computes its contributions from the pay
context; then, as explicit steps, clawback reverses the booked contributions of cancelled deals, base
salary adds one contribution per Team row and month, and the lines are summed and carried over. Lines
are sums of contributions and totals sums of lines, so every drill-down adds up to the kopeck.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from formulas.pay.clawback import clawback
from formulas.pay.components import COMPONENTS, REVERSIBLE
from formulas.pay.context import CONTRIBUTION_COLUMNS, PayContext, make_context
from formulas.pay.lines import carry_over, lines_of
from formulas.pay.salary import base_salary_contributions
from formulas.read.inputs import Inputs


@dataclass
class PayResult:
    """Contributions (one per deal, payment, funnel row, plan or Team row) and the statement lines."""

    months: list[int]
    contributions: pd.DataFrame
    lines: pd.DataFrame  # month, manager_key, component, base, rate, amount, count
    context: PayContext


def statement_months(inputs: Inputs, as_of_month: int) -> list[int]:
    """Every month from the earliest dated record (plans only up to the as-of month) to the as-of month."""
    starts = [inputs.deals["month"], inputs.deals["cancel_month"].dropna(), inputs.payments["month"],
              inputs.funnel["month"], inputs.plans.loc[inputs.plans["month"] <= as_of_month, "month"]]
    firsts = [int(series.min()) for series in starts if len(series)]
    first = min([*firsts, as_of_month])
    return list(range(first, as_of_month + 1))


def compute_pay(inputs: Inputs) -> PayResult:
    """Compute every contribution and statement line from validated inputs."""
    ctx = make_context(inputs)
    months = statement_months(inputs, ctx.as_of_month)
    parts = [component.compute(ctx) for component in COMPONENTS if component.compute is not None]
    booked = pd.concat([p for p in parts if len(p)] or [pd.DataFrame(columns=CONTRIBUTION_COLUMNS)],
                       ignore_index=True)
    parts.append(clawback(ctx, booked, REVERSIBLE))
    parts.append(base_salary_contributions(inputs.team, months))
    frames = [p for p in parts if len(p)]
    contributions = (pd.concat(frames, ignore_index=True) if frames
                     else pd.DataFrame(columns=CONTRIBUTION_COLUMNS))
    contributions = contributions[contributions["month"].isin(months)].reset_index(drop=True)
    lines = carry_over(lines_of(contributions), months)
    return PayResult(months, contributions, lines, ctx)
