"""Tests that kill the mutants `make mutation` found surviving in the pay code (docs/mutation.md).

Each test is a tiny workbook with its rows next to exact-kopeck assertions of PRODUCT.md section 3
behaviour. Beyond the amounts, a contribution carries what the drill-down shows (PRODUCT.md section 1:
"every figure can be drilled into: the formula, the rule version and the exact source rows behind it"):
the source tab and sheet row, the deal and client, the base and rate of its formula, and the sheet row of
the Rules row that was applied.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from tests.builders import book, line, run, total

ANNA = ["Anna", "sales", 31000, "2026-01-01", None]
BORIS = ["Boris", "sales", 30000, "2026-01-01", None]
RITA = ["Rita", "receivables", 20000, "2026-01-01", None]


def deal(deal_id: str, signed: str, manager: str, client: str, amount: Any, source: Any = None,
         margin: Any = None, status: Any = None, cancelled: Any = None) -> list[Any]:
    """A `Deals` row in the standard column order."""
    return [deal_id, signed, manager, client, amount, source, margin, status, cancelled]


def pay(deal_id: str, paid_on: str, amount: Any, contract_month: Any = 1, collector: Any = None) -> list[Any]:
    """A `Payments` row in the standard column order."""
    return [deal_id, paid_on, amount, contract_month, collector]


def rule(start: str, applies_to: str, component: str, threshold: Any, value: Any) -> list[Any]:
    """A `Rules` row in the standard column order."""
    return [start, applies_to, component, threshold, value, ""]


def month(text: str) -> int:
    """The engine's month index of "YYYY-MM"."""
    year, mon = text.split("-")
    return int(year) * 12 + int(mon) - 1


def records(result, component: str) -> list[tuple]:
    """(month, manager, source_tab, source_row, deal_id, client, base, rate, amount, rule_row) per contribution,
    NaN as None so lists compare with ==."""
    frame = result.contributions[result.contributions["component"] == component]
    out = []
    for x in frame.itertuples(index=False):
        out.append((int(x.month), x.manager_key, x.source_tab, int(x.source_row), x.deal_id, x.client,
                    _num(x.base), _num(x.rate), float(x.amount), int(x.rule_row)))
    return out


def lines_of(result, component: str) -> list[tuple]:
    """(month, manager, base, rate, amount, count) per statement line, NaN as None."""
    frame = result.lines[result.lines["component"] == component]
    return [(int(x.month), x.manager_key, _num(x.base), _num(x.rate), float(x.amount), int(x.count))
            for x in frame.itertuples(index=False)]


def _num(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


MAR, APR = month("2026-03"), month("2026-04")


# --- Every component's contribution: source row, rule row, base and rate --------------------------


def every_component_workbook():
    """One deal of each kind, a payment collected by Rita, a funnel row and a cancellation.

    Rules rows 2..11 (sheet rows) are deal_percent, plan_bonus, deal_count_bonus, client_turnover_bonus,
    inbound_deal_bonus, payment_percent, first_month_margin_percent, collected_percent, stage_bonus, clawback.
    """
    return book(
        Team=[ANNA, RITA],
        Plans=[["2026-03", "Anna", 400000, 2]],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5),
               rule("2026-01", "*", "plan_bonus", 100, 20000),
               rule("2026-01", "*", "deal_count_bonus", None, 10000),
               rule("2026-01", "*", "client_turnover_bonus", 100000, 25000),
               rule("2026-01", "*", "inbound_deal_bonus", None, 1000),
               rule("2026-01", "*", "payment_percent", 1, 15),
               rule("2026-01", "*", "first_month_margin_percent", None, 50),
               rule("2026-01", "*", "collected_percent", None, 2),
               rule("2026-01", "*", "stage_bonus", 3, 700),
               rule("2026-01", "*", "clawback", 2, 100)],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 300000, "inbound", 40000),
               deal("D2", "2026-03-06", "Anna", "Beta", 120000, status="cancelled", cancelled="2026-04-03")],
        Payments=[pay("D1", "2026-03-20", 100000, 1, "Rita")],
        Funnel=[["2026-03-01", "Anna", "Acme", 3, None, None]],
    )


