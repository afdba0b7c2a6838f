"""Tiny workbook builders for tests: the input rows sit next to the assertions (beancount's habit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from formulas.contract import INPUT_TABS
from formulas.pay.compute import PayResult, compute_pay
from formulas.raw import RawTab, RawWorkbook
from formulas.read.inputs import Inputs
from formulas.read.tabs import input_tab_spec
from formulas.read.validate import validate

HEADERS = {
    "Team": ["Manager", "Role", "Base salary", "From", "To"],
    "Plans": ["Month", "Manager", "Plan amount", "Plan deals"],
    "Deals": ["Deal ID", "Signed", "Manager", "Client", "Amount", "Source", "First-month margin", "Status",
              "Cancelled on"],
    "Payments": ["Deal ID", "Paid on", "Amount", "Contract month", "Collector"],
    "Funnel": ["Date", "Manager", "Client", "Stage", "Action", "Lost reason"],
    "Rules": ["From", "Applies to", "Component", "Threshold", "Value", "Note"],
}
# Optional tabs (PRODUCT.md 3b, 3c): present only when a test gives their rows.
OPTIONAL_HEADERS = {
    "Splits": ["Deal ID", "Manager", "Share"],
    "Scenario": HEADERS["Rules"],
}


def book(**tabs: list[list[Any]]) -> RawWorkbook:
    """A raw workbook from rows per tab; the standard English header is added to each tab.

    Tabs not given are there with their header only (a missing tab is an input issue of its own).
    """
    every = {title: tabs.get(title, []) for title in HEADERS} | tabs
    headers = HEADERS | OPTIONAL_HEADERS
    return RawWorkbook([RawTab(title, [headers[title], *rows]) for title, rows in every.items()])


def complete(workbook: RawWorkbook, lang: str = "en") -> RawWorkbook:
    """The workbook plus a header-only tab (in ``lang``) for every input tab it lacks."""
    present = {spec.key for spec in map(input_tab_spec, workbook.titles()) if spec is not None}
    extra = [RawTab(spec.title(lang), [[column.ru if lang == "ru" else column.en for column in spec.columns]])
             for spec in INPUT_TABS if spec.key not in present]
    return RawWorkbook([*workbook.tabs, *extra])


def run(workbook: RawWorkbook, as_of: date) -> tuple[Inputs, PayResult]:
    """Validate and compute, as a recalculation does."""
    inputs = validate(workbook, as_of)
    return inputs, compute_pay(inputs)


def line(result: PayResult, month: str, manager: str, component: str) -> float:
    """The amount of one statement line (0.0 when there is no such line)."""
    year, mon = month.split("-")
    index = int(year) * 12 + int(mon) - 1
    lines = result.lines
    hit = lines[(lines["month"] == index) & (lines["manager_key"] == manager.casefold())
                & (lines["component"] == component)]
    return float(hit["amount"].sum())


def total(result: PayResult, month: str, manager: str) -> float:
    """A manager's total pay for a month: the sum of their lines."""
    year, mon = month.split("-")
    index = int(year) * 12 + int(mon) - 1
    lines = result.lines
    hit = lines[(lines["month"] == index) & (lines["manager_key"] == manager.casefold())]
    return round(float(hit["amount"].sum()), 2)
