"""Deal splits (PRODUCT.md section 3b), worked by hand to the kopeck.

Each test is a tiny workbook with a `Splits` tab; the expected figures are derived in the comments from
the contract's sentences, not from the engine.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from formulas.engine import recalculate
from tests.builders import book, line, run
from tests.test_pay_mutants import ANNA, BORIS, MAR, deal, pay, records, rule

VERA = ["Vera", "post_sale", 50000, "2026-01-01", None]
AS_OF = date(2026, 3, 31)


def issue_cells(inputs) -> list[tuple[str, int, str, str]]:
    """(tab, row, column, code-ish message start) of every input issue, sorted."""
    return sorted((i.tab, i.row, i.column, i.message) for i in inputs.issues)


def test_a_50_50_deal_credits_each_half_everywhere():
    """Anna and Boris share D1 (200 000) half and half. deal_percent 5 %: 5 % × 100 000 = 5 000 each.
    inbound bonus 3 000 × 0.5 = 1 500 each. Plan 100 000 each: both at exactly 100 % -> plan bonus 10 000.
    deal_count_bonus at 1 deal: each has 0.5 deals -> nobody reaches it."""
    workbook = book(
        Team=[ANNA, BORIS],
        Plans=[["2026-03", "Anna", 100000, None], ["2026-03", "Boris", 100000, None]],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 200000, "inbound")],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5), rule("2026-01", "*", "inbound_deal_bonus", None, 3000),
               rule("2026-01", "*", "plan_bonus", None, 10000), rule("2026-01", "*", "deal_count_bonus", 1, 700)],
        Splits=[["D1", "Anna", "50 %"], ["D1", "Boris", 50]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    for who in ("Anna", "Boris"):
        assert line(result, "2026-03", who, "deal_percent") == 5000.00
        assert line(result, "2026-03", who, "inbound_deal_bonus") == 1500.00
        assert line(result, "2026-03", who, "plan_bonus") == 10000.00
        assert line(result, "2026-03", who, "deal_count_bonus") == 0.0
    facts = result.context.facts.set_index("manager_key")
    assert facts.loc["anna", "fact"] == 100000.0 and facts.loc["boris", "deals"] == 0.5
    assert facts.loc["anna", "deals_exact"] == Decimal("0.5")


def test_a_70_30_deal_with_different_rules_per_participant():
    """D1 = 123 456.78 by Anna (70 %) and Vera (30 %). Anna (sales) 5 %, Vera (post_sale) 2 % by role.
    Anna: 123 456.78 × 0.7 × 5 % = 4 320.98730 -> 4 320.99. Vera: 123 456.78 × 0.3 × 2 % = 740.74068 -> 740.74.
    A payment of 100 000.01 for contract month 1, payment_percent 1 % for everyone:
    Anna 100 000.01 × 0.7 × 1 % = 700.00007 -> 700.00; Vera × 0.3 = 300.00003 -> 300.00.
    The Collector's percentage stays whole with the Collector (Boris, 0.5 %): 500.00005 -> 500.00."""
    workbook = book(
        Team=[ANNA, BORIS, VERA],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", "123 456,78")],
        Payments=[pay("D1", "2026-03-20", "100000.01", 1, "Boris")],
        Rules=[rule("2026-01", "sales", "deal_percent", None, 5),
               rule("2026-01", "post_sale", "deal_percent", None, 2),
               rule("2026-01", "*", "payment_percent", None, 1),
               rule("2026-01", "Boris", "collected_percent", None, 0.5)],
        Splits=[["D1", "Anna", 70], ["D1", "Vera", "30"]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "deal_percent") == 4320.99
    assert line(result, "2026-03", "Vera", "deal_percent") == 740.74
    assert line(result, "2026-03", "Anna", "payment_percent") == 700.00
    assert line(result, "2026-03", "Vera", "payment_percent") == 300.00
    assert line(result, "2026-03", "Boris", "collected_percent") == 500.00
    assert line(result, "2026-03", "Anna", "collected_percent") == 0.0
    # each contribution names its deal row and its own rule row; base is the credited share
    rows = {r[1]: r for r in records(result, "deal_percent")}
    assert rows["anna"][6] == pytest.approx(86419.746) and rows["anna"][9] == 2
    assert rows["vera"][6] == pytest.approx(37037.034) and rows["vera"][9] == 3
    paid = {r[1]: r[6] for r in records(result, "payment_percent")}  # the base: each one's share of the payment
    assert paid == {"anna": pytest.approx(70000.007), "vera": pytest.approx(30000.003)}


def test_a_share_that_rounds_at_half_a_kopeck_is_rounded_exactly():
    """333.30 × 45 % × 1 % = 1.49985 -> 1.50 and × 55 % = 1.83315 -> 1.83: one half-up rounding of the
    exact product (Amount × share × rate), never of a rounded share."""
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", "333.30")],
        Rules=[rule("2026-01", "*", "deal_percent", None, 1)],
        Splits=[["D1", "Anna", 45], ["D1", "Boris", 55]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "deal_percent") == 1.50  # 1.49985
    assert line(result, "2026-03", "Boris", "deal_percent") == 1.83  # 333.30 × 0.55 × 1 % = 1.83315


def test_shares_adding_to_99_are_issues_and_the_deal_stays_with_its_deals_manager():
    """49 + 50 = 99 %: both split rows are issues on Share, and Anna keeps the whole deal: 5 % × 10 000."""
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 10000)],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5)],
        Splits=[["D1", "Anna", 49], ["D1", "Boris", 50]],
    )
    inputs, result = run(workbook, AS_OF)
    assert [(i.tab, i.row, i.column) for i in inputs.issues] == [("Splits", 2, "Share"), ("Splits", 3, "Share")]
    assert "99" in inputs.issues[0].message
    assert line(result, "2026-03", "Anna", "deal_percent") == 500.00
    assert line(result, "2026-03", "Boris", "deal_percent") == 0.0


