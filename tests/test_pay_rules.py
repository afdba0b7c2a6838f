"""The precise pay RULES of PRODUCT.md section 3, one tiny workbook per boundary.

Each test pins one sentence of PRODUCT.md (quoted in its docstring) and asserts exact kopecks, so
changing the rule (rounding mode, window comparison, tie-break, precedence, ...) makes it fail.
"""

from datetime import date

import pandas as pd

from tests.builders import book, line, run, total


def deal(deal_id, signed, manager, client, amount, source=None, margin=None, status=None, cancelled=None):
    """A `Deals` row in the standard column order."""
    return [deal_id, signed, manager, client, amount, source, margin, status, cancelled]


def pay(deal_id, paid_on, amount, contract_month=1, collector=None):
    """A `Payments` row in the standard column order."""
    return [deal_id, paid_on, amount, contract_month, collector]


def rule(start, applies_to, component, threshold, value):
    """A `Rules` row in the standard column order."""
    return [start, applies_to, component, threshold, value, ""]


def month(text: str) -> int:
    """The engine's month index of "YYYY-MM"."""
    year, mon = text.split("-")
    return int(year) * 12 + int(mon) - 1


def contribs(result, component: str) -> pd.DataFrame:
    """The contributions of one component."""
    return result.contributions[result.contributions["component"] == component]


def per_deal(result, component: str) -> dict[str, float]:
    """deal_id -> summed contribution amount of one component."""
    frame = contribs(result, component)
    return {str(k): round(float(v), 2) for k, v in frame.groupby("deal_id")["amount"].sum().items()}


ANNA = ["Anna", "sales", 30000, "2026-01-01", None]
BORIS = ["Boris", "sales", 30000, "2026-01-01", None]


# --- 1. Half-up rounding --------------------------------------------------------------------------


def test_negative_tie_rounds_away_from_zero():
    """PRODUCT.md "Parsing": "Half-up rounding is symmetric (−2.505 → −2.51)".

    A booked 1 % of 501 = 5.01; clawback 50 % → −2.505 → −2.51 (not −2.50).
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 1),
               rule("2026-01", "*", "clawback", None, 50)],
        Deals=[deal("D1", "2026-03-10", "Anna", "A", 501, status="cancelled", cancelled="2026-04-02")],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "deal_percent") == 5.01
    assert per_deal(result, "clawback") == {"D1": -2.51}
    assert line(result, "2026-04", "Anna", "clawback") == -2.51
    assert line(result, "2026-04", "Anna", "carried_over") == 2.51


def test_float_noise_and_positive_tie_round_half_up():
    """PRODUCT.md section 3: "Every contribution ... is rounded half-up to 0.01".

    1 % of 267.5 is 2.675 (2.67499999… as a float) → 2.68; 1 % of 0.5 is 0.005 → 0.01.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 1)],
        Deals=[deal("D1", "2026-03-02", "Anna", "A", 267.5),
               deal("D2", "2026-03-03", "Anna", "B", 0.5)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert per_deal(result, "deal_percent") == {"D1": 2.68, "D2": 0.01}
    assert line(result, "2026-03", "Anna", "deal_percent") == 2.69


# --- 2. Each contribution rounded before summing --------------------------------------------------


def test_line_is_the_sum_of_rounded_contributions():
    """PRODUCT.md section 3: "Every contribution ... is rounded half-up to 0.01; a statement line is the
    sum of its contributions".

    1 % of 100.50 = 1.005 → 1.01, twice: the line is 2.02, not round(2.01) = 2.01.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 1)],
        Deals=[deal("D1", "2026-03-02", "Anna", "A", 100.5),
               deal("D2", "2026-03-03", "Anna", "B", 100.5)],
    )
    _inputs, result = run(workbook, date(2026, 3, 31))
    assert per_deal(result, "deal_percent") == {"D1": 1.01, "D2": 1.01}
    assert line(result, "2026-03", "Anna", "deal_percent") == 2.02
    assert total(result, "2026-03", "Anna") == 30002.02


# --- 3. Clawback ----------------------------------------------------------------------------------


def test_clawback_window_is_inclusive_of_n_months():
    """PRODUCT.md "Cancellations": "cancelled within N months means cancellation month − signing month ≤ N".

    Window 3: signed in March, cancelled in June (3) is clawed back; cancelled in July (4) is not.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5),
               rule("2026-01", "*", "clawback", 3, 100)],
        Deals=[deal("D1", "2026-03-31", "Anna", "A", 100000, status="cancelled", cancelled="2026-06-01"),
               deal("D2", "2026-03-01", "Anna", "B", 200000, status="cancelled", cancelled="2026-07-31")],
    )
    inputs, result = run(workbook, date(2026, 7, 31))
    assert inputs.issues == []
    assert per_deal(result, "clawback") == {"D1": -5000.0}
    assert line(result, "2026-06", "Anna", "clawback") == -5000
    assert line(result, "2026-07", "Anna", "clawback") == 0


