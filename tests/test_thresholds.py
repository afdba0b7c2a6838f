"""A Rules `Threshold` is read by what it means for its `Component` (PRODUCT.md section 3 "Threshold").

plan_bonus: an attainment percentage; deal_count_bonus: a count; client_turnover_bonus: an amount;
payment_percent: a contract month; stage_bonus and stuck_days: a stage (number or name); clawback and
early_churn_months: a number of months. Each test shows the rule rows next to the pay they produce.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from formulas.engine import recalculate
from formulas.raw import RawTab, RawWorkbook
from tests.builders import book, line, run

AS_OF = date(2026, 3, 31)
TEAM = [["Anna", "sales", 0, "2026-01-01", None]]


def deal(deal_id: str, amount: Any, signed: str = "2026-03-02", cancelled: Any = None) -> list[Any]:
    """One Deals row for Anna."""
    return [deal_id, signed, "Anna", f"Client {deal_id}", amount, None, None, None, cancelled]


def with_formats(workbook: RawWorkbook, title: str, formats: dict[tuple[int, int], str]) -> RawWorkbook:
    """The workbook with number formats on one tab (e.g. a percent-formatted Threshold cell)."""
    return RawWorkbook([RawTab(tab.title, tab.values, formats) if tab.title == title else tab
                        for tab in workbook.tabs])


def issues(workbook: RawWorkbook) -> list[tuple[str, int, str, str, str]]:
    """(tab, row, column, value, message) of every issue."""
    inputs, _ = run(workbook, AS_OF)
    return [(i.tab, i.row, i.column, i.value, i.message) for i in inputs.issues]


@pytest.mark.parametrize("threshold", ["120 %", "120", 120, "120,0 %", "120%"])
def test_plan_bonus_threshold_is_an_attainment_percentage_in_any_form(threshold: Any) -> None:
    rules = [["2026-01", "*", "plan_bonus", threshold, 20000, ""]]
    plans = [["2026-03", "Anna", 100000, None]]
    reached = book(Team=TEAM, Plans=plans, Rules=rules, Deals=[deal("D1", 120000)])
    short = book(Team=TEAM, Plans=plans, Rules=rules, Deals=[deal("D1", 119999.99)])
    assert issues(reached) == []
    assert line(run(reached, AS_OF)[1], "2026-03", "Anna", "plan_bonus") == 20000
    assert line(run(short, AS_OF)[1], "2026-03", "Anna", "plan_bonus") == 0


def test_a_fractional_attainment_threshold_with_a_decimal_comma() -> None:
    rules = [["2026-01", "*", "plan_bonus", "120,5 %", 20000, ""]]
    plans = [["2026-03", "Anna", 100000, None]]
    at = book(Team=TEAM, Plans=plans, Rules=rules, Deals=[deal("D1", 120500)])
    below = book(Team=TEAM, Plans=plans, Rules=rules, Deals=[deal("D1", 120499.99)])
    assert line(run(at, AS_OF)[1], "2026-03", "Anna", "plan_bonus") == 20000
    assert line(run(below, AS_OF)[1], "2026-03", "Anna", "plan_bonus") == 0


def test_a_percent_formatted_threshold_cell_holding_1_3_means_130_percent() -> None:
    rules = [["2026-01", "*", "plan_bonus", 1.3, 20000, ""], ["2026-01", "*", "plan_bonus", 100, 5000, ""]]
    plans = [["2026-03", "Anna", 100000, None]]
    workbook = with_formats(book(Team=TEAM, Plans=plans, Rules=rules, Deals=[deal("D1", 125000)]), "Rules",
                            {(1, 3): "0%"})
    # 125 % reaches 100 % but not 130 %: without the percent format 1.3 would read as 1.3 % and pay 20 000
    assert line(run(workbook, AS_OF)[1], "2026-03", "Anna", "plan_bonus") == 5000


def test_client_turnover_threshold_is_a_messy_amount() -> None:
    rules = [["2026-01", "*", "client_turnover_bonus", "100 000 ₽", 25000, ""],
             ["2026-01", "*", "client_turnover_bonus", "150,000.00", 35000, ""]]
    workbook = book(Team=TEAM, Rules=rules, Deals=[deal("D1", 99999), deal("D2", 100000), deal("D3", 150000)])
    assert issues(workbook) == []
    assert line(run(workbook, AS_OF)[1], "2026-03", "Anna", "client_turnover_bonus") == 60000


@pytest.mark.parametrize("threshold", [3, "3", "meeting set", "встреча назначена", "3 meeting set",
                                       "3. встреча назначена"])
def test_stage_bonus_threshold_is_a_stage_number_or_name(threshold: Any) -> None:
    funnel = [["2026-03-01", "Anna", "Acme", "interest", None, None],
              ["2026-03-05", "Anna", "Acme", "meeting set", None, None]]
    workbook = book(Team=TEAM, Rules=[["2026-01", "*", "stage_bonus", threshold, 700, ""]], Funnel=funnel)
    assert issues(workbook) == []
    assert line(run(workbook, AS_OF)[1], "2026-03", "Anna", "stage_bonus") == 700


@pytest.mark.parametrize("threshold", ["specification", "ТЗ получено", 4, "4 specification received"])
def test_stuck_days_threshold_is_a_stage_and_sets_that_stages_limit(threshold: Any) -> None:
    funnel = [["2026-03-01", "Anna", "Acme", "decision maker", None, None],
              ["2026-03-10", "Anna", "Acme", "specification received", None, None]]
    workbook = book(Team=TEAM, Rules=[["2026-01", "*", "stuck_days", threshold, 5, ""]], Funnel=funnel)
    outcome = recalculate(workbook, date(2026, 3, 20))
    assert outcome.inputs.issues == []
    stuck = outcome.funnel.stuck
    assert stuck[["client", "stage", "days", "limit", "limit_source"]].values.tolist() == [
        ["Acme", 4, 10, 5.0, "rule"]]


def test_clawback_threshold_is_a_number_of_months() -> None:
    rules = [["2026-01", "*", "deal_percent", None, 10, ""], ["2026-01", "*", "clawback", "2", 100, ""]]
    deals = [deal("D1", 10000, "2026-01-10", "2026-03-02")]
    workbook = book(Team=TEAM, Rules=rules, Deals=deals)
    assert issues(workbook) == []
    assert line(run(workbook, AS_OF)[1], "2026-03", "Anna", "clawback") == -1000


@pytest.mark.parametrize(("component", "threshold", "message"), [
    ("plan_bonus", "сто", "is not an attainment percentage (write it like 100, 120 % or 120,5 %)"),
    ("plan_bonus", "-5 %", "is not an attainment percentage (write it like 100, 120 % or 120,5 %)"),
    ("deal_count_bonus", "5,5", "is not a number of deals (a whole number such as 5)"),
    ("deal_count_bonus", "пять", "is not a number of deals (a whole number such as 5)"),
    ("client_turnover_bonus", "много", "is not an amount (write it like 150 000 or 150 000,50)"),
    ("payment_percent", "0", "is not a contract month (a whole number 1, 2, 3, …)"),
    ("payment_percent", "2.5", "is not a contract month (a whole number 1, 2, 3, …)"),
    ("stage_bonus", "lost", "is not a funnel stage: use 1–7 or a stage name such as “meeting set”"),
    ("stage_bonus", "7 days late", "is not a funnel stage: use 1–7 or a stage name such as “meeting set”"),
    ("stuck_days", "9", "is not a funnel stage: use 1–7 or a stage name such as “meeting set”"),
    ("clawback", "три", "is not a number of months (a whole number 0, 1, 2, …)"),
    ("early_churn_months", "-1", "is not a number of months (a whole number 0, 1, 2, …)"),
])
def test_a_threshold_that_cannot_be_read_for_its_component_is_one_issue_on_that_cell(
        component: str, threshold: str, message: str) -> None:
    workbook = book(Team=TEAM, Rules=[["2026-01", "*", component, threshold, 10, ""],
                                      ["2026-01", "*", "deal_percent", None, 5, ""]], Deals=[deal("D1", 1000)])
    assert issues(workbook) == [("Rules", 2, "Threshold", threshold, message)]
    assert line(run(workbook, AS_OF)[1], "2026-03", "Anna", "deal_percent") == 50  # the other rule still pays


def test_russian_threshold_messages() -> None:
    workbook = RawWorkbook([
        RawTab("Команда", [["Менеджер", "Роль"], ["Анна", "продажи"]]),
        RawTab("Правила", [["С месяца", "Кому", "Компонент", "Порог", "Значение"],
                           ["2026-01", "*", "stage_bonus", "отказ", 500]]),
    ])
    inputs, _ = run(workbook, AS_OF)
    assert [(i.tab, i.row, i.column, i.message) for i in inputs.issues if i.row] == [
        ("Правила", 2, "Порог", "это не этап воронки: укажите 1–7 или название этапа, например «встреча назначена»")]


def test_the_same_stage_written_as_number_and_name_is_a_duplicate_rule() -> None:
    rules = [["2026-01", "*", "stage_bonus", 3, 500, ""], ["2026-01", "*", "stage_bonus", "meeting set", 900, ""]]
    assert issues(book(Team=TEAM, Rules=rules)) == [
        ("Rules", 3, "From", "2026-01",
         "the same rule (From, Applies to, Component, Threshold) is already on row 2")]


def test_the_threshold_of_an_unknown_component_is_an_issue_only_if_nothing_could_read_it() -> None:
    rules = [["2026-01", "*", "deal_bonus", "80 %", 5, ""], ["2026-01", "*", "stage_bonuses", "offer sent", 5, ""],
             ["2026-01", "*", "plan_bonsu", "сто", 5, ""]]
    found = [(row, column) for _tab, row, column, _value, _message in issues(book(Team=TEAM, Rules=rules))]
    assert found == [(2, "Component"), (3, "Component"), (4, "Component"), (4, "Threshold")]


def test_a_negative_rule_value_is_an_issue_and_pays_nothing() -> None:
    workbook = book(Team=TEAM, Rules=[["2026-01", "*", "deal_percent", None, -5, ""]], Deals=[deal("D1", 100000)])
    assert issues(workbook) == [("Rules", 2, "Value", "-5", "is negative: a rule's Value is a rate or a sum, 0 or more "
                                                            "(0 switches the component off)")]
    assert line(run(workbook, AS_OF)[1], "2026-03", "Anna", "deal_percent") == 0
