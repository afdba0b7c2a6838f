"""Fuzz the local adapter with the real job: random workbooks with garbage in every input column.

Each example writes an agency whose input tabs hold valid rows, then puts garbage in random cells (one
per row): text where a number or date belongs, ``\\r\\n``, empty strings, ``1E+999``, huge numbers,
booleans, NaN, date cells holding 10 000 000 or 1e-9, formulas with a good or an error cached value. The
workbook is written by hand (as Excel writes cells: shared and inline strings, date styles, cached
formula results), and the real job runs on it. Then:

* nothing crashes;
* every garbage cell the contract says is unreadable is exactly one input issue located at that cell
  (tab, row, column), and no other cell has an issue;
* every input tab's part is byte-identical in the saved file, once Premia's highlight rules are cut out.

A deterministic sweep also puts every kind of garbage into every column of every input tab (about 20
workbooks), so CI covers each column every time. CI runs a few random examples besides (a few seconds);
``PREMIA_HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs many:
``PREMIA_FUZZ_EXAMPLES`` of them (400 by default; each is a whole recalculation, about half a second).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.jobs import recalculate_spreadsheet
from formulas.contract import ROLES, TAB_BY_KEY, norm
from formulas.read.parse import parse_text
from formulas.read.rule_keys import THRESHOLD_KINDS
from sheets_sync.local import LocalWorkbook
from tests.test_local_fixtures import read_parts
from tests.test_local_package import without_premia_rules
from tests.test_local_xlsx import Cell, write_xlsx

# Each example is a whole recalculation (about half a second): a handful in CI, hundreds under make fuzz.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile("local-ci", max_examples=10, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("local-fuzz", max_examples=int(os.environ.get("PREMIA_FUZZ_EXAMPLES", "400")),
                          deadline=None, suppress_health_check=_QUIET)
PROFILE = settings.get_profile("local-fuzz" if os.environ.get("PREMIA_HYPOTHESIS_PROFILE") == "fuzz" else "local-ci")
AS_OF = date(2026, 3, 31)
DATE, PERCENT = 1, 2  # style indices of the hand-written stylesheet

# Garbage: what the cell holds in the file, and the value a reader gets from it.
GARBAGE: dict[str, Cell] = {
    "text": Cell("сто тысяч"), "crlf": Cell("a\r\nb"), "empty": Cell(""), "inf": Cell(float("inf")),
    "minus_inf": Cell(float("-inf")), "nan": Cell(float("nan")), "huge": Cell(1e308), "bool": Cell(True),
    "date_huge": Cell(10_000_000, DATE), "date_tiny": Cell(1e-9, DATE),
    "formula_bad": Cell("#DIV/0!", formula="1/0", error=True),
}
KINDS = [*GARBAGE, "formula_good"]
PERCENT_RULES = {"deal_percent", "payment_percent"}  # the rules below whose Value is a percentage
READ_AS = {"date_huge": 10_000_000, "date_tiny": 1e-9, "formula_bad": "#DIV/0!"}
# Column kinds whose cells must be readable values, and the garbage that still reads as one.
# Finite numbers below a trillion: what the two date cells hold (1e308 is a typo: an issue, issue 10).
NUMBERS = {"date_huge", "date_tiny"}
STILL_READABLE = {
    "money": NUMBERS, "signed_money": NUMBERS, "rate": NUMBERS, "number": NUMBERS,
    "count": {"date_huge"}, "contract_month": {"date_huge"},  # whole numbers of 1 or more
    "date": set(), "month": set(), "stage": set(), "threshold_stage": set(), "enum": set(),
}


def serial(day: date) -> int:
    """A date as a spreadsheet serial (what a date cell stores)."""
    return (day - date(1899, 12, 30)).days


def base_tabs(extra: int) -> dict[str, list[list[Any]]]:
    """Valid rows of every input tab; ``extra`` more rows in each, all independent of each other."""
    day = lambda d: Cell(serial(date(2026, 3, d)), DATE)  # noqa: E731
    team = [["Anna", "sales", 30000, Cell(serial(date(2026, 1, 1)), DATE), None],
            ["Boris", "sales", 25000, Cell(serial(date(2026, 1, 1)), DATE), None]]
    team += [[f"Extra {k}", "sales", 1000, Cell(serial(date(2026, 2, 1)), DATE), None] for k in range(extra)]
    deals = [[f"D{k}", day(2 + k), "Anna" if k % 2 else "Boris", f"Client {k}", 100000 + k, "inbound", 1000,
              "active", None] for k in range(1, extra + 3)]
    payments = [["D1", day(5 + k), 1000, 1 + k, "Anna"] for k in range(extra + 1)]
    funnel = [[day(1 + k), "Anna", f"Lead {k}", 1 + k % 7, "call", None] for k in range(extra + 1)]
    plans = [[f"2026-{m:02d}", name, 500000, 5] for m in (1, 2, 3) for name in ("Anna", "Boris")][:extra + 2]
    rules = [["2026-01", "*", "deal_percent", None, Cell(0.05, PERCENT), "percent cell"],
             ["2026-01", "sales", "payment_percent", 1, 10, None],
             ["2026-01", "Anna", "client_turnover_bonus", 100000, 25000, None],
             ["2026-01", "*", "stage_bonus", 3, 500, None]][:extra + 1]
    # Each deal handed wholly to the other manager by one split row (PRODUCT.md 3b): a single row per deal,
    # so garbage in one row never reaches another row of the same deal.
    splits = [[row[0], "Boris" if row[2] == "Anna" else "Anna", 100] for row in deals]
    return {"Team": team, "Plans": plans, "Deals": deals, "Payments": payments, "Funnel": funnel, "Rules": rules,
            "Splits": splits}


# Rows that other rows point at: garbage there would make issues elsewhere (payments of a bad deal).
PROTECTED = {("Team", 0), ("Team", 1), ("Deals", 0)}


@dataclass(frozen=True)
class Spot:
    """One garbage cell: tab, 0-based data row and column, and the kind of garbage."""

    tab: str
    row: int
    col: int
    kind: str


@st.composite
def agencies(draw: st.DrawFn) -> tuple[dict[str, list[list[Any]]], list[Spot]]:
    """Valid tabs, and garbage in at most one cell per row."""
    tabs = base_tabs(draw(st.integers(min_value=0, max_value=3)))
    spots = []
    for title, rows in tabs.items():
        width = len(TAB_BY_KEY[title.lower()].columns)
        for index in range(len(rows)):
            if (title, index) in PROTECTED or not draw(st.booleans()):
                continue
            spots.append(Spot(title, index, draw(st.integers(0, width - 1)), draw(st.sampled_from(KINDS))))
    return tabs, spots


def with_garbage(tabs: dict[str, list[list[Any]]], spots: list[Spot]) -> dict[str, list[list[Any]]]:
    """The tabs with each spot's garbage put in (a good formula caches the cell's own value)."""
    result = {title: [list(row) for row in rows] for title, rows in tabs.items()}
    for spot in spots:
        old = result[spot.tab][spot.row][spot.col]
        if spot.kind == "formula_good":
            good = old if isinstance(old, Cell) else Cell("" if old is None else old)
            result[spot.tab][spot.row][spot.col] = Cell(good.value, good.style, formula="0+0")
        else:
            result[spot.tab][spot.row][spot.col] = GARBAGE[spot.kind]
    return result


def column_kind(title: str, col: int, row: list[Any]) -> str:
    """How a column's cells are judged: a contract kind, or "name"/"free"/"deal_id" for text columns."""
    column = TAB_BY_KEY[title.lower()].columns[col]
    if column.kind == "text":
        if (column.key in ("manager", "collector", "applies_to") and title != "Team") or (
                title in ("Payments", "Splits") and column.key == "deal_id"):
            return "name"
        return "deal_id" if title == "Deals" and column.key == "deal_id" else "free"
    if column.kind == "threshold":
        kind = THRESHOLD_KINDS.get(str(row[2]), "number")
        return {"attainment": "number", "deal_count": "count", "months": "count"}.get(kind, kind)
    return "enum" if column.kind in ("role", "source", "status", "component") else column.kind