def test_every_contribution_names_its_source_row_its_rule_row_its_base_and_rate():
    """PRODUCT.md sections 1 and 3: each figure drills down to its source rows and rule.

    March: D1 300 000 (inbound, margin 40 000) and D2 120 000 signed against a 400 000 plan of 2 deals:
    420 000 = 105 %. deal_percent 5 % → 15 000 + 6 000; plan_bonus 20 000 (base 420 000, rate 105 %);
    deal_count_bonus 10 000 (base: 2 deals); turnover 25 000 each; inbound 1 000; payment_percent 15 % of
    the 100 000 paid → 15 000; margin 50 % of 40 000 → 20 000 on the deal's row; Rita collected it: 2 % →
    2 000; stage 3 for Acme → 700. April: D2 cancelled within 2 months → −(6 000 + 25 000) = −31 000.
    """
    inputs, result = run(every_component_workbook(), date(2026, 4, 30))
    assert inputs.issues == []
    assert records(result, "deal_percent") == [
        (MAR, "anna", "deals", 2, "D1", "Acme", 300000.0, 5.0, 15000.0, 2),
        (MAR, "anna", "deals", 3, "D2", "Beta", 120000.0, 5.0, 6000.0, 2)]
    assert records(result, "plan_bonus") == [(MAR, "anna", "plans", 2, "", "", 420000.0, 105.0, 20000.0, 3)]
    assert records(result, "deal_count_bonus") == [(MAR, "anna", "plans", 2, "", "", 2.0, None, 10000.0, 4)]
    assert records(result, "client_turnover_bonus") == [
        (MAR, "anna", "deals", 2, "D1", "Acme", 300000.0, None, 25000.0, 5),
        (MAR, "anna", "deals", 3, "D2", "Beta", 120000.0, None, 25000.0, 5)]
    assert records(result, "inbound_deal_bonus") == [(MAR, "anna", "deals", 2, "D1", "Acme", 300000.0, None, 1000.0, 6)]
    assert records(result, "payment_percent") == [
        (MAR, "anna", "payments", 2, "D1", "Acme", 100000.0, 15.0, 15000.0, 7)]
    assert records(result, "first_month_margin_percent") == [
        (MAR, "anna", "deals", 2, "D1", "Acme", 40000.0, 50.0, 20000.0, 8)]
    assert records(result, "collected_percent") == [
        (MAR, "rita", "payments", 2, "D1", "Acme", 100000.0, 2.0, 2000.0, 9)]
    assert records(result, "stage_bonus") == [(MAR, "anna", "funnel", 2, "", "Acme", 3.0, None, 700.0, 10)]
    assert records(result, "clawback") == [(APR, "anna", "deals", 3, "D2", "Beta", 31000.0, 100.0, -31000.0, 11)]
    # Lines: summed amounts and bases, the rate when it is the same for every contribution, the count.
    assert lines_of(result, "deal_percent") == [(MAR, "anna", 420000.0, 5.0, 21000.0, 2)]
    assert lines_of(result, "client_turnover_bonus") == [(MAR, "anna", 420000.0, None, 50000.0, 2)]
    assert lines_of(result, "plan_bonus") == [(MAR, "anna", 420000.0, 105.0, 20000.0, 1)]
    assert lines_of(result, "clawback") == [(APR, "anna", 31000.0, 100.0, -31000.0, 1)]
    assert lines_of(result, "carried_over") == [(APR, "anna", None, None, 31000.0, 0)]
    assert lines_of(result, "base_salary") == [(MAR, "anna", 31000.0, 100.0, 31000.0, 1),
                                               (MAR, "rita", 20000.0, 100.0, 20000.0, 1),
                                               (APR, "anna", 31000.0, 100.0, 31000.0, 1),
                                               (APR, "rita", 20000.0, 100.0, 20000.0, 1)]
    assert total(result, "2026-03", "Anna") == 31000 + 21000 + 20000 + 10000 + 50000 + 1000 + 15000 + 20000 + 700
    assert total(result, "2026-04", "Anna") == 31000


# --- Rules lookup: tiers, windows and precedence (formulas/pay/tiers.py, rules.py) ---------------


def test_a_component_without_thresholds_uses_its_only_row_even_with_a_threshold_typed():
    """PRODUCT.md table: deal_percent has no threshold ("—"), so a Threshold typed on its row changes
    nothing: 3 % of 1 000 = 30, linked to that rule row (2)."""
    workbook = book(Team=[ANNA], Rules=[rule("2026-01", "*", "deal_percent", 10, 3)],
                    Deals=[deal("D1", "2026-03-05", "Anna", "A", 1000)])
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert records(result, "deal_percent") == [(MAR, "anna", "deals", 2, "D1", "A", 1000.0, 3.0, 30.0, 2)]


