"""Statement lines of the reference engine: base salary, every component of PRODUCT.md section 3, carry-over.

One loop per kind of source row; each contribution is rounded half-up to 0.01 and a line is the sum of
its contributions (PRODUCT.md section 3). A split deal (section 3b) gives each participant share × its
contributions, under their own rules. Months are ``year * 12 + month - 1``.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from tests.reference.read import month_index
from tests.reference.rules import Rule, clawback_tier, exact_or_any, highest_reached, tier_set
from tests.reference.splits import owners
from tests.reference.validate import Inputs

Key = tuple[int, str, str]
CENT = Decimal("0.01")
BOOKED_REVERSIBLE = ("deal_percent", "client_turnover_bonus", "inbound_deal_bonus")


def money(amount: Decimal) -> Decimal:
    """Half-up to the kopeck, symmetric (−2.505 → −2.51): PRODUCT.md section 3 "Parsing"."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def month_days(month: int) -> list[date]:
    """Every calendar day of a month index."""
    year, number = divmod(month, 12)
    return [date(year, number + 1, day) for day in range(1, calendar.monthrange(year, number + 1)[1] + 1)]


def statement_months(inputs: Inputs) -> list[int]:
    """From the earliest valid signing, cancellation, payment, funnel row or plan (≤ as-of month) through
    the as-of month, without gaps (PRODUCT.md section 3 "Months")."""
    last = month_index(inputs.as_of)
    starts = [month_index(deal["signed"]) for deal in inputs.deals.values()]
    starts += [month_index(deal["cancelled"]) for deal in inputs.deals.values() if deal["cancelled"]]
    starts += [month_index(payment["paid"]) for payment in inputs.payments]
    starts += [month_index(row["date"]) for row in inputs.funnel]
    starts += [month for (_manager, month) in inputs.plans if month <= last]
    # With no data at all the range is just the as-of month ("through the as-of month").
    return list(range(min(starts, default=last), last + 1))


def _employed_days(row: dict[str, Any], month: int) -> int:
    """Calendar days of the month within the Team row's From/To, both inclusive."""
    return sum(1 for day in month_days(month)
               if (row["start"] is None or row["start"] <= day) and (row["end"] is None or day <= row["end"]))


def role_in(inputs: Inputs, manager: str, month: int) -> str | None:
    """The role of the employed Team row with the latest From (PRODUCT.md section 3 "Months").

    PRODUCT.md is silent on months without employment: after leaving, a manager keeps the role of their
    latest row begun by the month's end (payments still arrive); before their first From they have none.
    """
    rows = [row for row in inputs.team if row["manager"] == manager]
    employed = [row for row in rows if _employed_days(row, month) > 0]
    begun = [row for row in rows if row["start"] is None or row["start"] <= month_days(month)[-1]]
    pool = employed or begun
    return max(pool, key=lambda row: row["start"] or date.min)["role"] if pool else None


def reference_pay(inputs: Inputs) -> dict[Key, Decimal]:
    """Every statement line (month, manager key, component) → amount; zero lines only for base salary."""
    # Amount × share × rate can hold more than the default 28 digits (a share typed in a percent cell as
    # 1/3 has 16): products stay exact, so the one rounding of each contribution is the only one.
    with localcontext() as context:
        context.prec = 80
        return _pay(inputs)


def _pay(inputs: Inputs) -> dict[Key, Decimal]:
    months = statement_months(inputs)
    parts: dict[Key, list[Decimal]] = defaultdict(list)

    def rule(component: str, month: int, manager: str) -> list[Rule]:
        return tier_set(inputs.rules, component, month, manager, role_in(inputs, manager, month))

    def add(month: int, manager: str, component: str, amount: Decimal) -> None:
        parts[(month, manager, component)].append(money(amount))

    # Base salary, prorated by calendar days employed, one contribution per Team row (section 3 "Months").
    for month in months:
        for row in inputs.team:
            days = _employed_days(row, month)
            if days:
                add(month, row["manager"], "base_salary", row["salary"] * days / len(month_days(month)))

    booked = _booked(inputs, rule, add)
    _paid(inputs, rule, add)
    _stages(inputs, rule, add)
    _clawback(inputs, rule, add, booked)
    lines = {key: sum(amounts, Decimal(0)) for key, amounts in parts.items() if key[0] in months}
    _carry_over(lines, months)
    return {key: amount for key, amount in lines.items() if amount != 0 or key[2] == "base_salary"}


