"""Deal splits (PRODUCT.md section 3b) in the reference engine, then the real engine against it.

The worked examples are computed by the reference ALONE, every kopeck derived by hand in the comments:
a 50/50 deal, a 70/30 deal under different rules per participant, broken splits (99 %, an unknown
manager, an unknown deal, a duplicated pair, a zero share) that leave the deal with its Deals manager,
and a split clawback. The property test then asks the real engine for the same lines and issue cells
on random messy workbooks that carry a Splits tab.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings

from formulas.raw import RawTab, RawWorkbook
from tests.reference import reference_credit, reference_issue_cells, reference_lines
from tests.reference_workbooks import messy_workbooks
from tests.test_reference_engine import EXAMPLES, HEADERS, Lines, assert_agrees

SPLITS_EN = ["Deal ID", "Manager", "Share"]
SPLITS_RU = ["ID сделки", "Менеджер", "Доля"]


def book(splits: RawTab | None = None, **tabs: list[list[Any]]) -> RawWorkbook:
    """An English workbook with every input tab (rows per tab, standard header) and an optional Splits tab."""
    raw = [RawTab(title, [header, *tabs.get(title, [])]) for title, header in HEADERS.items()]
    return RawWorkbook(raw + ([splits] if splits is not None else []))


def deal(deal_id: str, signed: str, amount: Any, manager: str = "Anna", **extra: Any) -> list[Any]:
    """A Deals row: source, margin, status and cancellation by keyword."""
    return [deal_id, signed, manager, f"Client {deal_id}", amount, extra.get("source"), extra.get("margin"),
            extra.get("status"), extra.get("cancelled")]


def rule(target: str, component: str, threshold: Any, value: Any, start: str = "2026-01") -> list[Any]:
    """A Rules row."""
    return [start, target, component, threshold, value, None]


def of(lines: Lines, month: str, manager: str) -> dict[str, Decimal]:
    """One manager's lines of one month by component."""
    return {component: amount for (m, key, component), amount in lines.items() if m == month and key == manager}


TEAM = [["Anna", "sales", 30000, "2025-01-01", None], ["Boris", "sales", 30000, "2025-01-01", None]]


def test_a_50_50_deal_credits_half_of_everything_to_each() -> None:
    """Half the Amount toward each plan and count, half of each booked and paid component, rounded once."""
    rules = [rule("*", "deal_percent", None, 5), rule("*", "client_turnover_bonus", "100 000", 25000),
             rule("*", "inbound_deal_bonus", None, 3000), rule("*", "plan_bonus", None, 20000),
             rule("*", "deal_count_bonus", 2, 10000), rule("*", "payment_percent", 1, 10),
             rule("*", "first_month_margin_percent", None, 50), rule("*", "collected_percent", None, 1),
             rule("*", "stage_bonus", 3, 700)]
    deals = [deal("D1", "2026-03-02", "100 000,10", source="inbound", margin="30000.10"),
             deal("D2", "2026-03-05", 50000)]
    splits = RawTab("Splits", [SPLITS_EN, ["D1", "Anna", 50], ["D1", " boris ", "50 %"]])
    workbook = book(splits, Team=TEAM, Deals=deals, Rules=rules,
                    Plans=[["2026-03", "Anna", 120000, None], ["2026-03", "Boris", 50000, None]],
                    Payments=[["D1", "2026-04-10", "80000.10", 1, None]],
                    Funnel=[["2026-03-03", "Boris", "Client D1", 3, None, None]])
    lines = reference_lines(workbook, date(2026, 4, 30))
    # March, each: deal_percent 100 000.10 × 0.5 × 5 % = 2 500.0025 → 2 500.00 (unsplit it would be
    # 5 000.005 → 5 000.01: the share comes before the one rounding); turnover tier chosen by the whole
    # 100 000.10 ≥ 100 000 → 25 000 × 0.5 = 12 500 (by half the Amount no tier is reached); inbound 1 500.
    # Anna also has D2: 50 000 × 5 % = 2 500 → deal_percent 5 000.00. Credit: Anna 50 000.05 + 50 000 =
    # 100 000.05 of 120 000 (83.3 %) → no plan bonus; Boris 50 000.05 of 50 000 (100.0001 %) → 20 000.
    # Count: Anna 0.5 + 1 = 1.5 < 2, Boris 0.5 < 2 → no count bonus for anyone (unsplit Anna has 2).
    # The stage bonus stays with Boris, who logged the funnel row.
    assert of(lines, "2026-03", "anna") == {"base_salary": 30000, "deal_percent": Decimal("5000.00"),
                                            "client_turnover_bonus": 12500, "inbound_deal_bonus": 1500}
    assert of(lines, "2026-03", "boris") == {"base_salary": 30000, "deal_percent": Decimal("2500.00"),
                                             "client_turnover_bonus": 12500, "inbound_deal_bonus": 1500,
                                             "plan_bonus": 20000, "stage_bonus": 700}
    # April, each: payment_percent 80 000.10 × 0.5 × 10 % = 4 000.005 → 4 000.01; margin 30 000.10 × 0.5
    # × 50 % = 7 500.025 → 7 500.03. collected_percent stays with the Collector, here none, so the Deals
    # manager Anna takes it whole: 80 000.10 × 1 % = 800.001 → 800.00.
    assert of(lines, "2026-04", "anna") == {"base_salary": 30000, "payment_percent": Decimal("4000.01"),
                                            "first_month_margin_percent": Decimal("7500.03"),
                                            "collected_percent": Decimal("800.00")}
    assert of(lines, "2026-04", "boris") == {"base_salary": 30000, "payment_percent": Decimal("4000.01"),
                                             "first_month_margin_percent": Decimal("7500.03")}
    # Fact and the deal count are exact, never rounded.
    credit = reference_credit(workbook, date(2026, 4, 30))
    assert credit == {("2026-03", "anna"): (Decimal("100000.05"), Decimal("1.5")),
                      ("2026-03", "boris"): (Decimal("50000.05"), Decimal("0.5"))}
    assert reference_issue_cells(workbook, date(2026, 4, 30)) == Counter()


