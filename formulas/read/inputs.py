"""Validated input tables: what :mod:`formulas.read.validate` hands to the pay, funnel and signal rules.

Every frame keeps ``row``, the sheet row the record came from (beancount keeps ``lineno``), so result
tabs can link back to it. Rows with any input issue are already left out. Column contract
(dtypes in brackets; "key" columns are trimmed, case-folded names, see :func:`formulas.contract.norm`):

* ``team``: row, manager [str, as typed], manager_key, role [sales|call_centre|post_sale|receivables],
  base_salary [float], start, end [datetime64, NaT = open-ended]
* ``plans``: row, month [int64 month index], manager_key, plan_amount [float], plan_deals [float, NaN]
* ``deals``: row, deal_id [str], signed [datetime64], month [int64], manager_key, client [str],
  client_key, amount [float], inbound [bool], margin [float, NaN], cancelled_on [datetime64, NaT],
  cancel_month [float, NaN when not cancelled]
* ``payments``: row, deal_id, paid_on [datetime64], month [int64], amount [float],
  contract_month [int64], collector_key [str, "" = the deal's manager]
* ``funnel``: row, date [datetime64], month [int64], manager_key, client [str], client_key,
  client_code [int64, equal exactly where client_key is], stage [int64, 1..7, 0 = lost], action [str],
  lost_reason [str]
* ``splits``: row, deal_id, manager_key, share_points [float, as typed], share [float fraction],
  share_exact [Decimal fraction]; only deals whose every split row is sound and whose shares add up to 100 %
* ``rules``: row, from_month [int64], applies_to [str: a manager_key, a role, or "*"],
  component [str], threshold [float, NaN = blank], value [float]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from formulas.issues import Issue

SPLIT_COLUMNS = ["row", "deal_id", "manager_key", "share_points", "share", "share_exact"]


@dataclass(frozen=True)
class Closure:
    """What validation needs to know about closed months (PRODUCT.md section 3a).

    ``last`` is the latest closed month (None: none is); ``known_rules`` the fingerprints of the pay rules
    there were when it was closed; ``managers`` the managers of frozen lines (key -> name), who stay
    known managers after they leave the Team tab.
    """

    last: int | None = None
    known_rules: frozenset[str] = frozenset()
    managers: dict[str, str] = field(default_factory=dict)


@dataclass
class Inputs:
    """All validated input tables, the issues found, and where each input tab lives."""

    as_of: date
    lang: str  # "en" or "ru": the language of the input tabs, used for result tabs too
    team: pd.DataFrame
    plans: pd.DataFrame
    deals: pd.DataFrame
    payments: pd.DataFrame
    funnel: pd.DataFrame
    rules: pd.DataFrame
    # the usable rows of the optional Splits tab (formulas.read.splits.SPLIT_COLUMNS); none = no deal is shared
    splits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SPLIT_COLUMNS))
    issues: list[Issue] = field(default_factory=list)
    # tab key ("deals") -> the tab's title as the user wrote it ("Сделки ")
    titles: dict[str, str] = field(default_factory=dict)
    # tab key -> column key -> 0-based column index in that tab (for links to cells)
    columns: dict[str, dict[str, int]] = field(default_factory=dict)
    # a what-if's Scenario tab read like Rules, and its issues (None: not asked for, or no such tab)
    scenario: pd.DataFrame | None = None
    scenario_issues: list[Issue] = field(default_factory=list)

    def manager_names(self) -> dict[str, str]:
        """manager_key -> the name as first typed in `Team`."""
        team = self.team.drop_duplicates("manager_key")
        return dict(zip(team["manager_key"], team["manager"], strict=True))
