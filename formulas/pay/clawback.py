"""Clawback (PRODUCT.md section 3, "Cancellations"): an explicit step after the component table.

A cancelled deal loses % of its own booked contributions of the components the table marks reversible,
as one contribution in the cancellation month, linked to the deal.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from formulas.pay.context import PayContext, contributions
from formulas.pay.tiers import pick, tightest_window


def clawback(ctx: PayContext, booked: pd.DataFrame, reversible: Iterable[str]) -> pd.DataFrame:
    """Reverse % of a cancelled deal's own ``reversible`` contributions, in the cancellation month.

    Cancelled within N months means cancellation month − signing month <= N; the tightest matching
    window wins; the rule is the one in force in the signing month (the deal was sold under it), for each
    participant of a shared deal their own (PRODUCT.md 3b).
    ``booked`` holds the contributions the component table produced.
    """
    deals = ctx.deals[ctx.deals["cancel_month"].notna()]
    deals = deals.assign(window=deals["cancel_month"] - deals["month"])
    own = booked[booked["component"].isin(list(reversible)) & booked["source_tab"].eq("deals")]
    # per deal row and participant: a shared deal's clawback reverses each participant's own contributions
    sums = own.groupby(["source_row", "manager_key"])["amount"].sum()
    keys = pd.MultiIndex.from_arrays([deals["row"], deals["manager_key"]])
    deals = deals.assign(booked=sums.reindex(keys).fillna(0.0).to_numpy())
    deals = pick(deals[deals["booked"].ne(0)], ctx.book, "clawback", tightest_window, match="window")
    deals = deals.assign(cancel=deals["cancel_month"])
    return contributions("clawback", deals, source_tab="deals", base="booked", month="cancel",
                         amount=-deals["booked"] * deals["rate"] / 100.0)