def test_a_component_without_thresholds_prefers_the_blank_any_row():
    """PRODUCT.md "Blank thresholds": a blank Threshold means any and is used when no exact tier matches;
    a component without thresholds has nothing to match, so its blank row applies: 5 % of 1 000 = 50
    (rule row 3), not the 3 % of the row with a stray Threshold."""
    workbook = book(Team=[ANNA], Rules=[rule("2026-01", "*", "deal_percent", 10, 3),
                                        rule("2026-01", "*", "deal_percent", None, 5)],
                    Deals=[deal("D1", "2026-03-05", "Anna", "A", 1000)])
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert records(result, "deal_percent") == [(MAR, "anna", "deals", 2, "D1", "A", 1000.0, 5.0, 50.0, 3)]


def test_the_blank_any_row_is_the_rule_behind_payments_and_stages_it_pays():
    """PRODUCT.md "Blank thresholds": payment_percent and stage_bonus blank = any. A contribution paid
    under the blank row links that row (drill-down: "the rule version")."""
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "payment_percent", 1, 15),
               rule("2026-01", "*", "payment_percent", None, 5),
               rule("2026-01", "*", "stage_bonus", 2, 200),
               rule("2026-01", "*", "stage_bonus", None, 100)],
        Deals=[deal("D1", "2026-03-02", "Anna", "Acme", 100000)],
        Payments=[pay("D1", "2026-03-10", 10000, 1), pay("D1", "2026-03-20", 10000, 2)],
        Funnel=[["2026-03-01", "Anna", "Acme", 2, None, None], ["2026-03-03", "Anna", "Acme", 3, None, None]],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert records(result, "payment_percent") == [
        (MAR, "anna", "payments", 2, "D1", "Acme", 10000.0, 15.0, 1500.0, 2),
        (MAR, "anna", "payments", 3, "D1", "Acme", 10000.0, 5.0, 500.0, 3)]
    assert records(result, "stage_bonus") == [(MAR, "anna", "funnel", 2, "", "Acme", 2.0, None, 200.0, 4),
                                              (MAR, "anna", "funnel", 3, "", "Acme", 3.0, None, 100.0, 5)]
    assert lines_of(result, "payment_percent") == [(MAR, "anna", 20000.0, None, 2000.0, 2)]


def test_clawback_windows_in_any_row_order_and_the_blank_any_window_links_its_row():
    """PRODUCT.md "Cancellations": the tightest matching window wins whatever the row order; clawback blank
    = any when no window matches. Rows: 1 → 50 % (row 3), 0 → 100 % (row 4), blank → 20 % (row 5).
    Each deal booked 10 % of 1 000 = 100: D1 cancelled 1 month after → −50 (row 3); D2 3 months after →
    −20 (row 5)."""
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 10),
               rule("2026-01", "*", "clawback", 1, 50),
               rule("2026-01", "*", "clawback", 0, 100),
               rule("2026-01", "*", "clawback", None, 20)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 1000, status="cancelled", cancelled="2026-04-02"),
               deal("D2", "2026-03-05", "Anna", "B", 1000, status="cancelled", cancelled="2026-06-02")],
    )
    inputs, result = run(workbook, date(2026, 6, 30))
    assert inputs.issues == []
    assert records(result, "clawback") == [(APR, "anna", "deals", 2, "D1", "A", 100.0, 50.0, -50.0, 3),
                                           (month("2026-06"), "anna", "deals", 3, "D2", "B", 100.0, 20.0, -20.0, 5)]


def test_star_rules_apply_to_a_manager_with_no_role_that_month():
    """PRODUCT.md "Rules are effective-dated": rows for X by name, else X's role, else `*`. Boris joins on
    1 April (no role in March) but a deal he signed in March still earns the `*` 5 % = 50."""
    workbook = book(Team=[["Boris", "sales", 0, "2026-04-01", None]],
                    Rules=[rule("2026-01", "*", "deal_percent", None, 5)],
                    Deals=[deal("D1", "2026-03-05", "Boris", "A", 1000)])
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert records(result, "deal_percent") == [(MAR, "boris", "deals", 2, "D1", "A", 1000.0, 5.0, 50.0, 2)]


