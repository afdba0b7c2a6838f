"""The demo's optional tabs (PRODUCT.md 3b, 3c): a few deals shared between managers, and a Scenario.

Splits: in the report month, one deal of Anna's shared half and half with Boris, and one of Igor's shared
70/30 with Dmitry, the shares typed in the forms users type them (50, "50 %", a percent cell). Scenario: the
Rules with one point more on every deal percentage and half the plan bonus, the "what if" an owner asks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from demo.cast import MONTHS, Manager, Window
from demo.deals import Deal
from demo.text import Bi, Percent
from formulas.months import month_of

# (deal owner, partner, owner's share as typed, partner's share as typed)
SHARED = (("anna", "boris", 50, "50 %"), ("igor", "dmitry", 70, Percent(0.30)))


def split_rows(window: Window, people: dict[str, Manager], deals: list[Deal]) -> list[list[Any]]:
    """`Splits` rows (Deal ID, Manager, Share): each owner's first ordinary deal of the report month."""
    report = window.month(MONTHS - 1)
    rows: list[list[Any]] = []
    for owner, partner, own, theirs in SHARED:
        chosen = [d for d in deals if d.manager == owner and not d.tag and d.status is None
                  and month_of(d.signed) == report]
        if chosen:
            deal = chosen[0]
            rows += [[deal.deal_id, people[owner].name, own], [deal.deal_id, people[partner].name, theirs]]
    return rows


def scenario_rows(rules: list[list[Any]]) -> list[list[Any]]:
    """The Rules rows, with deal_percent one point higher and plan_bonus halved."""
    out = []
    for row in rules:
        row = list(row)
        if row[2] == "deal_percent":
            value = row[4]
            row[4] = replace(value, fraction=round(value.fraction + 0.01, 4)) if isinstance(value, Percent) \
                else value + 1
            row[5] = Bi("scenario: +1 point", "сценарий: +1 пункт")
        elif row[2] == "plan_bonus":
            row[4] = row[4] / 2
            row[5] = Bi("scenario: half the plan bonus", "сценарий: половина премии за план")
        out.append(row)
    return out
