"""Month-end forecast per manager (PRODUCT.md section 4, "Forecast").

forecast = signed-to-date in the as-of month + Σ over the manager's in-work clients of
rate(stage) × the manager's average deal Amount, where rate(k) = reached(7) / reached(k) team-wide.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from formulas.funnel.metrics import SIGNED, FunnelResult
from formulas.money import round_half_up
from formulas.months import month_of


def valid_deals(deals: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Deals signed on or before ``as_of`` that were not cancelled in their signing month.

    A deal cancelled in the month it was signed counts for nothing (PRODUCT.md section 3); a
    cancellation dated after ``as_of`` has not happened yet as of that date.
    """
    signed = deals[deals["signed"] <= pd.Timestamp(as_of)]
    voided = (signed["cancel_month"] == signed["month"]) & (signed["cancelled_on"] <= pd.Timestamp(as_of))
    return signed[~voided]


def stage_to_signed_rates(result: FunnelResult) -> pd.Series:
    """rate(k) = reached(7) / reached(k) for stages 1–6, team-wide; NaN when reached(k) = 0."""
    reached = result.team.set_index("stage")["reached"].astype("float64")
    return (reached[SIGNED] / reached).where(reached > 0).loc[1:6]


def forecast(deals: pd.DataFrame, result: FunnelResult, as_of: date,
             managers: Iterable[str] = ()) -> pd.DataFrame:
    """manager_key, signed_to_date, pipeline, forecast for the as-of month (money rounded half-up).

    Rows cover ``managers`` plus every manager with a valid deal or a funnel client; a manager with no
    deals of their own is weighted by the team's average deal.
    """
    valid = valid_deals(deals, as_of)
    this_month = valid[valid["month"] == month_of(as_of)]
    signed = this_month.groupby("manager_key")["amount"].sum()
    average = valid.groupby("manager_key")["amount"].mean()
    team_average = float(valid["amount"].mean()) if len(valid) else 0.0

    clients = result.clients
    open_ = clients[clients["stage"].between(1, 6)]
    # a blank rate (nobody ever reached that stage) contributes nothing
    rate = open_["stage"].map(stage_to_signed_rates(result)).fillna(0.0)
    weight = open_["manager_key"].map(average).fillna(team_average)
    pipeline = (rate * weight).groupby(open_["manager_key"]).sum()

    keys = sorted(set(managers) | set(valid["manager_key"].unique()) | set(clients["manager_key"].unique()))
    frame = pd.DataFrame({"manager_key": keys})
    frame["signed_to_date"] = round_half_up(frame["manager_key"].map(signed).fillna(0.0).to_numpy())
    frame["pipeline"] = round_half_up(frame["manager_key"].map(pipeline).fillna(0.0).to_numpy())
    # the forecast is the sum of the two rounded figures, so the row adds up to the kopeck
    frame["forecast"] = np.round(frame["signed_to_date"] + frame["pipeline"], 2)
    return frame