def test_clawback_tightest_window_wins_and_blank_is_the_fallback():
    """PRODUCT.md "Cancellations": "the tightest matching window wins"; "Blank thresholds": clawback
    blank = any, "used when no exact tier matches".

    Windows 1 → 100 %, 3 → 50 %, blank → 20 %, each deal booked 1 000 (deal_percent 10 % of 10 000):
    cancelled 1 month after → 100 %, 2 and 3 months after → 50 %, 5 months after → the blank 20 %.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 10),
               rule("2026-01", "*", "clawback", None, 20),
               rule("2026-01", "*", "clawback", 3, 50),
               rule("2026-01", "*", "clawback", 1, 100)],
        Deals=[deal("M1", "2026-01-15", "Anna", "A", 10000, status="cancelled", cancelled="2026-02-01"),
               deal("M2", "2026-01-15", "Anna", "B", 10000, status="cancelled", cancelled="2026-03-01"),
               deal("M3", "2026-01-15", "Anna", "C", 10000, status="cancelled", cancelled="2026-04-01"),
               deal("M5", "2026-01-15", "Anna", "D", 10000, status="cancelled", cancelled="2026-06-01")],
    )
    inputs, result = run(workbook, date(2026, 6, 30))
    assert inputs.issues == []
    assert per_deal(result, "clawback") == {"M1": -1000.0, "M2": -500.0, "M3": -500.0, "M5": -200.0}


def test_no_window_matches_and_no_blank_row_means_no_clawback():
    """PRODUCT.md "Cancellations": only deals "cancelled within N months" are clawed back."""
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 10),
               rule("2026-01", "*", "clawback", 1, 100)],
        Deals=[deal("D1", "2026-01-15", "Anna", "A", 10000, status="refunded", cancelled="2026-03-01")],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert contribs(result, "clawback").empty


def test_clawback_uses_the_rule_in_force_in_the_signing_month():
    """PRODUCT.md "Cancellations": "the rule is the one in force in the signing month (the deal was sold
    under it)".

    Clawback 3 → 100 % from January, 3 → 50 % from April; a clawback rule first appearing in May.
    D1 signed March, cancelled May → 100 %. D2 signed April, cancelled May → 50 %.
    For Boris, clawback starts only in May: his March deal cancelled in May is not clawed back.
    """
    workbook = book(
        Team=[ANNA, BORIS],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5),
               rule("2026-01", "Anna", "clawback", 3, 100),
               rule("2026-04", "Anna", "clawback", 3, 50),
               rule("2026-05", "Boris", "clawback", 3, 100)],
        Deals=[deal("D1", "2026-03-10", "Anna", "A", 100000, status="cancelled", cancelled="2026-05-02"),
               deal("D2", "2026-04-10", "Anna", "B", 100000, status="cancelled", cancelled="2026-05-02"),
               deal("D3", "2026-03-10", "Boris", "C", 100000, status="cancelled", cancelled="2026-05-02")],
    )
    inputs, result = run(workbook, date(2026, 5, 31))
    assert inputs.issues == []
    assert per_deal(result, "clawback") == {"D1": -5000.0, "D2": -2500.0}
    assert line(result, "2026-05", "Anna", "clawback") == -7500
    assert line(result, "2026-05", "Boris", "clawback") == 0


def test_clawback_reverses_only_the_deals_own_booked_lines_in_the_cancellation_month():
    """PRODUCT.md "Cancellations": "one contribution per deal, −round(sum of its booked contributions × %);
    plan and count bonuses and paid components are not reversed"; example 5: "as a line in May, linked to
    the deal; March is not rewritten".

    D1 (sheet row 3, inbound, 100 000) books deal_percent 5 000 + client_turnover_bonus 1 000 +
    inbound_deal_bonus 500 = 6 500 → clawback −6 500 in May. March's plan_bonus, deal_count_bonus and the
    paid payment_percent / collected_percent / first_month_margin_percent stay.
    """
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 100000, 1]],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5),
               rule("2026-01", "*", "client_turnover_bonus", 50000, 1000),
               rule("2026-01", "*", "inbound_deal_bonus", None, 500),
               rule("2026-01", "*", "plan_bonus", None, 7000),
               rule("2026-01", "*", "deal_count_bonus", None, 3000),
               rule("2026-01", "*", "payment_percent", None, 10),
               rule("2026-01", "*", "first_month_margin_percent", None, 50),
               rule("2026-01", "*", "collected_percent", None, 1),
               rule("2026-01", "*", "clawback", 3, 100)],
        Deals=[deal("D0", "2026-02-10", "Anna", "Other", 10),
               deal("D1", "2026-03-10", "Anna", "A", 100000, source="inbound", margin=4000,
                    status="cancelled", cancelled="2026-05-02")],
        Payments=[pay("D1", "2026-04-01", 20000, 1)],
    )
    inputs, result = run(workbook, date(2026, 5, 31))
    assert inputs.issues == []
    claw = contribs(result, "clawback")
    assert claw[["month", "manager_key", "source_tab", "source_row", "deal_id", "amount"]].values.tolist() == [
        [month("2026-05"), "anna", "deals", 3, "D1", -6500.0]]
    # March is not rewritten: the deal still counts there.
    assert line(result, "2026-03", "Anna", "deal_percent") == 5000
    assert line(result, "2026-03", "Anna", "client_turnover_bonus") == 1000
    assert line(result, "2026-03", "Anna", "inbound_deal_bonus") == 500
    assert line(result, "2026-03", "Anna", "plan_bonus") == 7000
    assert line(result, "2026-03", "Anna", "deal_count_bonus") == 3000
    assert line(result, "2026-03", "Anna", "clawback") == 0
    # Paid components stay: 10 % + 1 % of 20 000, 50 % of the 4 000 margin.
    assert line(result, "2026-04", "Anna", "payment_percent") == 2000
    assert line(result, "2026-04", "Anna", "collected_percent") == 200
    assert line(result, "2026-04", "Anna", "first_month_margin_percent") == 2000
    assert line(result, "2026-05", "Anna", "clawback") == -6500
    assert line(result, "2026-05", "Anna", "carried_over") == 6500
    assert total(result, "2026-05", "Anna") == 30000


# --- 4. Stage bonus -------------------------------------------------------------------------------


STAGE_TEAM = [ANNA, BORIS]


def test_stage_bonus_goes_to_the_earliest_dated_row_once_per_client_and_stage():
    """PRODUCT.md "Stage bonus": "paid once per client and stage, at the earliest-dated row logged at exactly
    that stage ..., to the manager of that row".

    Anna logs stage 3 for Acme on 10 March (first sheet row), Boris on 5 March (a later sheet row): Boris's
    row is the earliest-dated, he gets it, in March. Anna's later row and an April repeat pay nothing.
    """
    workbook = book(
        Team=STAGE_TEAM,
        Rules=[rule("2026-01", "*", "stage_bonus", 3, 1000)],
        Funnel=[["2026-03-10", "Anna", "Acme", 3, None, None],
                ["2026-03-05", "Boris", "Acme", 3, None, None],
                ["2026-04-02", "Anna", "Acme", 3, None, None]],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    stage = contribs(result, "stage_bonus")
    assert stage[["month", "manager_key", "source_row", "amount"]].values.tolist() == [
        [month("2026-03"), "boris", 3, 1000.0]]
    assert line(result, "2026-03", "Anna", "stage_bonus") == 0
    assert line(result, "2026-04", "Anna", "stage_bonus") == 0


def test_stage_bonus_same_date_tie_goes_to_the_earlier_sheet_row():
    """PRODUCT.md "Stage bonus": "(row order breaks ties)".

    Two rows at stage 3 for Acme on the same date: the earlier sheet row (Boris, row 2) gets it; with the
    rows swapped, Anna gets it.
    """
    rows = [["2026-03-05", "Boris", "Acme", 3, None, None],
            ["2026-03-05", "Anna", "Acme", 3, None, None]]
    for funnel, winner in ((rows, "boris"), (rows[::-1], "anna")):
        workbook = book(Team=STAGE_TEAM, Rules=[rule("2026-01", "*", "stage_bonus", 3, 1000)], Funnel=funnel)
        inputs, result = run(workbook, date(2026, 3, 31))
        assert inputs.issues == []
        stage = contribs(result, "stage_bonus")
        assert stage[["manager_key", "source_row", "amount"]].values.tolist() == [[winner, 2, 1000.0]]


def test_stage_bonus_client_is_trimmed_and_case_folded():
    """PRODUCT.md "Stage bonus": "A client is its trimmed, case-folded `Client` text".

    "Acme", "  ACME " and "acme" are one client: stage 2 pays once (500); "Acme Ltd" is another client.
    """
    workbook = book(
        Team=STAGE_TEAM,
        Rules=[rule("2026-01", "*", "stage_bonus", 2, 500)],
        Funnel=[["2026-03-02", "Anna", "Acme", 2, None, None],
                ["2026-03-03", "Boris", "  ACME ", 2, None, None],
                ["2026-03-04", "Boris", "acme", 2, None, None],
                ["2026-03-04", "Boris", "Acme Ltd", 2, None, None]],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "stage_bonus") == 500
    assert line(result, "2026-03", "Boris", "stage_bonus") == 500
    assert contribs(result, "stage_bonus")["source_row"].tolist() == [2, 5]


def test_stage_bonus_skipped_stage_pays_nothing():
    """PRODUCT.md "Stage bonus": "a skipped stage pays nothing"; "Blank thresholds": stage_bonus "match the
    exact number".

    Rules for stages 1, 2, 3 and 5; Acme goes 1 → 4 → 5: stages 1 and 5 pay (300 + 900), 2 and 3 do not,
    and 4 has no rule.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "stage_bonus", 1, 300),
               rule("2026-01", "*", "stage_bonus", 2, 500),
               rule("2026-01", "*", "stage_bonus", 3, 700),
               rule("2026-01", "*", "stage_bonus", 5, 900)],
        Funnel=[["2026-03-02", "Anna", "Acme", 1, None, None],
                ["2026-03-03", "Anna", "Acme", 4, None, None],
                ["2026-03-04", "Anna", "Acme", 5, None, None]],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    stage = contribs(result, "stage_bonus")
    assert stage[["source_row", "amount"]].values.tolist() == [[2, 300.0], [4, 900.0]]
    assert line(result, "2026-03", "Anna", "stage_bonus") == 1200


