"""The real engine against an independent reference engine written from PRODUCT.md (sections 2 and 3).

First the reference itself is checked on PRODUCT.md section 3's five worked examples; then hypothesis
generates random messy workbooks and every statement line and every input-issue cell must agree exactly.
Profiles: ``ci`` (default, 200 examples) and ``fuzz`` (5 000), chosen by ``PREMIA_HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings

from formulas.raw import RawTab, RawWorkbook
from tests.builders import HEADERS
from tests.reference import reference_issue_cells, reference_lines
from tests.reference_workbooks import messy_workbooks

EXAMPLES = 5000 if os.environ.get("PREMIA_HYPOTHESIS_PROFILE") == "fuzz" else 200

Lines = dict[tuple[str, str, str], Decimal]


def real_engine(workbook: RawWorkbook, as_of: date) -> tuple[Lines, Counter[tuple[str, int, str]]]:
    """The real engine's statement lines and issue cells, in the reference's shapes (re-point it here)."""
    from formulas.pay.compute import compute_pay
    from formulas.read.validate import validate

    inputs = validate(workbook, as_of)
    result = compute_pay(inputs)
    lines: Lines = {}
    for month, manager, component, amount in result.lines[["month", "manager_key", "component", "amount"]].itertuples(
            index=False):
        year, number = divmod(int(month), 12)
        key = (f"{year:04d}-{number + 1:02d}", manager, component)
        lines[key] = lines.get(key, Decimal(0)) + Decimal(str(round(float(amount), 2)))
    # A month that receives a carry and passes one on has two carried_over lines (PRODUCT.md section 3,
    # "Carry-over"); they are compared by their sum, which is not shown when it is 0.
    lines = {key: amount for key, amount in lines.items() if amount != 0 or key[2] != "carried_over"}
    return lines, Counter((issue.tab, issue.row, issue.column) for issue in inputs.issues)


ANNA = [["Anna", "sales", 30000, "2025-01-01", None]]


def sheet(**tabs: list[list[Any]]) -> RawWorkbook:
    """An English workbook with every input tab; rows given per tab, the standard header added."""
    return RawWorkbook([RawTab(title, [header, *tabs.get(title, [])]) for title, header in HEADERS.items()])


def deal(deal_id: str, signed: str, amount: Any, **extra: Any) -> list[Any]:
    """A Deals row of Anna's: source, margin, status and cancellation by keyword."""
    return [deal_id, signed, "Anna", f"Client {deal_id}", amount, extra.get("source"), extra.get("margin"),
            extra.get("status"), extra.get("cancelled")]


def month_of(lines: Lines, month: str) -> dict[str, Decimal]:
    """Anna's lines of one month by component."""
    return {component: amount for (m, manager, component), amount in lines.items() if m == month and manager == "anna"}


SEED_000 = [["2026-01", "*", "deal_percent", None, 5, None], ["2026-01", "*", "plan_bonus", 100, 20000, None],
            ["2026-01", "*", "deal_count_bonus", 5, 10000, None]]
MARCH = [deal("D1", "2026-03-02", 120000), deal("D2", "2026-03-03", 200000), deal("D3", "2026-03-04", 90000),
         deal("D4", "2026-03-05", 60000), deal("D5", "2026-03-06", 50000)]


def test_worked_example_1_seed_000_scheme() -> None:
    """5 deals, 520 000 of 500 000 (104 %): 86 000; only the first three (82 %): 50 500."""
    plans = [["2026-03", "Anna", 500000, None]]
    full = month_of(reference_lines(sheet(Team=ANNA, Plans=plans, Deals=MARCH, Rules=SEED_000), date(2026, 3, 31)),
                    "2026-03")
    assert full == {"base_salary": 30000, "deal_percent": 26000, "plan_bonus": 20000, "deal_count_bonus": 10000}
    assert sum(full.values()) == 86000
    three = reference_lines(sheet(Team=ANNA, Plans=plans, Deals=MARCH[:3], Rules=SEED_000), date(2026, 3, 31))
    assert sum(month_of(three, "2026-03").values()) == Decimal("50500")


def test_worked_example_2_turnover_tiers_are_half_open() -> None:
    """100 000 → 25 000, 150 000 → 35 000: 99 999, 100 000, 149 999, 150 000, 400 000 earn 0, 25, 25, 35, 35 k."""
    rules = [["2026-01", "*", "client_turnover_bonus", "100 000", "25 000", None],
             ["2026-01", "*", "client_turnover_bonus", "150 000", "35 000", None]]
    deals = [deal(f"D{i}", "2026-03-02", amount) for i, amount in enumerate([99999, 100000, 149999, 150000, 400000])]
    lines = reference_lines(sheet(Team=ANNA, Deals=deals, Rules=rules), date(2026, 3, 31))
    assert month_of(lines, "2026-03")["client_turnover_bonus"] == 120000