def test_two_tiers_at_the_same_effective_threshold_the_first_row_wins():
    """PRODUCT.md "Blank thresholds": blank plan_bonus = 100 and blank deal_count_bonus = the month's Plan
    deals; "Duplicates": the first rule for the same key wins. Plan 1 000 of 3 deals, 3 deals of 400:
    plan_bonus blank → 3 000 (row 2) and 100 → 5 000 (row 3): 3 000; deal_count_bonus blank (= 3) →
    1 000 (row 4) and 3 → 7 000 (row 5): 1 000. One sum each, never both."""
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 1000, 3]],
        Rules=[rule("2026-01", "*", "plan_bonus", None, 3000),
               rule("2026-01", "*", "plan_bonus", 100, 5000),
               rule("2026-01", "*", "deal_count_bonus", None, 1000),
               rule("2026-01", "*", "deal_count_bonus", 3, 7000)],
        Deals=[deal(f"D{i}", "2026-03-05", "Anna", f"C{i}", 400) for i in range(3)],
    )
    _inputs, result = run(workbook, date(2026, 3, 31))
    assert records(result, "plan_bonus") == [(MAR, "anna", "plans", 2, "", "", 1200.0, 120.0, 3000.0, 2)]
    assert records(result, "deal_count_bonus") == [(MAR, "anna", "plans", 2, "", "", 3.0, None, 1000.0, 4)]


# --- Settings rules read through the same rule book: stuck_days, idle_days, turnover thresholds ----


def test_stuck_and_idle_limits_follow_the_managers_own_rules():
    """PRODUCT.md section 4: stuck = days in the current stage above `stuck_days` for that stage (Threshold =
    stage) when one is set, else the stage's p75 (blank p75: not stuck); idle = latest row at least
    `idle_days` (default 14) days old; rules are taken for the manager concerned (name, role, `*`).

    Every client entered its stage on 1 March; as of 10 March that is 9 days. Anna by name: stuck_days
    stage 2 → 3, blank (any stage) → 5, idle_days 5 (blank row; a stray Threshold on another row → 30 is not
    the one). Boris by name: idle_days 10, typed with a stray Threshold (idle_days has none: the only row
    applies). `*`: stuck_days stage 2 → 30. Acme (Anna, stage 2) and Gamma (Anna, stage 3, the blank row)
    are stuck and idle; Beta (Boris, stage 2, limit 30) and Delta (Boris, stage 3: no rule, no p75) are
    neither (9 days < 10).
    """
    from formulas.engine import recalculate

    workbook = book(
        Team=[ANNA, BORIS],
        Rules=[rule("2026-01", "Anna", "stuck_days", 2, 3), rule("2026-01", "Anna", "stuck_days", None, 5),
               rule("2026-01", "Anna", "idle_days", 1, 30), rule("2026-01", "Anna", "idle_days", None, 5),
               rule("2026-01", "Boris", "idle_days", 1, 10), rule("2026-01", "*", "stuck_days", 2, 30)],
        Funnel=[["2026-03-01", "Anna", "Acme", 2, None, None], ["2026-03-01", "Boris", "Beta", 2, None, None],
                ["2026-03-01", "Anna", "Gamma", 3, None, None], ["2026-03-01", "Boris", "Delta", 3, None, None]],
    )
    outcome = recalculate(workbook, date(2026, 3, 10))
    assert outcome.inputs.issues == []
    stuck = outcome.funnel.stuck
    assert stuck[["client", "manager_key", "stage", "days", "limit", "limit_source"]].values.tolist() == [
        ["Acme", "anna", 2, 9, 3.0, "rule"], ["Gamma", "anna", 3, 9, 5.0, "rule"]]
    idle = outcome.funnel.idle
    assert idle[["client", "days", "limit"]].values.tolist() == [["Acme", 9, 5.0], ["Gamma", 9, 5.0]]


def test_possible_fake_client_watches_the_turnover_thresholds_that_pay():
    """PRODUCT.md section 4: possible_fake_client = a cancelled deal whose Amount is within 5 % above a
    `client_turnover_bonus` threshold in force (T ≤ Amount ≤ T × 1.05); "Value 0 switches a component off",
    so a 0 tier pays nothing to fake; a blank threshold is 0.

    Anna's own tiers (by name): blank → 100, 100 000 → 25 000, 200 000 → 0. Cancelled deals: D1 102 000
    (near 100 000: signal), D2 204 000 (near the 0 tier: none), D3 1.02 (near nothing: a blank threshold is
    0, not 1).
    """
    from formulas.engine import recalculate

    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "Anna", "client_turnover_bonus", None, 100),
               rule("2026-01", "Anna", "client_turnover_bonus", 100000, 25000),
               rule("2026-01", "Anna", "client_turnover_bonus", 200000, 0)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 102000, status="cancelled", cancelled="2026-04-02"),
               deal("D2", "2026-03-05", "Anna", "B", 204000, status="cancelled", cancelled="2026-04-02"),
               deal("D3", "2026-03-05", "Anna", "C", 1.02, status="cancelled", cancelled="2026-04-02")],
    )
    outcome = recalculate(workbook, date(2026, 4, 30))
    assert outcome.inputs.issues == []
    fake = outcome.signals[outcome.signals["signal"] == "possible_fake_client"]
    assert fake[["manager_key", "source_tab", "source_row"]].values.tolist() == [["anna", "deals", 2]]