def counts(deal: dict[str, Any]) -> bool:
    """A deal cancelled in the month it was signed counts for nothing (PRODUCT.md section 3)."""
    return deal["cancelled"] is None or month_index(deal["cancelled"]) != month_index(deal["signed"])


def credited(inputs: Inputs) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    """(manager, signing month) → (Σ share × Amount, Σ share): the exact credit toward the plan and the deal
    count, never rounded (PRODUCT.md section 3b); an unsplit deal is its Deals manager's at share 1."""
    credit: dict[tuple[str, int], tuple[Decimal, Decimal]] = {}
    for deal in inputs.deals.values():
        if not counts(deal):
            continue
        for manager, share in owners(inputs.splits, deal):
            key = (manager, month_index(deal["signed"]))
            amount, number = credit.get(key, (Decimal(0), Decimal(0)))
            credit[key] = (amount + deal["amount"] * share, number + share)
    return credit


def _booked(inputs: Inputs, rule: Any, add: Any) -> dict[tuple[str, str], Decimal]:
    """Booked components in the signing month; returns each (deal, participant)'s reversible booked sum.

    A participant's contributions are share × the deal's under their own rules, the share applied before
    the one rounding; the turnover tier is chosen by the deal's whole Amount (PRODUCT.md section 3b).
    """
    reversible: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for deal in inputs.deals.values():
        if not counts(deal):
            continue
        month = month_index(deal["signed"])
        for manager, share in owners(inputs.splits, deal):
            amounts = {}
            if tier := exact_or_any(rule("deal_percent", month, manager), None):
                amounts["deal_percent"] = money(deal["amount"] * share * tier.value / 100)
            # Highest threshold ≤ Amount, half-open steps; blank threshold 0 (section 3 "Blank thresholds").
            tiers = rule("client_turnover_bonus", month, manager)
            if tier := highest_reached(tiers, lambda t, amount=deal["amount"]: amount >= t, Decimal(0)):
                amounts["client_turnover_bonus"] = money(tier.value * share)
            if deal["inbound"] and (tier := exact_or_any(rule("inbound_deal_bonus", month, manager), None)):
                amounts["inbound_deal_bonus"] = money(tier.value * share)
            for component, amount in amounts.items():
                add(month, manager, component, amount)
                reversible[(deal["id"], manager)] += amount
    # Plan and count bonuses: one contribution per manager and month (section 3 table, "Blank thresholds").
    credit = credited(inputs)
    for (manager, month), plan in inputs.plans.items():
        total = credit.get((manager, month), (Decimal(0), Decimal(0)))[0]
        if plan["amount"] > 0:
            # attainment % = signed / plan × 100 ≥ threshold, compared exactly (no rounding).
            reached = highest_reached(rule("plan_bonus", month, manager),
                                      lambda t, total=total, plan=plan: total * 100 >= t * plan["amount"],
                                      Decimal(100))
            if reached:
                add(month, manager, "plan_bonus", reached.value)
    for manager, month in set(credit) | set(inputs.plans):
        plan = inputs.plans.get((manager, month))
        count = credit.get((manager, month), (Decimal(0), Decimal(0)))[1]  # Σ share: a 50/50 deal is 0.5
        blank = plan["deals"] if plan else None
        if reached := highest_reached(rule("deal_count_bonus", month, manager), lambda t, n=count: n >= t, blank):
            add(month, manager, "deal_count_bonus", reached.value)
    return reversible


