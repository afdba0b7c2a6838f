"""Shared inputs of the pay components: the rule book and the deals and payments that count.

PRODUCT.md section 3: a deal cancelled in the month it was signed counts for nothing, its payments
included; everything else is dated on or before the as-of date (later dates are input issues).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from formulas.money import cents, round_half_up
from formulas.months import month_of
from formulas.pay.rules import RuleBook
from formulas.pay.shares import exact_credit, participations
from formulas.read.inputs import Inputs

CONTRIBUTION_COLUMNS = ["month", "manager_key", "component", "source_tab", "source_row", "deal_id",
                        "client", "base", "rate", "amount", "rule_row", "share"]


@dataclass
class PayContext:
    """Everything a component needs, prepared once per recalculation."""

    inputs: Inputs
    book: RuleBook
    as_of_month: int
    # participations of the deals that count (not cancelled in their signing month): one row per deal and
    # participant (formulas.pay.shares), manager_key the participant, credit = share × amount
    deals: pd.DataFrame
    # their payments, one row per payment and participant, with the deal's client, margin,
    # owner_key (its Deals manager), share, lead and credit = share × amount paid
    payments: pd.DataFrame
    facts: pd.DataFrame  # per manager and month: credited amount, deal count, plan (monthly_facts)


def make_context(inputs: Inputs) -> PayContext:
    """Prepare the counting deals' participations, their payments and the rule book."""
    deals = inputs.deals
    counting = participations(deals[~(deals["cancel_month"] == deals["month"])], inputs.splits)
    payments = inputs.payments.merge(
        counting[["deal_id", "manager_key", "owner_key", "share", "share_exact", "split_row", "lead", "client",
                  "margin"]], on="deal_id")  # an inner join: a payment of a voided deal counts for nothing
    payments = payments.sort_values(["row", "split_row"]).reset_index(drop=True)
    payments["credit"] = payments["amount"].to_numpy(dtype="float64") * payments["share"].to_numpy(dtype="float64")
    as_of_month = month_of(inputs.as_of)
    # Computed once: plan_bonus, deal_count_bonus and the Summary all read these figures.
    return PayContext(inputs, RuleBook(inputs.rules, inputs.team), as_of_month, counting, payments,
                      monthly_facts(counting, inputs.plans, as_of_month))


def monthly_facts(deals: pd.DataFrame, plans: pd.DataFrame, as_of_month: int) -> pd.DataFrame:
    """Per manager and month up to the as-of month: credited amount, deal count, and the plan row.

    ``fact_exact`` (kopecks) and ``deals_exact`` are exact (an int, or a Decimal where a share is involved),
    so "threshold reached" is decided exactly (PRODUCT.md: compared exactly; credits are never rounded).
    """
    deals = deals[deals["month"] <= as_of_month]
    by = ["manager_key", "month"]
    facts = deals.groupby(by).agg(fact=("credit", "sum"))
    facts = facts.join(exact_credit(deals, cents(deals["amount"]), by)).reset_index()
    facts["deals"] = [float(count) for count in facts["deals_exact"]]
    plans = plans[plans["month"] <= as_of_month][["manager_key", "month", "row", "plan_amount", "plan_deals"]]
    merged = facts.merge(plans, on=by, how="outer")
    merged["fact"] = merged["fact"].fillna(0.0)
    for column in ("fact_exact", "deals_exact"):  # ints and Decimals, kept as they are; 0 for a plan alone
        merged[column] = pd.Series([0 if pd.isna(v) else v for v in merged[column]], index=merged.index, dtype=object)
    merged["deals"] = merged["deals"].fillna(0.0)
    return merged.sort_values(by).reset_index(drop=True)


def contributions(component: str, frame: pd.DataFrame, *, source_tab: str, base: str,
                  amount: pd.Series | np.ndarray, month: str = "month", manager: str = "manager_key",
                  rate: str = "rate") -> pd.DataFrame:
    """Shape component results as contribution rows, each amount rounded half-up to 0.01.

    Rows with no rule (NaN) or a zero amount (Value 0 switches a component off) are dropped.
    """
    out = pd.DataFrame({
        "month": frame[month].astype("int64").to_numpy(),
        "manager_key": frame[manager].to_numpy(),
        "component": component,
        "source_tab": source_tab,
        "source_row": frame["row"].astype("int64").to_numpy(),
        "deal_id": frame["deal_id"].to_numpy() if "deal_id" in frame else "",
        "client": frame["client"].to_numpy() if "client" in frame else "",
        "base": frame[base].astype("float64").to_numpy(),
        "rate": frame[rate].astype("float64").to_numpy() if rate in frame else np.nan,
        "amount": round_half_up(np.asarray(amount, dtype="float64")),
        "rule_row": frame["rule_row"].astype("int64").to_numpy(),
        "share": frame["share"].astype("float64").to_numpy() if "share" in frame else 1.0,
    })  # the keys are CONTRIBUTION_COLUMNS, in order
    keep = out["amount"].notna() & out["amount"].ne(0)
    return out[keep.to_numpy()].reset_index(drop=True)


def empty_contributions() -> pd.DataFrame:
    """A contributions frame with no rows."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in CONTRIBUTION_COLUMNS})