def test_a_70_30_deal_pays_each_participant_under_their_own_rules() -> None:
    """Name beats role beats ``*`` for each participant, in the month concerned."""
    team = [["Anna", "sales", 30000, "2025-01-01", None], ["Boris", "call_centre", 30000, "2025-01-01", None]]
    rules = [rule("*", "deal_percent", None, 5), rule("call_centre", "deal_percent", None, 8),
             rule("Boris", "deal_percent", None, 10), rule("sales", "client_turnover_bonus", 100000, 20000),
             rule("*", "payment_percent", 1, 10), rule("Boris", "payment_percent", 1, 20),
             rule("sales", "payment_percent", 1, 12, start="2026-04")]
    # Boris's 30 % is a percent cell holding 0.3; Anna's 70 is typed "70,0".
    splits = RawTab("Splits", [SPLITS_EN, ["D1", "Anna", "70,0"], ["D1", "Boris", 0.3]], {(2, 2): "0%"})
    workbook = book(splits, Team=team, Deals=[deal("D1", "2026-03-02", "200000.10")], Rules=rules,
                    Payments=[["D1", "2026-04-15", "50 000,50", 1, None]])
    lines = reference_lines(workbook, date(2026, 4, 30))
    # March. Anna (sales → *): 200 000.10 × 0.7 × 5 % = 7 000.0035 → 7 000.00; turnover, a sales rule:
    # 20 000 × 0.7 = 14 000. Boris (his name beats call_centre's 8): 200 000.10 × 0.3 × 10 % = 6 000.003
    # → 6 000.00; no turnover rule reaches him (it is the sales role's).
    assert of(lines, "2026-03", "anna") == {"base_salary": 30000, "deal_percent": Decimal("7000.00"),
                                            "client_turnover_bonus": 14000}
    assert of(lines, "2026-03", "boris") == {"base_salary": 30000, "deal_percent": Decimal("6000.00")}
    # April, under April's rules. Anna: the sales rule from April, 12 %: 50 000.50 × 0.7 × 12 % = 4 200.042
    # → 4 200.04. Boris: his own 20 %: 50 000.50 × 0.3 × 20 % = 3 000.03.
    assert of(lines, "2026-04", "anna") == {"base_salary": 30000, "payment_percent": Decimal("4200.04")}
    assert of(lines, "2026-04", "boris") == {"base_salary": 30000, "payment_percent": Decimal("3000.03")}
    assert reference_issue_cells(workbook, date(2026, 4, 30)) == Counter()


