"""Signals (PRODUCT.md section 4): one row per thing a head of sales should look at.

Plan and deal signals are computed for every month up to the as-of month; `stuck_client`,
`idle_client` and `behind_pace` are about the as-of date only. Thresholds come from the injected
``setting(key, manager_key, month)`` lookup for the manager concerned in the month the signal is
about, with the defaults of :mod:`formulas.funnel.settings` when it returns None.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from formulas.contract import STAGE_NAMES_EN, STAGE_NAMES_RU
from formulas.funnel.forecast import valid_deals
from formulas.funnel.metrics import FunnelResult
from formulas.funnel.settings import DEFAULTS
from formulas.money import cents
from formulas.months import days_in_month, month_end, month_label, month_of, month_start
from formulas.pay.shares import exact_credit, participations
from formulas.text import say
from formulas.text.numbers import counted, number

SIGNAL_COLUMNS = ["date", "manager_key", "signal", "details", "source_tab", "source_row"]
SIGNALS = ("stuck_client", "idle_client", "plan_missed_twice", "plan_jump", "possible_fake_client",
           "early_churn", "behind_pace")
# How much each kind of signal asks of the owner (one table): "high" ones are about pay or plans going
# wrong and are rare, "medium" ones ask for a look this month, "low" ones (stuck and idle clients, many
# every day) are a follow-up list for the manager. The Signals tab colours rows by it.
SEVERITY: dict[str, str] = {"plan_missed_twice": "high", "possible_fake_client": "high", "early_churn": "high",
                            "plan_jump": "medium", "behind_pace": "medium",
                            "stuck_client": "low", "idle_client": "low"}
Setting = Callable[[str, str, int], float | None]
Thresholds = Callable[[str, int], list[float]]
FAKE_CLIENT_MIN_AGE = 2  # months between signing and the as-of month before "paid at most once" counts

def _tolerance(bound: pd.Series | float) -> pd.Series | float:
    """Float noise allowed when comparing money with a computed bound (far below a kopeck)."""
    return 1e-9 + 1e-13 * np.abs(bound)


def _money(value: float, lang: str) -> str:
    """An amount with thousands grouped, kopecks only when there are any: 150,000 / 150 000,50."""
    text = f"{value:,.2f}".removesuffix(".00")
    return text.replace(",", " ").replace(".", ",") if lang == "ru" else text


def _percent(value: float, lang: str, decimals: int = 1) -> str:
    """A percentage with a fixed number of decimals: "82.5 %" ("82,5 %" in Russian)."""
    text = f"{value:.{decimals}f} %"
    return text.replace(".", ",") if lang == "ru" else text


def _day(value: pd.Timestamp | date) -> str:
    """A date as ISO text, the same in both languages."""
    return pd.Timestamp(value).date().isoformat()


def _lookup(setting: Setting, key: str, managers: pd.Series, months: pd.Series) -> pd.Series:
    """The setting in force for each (manager, month), the default where no rule is set."""
    pairs = pd.DataFrame({"manager_key": managers, "month": months.astype("int64")})
    unique = pairs.drop_duplicates()
    # one lookup per (manager, month), never per row: the lookup walks effective-dated rules
    values = [setting(key, manager, int(month))
              for manager, month in zip(unique["manager_key"], unique["month"], strict=True)]
    unique = unique.assign(value=[DEFAULTS[key] if v is None else v for v in values])
    merged = pairs.merge(unique, on=["manager_key", "month"], how="left")
    return pd.Series(merged["value"].to_numpy(dtype="float64"), index=managers.index)


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Signal rows as a frame with exactly :data:`SIGNAL_COLUMNS` (also when there are none)."""
    frame = pd.DataFrame(rows, columns=SIGNAL_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({"source_row": "int64"})


def _plans_with_attainment(plans: pd.DataFrame, credited: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Plans up to the as-of month with the credited amount of their month and the previous plan.

    ``credited`` holds one row per deal and participant (formulas.pay.shares.participations).
    """
    plans = plans[plans["month"] <= month_of(as_of)].drop_duplicates(["manager_key", "month"])
    valid = valid_deals(credited, as_of)
    # exact kopecks (× share where a deal is shared), so "below 100 %" is an exact comparison
    # (PRODUCT.md: compared exactly; credited amounts are never rounded)
    signed = exact_credit(valid, cents(valid["amount"]), ["manager_key", "month"])["fact_exact"]
    frame = plans.assign(plan_c=cents(plans["plan_amount"]))
    index = pd.MultiIndex.from_arrays([frame["manager_key"], frame["month"]])
    exact = signed.reindex(index, fill_value=0).to_numpy()
    frame["missed"] = [credit < plan for credit, plan in zip(exact, frame["plan_c"], strict=True)]
    frame["signed_c"] = [float(credit) for credit in exact]
    previous = frame[["manager_key", "month", "plan_c", "signed_c", "plan_amount", "missed"]].assign(
        month=frame["month"] + 1)
    return frame.merge(previous, on=["manager_key", "month"], how="left", suffixes=("", "_prev"))


def _attainment_text(month: int, signed_c: float, plan_c: float, lang: str) -> str:
    """"2026-03 — 82.0 % of 500,000": a month's signed amount against its plan."""
    return say("signal.attainment", lang, month=month_label(month), share=_percent(100.0 * signed_c / plan_c, lang),
                plan=_money(plan_c / 100, lang))


def _plan_missed_twice(frame: pd.DataFrame, as_of: date, lang: str) -> list[dict]:
    """Attainment below 100 % in M and M−1, both with a plan, M ended on or before the as-of date."""
    ended = frame["month"].map(lambda m: month_end(m) <= as_of)
    missed = frame["missed"].astype(bool)
    missed_before = frame["missed_prev"].eq(True)  # NaN (no plan in M−1) is never below
    rows = []
    for plan in frame[ended & missed & missed_before].itertuples():
        before = _attainment_text(plan.month - 1, plan.signed_c_prev, plan.plan_c_prev, lang)
        now = _attainment_text(plan.month, plan.signed_c, plan.plan_c, lang)
        rows.append({"date": month_end(plan.month), "manager_key": plan.manager_key,
                     "signal": "plan_missed_twice", "details": say("signal.missed", lang, before=before, now=now),
                     "source_tab": "plans", "source_row": plan.row})
    return rows


def _plan_jump(frame: pd.DataFrame, setting: Setting, lang: str) -> list[dict]:
    """plan(M) > plan(M−1) × (1 + `plan_jump` %), the threshold of M for the plan's manager."""
    frame = frame[frame["plan_amount_prev"].notna()]
    frame = frame.assign(limit=_lookup(setting, "plan_jump", frame["manager_key"], frame["month"]))
    bound = frame["plan_amount_prev"] * (1 + frame["limit"] / 100)
    rows = []
    for plan in frame[frame["plan_amount"] > bound + _tolerance(bound)].itertuples():
        jump = (_percent(100 * (plan.plan_amount / plan.plan_amount_prev - 1), lang, 2)
                if plan.plan_amount_prev > 0 else "∞")
        details = say("signal.jump", lang, month=month_label(plan.month), amount=_money(plan.plan_amount, lang),
                       jump=jump, previous=_money(plan.plan_amount_prev, lang),
                       before=month_label(plan.month - 1), limit=number(plan.limit, lang))
        rows.append({"date": month_start(plan.month), "manager_key": plan.manager_key, "signal": "plan_jump",
                     "details": details, "source_tab": "plans", "source_row": plan.row})
    return rows


def _near_threshold(deals: pd.DataFrame, setting: Setting, thresholds: Thresholds) -> pd.DataFrame:
    """Deals whose Amount is within `fake_margin` % above a turnover threshold in force for them.

    T ≤ Amount ≤ T × (1 + %), with the thresholds and margin of the deal's signing month and manager;
    the highest such T is kept. A threshold of 0 is no step anybody could game, so it is ignored.
    """
    pairs = deals[["manager_key", "month"]].drop_duplicates()
    table = [(manager, month, float(step))
             for manager, month in zip(pairs["manager_key"], pairs["month"], strict=True)
             for step in thresholds(manager, int(month)) if step > 0]
    steps = pd.DataFrame(table, columns=["manager_key", "month", "threshold"]).astype(
        {"month": "int64", "threshold": "float64"})
    margin = _lookup(setting, "fake_margin", deals["manager_key"], deals["month"])
    merged = deals.assign(margin=margin).merge(steps, on=["manager_key", "month"])
    upper = merged["threshold"] * (1 + merged["margin"] / 100)
    near = ((merged["amount"] >= merged["threshold"] - _tolerance(merged["threshold"]))
            & (merged["amount"] <= upper + _tolerance(upper)))
    return merged[near].sort_values("threshold").drop_duplicates("row", keep="last")


def _fake_reason(cancelled_on: pd.Timestamp, paid: int, lang: str) -> str:
    """Why a deal near a threshold looks fake: cancelled, or paid for at most one contract month."""
    if pd.notna(cancelled_on):
        return say("signal.cancelled", lang, day=_day(cancelled_on))
    return say("signal.unpaid" if paid == 0 else "signal.paid_once", lang)


def _possible_fake_client(deals: pd.DataFrame, payments: pd.DataFrame, as_of: date, setting: Setting,
                          thresholds: Thresholds, lang: str) -> list[dict]:
    """A deal just above a bonus threshold that was cancelled, or is ≥ 2 months old and paid ≤ once."""
    deals = deals[deals["signed"] <= pd.Timestamp(as_of)]
    cancelled = deals["cancelled_on"].notna() & (deals["cancelled_on"] <= pd.Timestamp(as_of))
    deals = deals.assign(cancelled_on=deals["cancelled_on"].where(cancelled))
    near = _near_threshold(deals, setting, thresholds)
    # only the few deals near a threshold need their paid contract months counted
    mine = payments[payments["deal_id"].isin(near["deal_id"]) & (payments["paid_on"] <= pd.Timestamp(as_of))]
    paid = mine.groupby("deal_id")["contract_month"].nunique()
    near = near.assign(paid=near["deal_id"].map(paid).fillna(0).astype("int64"))
    old = month_of(as_of) - near["month"] >= FAKE_CLIENT_MIN_AGE
    rows = []
    for deal in near[near["cancelled_on"].notna() | (old & (near["paid"] <= 1))].itertuples():
        details = say("signal.fake", lang, deal_id=deal.deal_id, client=deal.client,
                       amount=_money(deal.amount, lang),
                       above=_percent(100 * (deal.amount / deal.threshold - 1), lang, 2),
                       step=_money(deal.threshold, lang), margin=number(deal.margin, lang),
                       reason=_fake_reason(deal.cancelled_on, deal.paid, lang))
        rows.append({"date": deal.signed, "manager_key": deal.manager_key, "signal": "possible_fake_client",
                     "details": details, "source_tab": "deals", "source_row": deal.row})
    return rows


def _early_churn(deals: pd.DataFrame, as_of: date, setting: Setting, lang: str) -> list[dict]:
    """A deal cancelled within `early_churn_months` (cancellation month − signing month ≤ N)."""
    cancelled = deals[deals["cancelled_on"].notna() & (deals["cancelled_on"] <= pd.Timestamp(as_of))]
    limit = _lookup(setting, "early_churn_months", cancelled["manager_key"], cancelled["cancel_month"])
    gap = cancelled["cancel_month"] - cancelled["month"]
    rows = []
    for deal in cancelled.assign(limit=limit, gap=gap)[gap <= limit].itertuples():
        details = say("signal.churn", lang, deal_id=deal.deal_id, client=deal.client,
                       amount=_money(deal.amount, lang),
                       signed=_day(deal.signed), cancelled=_day(deal.cancelled_on),
                       gap=counted(int(deal.gap), "month", lang), limit=number(deal.limit, lang))
        rows.append({"date": deal.cancelled_on, "manager_key": deal.manager_key, "signal": "early_churn",
                     "details": details, "source_tab": "deals", "source_row": deal.row})
    return rows


def _behind_pace(plans: pd.DataFrame, deals: pd.DataFrame, as_of: date, setting: Setting,
                 lang: str) -> list[dict]:
    """Signed-to-date < plan × (as-of day / days in month) × `behind_pace` %, in the as-of month."""
    month = month_of(as_of)
    plans = plans[plans["month"] == month].drop_duplicates("manager_key")
    valid = valid_deals(deals, as_of)
    signed = valid[valid["month"] == month].groupby("manager_key")["credit"].sum()
    share = as_of.day / days_in_month(month)
    pace = _lookup(setting, "behind_pace", plans["manager_key"], plans["month"])
    frame = plans.assign(pace=pace, needed=plans["plan_amount"] * share * pace / 100,
                         signed=plans["manager_key"].map(signed).fillna(0.0))
    rows = []
    for plan in frame[frame["signed"] < frame["needed"] - _tolerance(frame["needed"])].itertuples():
        details = say("signal.pace", lang, signed=_money(plan.signed, lang), day=_day(as_of), number=as_of.day,
                       days=days_in_month(month), needed=_money(plan.needed, lang),
                       pace=number(plan.pace, lang), plan=_money(plan.plan_amount, lang))
        rows.append({"date": as_of, "manager_key": plan.manager_key, "signal": "behind_pace",
                     "details": details, "source_tab": "plans", "source_row": plan.row})
    return rows


def _stage_text(stage: int, lang: str) -> str:
    """"stage 3 (meeting set)" / "этап 3 (встреча назначена)"."""
    names = STAGE_NAMES_RU if lang == "ru" else STAGE_NAMES_EN
    return say("signal.stage", lang, stage=stage, name=names[stage - 1])


def _funnel_signals(result: FunnelResult, lang: str) -> list[dict]:
    """`stuck_client` and `idle_client` as of the funnel's as-of date, linked to the latest row."""
    rows = []
    stuck, idle = _listed(result.stuck), _listed(result.idle)
    for client in stuck:
        why = say("signal.stuck_rule" if client.limit_source == "rule" else "signal.stuck_p75", lang,
                   limit=number(client.limit, lang))
        details = say("signal.stuck", lang, client=client.client, stage=_stage_text(client.stage, lang),
                       days=client.days, why=why)
        rows.append({"date": result.as_of, "manager_key": client.manager_key, "signal": "stuck_client",
                     "details": details, "source_tab": "funnel", "source_row": client.row})
    for client in idle:
        details = say("signal.idle", lang, client=client.client, days=client.days,
                       limit=number(client.limit, lang))
        rows.append({"date": result.as_of, "manager_key": client.manager_key, "signal": "idle_client",
                     "details": details, "source_tab": "funnel", "source_row": client.row})
    return rows


def _listed(clients: pd.DataFrame) -> list[tuple]:
    """The rows of a stuck or idle frame as named tuples of plain values; ``itertuples`` steps through each
    pandas text column cell by cell, ten times slower on a hundred thousand clients."""
    row = namedtuple("Client", list(clients.columns))  # type: ignore[misc]
    return list(map(row._make, zip(*(clients[name].tolist() for name in clients.columns), strict=True)))


def compute_signals(deals: pd.DataFrame, payments: pd.DataFrame, plans: pd.DataFrame,
                    funnel_result: FunnelResult, as_of: date, setting: Setting,
                    turnover_thresholds: Thresholds, lang: str = "en",
                    credited: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every signal of PRODUCT.md section 4 as a frame of :data:`SIGNAL_COLUMNS`, oldest first.

    ``setting(key, manager_key, month)`` returns the Rules value in force (None: the default);
    ``turnover_thresholds(manager_key, month)`` the `client_turnover_bonus` thresholds in force.
    ``source_tab`` is an input tab key and ``source_row`` the sheet row behind the signal.
    ``credited`` is one row per deal and participant (deal splits, PRODUCT.md 3b): attainment and pace
    count each participant's share; signals about a deal itself read ``deals``, once, under its manager.
    """
    credited = participations(deals) if credited is None else credited
    plan_frame = _plans_with_attainment(plans, credited, as_of)
    rows = [*_plan_missed_twice(plan_frame, as_of, lang), *_plan_jump(plan_frame, setting, lang),
            *_possible_fake_client(deals, payments, as_of, setting, turnover_thresholds, lang),
            *_early_churn(deals, as_of, setting, lang), *_behind_pace(plans, credited, as_of, setting, lang),
            *_funnel_signals(funnel_result, lang)]
    frame = _frame(rows)
    order = frame["signal"].map({name: i for i, name in enumerate(SIGNALS)})
    return frame.assign(_order=order).sort_values(
        ["date", "manager_key", "_order", "source_row"], ignore_index=True).drop(columns="_order")