def rendered(kind: str) -> str:
    """The text the core reads from a garbage cell in a text column (names, Deal IDs)."""
    value = READ_AS.get(kind, GARBAGE[kind].value if kind in GARBAGE else "")
    return parse_text(pd.Series([value], dtype=object)).values.values[0]


def expected_issues(tabs: dict[str, list[list[Any]]], spots: list[Spot]) -> set[tuple[str, int, int]]:
    """Where the contract says issues are: (tab, sheet row, column) of every unreadable garbage cell."""
    at = {(spot.tab, spot.row): spot for spot in spots}
    bad: set[tuple[str, int, int]] = set()
    managers = {"anna", "boris"}
    deal_ids: list[str] = []
    valid_deals: set[str] = set()
    plans: set[tuple[str, str]] = set()
    for title in ("Team", "Deals", "Plans", "Payments", "Funnel", "Rules", "Splits"):
        for index, row in enumerate(tabs[title]):
            spot = at.get((title, index))
            broken = spot is not None and _unreadable(title, spot, row, managers, deal_ids, valid_deals)
            if broken:
                bad.add((title, index + 2, spot.col))
            if title == "Splits" and (spot is None or spot.col != 0 or spot.kind == "formula_good") \
                    and row[0] not in valid_deals:
                bad.add((title, index + 2, 0))  # its deal's own row has an issue (or lost its ID)
            if title == "Team" and not broken:
                name = row[0] if spot is None or spot.col != 0 else rendered(spot.kind)
                managers.add(norm(name.value if isinstance(name, Cell) else name))
            if title == "Deals":
                deal = row[0] if spot is None or spot.col != 0 or spot.kind == "formula_good" else rendered(spot.kind)
                deal_ids.append(deal)
                if not broken:
                    valid_deals.add(deal)
            if title == "Plans" and not (broken and spot.col in (0, 1)):
                # A manager × month seen before is a duplicate plan: one issue, on the Month cell.
                key = (row[0], norm(row[1] if spot is None or spot.col != 1 else rendered(spot.kind)))
                if key in plans and not broken:
                    bad.add((title, index + 2, 0))
                plans.add(key)
    return bad | _whole_split_issues(tabs["Splits"], at, bad, valid_deals)