def test_shares_within_a_hundredth_of_100_are_accepted():
    """33.33 + 33.33 + 33.33 = 99.99: within ± 0.01 of 100, so the split stands (PRODUCT.md 3b)."""
    workbook = book(
        Team=[ANNA, BORIS, VERA],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 30000)],
        Rules=[rule("2026-01", "*", "deal_percent", None, 10)],
        Splits=[["D1", "Anna", "33,33"], ["D1", "Boris", 33.33], ["D1", "Vera", "33.33 %"]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    for who in ("Anna", "Boris", "Vera"):
        assert line(result, "2026-03", who, "deal_percent") == 999.90  # 30 000 × 0.3333 × 10 %


def test_unknown_deal_unknown_manager_and_a_repeated_pair_are_located_issues():
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 10000)],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5)],
        Splits=[["D1", "Anna", 50], ["D1", "Boris", 50], ["D1", "Boris", 50], ["D9", "Anna", 100],
                ["D1", "Zed", 10]],
    )
    inputs, result = run(workbook, AS_OF)
    located = [(i.row, i.column) for i in inputs.issues if i.tab == "Splits"]
    assert (4, "Manager") in located  # the repeated pair (the first wins)
    assert (5, "Deal ID") in located  # no deal D9
    assert (6, "Manager") in located  # Zed is not on the Team tab
    # D1 has a bad row (Zed), so the whole split is refused and Anna keeps D1
    assert (2, "Share") in located and (3, "Share") in located
    assert line(result, "2026-03", "Anna", "deal_percent") == 500.00
    assert line(result, "2026-03", "Boris", "deal_percent") == 0.0


def test_a_split_clawback_reverses_each_participants_own_contributions():
    """D1 = 100 000, Anna 60 % (sales: 5 %, clawback 100 % within 2 months), Vera 40 % (post_sale: 3 %, clawback
    50 %). Cancelled in April: Anna loses 3 000.00, Vera 50 % of 1 200.00 = 600.00."""
    workbook = book(
        Team=[ANNA, VERA],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 100000, None, None, "cancelled", "2026-04-10")],
        Rules=[rule("2026-01", "sales", "deal_percent", None, 5), rule("2026-01", "post_sale", "deal_percent", None, 3),
               rule("2026-01", "sales", "clawback", 2, 100), rule("2026-01", "post_sale", "clawback", 2, 50)],
        Splits=[["D1", "Anna", 60], ["D1", "Vera", 40]],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "deal_percent") == 3000.00
    assert line(result, "2026-03", "Vera", "deal_percent") == 1200.00
    assert line(result, "2026-04", "Anna", "clawback") == -3000.00
    assert line(result, "2026-04", "Vera", "clawback") == -600.00