def test_broken_splits_are_issues_and_the_deal_stays_with_its_deals_manager() -> None:
    """99 %, an unknown manager, a zero share: every row of that deal is an issue; 99.99 % is within 0.01."""
    team = [*TEAM, ["Clara", "sales", 30000, "2025-01-01", None]]
    deals = [deal("D1", "2026-03-02", 100000), deal("D2", "2026-03-02", 90000), deal("D3", "2026-03-02", 60000),
             deal("D4", "2026-03-02", 30000), deal("D5", "2026-03-02", 10000)]
    rows = [SPLITS_RU,
            ["D1", "Anna", "49,5"], ["D1", "Boris", "49.5 %"],                 # rows 2-3: 99 % → both rejected
            ["D2", "Anna", 33.33], ["D2", "Boris", "33,33 %"], ["D2", "Clara", 0.3333],  # 4-6: 99.99 % is fine
            ["D3", "Anna", 50], ["D3", "Zed Unknown", 50],                     # 7-8: unknown manager
            ["D4", "Anna", 50], ["D4", "Boris", 50], ["D4", "BORIS", 20],      # 9-11: a duplicated pair
            ["X-404", "Anna", 100],                                            # 12: unknown deal
            ["D5", "Anna", 100], ["D5", "Boris", 0]]                           # 13-14: a zero share
    workbook = book(RawTab(" доли ", rows, {(5, 2): "0.00%"}), Team=team, Deals=deals,
                    Rules=[rule("*", "deal_percent", None, 5)])
    as_of = date(2026, 3, 31)
    # One issue per problem cell: the rejected deals' other rows on their Share cell, the unknown manager
    # and the later duplicate on Manager (the first pair wins; D4's split 50/50 stands), X-404 on Deal ID.
    assert reference_issue_cells(workbook, as_of) == Counter({
        (" доли ", 2, "Доля"): 1, (" доли ", 3, "Доля"): 1, (" доли ", 7, "Доля"): 1, (" доли ", 8, "Менеджер"): 1,
        (" доли ", 11, "Менеджер"): 1, (" доли ", 12, "ID сделки"): 1, (" доли ", 13, "Доля"): 1,
        (" доли ", 14, "Доля"): 1})
    lines = reference_lines(workbook, as_of)
    # D1, D3, D5 stay Anna's whole: 5 000 + 3 000 + 500. D2, 33.33 % each: 90 000 × 0.3333 × 5 % = 1 499.85
    # to each of the three. D4 50/50: 30 000 × 0.5 × 5 % = 750 each.
    # Anna 5 000 + 1 499.85 + 3 000 + 750 + 500 = 10 749.85; Boris 1 499.85 + 750 = 2 249.85; Clara 1 499.85.
    assert of(lines, "2026-03", "anna")["deal_percent"] == Decimal("10749.85")
    assert of(lines, "2026-03", "boris")["deal_percent"] == Decimal("2249.85")
    assert of(lines, "2026-03", "clara")["deal_percent"] == Decimal("1499.85")
    credit = reference_credit(workbook, as_of)
    # Fact: Anna 100 000 + 29 997 + 60 000 + 15 000 + 10 000; deals 1 + 0.3333 + 1 + 0.5 + 1.
    assert credit[("2026-03", "anna")] == (Decimal("214997"), Decimal("3.8333"))
    assert credit[("2026-03", "clara")] == (Decimal("29997"), Decimal("0.3333"))


def test_a_split_tab_without_rows_leaves_every_deal_with_its_deals_manager() -> None:
    """No split rows: 100 % to the Deals manager, exactly as without the tab."""
    kwargs: dict[str, Any] = {"Team": TEAM, "Deals": [deal("D1", "2026-03-02", "100000.10")],
                              "Rules": [rule("*", "deal_percent", None, 5)]}
    with_tab = reference_lines(book(RawTab("Splits", [SPLITS_EN]), **kwargs), date(2026, 3, 31))
    assert with_tab == reference_lines(book(**kwargs), date(2026, 3, 31))
    assert of(with_tab, "2026-03", "anna")["deal_percent"] == Decimal("5000.01")  # 5 000.005 → 5 000.01
    assert "deal_percent" not in of(with_tab, "2026-03", "boris")


def test_a_split_clawback_reverses_each_participants_own_contributions() -> None:
    """Each participant loses their own booked contributions × their own clawback rule of the signing month."""
    rules = [rule("*", "deal_percent", None, 5), rule("*", "inbound_deal_bonus", None, 1000),
             rule("*", "clawback", 3, 100), rule("Boris", "clawback", 3, 50),
             rule("Boris", "clawback", 3, 0, start="2026-04")]
    deals = [deal("D1", "2026-03-10", "100000.30", source="inbound", status="cancelled", cancelled="2026-05-02")]
    splits = RawTab("Splits", [SPLITS_EN, ["D1", "Anna", 60], ["D1", "Boris", 40]])
    lines = reference_lines(book(splits, Team=TEAM, Deals=deals, Rules=rules), date(2026, 5, 31))
    # March. Anna: 100 000.30 × 0.6 × 5 % = 3 000.009 → 3 000.01, inbound 1 000 × 0.6 = 600.
    # Boris: 100 000.30 × 0.4 × 5 % = 2 000.006 → 2 000.01, inbound 400.
    assert of(lines, "2026-03", "anna") == {"base_salary": 30000, "deal_percent": Decimal("3000.01"),
                                            "inbound_deal_bonus": 600}
    assert of(lines, "2026-03", "boris") == {"base_salary": 30000, "deal_percent": Decimal("2000.01"),
                                             "inbound_deal_bonus": 400}
    # May, 2 months after signing (≤ 3). Anna under * 100 %: −3 600.01. Boris under his own March rule,
    # 50 % (April's 0 % came after the sale): −(2 400.01 × 50 %) = −1 200.005 → −1 200.01 (half-up,
    # symmetric). Each negative month is carried over (+X in May, −X in June, outside this as-of).
    assert of(lines, "2026-05", "anna") == {"base_salary": 30000, "clawback": Decimal("-3600.01"),
                                            "carried_over": Decimal("3600.01")}
    assert of(lines, "2026-05", "boris") == {"base_salary": 30000, "clawback": Decimal("-1200.01"),
                                             "carried_over": Decimal("1200.01")}


@settings(max_examples=EXAMPLES)
@given(messy_workbooks(splits=True))
def test_real_engine_agrees_with_the_reference_on_splits(case: tuple[RawWorkbook, date]) -> None:
    """Same statement lines to the kopeck and the same input-issue cells on messy workbooks with splits."""
    assert_agrees(*case)