def test_stage_bonus_uses_that_rows_managers_rule_of_that_month():
    """PRODUCT.md "Stage bonus": "to the manager of that row, under that manager's rule of that month".

    Anna: stage 3 → 1 000. Boris: stage 3 → 2 000 from January, 3 000 from April. Anna's March row pays 1 000,
    Boris's March row 2 000, Boris's April row (another client) 3 000.
    """
    workbook = book(
        Team=STAGE_TEAM,
        Rules=[rule("2026-01", "Anna", "stage_bonus", 3, 1000),
               rule("2026-01", "Boris", "stage_bonus", 3, 2000),
               rule("2026-04", "Boris", "stage_bonus", 3, 3000)],
        Funnel=[["2026-03-05", "Anna", "Alpha", 3, None, None],
                ["2026-03-06", "Boris", "Beta", 3, None, None],
                ["2026-04-07", "Boris", "Gamma", 3, None, None]],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "stage_bonus") == 1000
    assert line(result, "2026-03", "Boris", "stage_bonus") == 2000
    assert line(result, "2026-04", "Boris", "stage_bonus") == 3000


# --- 5. Cancelled in the signing month ------------------------------------------------------------


def test_deal_cancelled_in_its_signing_month_counts_for_nothing():
    """PRODUCT.md "Credit vs payout" / "Cancellations": "A deal cancelled in its signing month counts for
    nothing, its payments included".

    Plan 250 000 and 2 deals. D1 (inbound, 200 000, margin 30 000) is cancelled in March, its signing
    month, and was paid in March (contract month 1, collected by Boris). Only D2 (100 000) counts:
    deal_percent 5 000, turnover 1 000; 100 000 < 250 000 and 1 deal < 2, so no plan or count bonus;
    nothing at all from D1 (no clawback either, nothing was booked).
    """
    workbook = book(
        Team=[ANNA, BORIS],
        Plans=[["2026-03", "Anna", 250000, 2]],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5),
               rule("2026-01", "*", "plan_bonus", None, 20000),
               rule("2026-01", "*", "deal_count_bonus", None, 10000),
               rule("2026-01", "*", "client_turnover_bonus", None, 1000),
               rule("2026-01", "*", "inbound_deal_bonus", None, 500),
               rule("2026-01", "*", "payment_percent", None, 10),
               rule("2026-01", "*", "first_month_margin_percent", None, 50),
               rule("2026-01", "*", "collected_percent", None, 1),
               rule("2026-01", "*", "clawback", None, 100)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 200000, source="inbound", margin=30000,
                    status="cancelled", cancelled="2026-03-20"),
               deal("D2", "2026-03-06", "Anna", "B", 100000)],
        Payments=[pay("D1", "2026-03-10", 50000, 1, "Boris"),
                  pay("D1", "2026-03-11", 50000, 1)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert "D1" not in set(result.contributions["deal_id"])
    assert line(result, "2026-03", "Anna", "deal_percent") == 5000
    assert line(result, "2026-03", "Anna", "client_turnover_bonus") == 1000
    for component in ("plan_bonus", "deal_count_bonus", "inbound_deal_bonus", "payment_percent",
                      "first_month_margin_percent", "collected_percent", "clawback"):
        assert line(result, "2026-03", "Anna", component) == 0, component
    assert total(result, "2026-03", "Boris") == 30000
    assert total(result, "2026-03", "Anna") == 36000


def test_deal_cancelled_the_next_month_still_counts_in_its_signing_month():
    """PRODUCT.md "Credit vs payout": the same deal cancelled in April (not its signing month) counts in
    March's attainment and deal count: plan and count bonuses are paid."""
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 250000, 2]],
        Rules=[rule("2026-01", "*", "plan_bonus", None, 20000),
               rule("2026-01", "*", "deal_count_bonus", None, 10000)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 200000, status="cancelled", cancelled="2026-04-01"),
               deal("D2", "2026-03-06", "Anna", "B", 100000)],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "plan_bonus") == 20000
    assert line(result, "2026-03", "Anna", "deal_count_bonus") == 10000