def test_plans_met_are_not_missed_when_voided_deals_come_first_in_the_sheet():
    """PRODUCT.md section 4: plan_missed_twice = attainment below 100 % in M and M−1; a deal cancelled in
    its signing month counts for nothing. Two such deals head the sheet; Anna then meets her February and
    March plans of 100 000 exactly: no signal (each signed amount stays with its own deal's month)."""
    from formulas.engine import recalculate

    workbook = book(
        Team=[ANNA],
        Plans=[["2026-02", "Anna", 100000, None], ["2026-03", "Anna", 100000, None]],
        Deals=[deal("V1", "2026-01-05", "Anna", "V", 5, status="cancelled", cancelled="2026-01-20"),
               deal("V2", "2026-01-06", "Anna", "W", 7, status="cancelled", cancelled="2026-01-21"),
               deal("D1", "2026-02-05", "Anna", "A", 100000),
               deal("D2", "2026-03-05", "Anna", "B", 100000)],
    )
    outcome = recalculate(workbook, date(2026, 4, 30))
    assert outcome.inputs.issues == []
    assert "plan_missed_twice" not in set(outcome.signals["signal"])


def test_margin_bonus_waits_for_the_contract_month_1_payment():
    """PRODUCT.md table: first_month_margin_percent is paid "in the month of the first payment for contract
    month 1". A contract-month-2 payment arriving first (March) does not trigger it; the month-1 payment in
    April does: 50 % of 10 000 = 5 000 in April, linked to the deal row."""
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "first_month_margin_percent", None, 50)],
        Deals=[deal("D1", "2026-03-01", "Anna", "A", 100000, margin=10000)],
        Payments=[pay("D1", "2026-03-10", 30000, 2), pay("D1", "2026-04-05", 30000, 1)],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert records(result, "first_month_margin_percent") == [
        (APR, "anna", "deals", 2, "D1", "A", 10000.0, 50.0, 5000.0, 2)]


# --- Base salary, empty workbooks and carry-over edges (salary.py, lines.py) ---------------------


def test_base_salary_open_ended_rows_and_a_row_that_ended_before_the_month():
    """PRODUCT.md "Months": base salary prorated by calendar days employed (From/To inclusive; blank = open).

    Vera (no From, no To) gets the whole 31 000 in March, rate 100 % of her base; Boris worked to 15 February:
    14 000 × 15/28 = 7 500 in February and no line at all in March; Gleb joined on 17 March: 31 000 × 15/31
    = 15 000 (rate 48.39 %, the days share)."""
    workbook = book(
        Team=[["Vera", "sales", 31000, None, None],
              ["Boris", "sales", 14000, "2026-01-01", "2026-02-15"],
              ["Gleb", "sales", 31000, "2026-03-17", None]],
        Plans=[["2026-02", "Vera", 100, None]],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    feb = month("2026-02")
    assert records(result, "base_salary") == [
        (feb, "vera", "team", 2, "", "", 31000.0, 100.0, 31000.0, -1),
        (MAR, "vera", "team", 2, "", "", 31000.0, 100.0, 31000.0, -1),
        (feb, "boris", "team", 3, "", "", 14000.0, 15 / 28 * 100, 7500.0, -1),
        (MAR, "gleb", "team", 4, "", "", 31000.0, 15 / 31 * 100, 15000.0, -1)]
    assert line(result, "2026-03", "Boris", "base_salary") == 0
    assert result.lines[result.lines["manager_key"] == "boris"]["month"].tolist() == [feb]


def test_a_workbook_with_no_rows_has_no_lines():
    """PRODUCT.md section 3: a total is the sum of its lines; with nobody employed and nothing signed there
    is nothing to pay and the run still completes."""
    inputs, result = run(book(), date(2026, 3, 31))
    assert result.contributions.empty
    assert result.lines.empty
    assert list(result.lines.columns) == ["month", "manager_key", "component", "base", "rate", "amount", "count"]
    assert [i.tab for i in inputs.issues] == []


def test_carry_over_that_is_exactly_earned_back_stops():
    """PRODUCT.md "Carry-over": if month M's variable pay (components plus carry coming in) is −X, M gets
    +X and M+1 −X. April earns exactly the 1 000 carried in: April's variable pay is 0, so nothing is
    carried on to May (no zero line either)."""
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 10), rule("2026-01", "*", "clawback", None, 100)],
        Deals=[deal("D1", "2026-02-10", "Anna", "A", 10000, status="cancelled", cancelled="2026-03-10"),
               deal("D2", "2026-04-10", "Anna", "B", 10000)],
    )
    inputs, result = run(workbook, date(2026, 5, 31))
    assert inputs.issues == []
    assert lines_of(result, "carried_over") == [(MAR, "anna", None, None, 1000.0, 0),
                                                (APR, "anna", None, None, -1000.0, 0)]
    assert total(result, "2026-04", "Anna") == 31000
    assert total(result, "2026-05", "Anna") == 31000


