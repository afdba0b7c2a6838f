"""The per-tab checks of PRODUCT.md section 2: each turns a :class:`TabCheck` into a clean frame.

Column contracts of the returned frames are documented in :mod:`formulas.read.inputs`.
"""

from __future__ import annotations

import pandas as pd

from formulas.close.records import rule_fingerprint
from formulas.contract import ROLE_ALIASES
from formulas.months import month_label, months_of
from formulas.read.columns import TabCheck
from formulas.read.inputs import Closure
from formulas.read.rule_keys import COMPONENT_KEYS, MAX_RATE, PERCENT_KEYS, THRESHOLD_KINDS
from formulas.text import say


class Managers(set[str]):
    """The manager keys a row may name, and those whose every Team row has an issue (key -> first row).

    A row naming a manager whose Team row is broken points at that row, the real cause, rather than
    saying the manager is not on the Team tab.
    """

    def __init__(self, keys: set[str], troubled: dict[str, int] | None = None) -> None:
        super().__init__(keys)
        self.troubled = {key: row for key, row in (troubled or {}).items() if key not in keys}


def _unknown_manager(check: TabCheck, key: str, names: pd.Series, keys: pd.Series, managers: set[str]) -> None:
    """Flag names that are not in Team (blank names are left to the required check)."""
    unknown = check.unknown_keys(key, managers)  # the same as keys.ne("") & ~keys.isin(managers), per name
    troubled = getattr(managers, "troubled", {})

    def words(row: int) -> str:
        name, first = str(names[row]).strip(), troubled.get(keys[row])
        if first is not None:
            return say("issue.manager_row_has_issue", check.lang, name=name, row=first, tab=team_title(check))
        return say("issue.unknown_manager", check.lang, name=name)

    check.flag(unknown, key, words)


def team_title(check: TabCheck) -> str:
    """The Team tab's title in the workbook's language (for messages that send the user there)."""
    return "Команда" if check.lang == "ru" else "Team"


def _future(check: TabCheck, key: str, days: pd.Series, as_of: pd.Timestamp) -> None:
    """Flag dates after the as-of date (PRODUCT.md: future applies to Signed, Cancelled on, Paid on, Date)."""
    check.flag(days > as_of, key, say("issue.future_date", check.lang, as_of=as_of.date().isoformat()))


def _first_wins(check: TabCheck, key: str, columns: pd.DataFrame, code: str, sources: tuple[str, ...]) -> None:
    """Flag every later duplicate of ``columns``, naming the first row.

    Rows take part when their key cells (the columns ``sources`` names) have no issue. The first such
    row wins even when another of its cells has an issue (PRODUCT.md: "the first … wins"): otherwise a
    typo in the first row's Amount would hand its Deal ID, and its payments, to a later copy.
    """
    at = {check.tab.columns[source] for source in sources if source in check.tab.columns}
    unreadable = {issue.row for issue in check.issues if issue.column_index in at}
    good = columns[~columns.index.isin(list(unreadable))]
    duplicated = good.duplicated(keep="first")
    if not duplicated.any():
        return
    first_row = pd.Series(good.index, index=good.index).groupby(
        [good[c] for c in good.columns], dropna=False).transform("first")
    check.flag(duplicated, key, lambda row: say(f"issue.{code}", check.lang, first=int(first_row[row])))


