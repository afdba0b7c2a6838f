"""The five worked examples of PRODUCT.md section 3, to the kopeck."""

from datetime import date

from tests.builders import book, line, run, total

TEAM = [["Anna", "sales", 30000, "2026-01-01", None]]


def seed_000_march(amounts: list[int]):
    """Seed 000's scheme: base 30 000, 5 % per deal, 20 000 at 100 % of a 500 000 plan, 10 000 for 5 deals."""
    return book(
        Team=TEAM,
        Plans=[["2026-03", "Anna", 500000, None]],
        Rules=[["2026-01", "*", "deal_percent", None, 5, ""],
               ["2026-01", "*", "plan_bonus", 100, 20000, ""],
               ["2026-01", "*", "deal_count_bonus", 5, 10000, ""]],
        Deals=[[f"D{i}", f"2026-03-{i + 1:02d}", "Anna", f"Client {i}", amount, None, None, None, None]
               for i, amount in enumerate(amounts)],
    )


def test_example_1_seed_000_scheme_full_month():
    inputs, result = run(seed_000_march([120000, 200000, 90000, 60000, 50000]), date(2026, 3, 31))
    assert inputs.issues == []
    assert line(result, "2026-03", "Anna", "base_salary") == 30000
    assert line(result, "2026-03", "Anna", "deal_percent") == 26000
    assert line(result, "2026-03", "Anna", "plan_bonus") == 20000
    assert line(result, "2026-03", "Anna", "deal_count_bonus") == 10000
    assert total(result, "2026-03", "Anna") == 86000


def test_example_1_with_only_three_deals():
    _inputs, result = run(seed_000_march([120000, 200000, 90000]), date(2026, 3, 31))
    assert total(result, "2026-03", "Anna") == 50500


def test_example_2_seed_002_turnover_tiers_are_half_open():
    amounts = [99999, 100000, 149999, 150000, 400000]
    workbook = book(
        Team=TEAM,
        Rules=[["2026-01", "*", "client_turnover_bonus", 100000, 25000, ""],
               ["2026-01", "*", "client_turnover_bonus", 150000, 35000, ""]],
        Deals=[[f"D{i}", "2026-03-02", "Anna", f"Client {i}", amount, None, None, None, None]
               for i, amount in enumerate(amounts)],
    )
    _inputs, result = run(workbook, date(2026, 3, 31))
    per_deal = result.contributions.query("component == 'client_turnover_bonus'").set_index("deal_id")["amount"]
    assert [per_deal.get(f"D{i}", 0.0) for i in range(5)] == [0, 25000, 25000, 35000, 35000]


def test_example_3_seed_002_two_step_payment_percent():
    workbook = book(
        Team=TEAM,
        Rules=[["2026-01", "*", "payment_percent", 1, 15, ""],
               ["2026-01", "*", "payment_percent", 4, 15, ""]],
        Deals=[["D1", "2026-01-10", "Anna", "Stroy LLC", 320000, None, None, None, None],
               ["D2", "2026-01-12", "Anna", "Leaver LLC", 160000, None, None, None, None]],
        Payments=[["D1", "2026-01-15", 80000, 1, None], ["D1", "2026-02-15", 80000, 2, None],
                  ["D1", "2026-03-15", 80000, 3, None], ["D1", "2026-04-10", 40000, 4, None],
                  ["D1", "2026-05-10", 40000, 4, None],
                  ["D2", "2026-01-20", 80000, 1, None], ["D2", "2026-02-20", 80000, 2, None]],
    )
    _inputs, result = run(workbook, date(2026, 6, 30))
    assert line(result, "2026-01", "Anna", "payment_percent") == 24000  # 12 000 from each client
    assert line(result, "2026-02", "Anna", "payment_percent") == 0
    assert line(result, "2026-03", "Anna", "payment_percent") == 0
    assert line(result, "2026-04", "Anna", "payment_percent") == 6000
    assert line(result, "2026-05", "Anna", "payment_percent") == 6000


def test_example_4_seed_002_first_month_margin():
    workbook = book(
        Team=TEAM,
        Rules=[["2026-01", "*", "first_month_margin_percent", None, 50, ""]],
        Deals=[["D1", "2026-02-01", "Anna", "A", 100000, None, 30000, None, None],
               ["D2", "2026-02-01", "Anna", "B", 100000, None, -5000, None, None]],
        Payments=[["D1", "2026-03-05", 50000, 1, None], ["D1", "2026-03-25", 50000, 1, None],
                  ["D2", "2026-03-05", 100000, 1, None]],
    )
    inputs, result = run(workbook, date(2026, 3, 31))
    assert inputs.issues == []
    margin = result.contributions.query("component == 'first_month_margin_percent'")
    assert margin[["deal_id", "amount"]].values.tolist() == [["D1", 15000.0]]
    assert line(result, "2026-03", "Anna", "first_month_margin_percent") == 15000
    assert line(result, "2026-02", "Anna", "first_month_margin_percent") == 0


def test_example_5_clawback_in_the_cancellation_month_with_carry_over():
    workbook = book(
        Team=TEAM,
        Rules=[["2026-01", "*", "deal_percent", None, 5, ""],
               ["2026-01", "*", "clawback", 3, 100, ""]],
        Deals=[["D1", "2026-03-10", "Anna", "A", 100000, None, None, "cancelled", "2026-05-02"],
               ["D2", "2026-06-05", "Anna", "B", 160000, None, None, None, None]],
    )
    _inputs, result = run(workbook, date(2026, 6, 30))
    assert line(result, "2026-03", "Anna", "deal_percent") == 5000  # March is not rewritten
    claw = result.contributions.query("component == 'clawback'")
    assert claw[["month", "deal_id", "amount"]].values.tolist() == [[2026 * 12 + 4, "D1", -5000.0]]
    # May's variable pay would be −5 000: it is carried into June, base salary untouched.
    assert line(result, "2026-05", "Anna", "clawback") == -5000
    assert line(result, "2026-05", "Anna", "carried_over") == 5000
    assert total(result, "2026-05", "Anna") == 30000
    # June earns 8 000 and pays back the 5 000 carried in.
    assert line(result, "2026-06", "Anna", "carried_over") == -5000
    assert line(result, "2026-06", "Anna", "deal_percent") == 8000
    assert total(result, "2026-06", "Anna") == 33000


def test_a_bare_number_as_month_is_an_issue_not_january_1900():
    workbook = book(Team=TEAM, Plans=[[3, "Anna", 500000, None]],
                    Rules=[[3, "*", "deal_percent", None, 5, ""]])
    inputs, _result = run(workbook, date(2026, 3, 31))
    assert [(i.tab, i.row, i.column) for i in inputs.issues] == [("Plans", 2, "Month"), ("Rules", 2, "From")]
    assert inputs.plans.empty and inputs.rules.empty
