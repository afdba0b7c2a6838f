"""The funnel component: stage_bonus (PRODUCT.md section 3, "Stage bonus"; seeds 001 and 003)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from formulas.pay.context import PayContext, contributions
from formulas.pay.tiers import exact_or_any, pick


def stage_bonus(ctx: PayContext) -> pd.DataFrame:
    """A fixed sum per client and stage, once, at the earliest row logged at exactly that stage.

    Row order breaks date ties; the bonus goes to that row's manager under their rule of that month;
    a skipped stage pays nothing (seeds 001 and 003).
    """
    funnel = ctx.inputs.funnel
    # Only the columns a contribution names: filtering a million rows copies every column it keeps.
    funnel = funnel.loc[funnel["stage"].between(1, 7).to_numpy(),
                        ["row", "date", "month", "manager_key", "client", "client_code", "stage"]]
    # Earliest row per (client, stage), dates then sheet rows breaking ties: integer keys and one
    # lexsort instead of sorting and de-duplicating a million strings.
    clients = pd.factorize(funnel["client_code"])[0].astype("int64")
    order = np.lexsort((funnel["row"].to_numpy(), funnel["date"].to_numpy()))
    keys = (clients * 8 + funnel["stage"].to_numpy(dtype="int64"))[order]
    _unique, first_at = np.unique(keys, return_index=True)
    first = funnel.iloc[np.sort(order[first_at])]
    first = pick(first.assign(stage_number=first["stage"].astype("float64")), ctx.book, "stage_bonus",
                 exact_or_any, match="stage_number")
    first = first.assign(fixed=np.nan)
    return contributions("stage_bonus", first, source_tab="funnel", base="stage_number",
                         amount=first["rate"], rate="fixed")