def _whole_split_issues(rows: list[list[Any]], at: dict[tuple[str, int], Spot], bad: set[tuple[str, int, int]],
                        valid_deals: set[str]) -> set[tuple[str, int, int]]:
    """Issues a split row gets from the other rows of its deal (PRODUCT.md 3b), when garbage makes two rows
    name the same deal: a repeated (deal, manager) pair is left out with an issue on Manager; otherwise, when
    another row of the deal has an issue, or the shares (100 each) add up to more than 100 %, every usable
    row of the deal gets an issue on Share."""
    extra: set[tuple[str, int, int]] = set()
    cells = [{col for tab, row, col in bad if tab == "Splits" and row == index + 2} for index in range(len(rows))]
    resolved = []
    for index, row in enumerate(rows):
        spot = at.get(("Splits", index))
        garbage = spot is not None and spot.kind != "formula_good"  # a good formula keeps the cell's value
        deal = rendered(spot.kind) if garbage and spot.col == 0 else row[0]
        manager = norm(rendered(spot.kind)) if garbage and spot.col == 1 else norm(row[1])
        resolved.append((deal, manager))
    seen: set[tuple[str, str]] = set()
    repeated: set[int] = set()
    for index, pair in enumerate(resolved):
        if cells[index] & {0, 1}:
            continue  # a row whose Deal ID or Manager cell has an issue takes no part in the pair check
        if pair in seen:
            extra.add(("Splits", index + 2, 1))
            if not cells[index]:
                repeated.add(index)
        seen.add(pair)
    for deal in {deal for deal, _ in resolved if deal in valid_deals}:
        members = [i for i, (d, _) in enumerate(resolved) if d == deal and i not in repeated]
        usable = [i for i in members if not cells[i] and ("Splits", i + 2, 1) not in extra]
        broken = any(cells[i] for i in members)
        tiny = any(at.get(("Splits", i)) == Spot("Splits", i, 2, "date_tiny") for i in usable)
        if broken or len(usable) > 1 or tiny:  # one usable share of 100 % is the only split that adds up
            extra.update(("Splits", i + 2, 2) for i in usable)
    return extra


