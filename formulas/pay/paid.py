"""Components on a *paid* basis (PRODUCT.md section 3): earned in the month the payment arrives.

payment_percent and first_month_margin_percent go to the deal's manager (each participant of a shared deal,
on their share) under the rules of the payment's month; collected_percent to the Collector (else the deal's
`Deals` manager) under theirs, on the whole payment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from formulas.pay.context import PayContext, contributions
from formulas.pay.shares import times_share
from formulas.pay.tiers import exact_or_any, flat, pick


def payment_percent(ctx: PayContext) -> pd.DataFrame:
    """% of what was paid for contract month k (exact threshold k, else the blank "any" row), seed 002."""
    payments = pick(ctx.payments, ctx.book, "payment_percent", exact_or_any, match="contract_month")
    return contributions("payment_percent", payments, source_tab="payments", base="credit",
                         amount=times_share(payments, "amount", "rate", 100))


def first_month_margin_percent(ctx: PayContext) -> pd.DataFrame:
    """% of max(0, first-month margin), once, in the month of the earliest contract-month-1 payment."""
    first = ctx.payments[ctx.payments["contract_month"].eq(1) & ctx.payments["margin"].notna()]
    # once per deal and participant: the earliest payment's rows (one per participant) decide the month
    first = first.sort_values(["paid_on", "row", "split_row"], kind="stable").drop_duplicates(
        ["deal_id", "manager_key"], keep="first")
    # The margin lives on the deal row; the payment decides the month (PRODUCT.md "Payments").
    deal_rows = ctx.deals.drop_duplicates("deal_id").set_index("deal_id")["row"]
    margin = np.maximum(first["margin"].to_numpy(dtype="float64"), 0.0)
    first = first.assign(row=first["deal_id"].map(deal_rows), margin=margin,
                         margin_base=margin * first["share"].to_numpy(dtype="float64"))
    first = pick(first, ctx.book, "first_month_margin_percent", flat)
    return contributions("first_month_margin_percent", first, source_tab="deals", base="margin_base",
                         amount=times_share(first, "margin", "rate", 100))


def collected_percent(ctx: PayContext) -> pd.DataFrame:
    """% of payments collected in the month, to the Collector, else the deal's manager (seed 001)."""
    # a payment is collected once, whoever shares the deal: the Collector, else the deal's Deals manager
    lead = ctx.payments[ctx.payments["lead"]]
    payments = lead.assign(collector=lead["collector_key"].where(lead["collector_key"].ne(""), lead["owner_key"]),
                           share=1.0)
    payments = pick(payments, ctx.book, "collected_percent", flat, manager="collector")
    return contributions("collected_percent", payments, source_tab="payments", base="amount",
                         amount=payments["amount"] * payments["rate"] / 100.0, manager="collector")
