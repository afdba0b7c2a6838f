"""Components on a *paid* basis (PRODUCT.md section 3): earned in the month the payment arrives.

payment_percent and first_month_margin_percent go to the deal's manager under the rules of the
payment's month; collected_percent to the Collector (else the deal's manager) under theirs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from formulas.pay.context import PayContext, contributions
from formulas.pay.tiers import exact_or_any, flat, pick


def payment_percent(ctx: PayContext) -> pd.DataFrame:
    """% of what was paid for contract month k (exact threshold k, else the blank "any" row), seed 002."""
    payments = pick(ctx.payments, ctx.book, "payment_percent", exact_or_any, match="contract_month")
    return contributions("payment_percent", payments, source_tab="payments", base="amount",
                         amount=payments["amount"] * payments["rate"] / 100.0)


def first_month_margin_percent(ctx: PayContext) -> pd.DataFrame:
    """% of max(0, first-month margin), once, in the month of the earliest contract-month-1 payment."""
    first = ctx.payments[ctx.payments["contract_month"].eq(1) & ctx.payments["margin"].notna()]
    first = first.sort_values(["paid_on", "row"], kind="stable").drop_duplicates("deal_id", keep="first")
    # The margin lives on the deal row; the payment decides the month (PRODUCT.md "Payments").
    deal_rows = ctx.deals.set_index("deal_id")["row"]
    first = first.assign(payment_row=first["row"], row=first["deal_id"].map(deal_rows),
                         margin_base=np.maximum(first["margin"].to_numpy(dtype="float64"), 0.0))
    first = pick(first, ctx.book, "first_month_margin_percent", flat)
    return contributions("first_month_margin_percent", first, source_tab="deals", base="margin_base",
                         amount=first["margin_base"] * first["rate"] / 100.0)


def collected_percent(ctx: PayContext) -> pd.DataFrame:
    """% of payments collected in the month, to the Collector, else the deal's manager (seed 001)."""
    payments = ctx.payments.assign(
        collector=ctx.payments["collector_key"].where(ctx.payments["collector_key"].ne(""),
                                                      ctx.payments["manager_key"]))
    payments = pick(payments, ctx.book, "collected_percent", flat, manager="collector")
    return contributions("collected_percent", payments, source_tab="payments", base="amount",
                         amount=payments["amount"] * payments["rate"] / 100.0, manager="collector")