def test_worked_example_3_two_step_payment_percent() -> None:
    """1 → 15 and 4 → 15 on 80 000 a month: 12 000 at month 1, month 4 paid in halves 6 000 + 6 000."""
    rules = [["2026-01", "*", "payment_percent", 1, 15, None], ["2026-01", "*", "payment_percent", 4, "15 %", None]]
    payments = [["D1", "2026-01-10", 80000, 1, None], ["D1", "2026-02-10", 80000, 2, None],
                ["D1", "2026-03-10", 80000, 3, None], ["D1", "2026-04-10", 40000, 4, None],
                ["D1", "2026-05-10", 40000, 4, None], ["D2", "2026-01-12", 80000, None, None],
                ["D2", "2026-02-12", 80000, 2, None]]
    lines = reference_lines(sheet(Team=ANNA, Deals=[deal("D1", "2026-01-05", 80000), deal("D2", "2026-01-06", 80000)],
                                  Payments=payments, Rules=rules), date(2026, 5, 31))
    assert [month_of(lines, m).get("payment_percent") for m in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")
            ] == [24000, None, None, 6000, 6000]


def test_worked_example_4_first_month_margin() -> None:
    """50 % of a 30 000 margin when month 1 is paid (once); a margin of −5 000 earns 0."""
    rules = [["2026-01", "*", "first_month_margin_percent", None, "50 %", None]]
    deals = [deal("D1", "2026-03-02", 100000, margin=30000), deal("D2", "2026-03-02", 100000, margin="-5 000")]
    payments = [["D1", "2026-04-01", 1000, 1, None], ["D1", "2026-03-20", 1000, 1, None],
                ["D2", "2026-03-20", 1000, 1, None]]
    lines = reference_lines(sheet(Team=ANNA, Deals=deals, Payments=payments, Rules=rules), date(2026, 4, 30))
    assert month_of(lines, "2026-03").get("first_month_margin_percent") == 15000
    assert "first_month_margin_percent" not in month_of(lines, "2026-04")


def test_worked_example_5_clawback_and_carry_over() -> None:
    """Signed 10 March, cancelled 2 May: −5 000 in May, March unchanged; May's −5 000 carried into June."""
    rules = [["2026-01", "*", "deal_percent", None, 5, None], ["2026-01", "*", "clawback", 3, 100, None]]
    deals = [deal("D1", "2026-03-10", 100000, status="расторгнут", cancelled="02.05.2026"),
             deal("D2", "2026-06-01", 120000)]
    lines = reference_lines(sheet(Team=ANNA, Deals=deals, Rules=rules), date(2026, 6, 30))
    assert month_of(lines, "2026-03") == {"base_salary": 30000, "deal_percent": 5000}
    assert month_of(lines, "2026-05") == {"base_salary": 30000, "clawback": -5000, "carried_over": 5000}
    assert month_of(lines, "2026-06") == {"base_salary": 30000, "deal_percent": 6000, "carried_over": -5000}


def test_reference_rounds_half_up_symmetrically_and_reads_messy_cells() -> None:
    """−2.505 → −2.51 (a clawback of 5.01 × 50 %), a percent cell, ``150 000,50`` and ``05.03.2026``."""
    rules = RawTab("Rules", [HEADERS["Rules"], ["март 2026", "*", "deal_percent", None, 0.05, None],
                             ["03.2026", "sales", "clawback", None, "50", None]], {(1, 4): "0.00%"})
    deals = [deal("D1", "05.03.2026", "100,20"), deal("D2", "05.03.2026", "150 000,50", cancelled=46121)]
    book = sheet(Team=ANNA, Deals=deals)
    book = RawWorkbook([rules if tab.title == "Rules" else tab for tab in book.tabs])
    lines = reference_lines(book, date(2026, 4, 10))
    assert month_of(lines, "2026-03")["deal_percent"] == Decimal("5.01") + Decimal("7500.03")
    assert month_of(lines, "2026-04")["clawback"] == Decimal("-3750.02")
    assert reference_issue_cells(book, date(2026, 4, 10)) == Counter()


@settings(max_examples=EXAMPLES)
@given(messy_workbooks())
def test_real_engine_agrees_with_the_reference(case: tuple[RawWorkbook, date]) -> None:
    """Same statement lines to the kopeck and the same input-issue cells on random messy workbooks."""
    assert_agrees(*case)


def assert_agrees(workbook: RawWorkbook, as_of: date) -> None:
    """The real engine's statement lines equal the reference's to the kopeck, and so do the issue cells."""
    lines, issues = real_engine(workbook, as_of)
    expected = reference_lines(workbook, as_of)
    assert lines == expected, _diff(lines, expected)
    want = reference_issue_cells(workbook, as_of)
    assert issues == want, f"engine only {issues - want}, reference only {want - issues}"


def _diff(actual: Lines, expected: Lines) -> str:
    """The lines that differ, engine vs reference."""
    keys = sorted(set(actual) | set(expected))
    return "\n".join(f"{key}: engine {actual.get(key)} reference {expected.get(key)}"
                     for key in keys if actual.get(key) != expected.get(key))