def test_turnover_tier_by_the_whole_amount_and_margin_on_the_share():
    """D1 = 300 000 (tier >= 250 000 pays 9 000) split 50/50: 4 500 each although each is credited 150 000.
    Margin 40 000, margin % 10: 10 % × 40 000 × 0.5 = 2 000 each, in the month of the first payment."""
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 300000, None, 40000)],
        Payments=[pay("D1", "2026-03-25", 50000, 1)],
        Rules=[rule("2026-01", "*", "client_turnover_bonus", 100000, 4000),
               rule("2026-01", "*", "client_turnover_bonus", 250000, 9000),
               rule("2026-01", "*", "first_month_margin_percent", None, 10)],
        Splits=[["D1", "Anna", 50], ["D1", "Boris", 50]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    for who in ("Anna", "Boris"):
        assert line(result, "2026-03", who, "client_turnover_bonus") == 4500.00
        assert line(result, "2026-03", who, "first_month_margin_percent") == 2000.00
    # Explain's Rate of a shared fixed sum is the share (base × rate is not the amount for a fixed sum)
    assert [(r[1], r[7]) for r in records(result, "client_turnover_bonus")] == [("anna", 50.0), ("boris", 50.0)]


def test_attainment_leaderboard_and_summary_count_the_share_only():
    """Anna's plan 150 000; she signs D1 = 200 000 shared 50/50 with Boris and D2 = 40 000 alone:
    credited 140 000 -> 93.3 %, not 120 %. Boris is credited 100 000 and 0.5 deals."""
    workbook = book(
        Team=[ANNA, BORIS],
        Plans=[["2026-03", "Anna", 150000, None], ["2026-03", "Boris", 100000, None]],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 200000), deal("D2", "2026-03-06", "Anna", "Beta", 40000)],
        Rules=[rule("2026-01", "*", "deal_percent", None, 1)],
        Splits=[["D1", "Anna", 50], ["D1", "Boris", 50]],
    )
    outcome = recalculate(workbook, AS_OF)
    summary = outcome.summary
    assert summary.loc["anna", "fact"] == 140000.0 and summary.loc["anna", "deals"] == 1.5
    assert summary.loc["anna", "attainment"] == pytest.approx(140000 / 150000)
    assert summary.loc["boris", "fact"] == 100000.0 and summary.loc["boris", "attainment"] == 1.0


def test_explain_shows_each_share_and_the_co_owners_and_adds_up_to_the_statements():
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 200000, "inbound")],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5), rule("2026-01", "*", "inbound_deal_bonus", None, 3000)],
        Splits=[["D1", "Anna", 70], ["D1", "Boris", 30]],
    )
    outcome = recalculate(workbook, AS_OF, report_month=MAR)
    explain = outcome.report.tab("explain")
    details, rate, amount = explain.column("details"), explain.column("rate"), explain.column("amount")
    component, manager = explain.column("component"), explain.column("manager")
    shown = {(row[manager], row[component]): row for row in explain.rows}
    assert shown[("Anna", "deal_percent")][details] == "70 % of the deal, shared with Boris (30 %)"
    assert shown[("Boris", "inbound_deal_bonus")][details] == "30 % of the deal, shared with Anna (70 %)"
    assert shown[("Boris", "inbound_deal_bonus")][rate] == pytest.approx(0.30)  # the share, as the Rate
    assert shown[("Boris", "inbound_deal_bonus")][amount] == 900.00
    for who, key in (("Anna", "anna"), ("Boris", "boris")):
        explained = sum(round(row[amount] * 100) for row in explain.rows if row[manager] == who)
        lines = outcome.statement.lines
        stated = lines[(lines["manager_key"] == key) & (lines["month"] == MAR)
                       & lines["component"].ne("carried_over")]["amount"].sum()
        assert explained == round(stated * 100)