def test_stage_bonus_pays_stage_7_and_never_a_lost_row():
    """PRODUCT.md "Stage bonus" and section 2: stages are 1–7 plus `lost`; the blank (any) stage_bonus
    row pays every stage reached (1 and 7 here: 2 × 100) but `lost` is not a stage to reward."""
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "stage_bonus", None, 100)],
        Funnel=[["2026-03-02", "Anna", "Acme", 1, None, None], ["2026-03-03", "Anna", "Acme", 7, None, None],
                ["2026-03-04", "Anna", "Beta", "lost", None, "price"]],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert records(result, "stage_bonus") == [(MAR, "anna", "funnel", 2, "", "Acme", 1.0, None, 100.0, 2),
                                              (MAR, "anna", "funnel", 3, "", "Acme", 7.0, None, 100.0, 2)]


def test_a_plan_with_no_deals_reaches_no_count_or_plan_tier():
    """PRODUCT.md table: deal_count_bonus counts the deals signed in the month; plan_bonus needs the
    attainment threshold reached. A plan of 1 000 and no deals: neither a 1-deal tier nor the 100 % tier
    is reached (and Summary's fact is 0)."""
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 1000, None]],
        Rules=[rule("2026-01", "*", "deal_count_bonus", 1, 500), rule("2026-01", "*", "plan_bonus", None, 700)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert records(result, "deal_count_bonus") == []
    assert records(result, "plan_bonus") == []
    facts = result.context.facts
    assert facts[["manager_key", "month", "fact", "fact_exact", "deals_exact", "deals"]].values.tolist() == [
        ["anna", MAR, 0.0, 0, 0, 0.0]]


def test_a_cancelled_deal_with_nothing_booked_loses_nothing_and_one_rouble_booked_is_reversed():
    """PRODUCT.md "Cancellations": the clawback reverses the deal's own booked contributions. Boris's deal
    booked nothing (deal_percent applies to Anna only): no clawback line. Anna's deal of 100 at 1 % booked
    exactly 1.00, reversed in full."""
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-02", "Boris", "Acme", 5000, status="cancelled", cancelled="2026-04-02"),
               deal("D2", "2026-03-03", "Anna", "Beta", 100, status="cancelled", cancelled="2026-04-03")],
        Rules=[rule("2026-01", "Anna", "deal_percent", None, 1), rule("2026-01", "*", "clawback", 2, 100)],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert records(result, "clawback") == [(APR, "anna", "deals", 3, "D2", "Beta", 1.0, 100.0, -1.0, 3)]


