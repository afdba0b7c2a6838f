"""Month close (PRODUCT.md section 3a) on an in-memory adapter: frozen months, adjustments, re-open, paid.

Each test shows the workbook next to the figures it expects. The figures of a closed month never change;
what changed later is owed in the first open month, once.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from entrypoints.jobs import Refused, recalculate_spreadsheet
from entrypoints.months import close, paid, payroll_of, reopen
from tests.builders import book
from tests.memory_sheet import MemorySheet

AS_OF = date(2026, 4, 10)
JAN, FEB, MAR, APR = (2026 * 12 + m - 1 for m in (1, 2, 3, 4))
TEAM = [["Anna", "sales", 30000, "2026-01-01", None], ["Boris", "sales", 20000, "2026-01-01", None]]
RULES = [["2026-01", "*", "deal_percent", None, 5, ""], ["2026-01", "*", "payment_percent", 1, 10, ""],
         ["2026-01", "*", "clawback", 3, 100, ""]]


def deal(deal_id: str, signed: str, manager: str, amount: float, cancelled: str | None = None) -> list:
    """One Deals row."""
    return [deal_id, signed, manager, f"Client {deal_id}", amount, None, None, None, cancelled]


DEALS = [deal("D1", "2026-01-10", "Anna", 100000), deal("D2", "2026-01-20", "Anna", 50000),
         deal("D3", "2026-01-15", "Boris", 80000), deal("D4", "2026-02-03", "Anna", 60000),
         deal("D5", "2026-03-04", "Boris", 40000)]
PAYMENTS = [["D1", "2026-02-05", 20000, 1, None], ["D4", "2026-03-01", 30000, 1, None]]


def agency() -> MemorySheet:
    """Two managers, three months of deals and payments."""
    return MemorySheet(book(Team=TEAM, Rules=RULES, Deals=DEALS, Payments=PAYMENTS))


def lines(outcome, month: int, manager: str | None = None) -> pd.DataFrame:
    """The statement lines shown for a month (and a manager)."""
    shown = outcome.statement.lines
    chosen = shown[shown["month"] == month]
    return chosen if manager is None else chosen[chosen["manager_key"] == manager.casefold()]


def amounts(outcome, month: int) -> list[tuple[str, str, float]]:
    """(manager, component, amount) of a month's statement lines, as shown."""
    return [(r.manager_key, r.component, round(float(r.amount), 2))
            for r in lines(outcome, month).itertuples(index=False)]


def recomputed(outcome, month: int, manager: str) -> int:
    """A manager's recomputed pay of a month in kopecks, carry-over left out."""
    rows = outcome.pay.lines
    rows = rows[(rows["month"] == month) & (rows["manager_key"] == manager.casefold())
                & rows["component"].ne("carried_over")]
    return round(rows["amount"].sum() * 100)


def adjustments(outcome, month: int, manager: str) -> int:
    """A manager's adjustments in a month, in kopecks."""
    rows = lines(outcome, month, manager)
    return round(rows.loc[rows["component"] == "adjustment", "amount"].sum() * 100)


def test_closed_months_stay_as_paid_and_later_fixes_become_adjustments_once() -> None:
    sheet = agency()
    close(sheet, JAN, AS_OF, now="2026-02-05 10:00")
    close(sheet, FEB, AS_OF, now="2026-03-05 10:00")
    frozen = recalculate_spreadsheet(sheet, AS_OF)
    january, february = amounts(frozen, JAN), amounts(frozen, FEB)
    closed_tab = [list(row) for row in sheet.results["closed_months"].rows]
    # Later: a January deal's amount is corrected, a late February payment arrives, a January deal is
    # cancelled within its signing month (it then counts for nothing).
    sheet.replace("Deals", [deal("D1", "2026-01-10", "Anna", 120000), deal("D2", "2026-01-20", "Anna", 50000,
                                                                          "2026-01-28"),
                            *DEALS[2:]])
    sheet.replace("Payments", [*PAYMENTS, ["D3", "2026-02-25", 10000, 1, None]])
    later = recalculate_spreadsheet(sheet, AS_OF)
    assert amounts(later, JAN) == january and amounts(later, FEB) == february  # to the kopeck
    assert [list(row) for row in sheet.results["closed_months"].rows] == closed_tab
    for manager in ("Anna", "Boris"):
        frozen_cents = sum(round(a * 100) for m, c, a in january + february
                           if m == manager.casefold() and c != "carried_over")
        owed = recomputed(later, JAN, manager) + recomputed(later, FEB, manager) - frozen_cents
        assert adjustments(later, MAR, manager) == owed
    # Anna: +5 % of 20 000 on D1, −5 % of 50 000 for D2; Boris: 10 % of the late 10 000 payment.
    assert adjustments(later, MAR, "Anna") == (1000 - 2500) * 100
    assert adjustments(later, MAR, "Boris") == 1000 * 100
    details = lines(later, MAR, "Anna").query("component == 'adjustment'")["details"].tolist()
    assert details == ["2026-01 · deal_percent · was 7,500.00, now 6,000.00"]
    again = recalculate_spreadsheet(sheet, AS_OF)
    assert [tab.rows for tab in again.report.tabs] == [tab.rows for tab in later.report.tabs]