def test_a_split_changed_after_its_month_was_closed_makes_adjustments_for_both():
    """March closed with D1 (100 000, 5 %) shared 50/50: 2 500 each. The split is then changed to 80/20:
    in April Anna is owed +1 500.00 and Boris −1 500.00, and March's frozen lines stay as they were."""
    from entrypoints.jobs import recalculate_spreadsheet
    from entrypoints.months import close
    from tests.memory_sheet import MemorySheet

    sheet = MemorySheet(book(Team=[ANNA, BORIS], Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 100000)],
                             Rules=[rule("2026-01", "*", "deal_percent", None, 5)],
                             Splits=[["D1", "Anna", 50], ["D1", "Boris", 50]]))
    as_of = date(2026, 4, 10)
    close(sheet, MAR, as_of, now="2026-04-05 10:00")
    before = recalculate_spreadsheet(sheet, as_of)
    sheet.replace("Splits", [["D1", "Anna", 80], ["D1", "Boris", 20]])
    after = recalculate_spreadsheet(sheet, as_of)

    def shown(outcome, month, key, component):
        lines = outcome.statement.lines
        return round(lines[(lines["month"] == month) & (lines["manager_key"] == key)
                           & (lines["component"] == component)]["amount"].sum(), 2)

    for key in ("anna", "boris"):
        assert shown(after, MAR, key, "deal_percent") == shown(before, MAR, key, "deal_percent") == 2500.00
    assert shown(after, MAR + 1, "anna", "adjustment") == 1500.00
    assert shown(after, MAR + 1, "boris", "adjustment") == -1500.00


def test_signals_count_the_share_toward_plans_and_report_a_deal_once_under_its_manager():
    """Anna's plan is 100 000 in February and March; she signs 150 000 each month, shared 50/50 with Boris:
    credited 75 000, so her plan is missed twice (the whole deals would have met it). D2 is cancelled in
    the month after signing: one early_churn signal, under Anna (the Deals manager), not one per share."""
    workbook = book(
        Team=[ANNA, BORIS],
        Plans=[["2026-02", "Anna", 100000, None], ["2026-03", "Anna", 100000, None]],
        Deals=[deal("D1", "2026-02-05", "Anna", "Acme", 150000),
               deal("D2", "2026-03-05", "Anna", "Beta", 150000, None, None, "cancelled", "2026-04-02")],
        Rules=[rule("2026-01", "*", "deal_percent", None, 1)],
        Splits=[["D1", "Anna", 50], ["D1", "Boris", 50], ["D2", "Anna", 50], ["D2", "Boris", 50]],
    )
    outcome = recalculate(workbook, date(2026, 4, 30))
    signals = outcome.signals
    missed = signals[signals["signal"] == "plan_missed_twice"]
    assert missed["manager_key"].tolist() == ["anna"]
    assert "2026-02 — 75.0 % of 100,000; 2026-03 — 75.0 % of 100,000" in missed["details"].iloc[0]
    churn = signals[signals["signal"] == "early_churn"]
    assert churn["manager_key"].tolist() == ["anna"]


def test_each_contribution_carries_the_share_it_was_computed_with():
    """What Explain reads: a participant's contributions from a shared deal carry their share (a clawback too,
    since it reverses their part), while the Collector's percentage is on the whole payment (share 1), and
    the margin bonus's base is the participant's part of the margin (40 000 × 60 % = 24 000)."""
    workbook = book(
        Team=[ANNA, BORIS, VERA],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 100000, None, 40000, "cancelled", "2026-04-10")],
        Payments=[pay("D1", "2026-03-20", 10000, 1, "Boris")],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5), rule("2026-01", "*", "clawback", 2, 100),
               rule("2026-01", "*", "first_month_margin_percent", None, 10),
               rule("2026-01", "Boris", "collected_percent", None, 1)],
        Splits=[["D1", "Anna", 60], ["D1", "Vera", 40]],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    shares = {(r.component, r.manager_key): r.share for r in result.contributions.itertuples()
              if r.component != "base_salary"}
    assert shares == {("deal_percent", "anna"): 0.6, ("deal_percent", "vera"): 0.4, ("clawback", "anna"): 0.6,
                      ("clawback", "vera"): 0.4, ("first_month_margin_percent", "anna"): 0.6,
                      ("first_month_margin_percent", "vera"): 0.4, ("collected_percent", "boris"): 1.0}
    margin = {r[1]: r[6] for r in records(result, "first_month_margin_percent")}
    assert margin == {"anna": 24000.0, "vera": 16000.0}
    assert line(result, "2026-03", "Anna", "first_month_margin_percent") == 2400.00


