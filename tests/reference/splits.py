"""Deal splits of the reference engine (PRODUCT.md section 3b): the optional Splits tab, checked.

A split row names a deal, a manager and a share (read like a rate: ``50``, ``50 %``, ``50,5``, a percent
cell). Row by row (one issue per problem cell, as everywhere): an unreadable or blank cell, a share
outside (0, 100] (PRODUCT.md does not say; the real engine's reading, so the comparison can be exact), a
deal not in Deals (or whose Deals row has an issue), a manager not in Team, and a later duplicate of a
(deal, manager) pair — the first pair wins, even when its row is bad; rows whose deal or manager is
unknown take no part in the duplicate check.

Then deal by deal (PRODUCT.md section 3b): a deal's split is used only when every one of its rows is
clean and the shares add up to 100 ± 0.01 (compared exactly). A later duplicate is simply left out,
unless it has an issue of its own besides being a duplicate: then, like any bad row, it spoils its deal
(the real engine's convention, which PRODUCT.md does not fix). Otherwise every clean row of that deal
gets one issue on its Share cell and the deal stays 100 % with its Deals manager; a row that already
has an issue does not get a second one.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from tests.reference.read import read_rate
from tests.reference.tabs import RowCheck, Tab, deal_key, known_manager

# deal id -> [(manager key, share in percent points)] for every split that is used.
Splits = dict[str, list[tuple[str, Decimal]]]
TOLERANCE = Decimal("0.01")
ZERO, HUNDRED = Decimal(0), Decimal(100)

# Reasons (the real engine's issue codes ``issue.<reason>``, bar the rate reading): the comparison is by cell.
UNKNOWN_DEAL, DEAL_HAS_ISSUE, DUPLICATE = "split_unknown_deal", "deal_has_issue_split", "duplicate_split"
NOT_100, REJECTED = "split_not_100", "split_row_has_issue"
OUT_OF_RANGE = "share_out_of_range"


def check_splits(tab: Tab, deals: dict[str, Any], seen: set[str], managers: set[str],
                 issues: list[tuple[str, int, str, str]]) -> Splits:
    """The splits that are used, by deal; every problem recorded in ``issues``.

    ``deals`` are the valid deals by ID, ``seen`` every Deal ID of the Deals tab (a split for a deal whose
    row has an issue is not "unknown"), ``managers`` the keys of the valid Team rows.
    """
    groups: dict[str, list[tuple[RowCheck, str | None, Decimal | None]]] = defaultdict(list)
    pairs: set[tuple[str, str]] = set()
    for row in tab.rows:
        check = RowCheck(tab, row, issues)
        deal_id = check.get("id", deal_key)
        if deal_id is not None and deal_id not in deals:
            check.bad("id", UNKNOWN_DEAL if deal_id not in seen else DEAL_HAS_ISSUE)
        manager = check.get("manager", known_manager(managers))
        share = check.get("share", lambda value, cell="share" in row.percent: read_rate(value, cell))
        if share is not None and not ZERO < share <= HUNDRED:
            check.bad("share", OUT_OF_RANGE)
        if deal_id not in deals:
            continue  # belongs to no deal: its issue on Deal ID is all there is to say
        if manager is not None:
            if (deal_id, manager) in pairs:
                spoiled = not check.ok
                check.bad("manager", DUPLICATE)  # the first (deal, manager) row wins
                if not spoiled:
                    continue  # a plain later duplicate neither counts nor spoils its deal's split
            pairs.add((deal_id, manager))
        groups[deal_id].append((check, manager, share))
    splits: Splits = {}
    for deal_id, rows in groups.items():
        clean = all(check.ok for check, _manager, _share in rows)
        total = sum((share for _check, _manager, share in rows if share is not None), Decimal(0))
        if clean and abs(total - HUNDRED) <= TOLERANCE:
            splits[deal_id] = [(manager, share) for _check, manager, share in rows]  # type: ignore[misc]
            continue
        for check, _manager, _share in rows:
            if check.ok:  # the deal stays 100 % with its Deals manager: each clean row says so
                check.bad("share", NOT_100 if clean else REJECTED)
    return splits


def owners(splits: Splits, deal: dict[str, Any]) -> list[tuple[str, Decimal]]:
    """Who is credited with a deal and by what fraction: its split, else its Deals manager at 1."""
    if deal["id"] in splits:
        return [(manager, share / HUNDRED) for manager, share in splits[deal["id"]]]
    return [(deal["manager"], Decimal(1))]