def _unreadable(title: str, spot: Spot, row: list[Any], managers: set[str], deal_ids: list[str],
                valid_deals: set[str]) -> bool:
    """The contract's verdict on one garbage cell."""
    column = TAB_BY_KEY[title.lower()].columns[spot.col]
    if spot.kind == "formula_good":
        return False
    if spot.kind == "empty":
        return column.required
    kind = column_kind(title, spot.col, row)
    text = rendered(spot.kind)
    if kind in ("free", "name", "deal_id") and text == "":  # NaN reads as no text at all
        return column.required
    if kind == "free":
        return False
    if kind == "deal_id":
        return text in deal_ids  # a repeated Deal ID: the first one wins
    if kind == "name":
        if column.key == "deal_id":
            return text not in valid_deals  # an unknown deal, or one whose row has an issue
        targets = set(ROLES) | {"*"} if title == "Rules" else set()  # Applies to: a manager, a role or *
        return norm(text) not in managers | targets
    if kind == "rate" and title == "Splits":
        return spot.kind != "date_tiny"  # a share of 1e-9 % reads; only its deal's sum (not 100 %) is wrong
    if kind == "rate" and spot.kind == "date_huge" and row[2] in PERCENT_RULES:
        return True  # a rate of 10 000 000 % is a typo: rates stop at 1 000 %
    return spot.kind not in STILL_READABLE[kind]


@settings(PROFILE)
@given(agency=agencies())
def test_garbage_never_crashes_is_located_and_leaves_input_tabs_untouched(
        tmp_path_factory: pytest.TempPathFactory, agency: tuple[dict[str, list[list[Any]]], list[Spot]]) -> None:
    tabs, spots = agency
    _check(tmp_path_factory, tabs, spots)


def _check(tmp_path_factory: pytest.TempPathFactory, tabs: dict[str, list[list[Any]]], spots: list[Spot]) -> None:
    """Write the garbage workbook, run the real job, and check the three promises of the module docstring."""
    path = write_xlsx(tmp_path_factory.mktemp("fuzz") / "book.xlsx", with_garbage(tabs, spots))
    before = read_parts(path)
    outcome = recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    found = [(issue.tab, issue.row, issue.column_index) for issue in outcome.inputs.issues]
    assert sorted(found) == sorted(expected_issues(tabs, spots)), (spots, outcome.inputs.issues)
    after = read_parts(path)
    for index in range(1, len(tabs) + 1):
        part = f"xl/worksheets/sheet{index}.xml"
        assert without_premia_rules(after[part]) == before[part], part


SWEEP_EXTRA = 10  # rows beyond the minimum in each tab (Plans and Rules have fewer: see base_tabs)


def sweep() -> list[list[Spot]]:
    """Spots that put every kind of garbage in every column of every input tab at least once, one cell per
    row, packed into as few workbooks as the tabs' free rows allow (Rules, with 4 rows, sets the count)."""
    tabs = base_tabs(SWEEP_EXTRA)
    per_tab = {}
    for title, rows in tabs.items():
        free = [index for index in range(len(rows)) if (title, index) not in PROTECTED]
        cells = [(col, kind) for col in range(len(TAB_BY_KEY[title.lower()].columns)) for kind in KINDS]
        per_tab[title] = [[Spot(title, row, col, kind) for row, (col, kind) in zip(free, cells[start:start + len(free)],
                                                                                   strict=False)]
                          for start in range(0, len(cells), len(free))]
    books = max(len(books) for books in per_tab.values())
    return [[spot for chunks in per_tab.values() if book < len(chunks) for spot in chunks[book]]
            for book in range(books)]


def test_the_sweep_reaches_every_kind_of_garbage_in_every_input_column() -> None:
    reached = {(spot.tab, spot.col, spot.kind) for book in sweep() for spot in book}
    assert reached == {(title, col, kind) for title in base_tabs(0)
                       for col in range(len(TAB_BY_KEY[title.lower()].columns)) for kind in KINDS}


@pytest.mark.parametrize("book", range(len(sweep())))
def test_every_kind_of_garbage_in_every_input_column(tmp_path_factory: pytest.TempPathFactory, book: int) -> None:
    """Hypothesis draws columns at random; this sweep hits each (tab, column, garbage) in CI every time."""
    _check(tmp_path_factory, base_tabs(SWEEP_EXTRA), sweep()[book])