# --- 6. Tier matching boundaries ------------------------------------------------------------------


def test_plan_bonus_threshold_is_reached_exactly_not_rounded():
    """PRODUCT.md "Blank thresholds": "Plan ... tiers match the highest threshold reached (≥, compared
    exactly, no rounding of the percentage)"; blank plan_bonus threshold = 100.

    Plan 500 000: Anna's 500 000 reaches 100 %; Boris's 499 999.99 (99.999998 %) does not.
    """
    workbook = book(
        Team=[ANNA, BORIS],
        Plans=[["2026-03", "Anna", 500000, None], ["2026-03", "Boris", 500000, None]],
        Rules=[rule("2026-01", "*", "plan_bonus", None, 20000)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 500000),
               deal("D2", "2026-03-05", "Boris", "B", 499999.99)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "plan_bonus") == 20000
    assert line(result, "2026-03", "Boris", "plan_bonus") == 0


def test_plan_bonus_exact_comparison_of_a_kopeck_sum():
    """PRODUCT.md "Blank thresholds": "≥, compared exactly, no rounding of the percentage". Kopeck amounts
    that reach the plan exactly reach it, whatever binary floats make of them.

    Plan 1 005 807.63; deals 616 869.33 + 388 938.30 = 1 005 807.63 exactly (summed as floats:
    1 005 807.6299999999) → 100 % → 20 000.
    """
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 1005807.63, None]],
        Rules=[rule("2026-01", "*", "plan_bonus", None, 20000)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 616869.33),
               deal("D2", "2026-03-06", "Anna", "B", 388938.30)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "plan_bonus") == 20000


