"""Components on a *booked* basis (PRODUCT.md section 3): earned in the month the deal was signed.

deal_percent, client_turnover_bonus, inbound_deal_bonus per deal; plan_bonus and deal_count_bonus
per manager and month.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from formulas.money import round_half_up
from formulas.pay.context import PayContext, contributions, empty_contributions
from formulas.pay.rules import Tier, TierSet, highest_reached
from formulas.pay.shares import times_share
from formulas.pay.tiers import flat, highest_at_or_below, pick


def deal_percent(ctx: PayContext) -> pd.DataFrame:
    """% of each participant's share of the deal's Amount (seed 000; PRODUCT.md 3b)."""
    deals = pick(ctx.deals, ctx.book, "deal_percent", flat)
    return contributions("deal_percent", deals, source_tab="deals", base="credit",
                         amount=times_share(deals, "amount", "rate", 100))


def client_turnover_bonus(ctx: PayContext) -> pd.DataFrame:
    """A fixed sum per deal for the highest threshold <= its whole Amount (seed 002, half-open steps),
    times the participant's share."""
    deals = pick(ctx.deals, ctx.book, "client_turnover_bonus", highest_at_or_below(0.0), match="amount")
    return contributions("client_turnover_bonus", deals, source_tab="deals", base="amount",
                         amount=times_share(deals, "rate"), rate="share_rate")


def inbound_deal_bonus(ctx: PayContext) -> pd.DataFrame:
    """A fixed sum per inbound deal (seed 002), times the participant's share."""
    deals = pick(ctx.deals[ctx.deals["inbound"]], ctx.book, "inbound_deal_bonus", flat)
    return contributions("inbound_deal_bonus", deals, source_tab="deals", base="amount",
                         amount=times_share(deals, "rate"), rate="share_rate")


def plan_bonus(ctx: PayContext) -> pd.DataFrame:
    """A fixed sum for the highest attainment threshold reached (blank = 100 %), seed 000."""
    facts = ctx.facts
    facts = facts[facts["plan_amount"].gt(0)]
    picked = []
    for row in facts.itertuples(index=False):  # one per manager and month, never per deal
        tier = _plan_tier(ctx.book.tier_set("plan_bonus", row.manager_key, int(row.month)),
                          row.fact_exact, row.plan_amount)
        picked.append((tier.value, tier.row) if tier else (np.nan, -1))
    if not picked:
        return empty_contributions()
    facts = facts.assign(value=[p[0] for p in picked], rule_row=[p[1] for p in picked],
                         attainment=facts["fact"] * 100.0 / facts["plan_amount"])
    return contributions("plan_bonus", facts, source_tab="plans", base="fact", amount=facts["value"],
                         rate="attainment")


def _plan_tier(tiers: TierSet, fact_cents: int | Decimal, plan: float) -> Tier | None:
    """The highest threshold reached, compared exactly: fact × 100 >= threshold × plan (blank = 100).

    Fact and plan are kopecks (the fact exact with shares: Σ kopecks × share) and the threshold the decimal
    the user typed, so 110 % of 265 722.40 is reached by exactly 292 294.64 (in floats 292 294.64 × 100
    falls just short).
    """
    plan_cents = Decimal(round(round_half_up(plan) * 100))
    reached = [(t.threshold if t.threshold is not None else 100.0, t) for t in tiers]
    reached = [(threshold, t) for threshold, t in reached
               if Decimal(fact_cents) * 100 >= Decimal(repr(threshold)) * plan_cents]
    return max(reached, key=lambda item: item[0])[1] if reached else None


def deal_count_bonus(ctx: PayContext) -> pd.DataFrame:
    """A fixed sum for the highest deal-count threshold reached (blank = the month's Plan deals)."""
    facts = ctx.facts
    facts = facts[facts["deals"] > 0]
    picked = []
    for row in facts.itertuples(index=False):
        tiers = ctx.book.tier_set("deal_count_bonus", row.manager_key, int(row.month))
        blank = None if pd.isna(row.plan_deals) else float(row.plan_deals)
        tier = highest_reached(tiers, float(row.deals), blank=blank)
        picked.append((tier.value, tier.row) if tier else (np.nan, -1))
    if not picked:
        return empty_contributions()
    facts = facts.assign(value=[p[0] for p in picked], rule_row=[p[1] for p in picked],
                         row=facts["row"].fillna(-1), count=facts["deals"].astype("float64"))
    # no rate: a fixed sum (the facts have no "rate" column, so the contribution's Rate is empty)
    return contributions("deal_count_bonus", facts, source_tab="plans", base="count", amount=facts["value"])
