"""The optional `Splits` tab (PRODUCT.md section 3b): who shares which deal, and by how much.

Row checks first (a readable share above 0 and at most 100 %, a known manager, a known deal, no repeated
(deal, manager) pair: the first wins). Then each deal as a whole: its split is used only when every one of
its rows is sound and the shares add up to 100 % (± 0.01); otherwise every split row of that deal is an
issue and the deal stays 100 % with the manager of its `Deals` row. Shares are kept as exact decimals so
the sum check, the credited amounts and the deal counts never carry float noise.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from formulas.read.checks import Managers, _first_wins, _good, _unknown_manager
from formulas.read.columns import TabCheck
from formulas.read.inputs import SPLIT_COLUMNS
from formulas.text import say

HUNDRED = Decimal(100)
TOLERANCE = Decimal("0.01")  # percentage points (PRODUCT.md: 100 % ± 0.01)


def exact_points(points: float) -> Decimal:
    """A share as the decimal the user typed: 33.33 -> Decimal("33.33") (floats print their shortest form)."""
    return Decimal(repr(float(points)))


def check_splits(check: TabCheck, deals: pd.DataFrame, bad_deals: dict[str, int], managers: Managers,
                 deals_title: str, names: dict[str, str]) -> pd.DataFrame:
    """The usable split rows: deal_id, manager_key, share_points (as typed), share (a fraction, float) and
    share_exact (a fraction, Decimal), with the sheet row; every other row of the tab is an issue."""
    deal_id = check.parsed("deal_id")
    typed = check.parsed("manager")
    frame = pd.DataFrame({"deal_id": deal_id, "manager_key": check.keys("manager"),
                          "share_points": check.parsed("share")})
    out_of_range = frame["share_points"].le(0) | frame["share_points"].gt(100)
    check.flag(out_of_range.fillna(False), "share", say("issue.share_out_of_range", check.lang))
    _unknown_manager(check, "manager", typed, frame["manager_key"], managers)
    known = set(deals["deal_id"])
    check.flag(deal_id.ne("") & ~deal_id.isin(known) & ~deal_id.isin(list(bad_deals)), "deal_id",
               say("issue.split_unknown_deal", check.lang, tab=deals_title))
    check.flag(deal_id.isin(list(bad_deals)), "deal_id",
               lambda row: say("issue.deal_has_issue_split", check.lang, row=bad_deals[deal_id[row]], tab=deals_title))
    before = check.bad.copy()
    _first_wins(check, "manager", frame[["deal_id", "manager_key"]], "duplicate_split", ("deal_id", "manager"))
    repeated = set(check.bad.index[(check.bad & ~before).to_numpy()])
    _whole_deals(check, frame, deals, repeated, names)
    clean = _good(check, frame)
    clean["share_exact"] = [exact_points(points) / HUNDRED for points in clean["share_points"]]
    clean["share"] = clean["share_exact"].map(float)
    return clean[SPLIT_COLUMNS]


def _whole_deals(check: TabCheck, frame: pd.DataFrame, deals: pd.DataFrame, repeated: set[int],
                 names: dict[str, str]) -> None:
    """Reject every row of a known deal whose split cannot be used: a row of it has an issue (other than
    a ``repeated`` pair, which is simply left out) or its shares do not add up to 100 % ± 0.01."""
    owners = dict(zip(deals["deal_id"], deals["manager_key"], strict=True))
    shown = dict(zip(check.raw("deal_id").index, check.raw("deal_id"), strict=True))
    broken: dict[str, int] = {}
    for row in check.bad.index[check.bad.to_numpy()]:
        deal = frame.at[row, "deal_id"]
        if deal in owners and row not in repeated:
            broken.setdefault(deal, int(row))
    usable = frame[~check.bad.to_numpy() & frame["deal_id"].isin(list(owners)).to_numpy()]
    totals: dict[str, Decimal] = {}
    for deal, points in zip(usable["deal_id"], usable["share_points"], strict=True):
        totals[deal] = totals.get(deal, Decimal(0)) + exact_points(points)
    for row, deal in usable["deal_id"].items():
        owner = names.get(owners[deal], owners[deal])
        if deal in broken:
            message = say("issue.split_row_has_issue", check.lang, deal=str(shown[row]).strip(), row=broken[deal],
                          manager=owner)
        elif abs(totals[deal] - HUNDRED) > TOLERANCE:
            message = say("issue.split_not_100", check.lang, deal=str(shown[row]).strip(),
                          total=_points_text(totals[deal], check.lang), manager=owner)
        else:
            continue
        check.flag(pd.Series(True, index=[row]), "share", message)


def _points_text(points: Decimal, lang: str) -> str:
    """100.5 -> "100.5" ("100,5" in Russian): the sum as the user would write it."""
    text = format(points.normalize(), "f")
    return text.replace(".", ",") if lang == "ru" else text