def test_participations_without_a_splits_tab_are_the_deals_themselves():
    """Signals call it with no Splits tab at all: every deal whole, with its own manager."""
    from formulas.pay.shares import participations

    inputs, _ = run(book(Team=[ANNA], Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 1000)]), AS_OF)
    whole = participations(inputs.deals)
    assert whole[["deal_id", "manager_key", "owner_key", "share", "credit"]].values.tolist() == [
        ["D1", "anna", "anna", 1.0, 1000.0]]


def test_a_shared_deals_payment_without_a_collector_is_collected_by_its_deals_manager():
    """PRODUCT.md 3b: collected_percent stays with the Collector, else the deal's `Deals` manager — whole,
    not split: Anna (the Deals manager) gets 1 % of 10 000, Boris nothing, though he holds half the deal."""
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 50000)],
        Payments=[pay("D1", "2026-03-20", 10000, 1)],
        Rules=[rule("2026-01", "*", "collected_percent", None, 1)],
        Splits=[["D1", "Boris", 50], ["D1", "Anna", 50]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    assert [(r[1], r[8]) for r in records(result, "collected_percent")] == [("anna", 100.0)]


def test_credited_amounts_are_exact_so_half_a_kopeck_short_is_short():
    """PRODUCT.md 3b: credited amounts toward attainment are exact, never rounded. Half of 199 999.99 is
    99 999.995, half a kopeck short of a 100 000 plan: no plan bonus for either, whereas 200 000.00 split the
    same way reaches it exactly."""
    def plan_bonus_for(amount: str) -> float:
        workbook = book(
            Team=[ANNA, BORIS],
            Plans=[["2026-03", "Anna", 100000, None]],
            Deals=[deal("D1", "2026-03-05", "Anna", "Acme", amount)],
            Rules=[rule("2026-01", "*", "plan_bonus", None, 10000)],
            Splits=[["D1", "Anna", 50], ["D1", "Boris", 50]],
        )
        inputs, result = run(workbook, AS_OF)
        assert inputs.issues == []
        return line(result, "2026-03", "Anna", "plan_bonus")

    assert plan_bonus_for("199999.99") == 0.0
    assert plan_bonus_for("200000.00") == 10000.00


def test_a_whole_deal_and_a_shared_one_add_up_toward_the_plan():
    """Anna signs D1 (40 000, hers alone) and half of D2 (200 000): credited 140 000 = her plan, so the
    100 % plan bonus is reached; Boris, credited 100 000 of a 140 000 plan, is not."""
    workbook = book(
        Team=[ANNA, BORIS],
        Plans=[["2026-03", "Anna", 140000, None], ["2026-03", "Boris", 140000, None]],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 40000), deal("D2", "2026-03-06", "Boris", "Beta", 200000)],
        Rules=[rule("2026-01", "*", "plan_bonus", None, 10000)],
        Splits=[["D2", "Anna", 50], ["D2", "Boris", 50]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "plan_bonus") == 10000.00
    assert line(result, "2026-03", "Boris", "plan_bonus") == 0.0


def test_a_participant_without_a_rule_does_not_hand_the_whole_deal_to_the_next():
    """D1 = 10 000 shared by Vera (post_sale: no deal_percent rule) and Anna (sales, 5 %), Vera's split row
    first: Vera earns nothing and Anna 5 % of her 60 %: 300.00, not 5 % of the whole deal."""
    workbook = book(
        Team=[ANNA, VERA],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", 10000)],
        Rules=[rule("2026-01", "sales", "deal_percent", None, 5)],
        Splits=[["D1", "Vera", 40], ["D1", "Anna", 60]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    assert [(r[1], r[8]) for r in records(result, "deal_percent")] == [("anna", 300.0)]


def test_a_share_landing_exactly_on_half_a_kopeck_rounds_up():
    """1 005.00 × 50 % × 1 % = 5.025 exactly: half-up gives 5.03 for each (banker's rounding would give 5.02)."""
    workbook = book(
        Team=[ANNA, BORIS],
        Deals=[deal("D1", "2026-03-05", "Anna", "Acme", "1005.00")],
        Rules=[rule("2026-01", "*", "deal_percent", None, 1)],
        Splits=[["D1", "Anna", 50], ["D1", "Boris", 50]],
    )
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    assert [(r[1], r[8]) for r in records(result, "deal_percent")] == [("anna", 5.03), ("boris", 5.03)]
