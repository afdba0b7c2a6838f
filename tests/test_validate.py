"""Input checks of PRODUCT.md section 2 and its precise rules (formulas/validate.py and friends).

Each test feeds a tiny workbook (rows next to the assertions), asserts the exact issue — tab, sheet row,
column header, value, message — and that the row is left out while the other rows still compute.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formulas.engine import recalculate
from formulas.issues import render_issue
from formulas.raw import RawTab, RawWorkbook
from formulas.read.inputs import Inputs
from tests.builders import HEADERS, book, complete, line, run, total

AS_OF = date(2026, 3, 31)
TEAM = [["Anna", "sales", 30000, "2026-01-01", None], ["Boris", "sales", 20000, "2026-01-01", None]]
RULES = [["2026-01", "*", "deal_percent", None, 5, ""]]

NOT_AMOUNT = "is not an amount (write it like 150 000 or 150 000,50)"
NOT_IN_TEAM = "“{}” is not in the Team tab"
FUTURE = "is after the as-of date 2026-03-31"


def deal(deal_id: str, amount: Any = 100000, manager: Any = "Anna", signed: Any = "2026-03-02",
         client: Any = "Client", source: Any = None, margin: Any = None, status: Any = None,
         cancelled: Any = None) -> list[Any]:
    """One Deals row in the English header order."""
    return [deal_id, signed, manager, client, amount, source, margin, status, cancelled]


def issues(inputs: Inputs) -> list[tuple[str, int, str, str, str]]:
    """The issues as (tab, row, column, value, message)."""
    return [(i.tab, i.row, i.column, i.value, i.message) for i in inputs.issues]


def rows(frame: pd.DataFrame) -> list[int]:
    """The sheet rows a validated table kept."""
    return frame["row"].tolist()


# ---------------------------------------------------------------- unreadable cells


def test_unreadable_amount() -> None:
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1", "сто тысяч"), deal("D2", 200000)]), AS_OF)
    assert issues(inputs) == [("Deals", 2, "Amount", "сто тысяч", NOT_AMOUNT)]
    assert rows(inputs.deals) == [3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 10000


def test_unreadable_date() -> None:
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1", signed="05/03/2026"), deal("D2")]), AS_OF)
    assert issues(inputs) == [("Deals", 2, "Signed", "05/03/2026", "is ambiguous: write the date as 2026-03-05 "
                                                                   "or 05.03.2026, with a four-digit year")]
    assert rows(inputs.deals) == [3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000


def test_unreadable_month() -> None:
    plans = [["Mars 2026", "Anna", 100000, None], ["март 2026", "Boris", 100000, None]]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Plans=plans), AS_OF)
    assert issues(inputs) == [("Plans", 2, "Month", "Mars 2026",
                               "is not a month (write it as 2026-03, 03.2026 or March 2026)")]
    assert rows(inputs.plans) == [3]
    assert inputs.plans["manager_key"].tolist() == ["boris"]


def test_unreadable_rate() -> None:
    rules = [["2026-01", "Anna", "deal_percent", None, "five", ""],
             ["2026-01", "Boris", "deal_percent", None, "7 %", ""]]
    inputs, pay = run(book(Team=TEAM, Rules=rules, Deals=[deal("D1"), deal("D2", manager="Boris")]), AS_OF)
    assert issues(inputs) == [("Rules", 2, "Value", "five",
                               "is not a percentage or a number (write it like 5, 5 % or 5,5)")]
    assert rows(inputs.rules) == [3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 0
    assert line(pay, "2026-03", "Boris", "deal_percent") == 7000


def test_unreadable_stage() -> None:
    funnel = [["2026-03-02", "Anna", "Acme", "almost signed", None, None],
              ["2026-03-03", "Anna", "Acme", "meeting set", None, None]]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Funnel=funnel), AS_OF)
    assert issues(inputs) == [("Funnel", 2, "Stage", "almost signed",
                               "is not a funnel stage: use 1–7, a stage name such as “meeting set”, or “lost”")]
    assert rows(inputs.funnel) == [3]
    assert inputs.funnel["stage"].tolist() == [3]


def test_unreadable_role() -> None:
    team = [["Anna", "boss", 30000, "2026-01-01", None], ["Boris", "Sales", 20000, "2026-01-01", None]]
    inputs, pay = run(book(Team=team, Rules=RULES), AS_OF)
    assert issues(inputs) == [("Team", 2, "Role", "boss",
                               "is not a valid role: use one of sales, call_centre, post_sale, receivables")]
    assert rows(inputs.team) == [3]
    assert total(pay, "2026-03", "Boris") == 20000


def test_unreadable_source() -> None:
    rules = [*RULES, ["2026-01", "*", "inbound_deal_bonus", None, 1000, ""]]
    deals = [deal("D1", source="sideways"), deal("D2", source="Inbound")]
    inputs, pay = run(book(Team=TEAM, Rules=rules, Deals=deals), AS_OF)
    assert issues(inputs) == [("Deals", 2, "Source", "sideways",
                               "is not a valid source: use one of inbound, outbound")]
    assert rows(inputs.deals) == [3]
    assert line(pay, "2026-03", "Anna", "inbound_deal_bonus") == 1000


def test_unreadable_status() -> None:
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1", status="maybe"), deal("D2", status="ACTIVE")]),
                      AS_OF)
    assert issues(inputs) == [("Deals", 2, "Status", "maybe",
                               "is not a valid status: use one of active, cancelled, refunded")]
    assert rows(inputs.deals) == [3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000


@pytest.mark.parametrize("blank", [None, "", "   ", "\u00a0"])
def test_required_cell_empty(blank: object) -> None:
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1", client=blank), deal("D2")]), AS_OF)
    assert issues(inputs) == [("Deals", 2, "Client", blank or "", "is required but empty")]  # shown as typed
    assert rows(inputs.deals) == [3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000


def test_optional_cells_may_be_empty_and_optional_columns_may_be_missing() -> None:
    workbook = complete(RawWorkbook([
        RawTab("Team", [["Manager", "Role"], ["Anna", "sales"]]),
        RawTab("Deals", [["Deal ID", "Signed", "Manager", "Client", "Amount"],
                         ["D1", "2026-03-02", "Anna", "A", 1000]]),
        RawTab("Payments", [["Deal ID", "Paid on", "Amount"], ["D1", "2026-03-03", 1000]]),
        RawTab("Rules", [["From", "Applies to", "Component", "Value"], ["2026-01", "*", "deal_percent", 5]]),
    ]))
    inputs, pay = run(workbook, AS_OF)
    assert issues(inputs) == []
    assert inputs.payments["contract_month"].tolist() == [1]  # default 1
    assert inputs.deals["inbound"].tolist() == [False]  # default outbound
    assert line(pay, "2026-03", "Anna", "deal_percent") == 50


def test_missing_required_column_is_one_issue_on_row_1_and_no_row_is_read() -> None:
    workbook = complete(RawWorkbook([
        RawTab("Team", [HEADERS["Team"], *TEAM]),
        RawTab("Rules", [HEADERS["Rules"], *RULES]),
        RawTab("Deals", [["Deal ID", "Signed", "Manager", "Client", "Sum"], ["D1", "2026-03-02", "Anna", "A", 1000],
                         ["D2", "2026-03-02", "Anna", "B", "garbage"]]),
        RawTab("Funnel", [HEADERS["Funnel"], ["2026-03-02", "Anna", "Acme", 1, None, None]]),
    ]))
    inputs, pay = run(workbook, AS_OF)
    assert issues(inputs) == [("Deals", 1, "", "", "required column is missing: add a column headed “Amount”")]
    assert inputs.deals.empty
    assert rows(inputs.funnel) == [2]  # other tabs still read
    assert total(pay, "2026-03", "Anna") == 30000


def test_missing_team_tab_is_an_issue_and_the_run_completes() -> None:
    workbook = book(Rules=RULES, Deals=[deal("D1")])
    without_team = RawWorkbook([tab for tab in workbook.tabs if tab.title != "Team"])
    inputs, pay = run(without_team, AS_OF)
    assert issues(inputs) == [("Team", 0, "", "", "the tab is missing: add a tab named “Team”; without it no "
                                                  "manager is known, so nobody's pay is computed"),
                              ("Deals", 2, "Manager", "Anna", NOT_IN_TEAM.format("Anna"))]
    assert pay.lines["amount"].sum() == 0


@pytest.mark.parametrize(("present", "missing", "without", "closest"), [
    ("Payment", "Payments", "without it no payment counts: no payment_percent, first_month_margin_percent or "
                            "collected_percent", "Payment"),
    ("Deal list", "Deals", "without it no deal counts: no booked pay, and payments have no deal to belong to",
     "Deal list"),
    ("Plan", "Plans", "without it there are no plans: no attainment, no plan_bonus, no plan signals", "Plan"),
    ("Calls log", "Funnel", "without it there is no funnel report, no stage_bonus and no stuck or idle clients",
     None),
    ("Rule", "Rules", "without it no component pays: only base salaries are computed", "Rule"),
])
def test_a_missing_or_misspelled_input_tab_is_one_issue_naming_what_is_left_out(
        present: str, missing: str, without: str, closest: str | None) -> None:
    workbook = book(Team=TEAM, Rules=RULES, Deals=[deal("D1")])
    tabs = [RawTab(present, tab.values) if tab.title == missing else tab for tab in workbook.tabs]
    inputs, _pay = run(RawWorkbook(tabs, (*(tab.title for tab in tabs), "Summary", "My notes")), AS_OF)
    hint = f" (is the tab “{closest}” meant to be it? Rename it to “{missing}”)" if closest else ""
    assert [issue for issue in issues(inputs) if issue[1] == 0] == [
        (missing, 0, "", "", f"the tab is missing: add a tab named “{missing}”; {without}{hint}")]


def test_a_missing_tab_in_a_russian_workbook_is_named_in_russian() -> None:
    tabs = {"Команда": [["Anna", "продажи", None, None, None]], "Сделки": [deal("D1")]}
    workbook = complete(RawWorkbook([RawTab(title, [RU_HEADERS[title], *body]) for title, body in tabs.items()]),
                        "ru")
    workbook = RawWorkbook([tab for tab in workbook.tabs if tab.title != "Оплаты"], ("Команда", "Сделки", "Оплата"))
    inputs = run(workbook, AS_OF)[0]
    assert issues(inputs) == [("Оплаты", 0, "", "", "нет листа: добавьте лист «Оплаты»; без него не учитывается ни "
                                                   "одна оплата: нет payment_percent, first_month_margin_percent и "
                                                   "collected_percent (может быть, это лист «Оплата»? Переименуйте "
                                                   "его в «Оплаты»)")]


# ---------------------------------------------------------------- duplicates


def test_duplicated_deal_id_first_wins_and_its_payments_go_to_the_first_deal() -> None:
    rules = [["2026-01", "*", "payment_percent", None, 10, ""]]
    deals = [deal("D1", 100000, "Anna"), deal(" D1 ", 300000, "Boris"), deal("D2", 50000, "Boris")]
    payments = [["D1", "2026-03-10", 40000, 1, None]]
    inputs, pay = run(book(Team=TEAM, Rules=rules, Deals=deals, Payments=payments), AS_OF)
    assert issues(inputs) == [("Deals", 3, "Deal ID", " D1 ", "Deal ID already used on row 2; this row is left out")]
    assert rows(inputs.deals) == [2, 4]
    assert line(pay, "2026-03", "Anna", "payment_percent") == 4000
    assert line(pay, "2026-03", "Boris", "payment_percent") == 0


def test_duplicated_deal_id_first_wins_even_when_the_first_row_has_an_issue() -> None:
    # The later copy does not inherit the ID: the payment stays with the first row, which is left out.
    deals = [deal("D1", "100 тыс", "Anna"), deal("D1", 300000, "Boris")]
    payments = [["D1", "2026-03-10", 40000, 1, None]]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Deals=deals, Payments=payments), AS_OF)
    assert issues(inputs) == [
        ("Deals", 2, "Amount", "100 тыс", NOT_AMOUNT),
        ("Deals", 3, "Deal ID", "D1", "Deal ID already used on row 2; this row is left out"),
        ("Payments", 2, "Deal ID", "D1", "its deal (row 2 of Deals) has an input issue, so this payment is left out"),
    ]
    assert inputs.deals.empty and inputs.payments.empty


def test_duplicated_plan_for_manager_and_month() -> None:
    plans = [["2026-03", "Anna", 500000, None], ["03.2026", " anna ", 900000, None], ["2026-03", "Boris", 1, None],
             ["2026-04", "Anna", 600000, None]]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Plans=plans), AS_OF)
    assert issues(inputs) == [("Plans", 3, "Month", "03.2026",
                               "a plan for this manager and month is already on row 2")]
    assert rows(inputs.plans) == [2, 4, 5]
    assert inputs.plans.set_index("row")["plan_amount"].to_dict() == {2: 500000, 4: 1, 5: 600000}


def test_duplicated_rule_for_from_applies_to_component_and_threshold() -> None:
    rules = [["2026-01", "*", "deal_percent", None, 5, ""],
             ["2026-01", "*", "Deal_Percent", None, 7, "typed twice"],
             ["2026-02", "*", "deal_percent", None, 6, "a new month is a new version"],
             ["2026-01", "*", "client_turnover_bonus", 100000, 1000, ""],
             ["2026-01", "*", "client_turnover_bonus", 150000, 2000, "another threshold is another tier"]]
    inputs, pay = run(book(Team=TEAM, Rules=rules, Deals=[deal("D1", 100000)]), AS_OF)
    assert issues(inputs) == [("Rules", 3, "From", "2026-01", "the same rule (From, Applies to, Component, Threshold) "
                                                              "is already on row 2")]
    assert rows(inputs.rules) == [2, 4, 5, 6]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 6000


# ---------------------------------------------------------------- references to Team and Deals


def test_unknown_manager_in_plans() -> None:
    plans = [["2026-03", "Zoe", 100000, None], ["2026-03", "ANNA", 100000, None]]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Plans=plans), AS_OF)
    assert issues(inputs) == [("Plans", 2, "Manager", "Zoe", NOT_IN_TEAM.format("Zoe"))]
    assert rows(inputs.plans) == [3]


def test_unknown_manager_in_deals() -> None:
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1", manager=" Zoe "), deal("D2", manager="boris")]),
                      AS_OF)
    assert issues(inputs) == [("Deals", 2, "Manager", " Zoe ", NOT_IN_TEAM.format("Zoe"))]
    assert rows(inputs.deals) == [3]
    assert line(pay, "2026-03", "Boris", "deal_percent") == 5000


def test_unknown_manager_in_funnel() -> None:
    funnel = [["2026-03-02", "Igor Kusnetsov", "Acme", 1, None, None], ["2026-03-02", "Anna", "Acme", 1, None, None]]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Funnel=funnel), AS_OF)
    assert issues(inputs) == [("Funnel", 2, "Manager", "Igor Kusnetsov", NOT_IN_TEAM.format("Igor Kusnetsov"))]
    assert rows(inputs.funnel) == [3]


def test_unknown_collector_in_payments() -> None:
    rules = [["2026-01", "*", "collected_percent", None, 1, ""]]
    payments = [["D1", "2026-03-10", 10000, 1, "Zoe"], ["D1", "2026-03-11", 20000, 2, "boris"]]
    inputs, pay = run(book(Team=TEAM, Rules=rules, Deals=[deal("D1")], Payments=payments), AS_OF)
    assert issues(inputs) == [("Payments", 2, "Collector", "Zoe", NOT_IN_TEAM.format("Zoe"))]
    assert rows(inputs.payments) == [3]
    assert line(pay, "2026-03", "Boris", "collected_percent") == 200
    assert line(pay, "2026-03", "Anna", "collected_percent") == 0


def test_payment_for_an_unknown_deal_id() -> None:
    payments = [["Д1", "2026-03-10", 10000, 1, None], ["D1", "2026-03-11", 20000, 1, None]]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1")], Payments=payments), AS_OF)
    assert issues(inputs) == [("Payments", 2, "Deal ID", "Д1", "no deal with this ID in the Deals tab")]
    assert rows(inputs.payments) == [3]


def test_payment_of_a_deal_whose_row_has_an_issue_is_left_out_and_names_that_row() -> None:
    rules = [["2026-01", "*", "payment_percent", None, 10, ""]]
    deals = [deal("D1"), deal("D2", manager="Zoe")]
    payments = [["D2", "2026-03-10", 10000, 1, None], ["D1", "2026-03-11", 20000, 1, None]]
    inputs, pay = run(book(Team=TEAM, Rules=rules, Deals=deals, Payments=payments), AS_OF)
    assert issues(inputs) == [
        ("Deals", 3, "Manager", "Zoe", NOT_IN_TEAM.format("Zoe")),
        ("Payments", 2, "Deal ID", "D2", "its deal (row 3 of Deals) has an input issue, so this payment is left out"),
    ]
    assert rows(inputs.payments) == [3]
    assert line(pay, "2026-03", "Anna", "payment_percent") == 2000


# ---------------------------------------------------------------- dates and amounts


@pytest.mark.parametrize(("tab", "header"), [("Deals", "Signed"), ("Deals", "Cancelled on"),
                                             ("Payments", "Paid on"), ("Funnel", "Date")])
def test_future_dates_are_issues_but_the_as_of_day_itself_is_fine(tab: str, header: str) -> None:
    tabs: dict[str, list[list[Any]]] = {
        "Deals": [deal("D1", signed="2026-03-01"), deal("D2", signed="2026-03-01"),
                  deal("D3", signed="2026-03-01")],
        "Payments": [["D3", "2026-03-05", 100, 1, None]] * 3,
        "Funnel": [["2026-03-05", "Anna", "Acme", 1, None, None]] * 3,
    }
    column = HEADERS[tab].index(header)
    tabs[tab] = [list(row) for row in tabs[tab]]
    tabs[tab][0][column] = "2026-04-01"
    tabs[tab][1][column] = datetime(2026, 3, 31, 18, 30)  # later that day is still the as-of day
    tabs[tab][2][column] = "31.03.2026"
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, **tabs), AS_OF)
    assert issues(inputs) == [(tab, 2, header, "2026-04-01", FUTURE)]
    table = {"Deals": inputs.deals, "Payments": inputs.payments, "Funnel": inputs.funnel}[tab]
    assert rows(table) == [3, 4]


def test_negative_amounts() -> None:
    deals = [deal("D1", -1000), deal("D2", "−2 000 ₽"), deal("D3", 5000, margin=-500)]  # a margin may be negative
    payments = [["D3", "2026-03-10", -15000, 1, None], ["D3", "2026-03-11", 15000, 1, None]]
    plans = [["2026-03", "Anna", -1, None]]
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=deals, Payments=payments, Plans=plans), AS_OF)
    assert issues(inputs) == [
        ("Plans", 2, "Plan amount", "-1", "is a negative amount"),
        ("Deals", 2, "Amount", "-1000", "is a negative amount"),
        ("Deals", 3, "Amount", "−2 000 ₽", "is a negative amount"),
        ("Payments", 2, "Amount", "-15000", "is a negative amount"),
    ]
    assert rows(inputs.deals) == [4] and rows(inputs.payments) == [3] and inputs.plans.empty
    assert line(pay, "2026-03", "Anna", "deal_percent") == 250


def test_cancellation_date_before_signing() -> None:
    deals = [deal("D1", signed="2026-03-10", cancelled="2026-03-09"), deal("D2", signed="2026-03-10",
                                                                            cancelled="2026-03-10")]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Deals=deals), AS_OF)
    assert issues(inputs) == [("Deals", 2, "Cancelled on", "2026-03-09",
                               "the cancellation date is before the signing date 2026-03-10")]
    assert rows(inputs.deals) == [3]


@pytest.mark.parametrize("status", ["cancelled", "Refunded", "canceled"])
def test_cancelled_or_refunded_without_a_date(status: str) -> None:
    deals = [deal("D1", status=status), deal("D2", status=status, cancelled="2026-03-20")]
    inputs, _pay = run(book(Team=TEAM, Rules=RULES, Deals=deals), AS_OF)
    assert issues(inputs) == [("Deals", 2, "Status", status, f"status “{status}” needs a Cancelled on date")]
    assert rows(inputs.deals) == [3]


def test_to_before_from_in_team() -> None:
    team = [["Anna", "sales", 30000, "2026-03-10", "2026-03-01"], ["Boris", "sales", 31000, "2026-03-01", "2026-03-31"]]
    inputs, pay = run(book(Team=team, Rules=RULES), AS_OF)
    assert issues(inputs) == [("Team", 2, "To", "2026-03-01", "the To date is before the From date")]
    assert rows(inputs.team) == [3]
    assert total(pay, "2026-03", "Boris") == 31000


# ---------------------------------------------------------------- rules


def test_applies_to_must_be_a_manager_a_role_or_a_star() -> None:
    rules = [["2026-01", "Sales team", "deal_percent", None, 9, ""],
             ["2026-01", "продажи", "deal_percent", None, 3, "a role in Russian"],
             ["2026-01", " BORIS ", "deal_percent", None, 4, "a manager, any case"],
             ["2026-01", "*", "deal_percent", None, 1, ""],
             ["2026-01", "call centre", "deal_percent", None, 2, ""]]
    team = [*TEAM, ["Vera", "call_centre", 10000, "2026-01-01", None]]
    deals = [deal("D1", manager="Anna"), deal("D2", manager="Boris"), deal("D3", manager="Vera")]
    inputs, pay = run(book(Team=team, Rules=rules, Deals=deals), AS_OF)
    assert issues(inputs) == [("Rules", 2, "Applies to", "Sales team",
                               "is neither a manager in Team, a role, nor “*”")]
    assert inputs.rules["applies_to"].tolist() == ["sales", "boris", "*", "call_centre"]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 3000
    assert line(pay, "2026-03", "Boris", "deal_percent") == 4000
    assert line(pay, "2026-03", "Vera", "deal_percent") == 2000


def test_unknown_component() -> None:
    rules = [["2026-01", "*", "deal_bonus", None, 9, ""], *RULES]
    inputs, pay = run(book(Team=TEAM, Rules=rules, Deals=[deal("D1")]), AS_OF)
    [issue] = inputs.issues
    assert (issue.tab, issue.row, issue.column, issue.value) == ("Rules", 2, "Component", "deal_bonus")
    assert issue.message.startswith("is not a valid component: use one of deal_percent, plan_bonus, ")
    assert rows(inputs.rules) == [3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000


# ---------------------------------------------------------------- names, extra columns, empty rows


def test_tab_and_header_names_match_case_insensitively_after_trimming() -> None:
    workbook = complete(RawWorkbook([
        RawTab(" TEAM", [["  manager ", "ROLE", "base   salary"], ["Anna", "sales", 30000]]),
        RawTab("  deals ", [[" Deal id", "signed ", "MANAGER", "Client", "amount"],
                            ["D1", "2026-03-02", "Anna", "A", 100000]]),
        RawTab("rules", [["from", "applies TO", "component", "value"], ["2026-01", "*", "deal_percent", 5]]),
    ]))
    inputs, pay = run(workbook, AS_OF)
    assert issues(inputs) == []
    assert inputs.titles["deals"] == "  deals "
    assert total(pay, "2026-03", "Anna") == 35000


def test_russian_tab_names_in_capitals_are_found() -> None:
    workbook = complete(RawWorkbook([
        RawTab("КОМАНДА", [["МЕНЕДЖЕР", "роль"], ["Анна", "ПРОДАЖИ"]]),
        RawTab("СДЕЛКИ", [["id сделки", "ДАТА ДОГОВОРА", "менеджер", "клиент", "СУММА"],
                          ["D1", "02.03.2026", "анна", "А", "1 000"]]),
        RawTab(" Правила ", [["С МЕСЯЦА", "кому", "компонент", "значение"], ["январь 2026", "*", "deal_percent", 5]]),
    ]), "ru")
    inputs, pay = run(workbook, AS_OF)
    assert issues(inputs) == [] and inputs.lang == "ru"
    assert line(pay, "2026-03", "Анна", "deal_percent") == 50


def test_extra_columns_and_tabs_are_ignored() -> None:
    workbook = complete(RawWorkbook([
        RawTab("Notes", [["anything"], ["=IMPORTXML(\"x\")", object()], ["Deals"]]),
        RawTab("Team", [["Comment", *HEADERS["Team"], "Phone"], ["the boss", *TEAM[0], "+7 999"]]),
        RawTab("Deals", [[*HEADERS["Deals"], "Amount (old)", "My notes"], [*deal("D1"), "сто тысяч", {"x": 1}]]),
        RawTab("Rules", [HEADERS["Rules"], *RULES]),
    ]))
    inputs, pay = run(workbook, AS_OF)
    assert issues(inputs) == []
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000
    assert inputs.columns["team"]["manager"] == 1  # links still point at the right cells


def test_entirely_empty_rows_are_skipped_and_rows_keep_their_sheet_numbers() -> None:
    workbook = complete(RawWorkbook([
        RawTab("Team", [HEADERS["Team"], *TEAM]),
        RawTab("Rules", [HEADERS["Rules"], *RULES]),
        RawTab("Deals", [HEADERS["Deals"],
                         [None] * 9,
                         [],
                         ["  ", "", None, "\u00a0"],
                         deal("D1"),
                         [None] * 12,
                         deal("D2", "oops")]),
    ]))
    inputs, pay = run(workbook, AS_OF)
    assert issues(inputs) == [("Deals", 7, "Amount", "oops", NOT_AMOUNT)]
    assert rows(inputs.deals) == [5]
    assert render_issue(inputs.issues[0]) == f"Deals!7, Amount: «oops» — {NOT_AMOUNT}"
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000


def test_a_row_filled_only_outside_the_contract_columns_is_not_empty() -> None:
    workbook = complete(RawWorkbook([
        RawTab("Team", [HEADERS["Team"], *TEAM]),
        RawTab("Deals", [[*HEADERS["Deals"], "Note"], [None] * 9 + ["call back"]]),
    ]))
    inputs, _pay = run(workbook, AS_OF)
    assert [(i.row, i.column) for i in inputs.issues] == [(2, "Deal ID"), (2, "Signed"), (2, "Manager"),
                                                          (2, "Client"), (2, "Amount")]


# ---------------------------------------------------------------- a fully Russian workbook

RU_HEADERS = {
    "Команда": ["Менеджер", "Роль", "Оклад", "С даты", "По дату"],
    "Планы": ["Месяц", "Менеджер", "План, сумма", "План, сделок"],
    "Сделки": ["ID сделки", "Дата договора", "Менеджер", "Клиент", "Сумма", "Источник", "Маржа 1-го месяца",
               "Статус", "Дата расторжения"],
    "Оплаты": ["ID сделки", "Дата оплаты", "Сумма", "Месяц договора", "Кто собрал"],
    "Воронка": ["Дата", "Менеджер", "Клиент", "Этап", "Действие", "Причина отказа"],
    "Правила": ["С месяца", "Кому", "Компонент", "Порог", "Значение", "Примечание"],
}
TWINS = {  # English tab -> (Russian tab, rows in English, the same rows in Russian)
    "Team": ("Команда",
             [["Anna", "sales", 30000, "2026-01-01", None], ["Vera", "call_centre", 15000, "2026-02-15", None]],
             [["Anna", "продажи", "30 000", "01.01.2026", None], ["Vera", "колл-центр", "15 000", "15.02.2026", None]]),
    "Plans": ("Планы", [["2026-03", "Anna", 200000, 2]], [["март 2026", "Anna", "200 000", 2]]),
    "Deals": ("Сделки",
              [["D1", "2026-03-02", "Anna", "Acme", 200000, "inbound", 40000, "active", None],
               ["D2", "2026-02-10", "Anna", "Stroy", 150000, "outbound", None, "cancelled", "2026-03-05"],
               ["D3", "2026-03-12", "Anna", "Dom", 120000.5, None, None, "refunded", "2026-03-20"],
               ["D4", "2026-03-13", "Anna", "Bad", "сто тысяч", None, None, None, None]],
              [["D1", "02.03.2026", "Anna", "Acme", "200 000", "входящий", "40 000", "действует", None],
               ["D2", "10.02.2026", "Anna", "Stroy", "150 000 руб.", "исходящий", None, "расторгнут", "05.03.2026"],
               ["D3", "12.03.2026", "Anna", "Dom", "120 000,50", None, None, "возврат", "20.03.2026"],
               ["D4", "13.03.2026", "Anna", "Bad", "сто тысяч", None, None, None, None]]),
    "Payments": ("Оплаты", [["D1", "2026-03-20", 100000, 1, "Vera"]], [["D1", "20.03.2026", "100 000", 1, "vera"]]),
    "Funnel": ("Воронка",
               [["2026-03-01", "Anna", "Acme", "meeting set", None, None],
                ["2026-03-02", "Anna", "Acme", "terms accepted", None, None],
                ["2026-03-03", "Anna", "Dom", "lost", None, "price"]],
               [["01.03.2026", "Anna", "Acme", "встреча назначена", None, None],
                ["02.03.2026", "Anna", "Acme", "условия приняты", None, None],
                ["03.03.2026", "Anna", "Dom", "отказ", None, "цена"]]),
    "Rules": ("Правила",
              [["2026-01", "sales", "deal_percent", None, 5, ""], ["2026-01", "*", "plan_bonus", 100, 20000, ""],
               ["2026-01", "sales", "inbound_deal_bonus", None, 3000, ""],
               ["2026-01", "*", "stage_bonus", 3, 500, ""], ["2026-01", "*", "collected_percent", None, 1, ""],
               ["2026-01", "*", "clawback", 3, 100, ""], ["2026-01", "*", "first_month_margin_percent", None, 10, ""]],
              [["январь 2026", "продажи", "deal_percent", None, "5 %", ""],
               ["01.2026", "*", "plan_bonus", 100, "20 000", ""],
               ["2026-01", "Продажи", "inbound_deal_bonus", None, "3 000 ₽", ""],
               ["2026-01", "*", "stage_bonus", 3, 500, ""], ["2026-01", "*", "collected_percent", None, "1,0", ""],
               ["2026-01", "*", "clawback", 3, 100, ""], ["2026-01", "*", "first_month_margin_percent", None, 10, ""]]),
}


def test_a_russian_workbook_computes_the_same_pay_as_its_english_twin_with_russian_issues() -> None:
    english, english_pay = run(book(**{tab: en for tab, (_ru_tab, en, _ru) in TWINS.items()}), AS_OF)
    russian, russian_pay = run(complete(RawWorkbook([RawTab(ru_tab, [RU_HEADERS[ru_tab], *ru])
                                                     for ru_tab, _en, ru in TWINS.values()]), "ru"), AS_OF)
    assert english.lang == "en" and russian.lang == "ru"
    assert issues(english) == [("Deals", 5, "Amount", "сто тысяч", NOT_AMOUNT)]
    assert issues(russian) == [("Сделки", 5, "Сумма", "сто тысяч", "это не сумма (пишите как 150 000 или 150 000,50)")]
    columns = ["month", "manager_key", "component", "amount"]
    pd.testing.assert_frame_equal(english_pay.lines[columns], russian_pay.lines[columns])
    assert set(english_pay.lines["component"]) >= {"deal_percent", "plan_bonus", "inbound_deal_bonus", "stage_bonus",
                                                   "collected_percent", "clawback", "first_month_margin_percent"}
    assert total(english_pay, "2026-03", "Anna") == total(russian_pay, "2026-03", "Anna") != 0


@pytest.mark.parametrize(("tab", "row", "expected"), [
    ("Сделки", deal("D1", manager="Зоя"), ("Сделки", 2, "Менеджер", "Зоя", "«Зоя» нет на листе «Команда»")),
    ("Сделки", deal("D1", status="расторгнут"),
     ("Сделки", 2, "Статус", "расторгнут", "для статуса «расторгнут» нужна дата расторжения")),
    ("Оплаты", ["D9", "05.03.2026", 1, 1, None],
     ("Оплаты", 2, "ID сделки", "D9", "сделки с таким ID нет на листе «Сделки»")),
    ("Воронка", ["01.04.2026", "Anna", "Acme", 1, None, None],
     ("Воронка", 2, "Дата", "01.04.2026", "позже даты расчёта 2026-03-31")),
    ("Правила", ["2026-01", "начальство", "deal_percent", None, 1, ""],
     ("Правила", 2, "Кому", "начальство", "это не менеджер с листа «Команда», не роль и не «*»")),
    ("Команда", ["Vera", "директор", None, None, None],
     ("Команда", 3, "Роль", "директор",
      "недопустимое значение (роль): допустимо продажи, колл-центр, сопровождение, дебиторка")),
])
def test_issue_messages_are_russian_in_a_russian_workbook(tab: str, row: list[Any], expected: tuple) -> None:
    tabs = {"Команда": [["Anna", "продажи", None, None, None]]}
    tabs.setdefault(tab, []).append(row)
    workbook = RawWorkbook([RawTab(title, [RU_HEADERS[title], *body]) for title, body in tabs.items()])
    inputs = run(complete(workbook, "ru"), AS_OF)[0]
    assert issues(inputs) == [expected]


# ---------------------------------------------------------------- garbage never raises


@pytest.mark.parametrize("odd", [pd.NaT, np.datetime64("NaT"), float("nan"), pd.NA, object(), b"150000", [150000],
                                 time(10), timedelta(days=1), True, complex(1, 2), Decimal("NaN")],
                         ids=lambda odd: type(odd).__name__)
def test_an_odd_python_value_in_a_required_cell_is_one_issue(odd: object) -> None:
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1", odd), deal("D2")]), AS_OF)
    assert [(i.tab, i.row, i.column) for i in inputs.issues] == [("Deals", 2, "Amount")]
    assert rows(inputs.deals) == [3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000

GARBAGE = st.one_of(
    st.none(), st.text(max_size=12), st.integers(), st.floats(), st.booleans(), st.dates(), st.datetimes(),
    st.times(), st.timedeltas(), st.decimals(), st.binary(max_size=4), st.complex_numbers(),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    st.sampled_from([object(), float("nan"), np.nan, np.int64(7), np.float32(1.5), np.bool_(True),
                     np.datetime64("2026-03-01"), np.datetime64("NaT"), pd.NaT, pd.NA,
                     pd.Timestamp("2026-03-01"), Decimal("NaN"), 10**30, "=1/0", "\x00", "Anna", "D1",
                     "2026-03-01", "отказ", "*", "sales", "deal_percent", time(10), timedelta(1)]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_garbage_of_any_type_in_any_cell_never_raises(data: st.DataObject) -> None:
    tabs: dict[str, list[list[Any]]] = {
        "Team": [["Anna", "sales", 30000, "2026-01-01", None]],
        "Plans": [["2026-03", "Anna", 100000, 2]],
        "Deals": [deal("D1")],
        "Payments": [["D1", "2026-03-05", 100, 1, None]],
        "Funnel": [["2026-03-01", "Anna", "Acme", 1, None, None]],
        "Rules": [list(rule) for rule in RULES],  # copies: the cells below are garbled in place
    }
    raw = []
    for title, body in tabs.items():
        width = len(HEADERS[title])
        extra = data.draw(st.lists(st.lists(GARBAGE, max_size=width + 2), max_size=2))
        values = [list(HEADERS[title]), *(list(row) for row in body), *extra]
        for r, cells in enumerate(values):
            for c in range(len(cells)):
                # Headers are garbled now and then, data cells half the time.
                if data.draw(st.integers(0, 9)) < (1 if r == 0 else 5):
                    cells[c] = data.draw(GARBAGE)
        raw.append(RawTab(title, values))
    outcome = recalculate(RawWorkbook(raw), AS_OF)
    for issue in outcome.inputs.issues:
        assert isinstance(render_issue(issue), str) and issue.message


# ---------------------------------------------------------------- misleading messages and silent choices


def test_both_team_and_komanda_is_an_issue_naming_which_one_is_read() -> None:
    workbook = book(Team=TEAM, Rules=RULES, Deals=[deal("D1")])
    second = RawTab("Команда", [["Менеджер", "Роль"], ["Vera", "продажи"]])
    inputs, pay = run(RawWorkbook([*workbook.tabs, second]), AS_OF)
    assert issues(inputs) == [("Команда", 0, "", "", "a second tab for the same input: Premia reads “Team” and "
                                                    "leaves “Команда” out; put their rows into one tab")]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000


def test_a_repeated_header_is_an_issue_on_the_second_column() -> None:
    workbook = book(Team=TEAM, Rules=RULES)
    deals = RawTab("Deals", [[*HEADERS["Deals"], "amount"], [*deal("D1"), 999]])
    inputs, pay = run(RawWorkbook([*(t for t in workbook.tabs if t.title != "Deals"), deals]), AS_OF)
    repeated = ("this column repeats a header of column E: Premia reads column E and leaves this one out; "
                "rename or remove one of them")
    assert issues(inputs) == [("Deals", 1, "amount", "", repeated)]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 5000  # column E's 100 000, not 999


def test_rows_of_a_manager_whose_team_row_is_broken_point_at_that_row() -> None:
    team = [["Anna", "boss", 30000, "2026-01-01", None], TEAM[1]]
    inputs, _pay = run(book(Team=team, Rules=RULES, Deals=[deal("D1")]), AS_OF)
    assert issues(inputs)[1] == ("Deals", 2, "Manager", "Anna", "“Anna” is on the Team tab, but row 2 there has an "
                                                              "input issue, so this row is left out too: fix that row")


def test_payments_of_an_unreadable_deals_tab_say_why_no_deal_matches() -> None:
    workbook = book(Team=TEAM, Rules=RULES, Payments=[["D1", "2026-03-05", 1000, 1, None]])
    deals = RawTab("Deals", [HEADERS["Deals"][:4], deal("D1")[:4]])  # no Amount column
    inputs, _pay = run(RawWorkbook([*(t for t in workbook.tabs if t.title != "Deals"), deals]), AS_OF)
    unreadable = ("no deal can be matched: the Deals tab cannot be read, because a required column is missing "
                  "there (see its row 1)")
    assert issues(inputs)[1] == ("Payments", 2, "Deal ID", "D1", unreadable)


def test_absurd_numbers_are_issues_and_never_crash_or_overflow() -> None:
    team = [["Anna", "sales", 1e17, "2026-01-01", None], TEAM[1]]
    deals = [deal("D1", 1e308), deal("D2", 1e20, manager="Boris"), deal("D3")]
    outcome = recalculate(book(Team=team, Rules=RULES, Deals=deals, Plans=[["2026-03", "Boris", 1e15, None]]), AS_OF)
    assert [(i.tab, i.row, i.column) for i in outcome.inputs.issues] == [
        ("Team", 2, "Base salary"), ("Plans", 2, "Plan amount"), ("Deals", 2, "Manager"), ("Deals", 2, "Amount"),
        ("Deals", 3, "Amount"), ("Deals", 4, "Manager")]
    assert outcome.inputs.issues[3].value == "1e+308"
    assert outcome.pay.lines["amount"].abs().max() < 1e12


@pytest.mark.parametrize("odd", [[5, 6], (5, 6)])
def test_short_rows_and_a_cell_holding_a_sequence_are_read_cell_by_cell(odd: object) -> None:
    """Rows of uneven length (a spreadsheet leaves trailing empty cells out) are padded, and a
    cell an adapter handed over as a sequence stays one cell, an issue of its own, not a column of its own."""
    short = deal("D2")[:5]  # up to Amount: Source, Margin, Status and Cancelled on are left out
    inputs, pay = run(book(Team=TEAM, Rules=RULES, Deals=[deal("D1"), short, deal("D3", amount=odd)]), AS_OF)
    assert [(i.tab, i.row, i.column, i.message) for i in inputs.issues] == [("Deals", 4, "Amount", NOT_AMOUNT)]
    assert rows(inputs.deals) == [2, 3]
    assert line(pay, "2026-03", "Anna", "deal_percent") == 10000

