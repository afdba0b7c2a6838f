"""Property tests of the money contract and of garbage tolerance (hypothesis).

* Totals = sum of lines = sum of contributions, to the kopeck, for random valid workbooks.
* Variable pay is never below zero in any month (carry-over takes the rest).
* Garbage in any cell never raises, produces an issue naming that cell, and the other rows are
  still computed exactly as before.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formulas.raw import RawTab, RawWorkbook
from tests.builders import HEADERS, book, run

AS_OF = date(2026, 4, 30)
MANAGERS = ["Anna", "Boris", "Vera"]
PER_ROW = ("deal_percent", "payment_percent", "collected_percent", "client_turnover_bonus",
           "inbound_deal_bonus")


@st.composite
def workbooks(draw: st.DrawFn) -> RawWorkbook:
    """A random valid workbook: three managers, a few rules, deals, payments and funnel rows."""
    day = st.dates(date(2026, 1, 1), AS_OF).map(date.isoformat)
    money = st.integers(1, 50_000_000).map(lambda c: c / 100)
    rules = [["2026-01", "*", "deal_percent", None, draw(st.sampled_from([0, 2.5, 5, 7.25])), ""],
             ["2026-01", "*", "payment_percent", 1, draw(st.sampled_from([0, 10, 15])), ""],
             ["2026-01", "*", "client_turnover_bonus", 100000, 25000, ""],
             ["2026-03", "anna", "deal_percent", None, draw(st.sampled_from([1, 3.333])), ""],
             ["2026-01", "*", "collected_percent", None, 0.5, ""],
             ["2026-01", "*", "inbound_deal_bonus", None, 1000, ""],
             ["2026-01", "*", "plan_bonus", 100, 20000, ""],
             ["2026-01", "*", "clawback", 2, draw(st.sampled_from([50, 100])), ""],
             ["2026-01", "*", "stage_bonus", 3, 500, ""]]
    deal_count = draw(st.integers(0, 12))
    deals = []
    for i in range(deal_count):
        signed = draw(day)
        cancelled = draw(st.one_of(st.none(), st.dates(date.fromisoformat(signed), AS_OF).map(date.isoformat)))
        deals.append([f"D{i}", signed, draw(st.sampled_from(MANAGERS)), f"Client {i % 5}", draw(money),
                      draw(st.sampled_from(["inbound", "outbound", None])),
                      draw(st.one_of(st.none(), st.integers(-5000, 90000))), None, cancelled])
    payments = [[f"D{draw(st.integers(0, deal_count - 1))}", draw(day), draw(money),
                 draw(st.integers(1, 4)), draw(st.sampled_from([None, "Vera"]))]
                for _ in range(draw(st.integers(0, 10) if deal_count else st.just(0)))]
    funnel = [[draw(day), draw(st.sampled_from(MANAGERS)), f"Client {draw(st.integers(0, 6))}",
               draw(st.integers(1, 7)), None, None] for _ in range(draw(st.integers(0, 10)))]
    plans = [[f"2026-0{m}", name, draw(money), None] for m in (1, 2, 3, 4) for name in MANAGERS[:2]]
    team = [["Anna", "sales", 30000, None, None], ["Boris", "sales", 25000, "2026-02-10", None],
            ["Vera", "receivables", 20000, None, "2026-03-15"]]
    return book(Team=team, Plans=plans, Deals=deals, Payments=payments, Funnel=funnel, Rules=rules)


def _cents(values) -> np.ndarray:
    return np.rint(np.asarray(values, dtype="float64") * 100).astype("int64")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks())
def test_totals_are_sums_of_lines_and_lines_sums_of_contributions(workbook: RawWorkbook) -> None:
    inputs, result = run(workbook, AS_OF)
    assert inputs.issues == []
    contributions = result.contributions.assign(cents=_cents(result.contributions["amount"]))
    by_line = contributions.groupby(["month", "manager_key", "component"])["cents"].sum()
    for line in result.lines.itertuples(index=False):
        if line.component == "carried_over":
            continue
        assert _cents([line.amount])[0] == by_line[(line.month, line.manager_key, line.component)]
    # every contribution was itself rounded to the kopeck
    assert np.allclose(contributions["amount"] * 100, contributions["cents"], atol=1e-6)
    lines = result.lines.assign(cents=_cents(result.lines["amount"]))
    variable = lines[lines["component"] != "base_salary"].groupby(["manager_key", "month"])["cents"].sum()
    assert (variable >= 0).all(), "variable pay went below zero"


GARBAGE_COLUMNS = {"Deals": [1, 4, 5, 7, 8], "Payments": [1, 2, 3], "Funnel": [0, 3], "Plans": [0, 2]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workbooks(), st.data())
def test_garbage_in_any_cell_is_one_located_issue_and_the_rest_still_computes(workbook, data) -> None:
    tabs = {tab.title: tab for tab in workbook.tabs}
    candidates = [(title, r, c) for title, cols in GARBAGE_COLUMNS.items()
                  for r in range(1, len(tabs[title].values)) for c in cols]
    if not candidates:
        return
    title, r, c = data.draw(st.sampled_from(candidates))
    junk = data.draw(st.one_of(st.text(min_size=1).map(lambda s: "x#" + s), st.just(True), st.just(-1e9)))
    _inputs, before = run(workbook, AS_OF)
    broken_rows = [list(row) for row in tabs[title].values]
    broken_rows[r][c] = junk
    broken = RawWorkbook([RawTab(t.title, broken_rows if t.title == title else t.values) for t in workbook.tabs])
    inputs, after = run(broken, AS_OF)
    header = HEADERS[title][c]
    named = [i for i in inputs.issues if i.tab == title and i.row == r + 1 and i.column == header]
    assert len(named) == 1, inputs.issues
    # Other rows are computed exactly as before (the broken row, and a broken deal's payments, aside).
    lost_deal = tabs["Deals"].values[r][0] if title == "Deals" else None
    lost_payments = {i + 1 for i, row in enumerate(tabs["Payments"].values) if i and row[0] == lost_deal}
    affected = {(title.lower(), r + 1)} | {("payments", row) for row in lost_payments}
    kept = {x for x in _per_row(before) if (x[1], x[2]) not in affected}
    assert kept <= _per_row(after)


def _per_row(result) -> set[tuple[str, str, int, float]]:
    """The contributions that belong to one input row each."""
    frame = result.contributions[result.contributions["component"].isin(PER_ROW)]
    return {(x.component, x.source_tab, int(x.source_row), float(x.amount)) for x in frame.itertuples()}