def _good(check: TabCheck, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows without issues, with the sheet row as a column."""
    bad = check.bad.to_numpy()
    # Copy-on-write: the frame is copied by the row filter only when some row is bad, and never again
    # (callers add columns to their own frame without touching ``frame``).
    clean = frame[~bad] if bad.any() else frame
    rows = clean.index.to_numpy(dtype="int64")
    clean = clean.reset_index(drop=True)
    clean.insert(0, "row", rows)
    return clean


def _implausible_month(check: TabCheck, key: str, months: pd.Series) -> None:
    """Flag months before 2000: a bare number such as 3 reads as a spreadsheet serial (1900-01)."""
    check.flag(months.lt(2000 * 12).fillna(False), key, say("issue.implausible_month", check.lang))


def check_team(check: TabCheck) -> tuple[pd.DataFrame, dict[str, int]]:
    """`Team`: manager, role, prorating dates and base salary; and, per manager key, the first Team row
    that has an issue (so rows naming a manager whose every Team row is broken can say so)."""
    manager = check.parsed("manager")
    frame = pd.DataFrame({
        "manager": manager, "manager_key": check.keys("manager"), "role": check.parsed("role"),
        "base_salary": check.parsed("base_salary").fillna(0.0),
        "start": check.parsed("start"), "end": check.parsed("end"),
    })
    check.flag(frame["end"] < frame["start"], "end", say("issue.end_before_start", check.lang))
    broken = frame.loc[check.bad.to_numpy(), "manager_key"]
    troubled = {key: int(row) for row, key in broken[::-1].items() if key}
    return _good(check, frame), troubled


def check_plans(check: TabCheck, managers: set[str]) -> pd.DataFrame:
    """`Plans`: one plan per manager and month; the first one wins."""
    names = check.parsed("manager")
    frame = pd.DataFrame({
        "month": check.parsed("month"), "manager_key": check.keys("manager"),
        "plan_amount": check.parsed("plan_amount"), "plan_deals": check.parsed("plan_deals"),
    })
    _unknown_manager(check, "manager", names, frame["manager_key"], managers)
    _implausible_month(check, "month", frame["month"])
    _first_wins(check, "month", frame[["manager_key", "month"]], "duplicate_plan", ("month", "manager"))
    clean = _good(check, frame)
    clean["month"] = clean["month"].astype("int64")
    return clean


def check_deals(check: TabCheck, managers: set[str], as_of: pd.Timestamp) -> tuple[pd.DataFrame, dict[str, int]]:
    """`Deals`: the clean deals, and the IDs whose row had an issue -> that row (their payments are left out)."""
    deal_id = check.parsed("deal_id")
    names = check.parsed("manager")
    client = check.parsed("client")
    frame = pd.DataFrame({
        "deal_id": deal_id, "signed": check.parsed("signed"), "manager_key": check.keys("manager"),
        "client": client, "client_key": check.keys("client"), "amount": check.parsed("amount"),
        "source": check.parsed("source"), "margin": check.parsed("margin"),
        "status": check.parsed("status"), "cancelled_on": check.parsed("cancelled_on"),
    })
    _unknown_manager(check, "manager", names, frame["manager_key"], managers)
    _future(check, "signed", frame["signed"], as_of)
    _future(check, "cancelled_on", frame["cancelled_on"], as_of)
    check.flag(frame["cancelled_on"] < frame["signed"], "cancelled_on",
               lambda row: say("issue.cancel_before_signed", check.lang,
                               signed=frame["signed"][row].date().isoformat()))
    cancelled = frame["status"].isin(["cancelled", "refunded"]) & frame["cancelled_on"].isna()
    check.flag(cancelled, "status", lambda row: say("issue.cancelled_without_date", check.lang,
                                                    status=str(check.raw("status")[row]).strip()))
    _first_wins(check, "deal_id", frame[["deal_id"]], "duplicate_deal", ("deal_id",))
    bad = frame.loc[check.bad.to_numpy(), "deal_id"]
    bad_rows = {str(deal): int(row) for row, deal in bad[::-1].items() if deal != ""}
    clean = _good(check, frame)
    clean["month"] = months_of(clean["signed"]).astype("int64")
    clean["inbound"] = clean["source"].eq("inbound")
    clean["cancel_month"] = months_of(clean["cancelled_on"]).astype("float64")
    clean = clean.drop(columns=["source", "status"])
    for deal in set(clean["deal_id"]) & set(bad_rows):
        del bad_rows[deal]  # a later duplicate of a good deal: payments belong to the first one
    return clean, bad_rows


def check_payments(check: TabCheck, deals: pd.DataFrame, bad_deals: dict[str, int], managers: set[str],
                   as_of: pd.Timestamp, deals_title: str, deals_readable: bool = True) -> pd.DataFrame:
    """`Payments`: each must reference a clean deal; contract month defaults to 1.

    When the Deals tab cannot be read at all (a required column is missing), a payment's deal is not
    "unknown": the message sends the user to that tab's header instead.
    """
    deal_id = check.parsed("deal_id")
    collector = check.parsed("collector")
    frame = pd.DataFrame({
        "deal_id": deal_id, "paid_on": check.parsed("paid_on"), "amount": check.parsed("amount"),
        "contract_month": check.parsed("contract_month").fillna(1.0), "collector_key": check.keys("collector"),
    })
    _future(check, "paid_on", frame["paid_on"], as_of)
    _unknown_manager(check, "collector", collector, frame["collector_key"], managers)
    has_issue = deal_id.isin(list(bad_deals))
    unknown = say("issue.unknown_deal", check.lang) if deals_readable else say(
        "issue.deals_unreadable", check.lang, tab=deals_title)
    check.flag(deal_id.ne("") & ~deal_id.isin(set(deals["deal_id"])) & ~has_issue, "deal_id", unknown)
    check.flag(has_issue, "deal_id", lambda row: say("issue.deal_has_issue", check.lang, row=bad_deals[deal_id[row]],
                                                     tab=deals_title))
    clean = _good(check, frame)
    clean["month"] = months_of(clean["paid_on"]).astype("int64")
    clean["contract_month"] = clean["contract_month"].astype("int64")
    return clean


def check_funnel(check: TabCheck, managers: set[str], as_of: pd.Timestamp) -> pd.DataFrame:
    """`Funnel`: dated stage rows by manager and client."""
    names = check.parsed("manager")
    client = check.parsed("client")
    frame = pd.DataFrame({
        "date": check.parsed("date"), "manager_key": check.keys("manager"), "client": client,
        "client_key": check.keys("client"), "client_code": check.key_codes("client"), "stage": check.parsed("stage"),
        "action": check.parsed("action"), "lost_reason": check.parsed("lost_reason"),
    })
    _unknown_manager(check, "manager", names, frame["manager_key"], managers)
    _future(check, "date", frame["date"], as_of)
    clean = _good(check, frame)
    clean["month"] = months_of(clean["date"]).astype("int64")
    clean["stage"] = clean["stage"].astype("int64")
    return clean


def check_rules(check: TabCheck, targets: set[str], closure: Closure | None = None) -> pd.DataFrame:
    """`Rules`: effective-dated rows; a target must be a manager, a role or ``*``; a pay rule may not be
    newly dated into a closed month."""
    check.parsed("applies_to")  # its issues
    applies = check.keys("applies_to")
    # A role may be written in Russian (продажи); rules are looked up by the canonical role name.
    applies = applies.map(lambda key: ROLE_ALIASES.get(key, key))
    component = check.parsed("component")
    # The Threshold reads by what it means for its Component (PRODUCT.md section 3 "Threshold").
    kinds = component.map(lambda key: THRESHOLD_KINDS.get(key, "number") if key else "any_threshold")
    frame = pd.DataFrame({
        "from_month": check.parsed("from_month"), "applies_to": applies,
        "component": component, "threshold": check.parsed_by("threshold", kinds),
        "value": check.parsed("value"),
    })
    _implausible_month(check, "from_month", frame["from_month"])
    # A rate or a sum below zero would take pay away (section 2: negative amounts are input issues).
    check.flag(frame["value"].lt(0).fillna(False), "value", say("issue.negative_value", check.lang))
    # A percentage is written in points (5 means 5 %): above 1 000 it is a typo, and would overflow pay.
    percent = component.isin(PERCENT_KEYS) & frame["value"].gt(MAX_RATE).fillna(False)
    check.flag(percent, "value", say("issue.rate_too_high", check.lang))
    _unknown_manager_or_target(check, frame["applies_to"], targets)
    key = ("from_month", "applies_to", "component", "threshold")
    _first_wins(check, "from_month", frame[list(key)], "duplicate_rule", key)
    if closure is not None and closure.last is not None:
        _dated_into_closed_months(check, frame, closure)
    clean = _good(check, frame)
    clean["from_month"] = clean["from_month"].astype("int64")
    return clean


def _dated_into_closed_months(check: TabCheck, frame: pd.DataFrame, closure: Closure) -> None:
    """Flag pay rules whose From falls in a closed month and that were not there when it was closed.

    PRODUCT.md section 3a: such a rule would change pay already closed, so it is ignored. The rules that
    were there at the close (their fingerprints are kept) stay in force: they made the closed figures.
    """
    last = closure.last or 0
    pay = frame["component"].isin(set(COMPONENT_KEYS)) & frame["from_month"].le(last).fillna(False)
    candidates = frame[pay.to_numpy() & ~check.bad.reindex(frame.index, fill_value=False).to_numpy()]
    new = [row for row, rule in candidates.iterrows()
           if rule_fingerprint(int(rule["from_month"]), rule["applies_to"], rule["component"], rule["threshold"],
                               rule["value"]) not in closure.known_rules]
    if new:
        mask = pd.Series(frame.index.isin(new), index=frame.index)
        check.flag(mask, "from_month", say("issue.rule_in_closed_month", check.lang, last=month_label(last),
                                           first_open=month_label(last + 1)))


def _unknown_manager_or_target(check: TabCheck, applies: pd.Series, targets: set[str]) -> None:
    """Flag an `Applies to` that is neither a manager, a role nor ``*`` (a broken Team row: that row)."""
    troubled = getattr(targets, "troubled", {})
    unknown = applies.ne("") & ~applies.isin(targets)
    names = check.raw("applies_to")

    def words(row: int) -> str:
        first = troubled.get(applies[row])
        if first is not None:
            return say("issue.manager_row_has_issue", check.lang, name=str(names[row]).strip(), row=first,
                       tab=team_title(check))
        return say("issue.unknown_applies_to", check.lang)

    check.flag(unknown, "applies_to", words)