def _paid(inputs: Inputs, rule: Any, add: Any) -> None:
    """Paid components in the payment's month (PRODUCT.md section 3 "Payments")."""
    first_month_one: dict[str, dict[str, Any]] = {}
    for payment in inputs.payments:
        deal = inputs.deals[payment["id"]]
        if not counts(deal):
            continue  # its payments count for nothing either
        month, manager = month_index(payment["paid"]), deal["manager"]
        for owner, share in owners(inputs.splits, deal):
            if tier := exact_or_any(rule("payment_percent", month, owner), payment["month"]):
                add(month, owner, "payment_percent", payment["amount"] * share * tier.value / 100)
        # collected_percent stays with the Collector, else the Deals manager, split or not (section 3b).
        collector = payment["collector"] or manager
        if tier := exact_or_any(rule("collected_percent", month, collector), None):
            add(month, collector, "collected_percent", payment["amount"] * tier.value / 100)
        if payment["month"] == 1:
            known = first_month_one.get(deal["id"])
            if known is None or (payment["paid"], payment["row"]) < (known["paid"], known["row"]):
                first_month_one[deal["id"]] = payment
    # The margin bonus is paid once, at the earliest contract-month-1 payment, on max(0, margin).
    for deal_id, payment in first_month_one.items():
        deal = inputs.deals[deal_id]
        month = month_index(payment["paid"])
        for owner, share in owners(inputs.splits, deal):
            if tier := exact_or_any(rule("first_month_margin_percent", month, owner), None):
                add(month, owner, "first_month_margin_percent",
                    max(Decimal(0), deal["margin"]) * share * tier.value / 100)


def _stages(inputs: Inputs, rule: Any, add: Any) -> None:
    """Stage bonus: once per client and stage, at the earliest row at exactly that stage (row order ties)."""
    first: dict[tuple[str, int], dict[str, Any]] = {}
    for row in inputs.funnel:
        if row["stage"] == "lost":
            continue  # `lost` is not a stage number (section 3 table: threshold "stage number")
        key = (row["client"], row["stage"])
        if key not in first or (row["date"], row["row"]) < (first[key]["date"], first[key]["row"]):
            first[key] = row
    for (_client, stage), row in first.items():
        month = month_index(row["date"])
        if tier := exact_or_any(rule("stage_bonus", month, row["manager"]), stage):
            add(month, row["manager"], "stage_bonus", tier.value)


def _clawback(inputs: Inputs, rule: Any, add: Any, reversible: dict[tuple[str, str], Decimal]) -> None:
    """−round(booked × %) in the cancellation month, under the rule in force in the signing month; for a
    split deal, each participant's own booked contributions under their own rule (section 3b)."""
    for deal in inputs.deals.values():
        if deal["cancelled"] is None or not counts(deal):
            continue
        signed, cancelled = month_index(deal["signed"]), month_index(deal["cancelled"])
        for owner, _share in owners(inputs.splits, deal):
            if tier := clawback_tier(rule("clawback", signed, owner), cancelled - signed):
                booked = reversible.get((deal["id"], owner), Decimal(0))
                add(cancelled, owner, "clawback", -(booked * tier.value / 100))


def _carry_over(lines: dict[Key, Decimal], months: list[int]) -> None:
    """Variable pay below 0: +X in month M, −X in M+1 (PRODUCT.md section 3 "Carry-over"); in place."""
    managers = {manager for (_month, manager, _component) in lines}
    for manager in managers:
        carry = Decimal(0)
        for month in months:
            variable = carry + sum((amount for (m, who, component), amount in lines.items()
                                    if m == month and who == manager and component != "base_salary"),
                                   Decimal(0))
            out = -variable if variable < 0 else Decimal(0)
            if carry or out:
                lines[(month, manager, "carried_over")] = carry + out
            carry = -out

