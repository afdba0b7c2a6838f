"""Deal splits in pay (PRODUCT.md section 3b): one participation row per deal and participant.

A deal without split rows is one participation, its `Deals` manager's, with share 1. A split deal is one
participation per split row, with that manager and share. Every booked and paid component then works on
participations: ``credit`` (share × Amount) is what the participant is credited with, ``owner_key`` the
`Deals` manager, ``lead`` marks one participation per deal for what happens once per deal (the Collector's
percentage, a deal's own signals). ``share_exact`` keeps the share as a Decimal so attainment and deal counts
are exact sums, never rounded.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

ONE = Decimal(1)
CENT = Decimal("0.01")


def participations(deals: pd.DataFrame, splits: pd.DataFrame | None = None) -> pd.DataFrame:
    """``deals`` with manager_key = the participant, plus owner_key, share, share_exact, credit and lead.

    ``splits`` are the usable rows of the Splits tab (formulas.read.splits); none: every deal is whole.
    """
    shared_ids = set(splits["deal_id"]) & set(deals["deal_id"]) if splits is not None and len(splits) else set()
    whole = deals.assign(owner_key=deals["manager_key"], share=1.0, share_exact=ONE, split_row=-1)
    if not shared_ids:
        return _finish(whole)
    is_shared = deals["deal_id"].isin(shared_ids)
    shared = deals[is_shared].rename(columns={"manager_key": "owner_key"}).merge(
        splits[["deal_id", "manager_key", "share", "share_exact", "row"]].rename(columns={"row": "split_row"}),
        on="deal_id", how="inner")
    frame = pd.concat([whole[~is_shared.to_numpy()], shared], ignore_index=True)
    return _finish(frame.sort_values(["row", "split_row"]))  # the sheet's order; _finish re-indexes


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Add credit (share × Amount), lead (the first participation of each deal) and share_rate (the share in
    percent on shared participations, shown as the Rate of fixed sums in Explain; NaN otherwise)."""
    frame = frame.reset_index(drop=True)
    frame["share_rate"] = np.where(is_split(frame), frame["share"].to_numpy(dtype="float64") * 100.0, np.nan)
    frame["credit"] = frame["amount"].to_numpy(dtype="float64") * frame["share"].to_numpy(dtype="float64")
    frame["lead"] = ~frame["deal_id"].duplicated(keep="first").to_numpy()
    return frame


def is_split(frame: pd.DataFrame) -> np.ndarray:
    """True for the participations of shared deals."""
    return frame["split_row"].to_numpy(dtype="int64") >= 0


def exact_credit(frame: pd.DataFrame, cents: pd.Series, by: list[str]) -> pd.DataFrame:
    """Per group of ``by`` (two or more columns: manager and month): the exact credited kopecks
    (Σ kopecks × share) and the exact deal count (Σ share).

    Whole deals add integers, vectorised; only the few shared participations are added as Decimals, so a
    group with a share holds a Decimal and every other group a Python int (both compare exactly).
    """
    whole = ~is_split(frame)
    parts = pd.DataFrame({"fact_exact": np.where(whole, cents.to_numpy(dtype="int64"), 0),
                          "deals_exact": whole.astype("int64")})
    for column in by:
        parts[column] = frame[column].to_numpy()
    totals = parts.groupby(by).sum()
    # Python ints in object columns: they add to Decimals exactly, and the column keeps a Decimal
    sums = pd.DataFrame({column: pd.Series([int(v) for v in totals[column]], index=totals.index, dtype=object)
                         for column in totals.columns})
    shared = frame[~whole]
    for key, amount, share in zip(shared[by].itertuples(index=False, name=None), cents[~whole],
                                  shared["share_exact"], strict=True):
        sums.at[key, "fact_exact"] += Decimal(int(amount)) * share
        sums.at[key, "deals_exact"] += share
    return sums


def times_share(frame: pd.DataFrame, base: str, factor: str | None = None, divisor: int = 1) -> np.ndarray:
    """base × share × factor ÷ divisor per row, for a contribution's one rounding.

    Whole participations (share 1) stay in floats, as every other contribution; a shared one is computed
    in decimals from the figures as typed and rounded half-up here, because a share's extra digits can put
    a float product within the rounding tolerance of a half kopeck (PRODUCT.md 3b: round(Amount × share × rate)).
    """
    factors = frame[factor].to_numpy(dtype="float64") if factor else np.ones(len(frame))
    values = frame[base].to_numpy(dtype="float64") * factors / divisor
    for at in np.flatnonzero(is_split(frame)):
        figure, rate = frame[base].iat[at], factors[at]
        if pd.isna(figure) or pd.isna(rate):
            continue
        exact = Decimal(repr(float(figure))) * frame["share_exact"].iat[at] * Decimal(repr(float(rate))) / divisor
        values[at] = float(exact.quantize(CENT, rounding=ROUND_HALF_UP))
    return values
