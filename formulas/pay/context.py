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
from formulas.read.inputs import Inputs

CONTRIBUTION_COLUMNS = ["month", "manager_key", "component", "source_tab", "source_row", "deal_id",
                        "client", "base", "rate", "amount", "rule_row"]


@dataclass
class PayContext:
    """Everything a component needs, prepared once per recalculation."""

    inputs: Inputs
    book: RuleBook
    as_of_month: int
    deals: pd.DataFrame  # deals that count (not cancelled in their signing month)
    payments: pd.DataFrame  # their payments, with the deal's manager_key, client and signing month
    facts: pd.DataFrame  # per manager and month: signed amount, deal count, plan (monthly_facts)


def make_context(inputs: Inputs) -> PayContext:
    """Prepare the counting deals and payments and the rule book."""
    deals = inputs.deals
    counting = deals[~(deals["cancel_month"] == deals["month"])]
    payments = inputs.payments.merge(
        counting[["deal_id", "manager_key", "client", "month", "margin"]].rename(
            columns={"month": "deal_month"}), on="deal_id", how="inner")
    payments = payments.sort_values("row", kind="stable").reset_index(drop=True)
    as_of_month = month_of(inputs.as_of)
    counting = counting.reset_index(drop=True)
    # Computed once: plan_bonus, deal_count_bonus and the Summary all read these figures.
    return PayContext(inputs, RuleBook(inputs.rules, inputs.team), as_of_month, counting, payments,
                      monthly_facts(counting, inputs.plans, as_of_month))


def monthly_facts(deals: pd.DataFrame, plans: pd.DataFrame, as_of_month: int) -> pd.DataFrame:
    """Per manager and month up to the as-of month: signed amount, deal count, and the plan row."""
    deals = deals[deals["month"] <= as_of_month]
    # Kopecks as integers too, so "threshold reached" is decided exactly (PRODUCT.md: compared exactly).
    deals = deals.assign(fact_cents=cents(deals["amount"]))
    facts = deals.groupby(["manager_key", "month"], as_index=False).agg(
        fact=("amount", "sum"), fact_cents=("fact_cents", "sum"), deals=("amount", "size"))
    plans = plans[plans["month"] <= as_of_month][["manager_key", "month", "row", "plan_amount", "plan_deals"]]
    merged = facts.merge(plans, on=["manager_key", "month"], how="outer")
    merged["fact"] = merged["fact"].fillna(0.0)
    merged["fact_cents"] = merged["fact_cents"].fillna(0).astype("int64")
    merged["deals"] = merged["deals"].fillna(0).astype("int64")
    return merged.sort_values(["manager_key", "month"]).reset_index(drop=True)


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
        "source_row": frame["row"].astype("int64").to_numpy() if "row" in frame else -1,
        "deal_id": frame["deal_id"].to_numpy() if "deal_id" in frame else "",
        "client": frame["client"].to_numpy() if "client" in frame else "",
        "base": frame[base].astype("float64").to_numpy(),
        "rate": frame[rate].astype("float64").to_numpy() if rate in frame else np.nan,
        "amount": round_half_up(np.asarray(amount, dtype="float64")),
        "rule_row": frame["rule_row"].astype("int64").to_numpy(),
    }, columns=CONTRIBUTION_COLUMNS)
    keep = out["amount"].notna() & out["amount"].ne(0)
    return out[keep.to_numpy()].reset_index(drop=True)


def empty_contributions() -> pd.DataFrame:
    """A contributions frame with no rows."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in CONTRIBUTION_COLUMNS})