def test_plan_bonus_exact_comparison_of_a_percentage_threshold():
    """PRODUCT.md "Blank thresholds": "≥, compared exactly, no rounding of the percentage".

    Plan 265 722.40 at threshold 110; one deal of 292 294.64 = exactly 110 % of it (as floats
    292 294.64 × 100 < 110 × 265 722.40) → 11 000.
    """
    workbook = book(
        Team=[ANNA],
        Plans=[["2026-03", "Anna", 265722.40, None]],
        Rules=[rule("2026-01", "*", "plan_bonus", 110, 11000)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 292294.64)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "plan_bonus") == 11000


def test_plan_bonus_pays_only_the_highest_threshold_reached():
    """PRODUCT.md section 3 table: plan_bonus is a "fixed sum for the highest threshold reached".

    Tiers 100 → 20 000, 120 → 30 000, 150 → 50 000 on a 500 000 plan: 600 000 (exactly 120 %) → 30 000
    (not 50 000 and not 20 000 + 30 000); 599 999 → 20 000; 750 000 → 50 000.
    """
    carl = ["Carl", "sales", 30000, "2026-01-01", None]
    workbook = book(
        Team=[ANNA, BORIS, carl],
        Plans=[["2026-03", name, 500000, None] for name in ("Anna", "Boris", "Carl")],
        Rules=[rule("2026-01", "*", "plan_bonus", 150, 50000),
               rule("2026-01", "*", "plan_bonus", 100, 20000),
               rule("2026-01", "*", "plan_bonus", 120, 30000)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 600000),
               deal("D2", "2026-03-05", "Boris", "B", 599999),
               deal("D3", "2026-03-05", "Carl", "C", 750000)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "plan_bonus") == 30000
    assert line(result, "2026-03", "Boris", "plan_bonus") == 20000
    assert line(result, "2026-03", "Carl", "plan_bonus") == 50000


def test_deal_count_bonus_blank_threshold_is_the_months_plan_deals():
    """PRODUCT.md "Blank thresholds": "deal_count_bonus the month's `Plan deals` (no plan deals: not
    reached)".

    Blank-threshold rule → 10 000. Anna: Plan deals 3, 3 deals → paid. Boris: Plan deals 4, 3 deals → not.
    Carl: a plan with no Plan deals, 3 deals → not. Dana: no plan row at all, 3 deals → not.
    """
    team = [ANNA, BORIS, ["Carl", "sales", 0, "2026-01-01", None], ["Dana", "sales", 0, "2026-01-01", None]]
    workbook = book(
        Team=team,
        Plans=[["2026-03", "Anna", 100, 3], ["2026-03", "Boris", 100, 4], ["2026-03", "Carl", 100, None]],
        Rules=[rule("2026-01", "*", "deal_count_bonus", None, 10000)],
        Deals=[deal(f"{name[0]}{i}", "2026-03-05", name, f"{name} client {i}", 1000)
               for name in ("Anna", "Boris", "Carl", "Dana") for i in range(3)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "deal_count_bonus") == 10000
    for name in ("Boris", "Carl", "Dana"):
        assert line(result, "2026-03", name, "deal_count_bonus") == 0, name


def test_deal_count_bonus_highest_count_reached():
    """PRODUCT.md table: deal_count_bonus "fixed sum for the highest threshold reached" (≥).

    Tiers 2 → 1 000, 4 → 3 000: 1 deal → 0, 3 deals → 1 000, 4 deals → 3 000.
    """
    carl = ["Carl", "sales", 0, "2026-01-01", None]
    counts = {"Anna": 1, "Boris": 3, "Carl": 4}
    workbook = book(
        Team=[ANNA, BORIS, carl],
        Rules=[rule("2026-01", "*", "deal_count_bonus", 4, 3000),
               rule("2026-01", "*", "deal_count_bonus", 2, 1000)],
        Deals=[deal(f"{name[0]}{i}", "2026-03-05", name, f"{name} {i}", 1000)
               for name, n in counts.items() for i in range(n)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "deal_count_bonus") == 0
    assert line(result, "2026-03", "Boris", "deal_count_bonus") == 1000
    assert line(result, "2026-03", "Carl", "deal_count_bonus") == 3000


def test_client_turnover_bonus_half_open_steps_with_blank_threshold_zero():
    """PRODUCT.md table: client_turnover_bonus "highest threshold ≤ Amount (half-open steps)"; "Blank
    thresholds": client_turnover_bonus 0.

    Blank → 100, 100 000 → 500: 1 → 100, 99 999.99 → 100, 100 000 → 500, 100 000.01 → 500.
    """
    amounts = {"T1": 1, "T2": 99999.99, "T3": 100000, "T4": 100000.01}
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "client_turnover_bonus", 100000, 500),
               rule("2026-01", "*", "client_turnover_bonus", None, 100)],
        Deals=[deal(deal_id, "2026-03-05", "Anna", deal_id, amount) for deal_id, amount in amounts.items()],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert per_deal(result, "client_turnover_bonus") == {"T1": 100.0, "T2": 100.0, "T3": 500.0, "T4": 500.0}