def test_a_manager_without_a_rule_listed_first_does_not_stop_the_others_rules():
    """The rule lookup goes through each (manager, month) tier set; an empty one (Boris has no deal_percent
    rule, and his deal comes first) is skipped, not the end of the lookup: Anna is still paid 5 %."""
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-02", "Boris", "Acme", 1000), deal("D2", "2026-03-03", "Anna", "Beta", 2000)],
        Rules=[rule("2026-01", "Anna", "deal_percent", None, 5)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert [(r[1], r[8]) for r in records(result, "deal_percent")] == [("anna", 100.0)]


def test_kopecks_and_rounding_keep_the_rows_they_were_given():
    """money.cents and round_half_up keep their Series' index: callers align them with filtered frames."""
    from formulas.money import cents, round_half_up

    values = pd.Series([1.005, 2.5, -3.335], index=[7, 3, 9])
    assert round_half_up(values).to_dict() == {7: 1.01, 3: 2.5, 9: -3.34}
    assert cents(values).to_dict() == {7: 101, 3: 250, 9: -334}


def test_a_collector_without_a_rule_next_to_one_with_a_rule():
    """collected_percent: Rita's rule pays 2 % of what she collects; Boris collects too but has no rule, so
    his payment earns nothing and hers still does."""
    workbook = book(
        Team=[ANNA, BORIS, RITA],
        Deals=[deal("D1", "2026-03-02", "Anna", "Acme", 5000)],
        Payments=[pay("D1", "2026-03-10", 1000, 1, "Boris"), pay("D1", "2026-03-20", 3000, 2, "Rita")],
        Rules=[rule("2026-01", "Rita", "collected_percent", None, 2)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert [(r[1], r[8]) for r in records(result, "collected_percent")] == [("rita", 60.0)]


BY_ROLE = [rule("2026-01", "sales", "deal_percent", None, 5), rule("2026-01", "post_sale", "deal_percent", None, 2)]


def test_the_role_of_a_month_is_the_employed_row_with_the_latest_from():
    """PRODUCT.md "Months": in a month covered by several Team rows the one with the latest From decides the
    role (a blank From is the earliest, whatever the row order); a month after leaving keeps the last role
    held before it, never a role that starts later. Rules by role: sales 5 %, post_sale 2 %.

    Anna: sales all quarter, and a temporary post_sale row in February only: January and March are sales,
    February post_sale. Boris: post_sale from 15 February (row 3, listed first) and sales with a blank From
    (row 4): February and March are post_sale. Vera: sales until 31 January, then gone until post_sale from
    1 May: her February deal (signed after leaving, still hers) is paid as sales."""
    team = [["Anna", "sales", 30000, "2026-01-01", "2026-03-31"],
            ["Anna", "post_sale", 30000, "2026-02-01", "2026-02-28"],
            ["Boris", "post_sale", 30000, "2026-02-15", None],
            ["Boris", "sales", 30000, None, "2026-02-20"],
            ["Vera", "sales", 30000, "2026-01-01", "2026-01-31"],
            ["Vera", "post_sale", 30000, "2026-05-01", None]]
    workbook = book(
        Team=team,
        Deals=[deal("A1", "2026-01-10", "Anna", "C1", 1000), deal("A2", "2026-02-10", "Anna", "C2", 1000),
               deal("A3", "2026-03-10", "Anna", "C3", 1000), deal("B2", "2026-02-25", "Boris", "C4", 1000),
               deal("B3", "2026-03-25", "Boris", "C5", 1000), deal("V2", "2026-02-03", "Vera", "C6", 1000)],
        Rules=BY_ROLE,
    )
    inputs, result = run(workbook, date(2026, 5, 31))
    assert [i for i in inputs.issues if i.tab == "Team"] == []
    paid = {r[4]: r[8] for r in records(result, "deal_percent")}
    assert paid == {"A1": 50.0, "A2": 20.0, "A3": 50.0, "B2": 20.0, "B3": 20.0, "V2": 50.0}


def test_a_manager_no_longer_on_the_team_falls_back_to_the_rules_for_everyone():
    """A frozen line can name a manager who has left the Team tab (PRODUCT.md 3a): their rules are the `*`
    rules, with no role."""
    from formulas.pay.rules import RuleBook

    inputs, _ = run(book(Team=[ANNA], Rules=[rule("2026-01", "*", "deal_percent", None, 4),
                                             rule("2026-01", "sales", "deal_percent", None, 5)]), date(2026, 3, 31))
    rule_book = RuleBook(inputs.rules, inputs.team)
    assert rule_book.role_of("zed", MAR) is None
    assert [tier.value for tier in rule_book.tier_set("deal_percent", "zed", MAR)] == [4.0]


def test_carry_entering_from_a_closed_month_is_paid_back_before_anything_else():
    """PRODUCT.md 3a: the carry a closed month froze enters the first open month. Anna enters April owing
    3 000.00 and earns 1 000.00 there: April shows the −3 000.00 brought in and +2 000.00 carried on; May and
    June have no line of hers at all and still bring the 2 000.00 in and carry it on."""
    from formulas.pay.lines import LINE_COLUMNS, carry_over

    lines = pd.DataFrame([[APR, "anna", "deal_percent", 20000.0, 5.0, 1000.0, 1]], columns=LINE_COLUMNS)
    carried = carry_over(lines, [APR, APR + 1, APR + 2], {"anna": -300000})
    shown = [(int(r.month), r.component, float(r.amount)) for r in carried.itertuples(index=False)]
    assert shown == [(APR, "deal_percent", 1000.0), (APR, "carried_over", -3000.0), (APR, "carried_over", 2000.0),
                     (APR + 1, "carried_over", -2000.0), (APR + 1, "carried_over", 2000.0),
                     (APR + 2, "carried_over", -2000.0), (APR + 2, "carried_over", 2000.0)]


@pytest.mark.parametrize(("later_row", "signed"), [
    # post_sale from January (open) and sales from 1 March to 1 April: on 1 April the sales row is still in force
    (["Anna", "sales", 30000, "2026-03-01", "2026-04-01"], "2026-04-01"),
    # post_sale from January (open) and sales from 30 April: on the 30th the sales row is in force
    (["Anna", "sales", 30000, "2026-04-30", None], "2026-04-30"),
])
def test_a_team_row_on_a_month_boundary_decides_that_month(later_row: list[Any], signed: str) -> None:
    """A Team row ending on the month's first day, or starting on its last, is in force that month, and as the
    row with the latest From it decides the role: the deal is paid as sales (5 %, not 2 %)."""
    workbook = book(Team=[["Anna", "post_sale", 30000, "2026-01-01", None], later_row],
                    Deals=[deal("A1", signed, "Anna", "C1", 1000)], Rules=BY_ROLE)
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert [r[8] for r in records(result, "deal_percent")] == [50.0]


def test_a_blank_turnover_threshold_counts_from_zero_and_a_one_rouble_plan_is_a_plan():
    """client_turnover_bonus with a blank Threshold pays on every deal, however small (from 0, PRODUCT.md
    "Threshold"); a Plan amount of 1.00 is a plan like any other, so 100 % of it pays the plan bonus."""
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 1, None]],
        Deals=[deal("D1", "2026-03-02", "Anna", "Acme", "0.50"), deal("D2", "2026-03-03", "Anna", "Beta", "0.50")],
        Rules=[rule("2026-01", "*", "client_turnover_bonus", None, 500), rule("2026-01", "*", "plan_bonus", None, 700)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "client_turnover_bonus") == 1000.0
    assert line(result, "2026-03", "Anna", "plan_bonus") == 700.0


def test_plan_and_deal_count_bonuses_follow_the_managers_own_rules():
    """plan_bonus for the sales role and deal_count_bonus for Anna by name (no `*` rule): Anna, in sales,
    with a plan met and 2 deals gets both; the deal count bonus without a plan row links to no Plans row."""
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 1000, None]],
        Deals=[deal("D1", "2026-03-02", "Anna", "Acme", 600), deal("D2", "2026-03-03", "Anna", "Beta", 600),
               deal("D3", "2026-04-02", "Anna", "Gamma", 600), deal("D4", "2026-04-03", "Anna", "Delta", 600)],
        Rules=[rule("2026-01", "sales", "plan_bonus", None, 700), rule("2026-01", "Anna", "deal_count_bonus", 2, 300)],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "plan_bonus") == 700.0
    assert [(r[0], r[2], r[3], r[8]) for r in records(result, "deal_count_bonus")] == [
        (MAR, "plans", 2, 300.0), (APR, "plans", -1, 300.0)]  # April has no plan row: no source row


def test_stage_bonus_tells_many_clients_apart():
    """Each (client, stage) pays once. Nine clients: the first reaches stage 2 and the ninth stage 1, with a
    blank (any stage) rule of 100: ten stage bonuses in all, none lost to another client's stage."""
    funnel = [["2026-03-02", "Anna", f"Client {k}", 1, None, None] for k in range(9)]
    funnel.append(["2026-03-05", "Anna", "Client 0", 2, None, None])
    workbook = book(Team=[ANNA], Rules=[rule("2026-01", "*", "stage_bonus", None, 100)], Funnel=funnel)
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert sorted((r[5], r[6]) for r in records(result, "stage_bonus")) == sorted(
        [(f"Client {k}", 1.0) for k in range(9)] + [("Client 0", 2.0)])
