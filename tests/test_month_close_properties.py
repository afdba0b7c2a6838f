"""A property of month close (PRODUCT.md section 3a), on random workbooks, closes and later edits:

for every manager, the frozen lines of the closed months plus every adjustment (frozen or owed now)
equal what the current data computes for those months — to the kopeck, carry-over aside — and the
closed months' lines never change.
"""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.jobs import recalculate_spreadsheet
from entrypoints.months import close
from tests.builders import book
from tests.memory_sheet import MemorySheet

AS_OF = date(2026, 6, 15)
MONTHS = [2026 * 12 + m - 1 for m in range(1, 7)]
TEAM = [["Anna", "sales", 30000, "2026-01-01", None], ["Boris", "call_centre", 20000, "2026-02-10", None]]
RULES = [["2026-01", "*", "deal_percent", None, 5, ""], ["2026-01", "*", "payment_percent", None, 3, ""],
         ["2026-01", "*", "plan_bonus", 100, 7000, ""], ["2026-01", "*", "clawback", 2, 100, ""],
         ["2026-03", "sales", "deal_percent", None, 7, ""], ["2026-01", "*", "collected_percent", None, 1, ""]]
PLANS = [[f"2026-0{m}", "Anna", 100000, None] for m in range(1, 6)]
EXAMPLES = 400 if os.environ.get("PREMIA_HYPOTHESIS_PROFILE") == "fuzz" else 25

day = st.integers(1, 28)
month = st.integers(1, 5)
deal = st.tuples(month, day, st.sampled_from(["Anna", "Boris"]), st.integers(1, 400).map(lambda k: k * 500),
                 st.one_of(st.none(), st.integers(0, 3)))
payment = st.tuples(st.integers(0, 19), st.integers(1, 6), day, st.integers(1, 200).map(lambda k: k * 250))


def rows(deals: list[tuple], payments: list[tuple]) -> tuple[list[list], list[list]]:
    """Deals and Payments rows from drawn tuples (a payment names a deal by position)."""
    deal_rows = []
    for index, (m, d, manager, amount, cancel_after) in enumerate(deals):
        cancelled = None if cancel_after is None else f"2026-0{min(6, m + cancel_after)}-{d:02d}"
        deal_rows.append([f"D{index}", f"2026-0{m}-{d:02d}", manager, f"C{index}", amount, None, None, None,
                          cancelled])
    payment_rows = [[f"D{i % len(deals)}", f"2026-0{max(m, deals[i % len(deals)][0])}-{d:02d}", amount, 1, None]
                    for i, m, d, amount in payments] if deals else []
    return deal_rows, payment_rows


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(deal, min_size=1, max_size=12), st.lists(payment, max_size=10), st.integers(1, 4),
       st.lists(deal, max_size=4), st.lists(payment, max_size=5), st.data())
def test_frozen_plus_adjustments_equal_the_recomputed_closed_months(deals, payments, closes, more_deals,
                                                                   more_payments, data) -> None:
    deal_rows, payment_rows = rows(deals, payments)
    sheet = MemorySheet(book(Team=TEAM, Plans=PLANS, Rules=RULES, Deals=deal_rows, Payments=payment_rows))
    for month_index in MONTHS[:closes]:
        close(sheet, month_index, AS_OF, now="2026-06-15 09:00")
        if data.draw(st.booleans()):  # an edit between two closes: its difference is owed once, later
            sheet.replace("Deals", rows([*deals, *more_deals[:1]], payments)[0])
    frozen = _frozen(sheet)
    edited_deals, edited_payments = rows([*deals, *more_deals], [*payments, *more_payments])
    edited_deals = [[*row[:4], row[4] + (500 if i % 3 == 0 else 0), *row[5:]] for i, row in enumerate(edited_deals)]
    sheet.replace("Deals", edited_deals)
    sheet.replace("Payments", edited_payments)
    outcome = recalculate_spreadsheet(sheet, AS_OF)
    assert _frozen(sheet) == frozen  # closed months never change
    last = MONTHS[closes - 1]
    shown, recomputed = outcome.statement.lines, outcome.pay.lines
    for manager in ("anna", "boris"):
        closed = shown[(shown["month"] <= last) & (shown["manager_key"] == manager)
                       & shown["component"].ne("carried_over")]
        owed_now = shown[(shown["month"] == last + 1) & (shown["manager_key"] == manager)
                         & shown["component"].eq("adjustment")]
        made = recomputed[(recomputed["month"] <= last) & (recomputed["manager_key"] == manager)
                          & recomputed["component"].ne("carried_over")]
        left = round(closed["amount"].sum() * 100) + round(owed_now["amount"].sum() * 100)
        assert left == round(made["amount"].sum() * 100), manager


def _frozen(sheet: MemorySheet) -> dict[str, list[tuple]]:
    """The Closed months tab's frozen lines, by month (the rows before the history block)."""
    lines: dict[str, list[tuple]] = {}
    for row in sheet.results["closed_months"].rows:
        if not row:
            break
        lines.setdefault(row[0], []).append(tuple(row))
    return lines