def test_payment_percent_exact_contract_month_beats_the_blank_any_row():
    """PRODUCT.md "Blank thresholds": payment_percent blank = any, "used when no exact tier matches";
    "payment_percent ... match the exact number".

    Blank → 5 % (listed first), 1 → 15 %: contract month 1 → 15 %, 2 and 7 → 5 %.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "payment_percent", None, 5),
               rule("2026-01", "*", "payment_percent", 1, 15)],
        Deals=[deal("D1", "2026-01-10", "Anna", "A", 100000)],
        Payments=[pay("D1", "2026-01-15", 10000, 1), pay("D1", "2026-02-15", 10000, 2),
                  pay("D1", "2026-03-15", 10000, 7)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-01", "Anna", "payment_percent") == 1500
    assert line(result, "2026-02", "Anna", "payment_percent") == 500
    assert line(result, "2026-03", "Anna", "payment_percent") == 500


def test_payment_percent_without_blank_row_pays_only_listed_months():
    """PRODUCT.md example 3: with tiers 1 and 4 only, contract month 2 earns nothing."""
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "payment_percent", 1, 15), rule("2026-01", "*", "payment_percent", 4, 15)],
        Deals=[deal("D1", "2026-01-10", "Anna", "A", 100000)],
        Payments=[pay("D1", "2026-01-15", 10000, 1), pay("D1", "2026-02-15", 10000, 2)],
    )
    _inputs, result = run(workbook, date(2026, 2, 28))
    assert line(result, "2026-01", "Anna", "payment_percent") == 1500
    assert line(result, "2026-02", "Anna", "payment_percent") == 0


# --- 7. Rule precedence ---------------------------------------------------------------------------


def test_name_beats_role_beats_star_whatever_their_from():
    """PRODUCT.md "Precedence": "Rows naming the manager win over role rows whatever their `From`; `*` is
    the last resort".

    Anna (sales) by name 3 % from January; sales 7 % from March; `*` 9 % from March.
    March deals of 100 000: Anna 3 000 (name, older From), Boris (sales) 7 000, Carl (call_centre) 9 000.
    """
    carl = ["Carl", "call_centre", 30000, "2026-01-01", None]
    workbook = book(
        Team=[ANNA, BORIS, carl],
        Rules=[rule("2026-01", "Anna", "deal_percent", None, 3),
               rule("2026-03", "sales", "deal_percent", None, 7),
               rule("2026-03", "*", "deal_percent", None, 9)],
        Deals=[deal("D1", "2026-03-05", "Anna", "A", 100000),
               deal("D2", "2026-03-05", "Boris", "B", 100000),
               deal("D3", "2026-03-05", "Carl", "C", 100000)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert per_deal(result, "deal_percent") == {"D1": 3000.0, "D2": 7000.0, "D3": 9000.0}


def test_role_beats_a_newer_star_row():
    """PRODUCT.md "Precedence" / "Rules are effective-dated": rows for X's role come before `*` rows.

    sales 5 % from January, `*` 9 % from March: Boris (sales) still gets 5 % in March.
    """
    workbook = book(
        Team=[BORIS],
        Rules=[rule("2026-01", "sales", "deal_percent", None, 5),
               rule("2026-03", "*", "deal_percent", None, 9)],
        Deals=[deal("D1", "2026-03-05", "Boris", "B", 100000)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Boris", "deal_percent") == 5000


def test_newer_tier_set_replaces_the_older_set_whole():
    """PRODUCT.md "Precedence": "The tier set with the greatest `From` ≤ M replaces older sets whole".

    From January: 100 000 → 25 000 and 150 000 → 35 000. From March: 100 000 → 30 000 only.
    A 200 000 deal earns 35 000 in February, 30 000 in March (the old 150 000 tier no longer pays).
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "client_turnover_bonus", 100000, 25000),
               rule("2026-01", "*", "client_turnover_bonus", 150000, 35000),
               rule("2026-03", "*", "client_turnover_bonus", 100000, 30000)],
        Deals=[deal("F", "2026-02-05", "Anna", "A", 200000),
               deal("M", "2026-03-05", "Anna", "B", 200000)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert per_deal(result, "client_turnover_bonus") == {"F": 35000.0, "M": 30000.0}


def test_value_zero_switches_a_component_off():
    """PRODUCT.md "Rules are effective-dated by month": "`Value` 0 switches a component off".

    `*` 5 % from January; Anna by name 0 from March: her February deal earns 5 000, her March deal 0,
    Boris's March deal still 5 000.
    """
    workbook = book(
        Team=[ANNA, BORIS],
        Rules=[rule("2026-01", "*", "deal_percent", None, 5),
               rule("2026-03", "Anna", "deal_percent", None, 0)],
        Deals=[deal("F", "2026-02-05", "Anna", "A", 100000),
               deal("M", "2026-03-05", "Anna", "B", 100000),
               deal("B", "2026-03-05", "Boris", "C", 100000)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert per_deal(result, "deal_percent") == {"F": 5000.0, "B": 5000.0}
    assert line(result, "2026-03", "Anna", "deal_percent") == 0
    assert total(result, "2026-03", "Anna") == 30000


# --- 8. Carry-over --------------------------------------------------------------------------------


def test_carry_over_absorbed_over_two_months_base_salary_untouched():
    """PRODUCT.md "Carry-over": "If month M's variable pay (its components plus any carry coming in) is −X,
    M gets a `carried_over` line of +X ... and M+1 a `carried_over` line of −X. Base salary is never
    reduced"; section 3: "a total the sum of its lines".

    deal_percent 10 %, clawback any → 100 %. January: D1 100 000 → 10 000. February: D1 cancelled →
    −10 000, carried +10 000. March: D2 40 000 → 4 000 − 10 000 carried in = −6 000, carried on.
    April: D3 100 000 → 10 000 − 6 000 = 4 000.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "deal_percent", None, 10),
               rule("2026-01", "*", "clawback", None, 100)],
        Deals=[deal("D1", "2026-01-10", "Anna", "A", 100000, status="cancelled", cancelled="2026-02-10"),
               deal("D2", "2026-03-10", "Anna", "B", 40000),
               deal("D3", "2026-04-10", "Anna", "C", 100000)],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    expected = {  # month: (deal_percent, clawback, carried_over, total)
        "2026-01": (10000, 0, 0, 40000),
        "2026-02": (0, -10000, 10000, 30000),
        "2026-03": (4000, 0, -10000 + 6000, 30000),
        "2026-04": (10000, 0, -6000, 34000),
    }
    lines = result.lines
    for mon, (percent, claw, carried, month_total) in expected.items():
        assert line(result, mon, "Anna", "base_salary") == 30000, mon
        assert line(result, mon, "Anna", "deal_percent") == percent, mon
        assert line(result, mon, "Anna", "clawback") == claw, mon
        assert line(result, mon, "Anna", "carried_over") == carried, mon
        assert total(result, mon, "Anna") == month_total, mon
        these = lines[lines["month"] == month(mon)]
        assert round(float(these["amount"].sum()), 2) == month_total, mon
    # March shows the −10 000 carried in and the +6 000 carried out.
    march = lines[(lines["month"] == month("2026-03")) & (lines["component"] == "carried_over")]
    assert sorted(march["amount"].tolist()) == [-10000.0, 6000.0]
    # Everything carried is eventually paid back: the carried_over lines net to zero.
    assert float(lines.loc[lines["component"] == "carried_over", "amount"].sum()) == 0


# --- 9. Base salary -------------------------------------------------------------------------------


def test_base_salary_prorated_inclusive_with_a_mid_month_change():
    """PRODUCT.md "Months": "Several `Team` rows for one manager (a salary or role change) each contribute
    their prorated share"; section 3: "prorated by calendar days employed in the month (`From`/`To`
    inclusive)".

    March has 31 days. Anna: 30 000 to 15 March (15 days → 14 516.13), 40 000 from 16 March (16 days →
    20 645.16): 35 161.29. Boris: 31 000 from 31 March → 1 day → 1 000. Carl: 31 000 on 10 March only
    (From = To) → 1 000.
    """
    workbook = book(
        Team=[["Anna", "sales", 30000, "2026-01-01", "2026-03-15"],
              ["Anna", "call_centre", 40000, "2026-03-16", None],
              ["Boris", "sales", 31000, "2026-03-31", None],
              ["Carl", "sales", 31000, "2026-03-10", "2026-03-10"]],
        Plans=[["2026-03", "Anna", 100, None]],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    salary = contribs(result, "base_salary")
    anna = salary[salary["manager_key"] == "anna"]
    assert anna[["source_row", "amount"]].values.tolist() == [[2, 14516.13], [3, 20645.16]]
    assert line(result, "2026-03", "Anna", "base_salary") == 35161.29
    assert line(result, "2026-03", "Boris", "base_salary") == 1000
    assert line(result, "2026-03", "Carl", "base_salary") == 1000


def test_role_for_the_month_is_the_employed_row_with_the_latest_from():
    """PRODUCT.md "Months": "the role for a month is that of the employed row with the latest `From`".

    Anna is sales to 15 March, call_centre from 16 March. Rules: sales 5 %, call_centre 10 %. Her deal
    signed on 5 March (while still in sales) is paid under March's role, call_centre: 10 000. In February
    she is sales: 5 000.
    """
    workbook = book(
        Team=[["Anna", "sales", 30000, "2026-01-01", "2026-03-15"],
              ["Anna", "call_centre", 40000, "2026-03-16", None]],
        Rules=[rule("2026-01", "sales", "deal_percent", None, 5),
               rule("2026-01", "call_centre", "deal_percent", None, 10)],
        Deals=[deal("F", "2026-02-05", "Anna", "A", 100000),
               deal("M", "2026-03-05", "Anna", "B", 100000)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    assert per_deal(result, "deal_percent") == {"F": 5000.0, "M": 10000.0}


# --- 10. Paid components --------------------------------------------------------------------------


def test_margin_bonus_once_at_the_earliest_month_1_payment():
    """PRODUCT.md "Payments": "The margin bonus is paid once, at the earliest contract-month-1 payment";
    table: "% of max(0, first-month margin)".

    D1 (margin 30 000, 50 %): month-1 payments on 5 April (sheet row 2) and 20 March (row 3): 15 000 in
    March, nothing in April. D2 (margin −5 000): nothing.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "first_month_margin_percent", None, 50)],
        Deals=[deal("D1", "2026-03-01", "Anna", "A", 100000, margin=30000),
               deal("D2", "2026-03-01", "Anna", "B", 100000, margin=-5000)],
        Payments=[pay("D1", "2026-04-05", 50000, 1), pay("D1", "2026-03-20", 50000, 1),
                  pay("D2", "2026-03-20", 100000, 1)],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    margin = contribs(result, "first_month_margin_percent")
    assert margin[["month", "deal_id", "amount"]].values.tolist() == [[month("2026-03"), "D1", 15000.0]]
    assert line(result, "2026-03", "Anna", "first_month_margin_percent") == 15000
    assert line(result, "2026-04", "Anna", "first_month_margin_percent") == 0


def test_paid_components_use_the_rules_of_the_payments_month():
    """PRODUCT.md "Payments": "`payment_percent` and `first_month_margin_percent` go to the deal's manager
    under the rules of the payment's month".

    Deal signed in March under 10 % / 20 %; rules become 20 % / 40 % from April; paid in April → 2 000 +
    4 000 on a 10 000 payment and a 10 000 margin.
    """
    workbook = book(
        Team=[ANNA],
        Rules=[rule("2026-01", "*", "payment_percent", None, 10),
               rule("2026-04", "*", "payment_percent", None, 20),
               rule("2026-01", "*", "first_month_margin_percent", None, 20),
               rule("2026-04", "*", "first_month_margin_percent", None, 40)],
        Deals=[deal("D1", "2026-03-30", "Anna", "A", 100000, margin=10000)],
        Payments=[pay("D1", "2026-04-02", 10000, 1)],
    )
    inputs, result = run(workbook, date(2026, 4, 30))
    assert inputs.issues == []
    assert line(result, "2026-04", "Anna", "payment_percent") == 2000
    assert line(result, "2026-04", "Anna", "first_month_margin_percent") == 4000


def test_collected_percent_goes_to_the_collector_under_the_collectors_rules():
    """PRODUCT.md "Payments": "`collected_percent` to the `Collector` (else the deal's manager) under
    theirs".

    Rules: receivables 3 %, `*` 1 %. Anna's deal: a 100 000 payment collected by Rita (receivables) →
    3 000 to Rita, nothing to Anna; a 50 000 payment with no Collector → 1 % = 500 to Anna.
    payment_percent stays with the deal's manager for both.
    """
    workbook = book(
        Team=[ANNA, ["Rita", "receivables", 20000, "2026-01-01", None]],
        Rules=[rule("2026-01", "receivables", "collected_percent", None, 3),
               rule("2026-01", "*", "collected_percent", None, 1),
               rule("2026-01", "*", "payment_percent", None, 10)],
        Deals=[deal("D1", "2026-03-01", "Anna", "A", 200000)],
        Payments=[pay("D1", "2026-03-10", 100000, 1, "Rita"), pay("D1", "2026-03-20", 50000, 2)],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    collected = contribs(result, "collected_percent")
    assert collected[["manager_key", "source_row", "amount"]].values.tolist() == [
        ["rita", 2, 3000.0], ["anna", 3, 500.0]]
    assert line(result, "2026-03", "Rita", "collected_percent") == 3000
    assert line(result, "2026-03", "Anna", "collected_percent") == 500
    assert line(result, "2026-03", "Anna", "payment_percent") == 15000
    assert line(result, "2026-03", "Rita", "payment_percent") == 0
