"""The funnel and cancellation components: stage_bonus and clawback (PRODUCT.md section 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from formulas.pay.context import PayContext, contributions
from formulas.pay.tiers import exact_or_any, pick, tightest_window

BOOKED_PER_DEAL = ("deal_percent", "client_turnover_bonus", "inbound_deal_bonus")


def stage_bonus(ctx: PayContext) -> pd.DataFrame:
    """A fixed sum per client and stage, once, at the earliest row logged at exactly that stage.

    Row order breaks date ties; the bonus goes to that row's manager under their rule of that month;
    a skipped stage pays nothing (seeds 001 and 003).
    """
    funnel = ctx.inputs.funnel
    funnel = funnel[funnel["stage"].between(1, 7)]
    # Earliest row per (client, stage), dates then sheet rows breaking ties: integer keys and one
    # lexsort instead of sorting and de-duplicating a million strings.
    clients = pd.factorize(funnel["client_key"])[0].astype("int64")
    order = np.lexsort((funnel["row"].to_numpy(), funnel["date"].to_numpy()))
    keys = (clients * 8 + funnel["stage"].to_numpy(dtype="int64"))[order]
    _unique, first_at = np.unique(keys, return_index=True)
    first = funnel.iloc[np.sort(order[first_at])]
    first = pick(first.assign(stage_number=first["stage"].astype("float64")), ctx.book, "stage_bonus",
                 exact_or_any, match="stage_number")
    first = first.assign(fixed=np.nan)
    return contributions("stage_bonus", first, source_tab="funnel", base="stage_number",
                         amount=first["rate"], rate="fixed")


def clawback(ctx: PayContext, booked: pd.DataFrame) -> pd.DataFrame:
    """Reverse % of a cancelled deal's own booked contributions, in the cancellation month.

    Cancelled within N months means cancellation month − signing month <= N; the tightest matching
    window wins; the rule is the one in force in the signing month (the deal was sold under it).
    ``booked`` holds the contributions computed so far.
    """
    deals = ctx.deals[ctx.deals["cancel_month"].notna()]
    deals = deals.assign(window=deals["cancel_month"] - deals["month"])
    own = booked[booked["component"].isin(BOOKED_PER_DEAL) & booked["source_tab"].eq("deals")]
    sums = own.groupby("source_row")["amount"].sum()
    deals = deals.assign(booked=deals["row"].map(sums).fillna(0.0))
    deals = pick(deals[deals["booked"].ne(0)], ctx.book, "clawback", tightest_window, match="window")
    deals = deals.assign(cancel=deals["cancel_month"])
    return contributions("clawback", deals, source_tab="deals", base="booked", month="cancel",
                         amount=-deals["booked"] * deals["rate"] / 100.0)