def test_a_frozen_adjustment_is_never_owed_twice() -> None:
    sheet = agency()
    close(sheet, JAN, AS_OF, now="2026-02-05 10:00")
    close(sheet, FEB, AS_OF, now="2026-03-05 10:00")
    sheet.replace("Deals", [deal("D1", "2026-01-10", "Anna", 120000), *DEALS[1:]])
    march = close(sheet, MAR, AS_OF, now="2026-04-05 10:00").outcome
    assert adjustments(march, MAR, "Anna") == 1000 * 100  # now frozen with March
    sheet.replace("Deals", [deal("D1", "2026-01-10", "Anna", 130000), *DEALS[1:]])
    april = recalculate_spreadsheet(sheet, date(2026, 4, 30))
    assert adjustments(april, APR, "Anna") == 500 * 100  # only the new difference
    assert adjustments(april, MAR, "Anna") == 1000 * 100  # the frozen one, unchanged


def test_reopening_recomputes_the_month_and_brings_back_its_adjustments() -> None:
    sheet = agency()
    for month, day in ((JAN, "02-05"), (FEB, "03-05")):
        close(sheet, month, AS_OF, now=f"2026-{day} 10:00")
    sheet.replace("Deals", [deal("D1", "2026-01-10", "Anna", 120000), *DEALS[1:]])
    close(sheet, MAR, AS_OF, now="2026-04-05 10:00")
    reopened = reopen(sheet, MAR, "a bonus was missed", AS_OF, now="2026-04-06 09:00").outcome
    assert adjustments(reopened, MAR, "Anna") == 1000 * 100
    assert reopened.state.last_closed == FEB
    history = sheet.results["closed_months"].rows[-1]
    assert history == ["2026-03", "re-opened", "2026-04-06 09:00", "a bonus was missed"]


def test_refusals_write_nothing() -> None:
    sheet = agency()
    writes = sheet.writes
    cases = [(lambda: close(sheet, APR, AS_OF), "has not ended yet"),
             (lambda: close(sheet, FEB, AS_OF), "Months close in order: close 2026-01 before 2026-02"),
             (lambda: close(sheet, JAN - 3, AS_OF), "is not a month of Statements"),
             (lambda: reopen(sheet, JAN, "why", AS_OF), "2026-01 is not closed"),
             (lambda: paid(sheet, JAN, AS_OF), "2026-01 is not closed")]
    for action, words in cases:
        with pytest.raises(Refused, match=words):
            action()
    assert sheet.writes == writes
    close(sheet, JAN, AS_OF, now="2026-02-05 10:00")
    close(sheet, FEB, AS_OF, now="2026-03-05 10:00")
    paid(sheet, JAN, AS_OF, now="2026-02-10 12:00")
    writes = sheet.writes
    for action, words in [(lambda: close(sheet, JAN, AS_OF), "already closed"),
                          (lambda: reopen(sheet, JAN, "why", AS_OF), "a paid month can never be re-opened"),
                          (lambda: reopen(sheet, FEB, " ", AS_OF), "Say why"),
                          (lambda: paid(sheet, JAN, AS_OF), "already marked paid")]:
        with pytest.raises(Refused, match=words):
            action()
    assert sheet.writes == writes


def test_a_rule_dated_into_a_closed_month_is_an_issue_but_the_rules_of_the_close_stay() -> None:
    sheet = agency()
    close(sheet, JAN, AS_OF, now="2026-02-05 10:00")
    sheet.replace("Rules", [*RULES, ["2026-01", "Anna", "deal_percent", None, 9, ""]])
    outcome = recalculate_spreadsheet(sheet, AS_OF)
    issue = next(i for i in outcome.inputs.issues if i.tab == "Rules")
    assert (issue.row, issue.column) == (5, "From")
    assert "closed month" in issue.message and "2026-02 or later" in issue.message
    assert adjustments(outcome, FEB, "Anna") == 0  # the old rule still makes January's figures


def test_typing_over_a_frozen_line_stops_the_next_run_before_any_write() -> None:
    sheet = agency()
    close(sheet, JAN, AS_OF, now="2026-02-05 10:00")
    sheet.edit_result("closed_months", 2, 3, 999999.0)
    writes = sheet.writes
    with pytest.raises(Refused, match="The frozen lines of 2026-01 in “Closed months” were changed"):
        recalculate_spreadsheet(sheet, AS_OF)
    assert sheet.writes == writes


def test_payroll_lists_closed_figures_only() -> None:
    sheet = agency()
    with pytest.raises(Refused, match="No month is closed yet"):
        payroll_of(sheet, as_of=AS_OF)
    done = close(sheet, JAN, AS_OF, now="2026-02-05 10:00")
    sheet_of, _lang, _roles = payroll_of(sheet, as_of=AS_OF)
    frozen = lines(done.outcome, JAN)
    assert {name: values["total"] for name, _key, values in sheet_of.rows} == {
        "Anna": round(frozen[frozen["manager_key"] == "anna"]["amount"].sum(), 2),
        "Boris": round(frozen[frozen["manager_key"] == "boris"]["amount"].sum(), 2)}
    with pytest.raises(Refused, match="2026-02 is open"):
        payroll_of(sheet, FEB, as_of=AS_OF)
