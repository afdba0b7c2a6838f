"""The demo and benchmark data themselves: contract names, determinism, mistakes and signal triggers.

The engine is not used here: each test reads the generated cells with a small reader of the formats
the demo is known to type, and checks the story the data must tell (PRODUCT.md sections 2–4).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pytest

from bench.generate import SIZES, generate
from demo.text import RU_MONTHS
from demo.workbook import MISTAKES, DemoWorkbook, demo_tabs, demo_tabs_ru
from formulas.contract import (
    ALL_INPUT_TABS,
    ROLE_ALIASES,
    SOURCE_ALIASES,
    STAGE_ALIASES,
    STATUS_ALIASES,
    norm,
)
from formulas.months import days_in_month, month_of, month_start
from formulas.pay.components import BY_KEY as COMPONENTS

AS_OFS = (date(2026, 3, 18), date(2026, 1, 1), date(2025, 12, 31), date(2024, 2, 29), date(2026, 6, 30))
MISTAKE_ROWS = {(m.tab, m.row) for m in MISTAKES}


def as_date(cell: Any) -> date | None:
    """A demo date cell as a date (None for anything else, e.g. the ambiguous dd/mm/yyyy)."""
    if isinstance(cell, date):
        return cell
    if isinstance(cell, str) and re.fullmatch(r"\d\d\.\d\d\.\d{4}", cell):
        day, month, year = cell.split(".")
        return date(int(year), int(month), int(day))
    if isinstance(cell, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", cell):
        return date.fromisoformat(cell)
    return None


def as_amount(cell: Any) -> float | None:
    """A demo amount cell as a number (None for text that is not an amount)."""
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).replace("₽", "").replace("руб.", "").replace(" ", "")
    # In 150,000.50 the last separator is the decimal one; a lone ",ddd" (150,000) groups thousands.
    if ("," in text and "." in text) or re.fullmatch(r"-?\d+,\d\d\d", text):
        text = text.replace(",", "")
    text = text.replace(",", ".")
    return float(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else None


def as_month(cell: Any) -> int:
    """A demo month cell (``2026-03``, ``03.2026``, ``март 2026`` or a date) as a month index."""
    if isinstance(cell, date):
        return month_of(cell)
    if re.fullmatch(r"\d{4}-\d\d", cell):
        return int(cell[:4]) * 12 + int(cell[5:]) - 1
    if re.fullmatch(r"\d\d\.\d{4}", cell):
        return int(cell[3:]) * 12 + int(cell[:2]) - 1
    name, year = cell.split()
    return int(year) * 12 + RU_MONTHS.index(name)


def records(book: DemoWorkbook, tab: str) -> list[dict[str, Any]]:
    """Rows of an English tab as dicts keyed by header, each with its sheet row under ``_row``."""
    values = dict(book.tabs)[tab]
    return [dict(zip(values[0], row, strict=True), _row=i + 1) for i, row in enumerate(values[1:], start=1)]


def valid(book: DemoWorkbook, tab: str) -> list[dict[str, Any]]:
    """Rows of a tab without the documented mistakes."""
    return [r for r in records(book, tab) if (tab, r["_row"]) not in MISTAKE_ROWS]


@pytest.fixture(scope="module", params=AS_OFS, ids=str)
def demo(request: pytest.FixtureRequest) -> tuple[date, DemoWorkbook]:
    return request.param, demo_tabs(request.param)


def deal_facts(book: DemoWorkbook) -> list[dict[str, Any]]:
    """Valid deals with parsed signing month, amount, cancellation month and paid contract months."""
    paid: dict[str, set[int]] = defaultdict(set)
    for pay in valid(book, "Payments"):
        paid[pay["Deal ID"]].add(pay["Contract month"] or 1)
    deals = []
    for row in valid(book, "Deals"):
        cancelled = as_date(row["Cancelled on"])
        deals.append({**row, "month": month_of(as_date(row["Signed"])), "amount": as_amount(row["Amount"]),
                      "cancel_month": None if cancelled is None else month_of(cancelled),
                      "paid_months": paid[row["Deal ID"]]})
    return deals


def test_same_as_of_gives_the_same_workbook_and_another_does_not() -> None:
    assert demo_tabs(date(2026, 3, 18)) == demo_tabs(date(2026, 3, 18))
    assert demo_tabs_ru(date(2026, 3, 18)) == demo_tabs_ru(date(2026, 3, 18))
    assert demo_tabs(date(2026, 3, 18)) != demo_tabs(date(2026, 4, 18))


def test_tab_and_header_names_are_the_contracts(demo: tuple[date, DemoWorkbook]) -> None:
    _, book = demo
    assert [title for title, _ in book.tabs] == [spec.en for spec in ALL_INPUT_TABS]  # Splits, Scenario too
    for (_, values), spec in zip(book.tabs, ALL_INPUT_TABS, strict=True):
        assert values[0] == [column.en for column in spec.columns]
        assert all(len(row) == len(spec.columns) for row in values)
    raw = book.to_raw()
    assert raw.titles() == [spec.en for spec in ALL_INPUT_TABS]


def test_each_mistake_is_on_the_row_it_claims_and_only_there(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    tabs = dict(book.tabs)
    claimed = {(m.tab, m.column): tabs[m.tab][m.row - 1][tabs[m.tab][0].index(m.column)] for m in MISTAKES}
    deals, payments, funnel = records(book, "Deals"), records(book, "Payments"), records(book, "Funnel")
    # Amount in words: the only deal amount that is not a number.
    assert claimed[("Deals", "Amount")] == "сто тысяч"
    assert [r["_row"] for r in deals if as_amount(r["Amount"]) is None] == [12]
    # Duplicated Deal ID: the only repeated ID, repeated on row 47.
    ids = Counter(r["Deal ID"] for r in deals)
    assert [r["_row"] for r in deals if ids[r["Deal ID"]] > 1][-1] == 47 and sum(ids.values()) - len(ids) == 1
    # The only date after the as-of date is the mistyped year of row 83.
    dated = (("Deals", deals, "Signed"), ("Deals", deals, "Cancelled on"), ("Payments", payments, "Paid on"),
             ("Funnel", funnel, "Date"))
    future = [(tab, r["_row"]) for tab, rows, col in dated
              for r in rows if (as_date(r[col]) or as_of) > as_of]
    assert future == [("Deals", 83)] and as_date(claimed[("Deals", "Signed")]) > as_of
    # A payment for a deal that does not exist, and a negative payment.
    assert [r["_row"] for r in payments if r["Deal ID"] not in ids] == [60]
    assert claimed[("Payments", "Deal ID")].startswith("Д-")
    assert [r["_row"] for r in payments if as_amount(r["Amount"]) < 0] == [140]
    # A manager who is not in Team.
    team = {r["Manager"] for r in records(book, "Team")}
    strangers = [("Funnel", r["_row"]) for r in funnel if r["Manager"] not in team]
    strangers += [("Deals", r["_row"]) for r in deals if r["Manager"] not in team]
    assert strangers == [("Funnel", 150)]
    # An ambiguous dd/mm/yyyy date: both readings are real dates.
    assert [r["_row"] for r in funnel if as_date(r["Date"]) is None] == [400]
    day, month, _ = claimed[("Funnel", "Date")].split("/")
    assert int(day) <= 12 and int(month) <= 12 and day != month
    assert len(MISTAKES) == len({(m.tab, m.row) for m in MISTAKES}) == 7


def test_nothing_is_dated_outside_the_six_months(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    start = date(as_of.year, as_of.month, 1)
    for _ in range(5):
        start = (start - timedelta(days=1)).replace(day=1)
    for tab, col in (("Deals", "Signed"), ("Deals", "Cancelled on"), ("Payments", "Paid on"),
                     ("Funnel", "Date")):
        days = [as_date(r[col]) for r in valid(book, tab) if r[col] is not None]
        assert days and all(start <= day <= as_of for day in days), (tab, col)
    assert any(as_date(r["Date"]) == as_of for r in records(book, "Funnel"))  # the as-of day is included


def test_russian_variant_has_the_same_rows_in_russian_only(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    ru = demo_tabs_ru(as_of)
    assert [title for title, _ in ru.tabs] == [spec.ru for spec in ALL_INPUT_TABS]
    cyrillic_only = re.compile(r"[^A-Za-z]*")
    for (_, en_values), (title, values), spec in zip(book.tabs, ru.tabs, ALL_INPUT_TABS, strict=True):
        assert values[0] == [column.ru for column in spec.columns]
        assert len(values) == len(en_values)
        for i, column in enumerate(spec.columns):
            cells = [row[i] for row in values[1:] if row[i] is not None]
            if column.kind in ("role", "source", "status"):
                aliases = {"role": ROLE_ALIASES, "source": SOURCE_ALIASES, "status": STATUS_ALIASES}
                assert all(norm(c) in aliases[column.kind] and cyrillic_only.fullmatch(c) for c in cells)
            if column.kind == "stage":
                assert all(isinstance(c, int) or (norm(c) in STAGE_ALIASES and cyrillic_only.fullmatch(c))
                           for c in cells)
            if column.key in ("manager", "client", "collector", "action", "lost_reason", "applies_to"):
                assert all(cyrillic_only.fullmatch(c) for c in cells), (title, column.ru)
        # The same data: every cell that is not text (numbers, dates, blanks) is identical.
        for en_row, row in zip(en_values, values, strict=True):
            assert [c for c in en_row if not isinstance(c, str)] == [c for c in row if not isinstance(c, str)]
    titles = {spec.en: spec.ru for spec in ALL_INPUT_TABS}
    assert {(titles[t], r, c): f for (t, r, c), f in book.formats.items()} == ru.formats


def test_team_has_four_roles_a_joiner_a_leaver_and_a_salary_change(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    team = records(book, "Team")
    assert len({r["Manager"] for r in team}) == 8
    roles = Counter(r["Role"] for r in team)
    assert set(roles) == {"sales", "call_centre", "post_sale", "receivables"} and roles["sales"] == 6
    window = month_of(as_of) - 5
    assert [r["Manager"] for r in team if month_of(as_date(r["From"])) > window] == ["Boris Ivanov",
                                                                                     "Dmitry Sokolov"]
    left = [r for r in team if r["To"] is not None and window <= month_of(r["To"]) < month_of(as_of)]
    assert [r["Manager"] for r in left] == ["Boris Ivanov", "Elena Smirnova"]  # Boris: his old salary
    assert [name for name, n in Counter(r["Manager"] for r in team).items() if n > 1] == ["Boris Ivanov"]


def test_plans_carry_a_jump_a_double_miss_and_a_manager_behind_pace(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    plans = {(r["Manager"], as_month(r["Month"])): as_amount(r["Plan amount"])
             for r in records(book, "Plans")}
    jumps = [key for key, plan in plans.items() if plan > plans.get((key[0], key[1] - 1), plan) * 1.3]
    assert jumps == [("Igor Kuznetsov", month_of(as_of) - 2)]
    fact: Counter[tuple[str, int]] = Counter()
    for deal in deal_facts(book):
        if deal["cancel_month"] != deal["month"]:  # cancelled in its signing month: counts for nothing
            fact[(deal["Manager"], deal["month"])] += deal["amount"]
    missed = {key for key, plan in plans.items() if fact[key] < plan}
    twice = [key for key in missed if (key[0], key[1] - 1) in missed and key[1] < month_of(as_of)]
    assert twice == [("Boris Ivanov", month_of(as_of) - 2)]
    pace = as_of.day / days_in_month(month_of(as_of)) * 0.8
    dmitry = ("Dmitry Sokolov", month_of(as_of))
    assert fact[dmitry] < plans[dmitry] * pace
    assert any(fact[key] >= plans[key] * 1.2 for key in plans)  # the 120 % plan_bonus tier is reached
    assert any(as_month(r["Month"]) and isinstance(r["Month"], str) and r["Month"].split()[0] in RU_MONTHS
               for r in records(book, "Plans"))


def test_deals_carry_the_fake_client_and_the_cancellations(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    deals = deal_facts(book)
    assert len(deals) >= 150 and {r["Source"] for r in deals} >= {"inbound", "outbound", None}
    assert sum(r["First-month margin"] is not None for r in deals) > 30
    fake = [d for d in deals if any(t <= d["amount"] <= t * 1.05 for t in (100_000, 150_000))
            and (d["cancel_month"] is not None or (d["month"] <= month_of(as_of) - 2
                                                   and len(d["paid_months"]) <= 1))]
    assert [(d["amount"], d["paid_months"], d["cancel_month"]) for d in fake] == [(102_000, {1}, None)]
    cancelled = [d for d in deals if d["cancel_month"] is not None]
    assert all(d["Status"] in ("cancelled", "refunded") for d in cancelled)
    assert sorted(d["cancel_month"] - d["month"] for d in cancelled) == [0, 1, 3, 4]
    assert {d["Status"] for d in cancelled} == {"cancelled", "refunded"}
    # The same-month cancellation still had a payment, which must count for nothing.
    assert [d["paid_months"] for d in cancelled if d["cancel_month"] == d["month"]] == [{1}]


def test_payments_are_partial_collected_and_stop_early(demo: tuple[date, DemoWorkbook]) -> None:
    _, book = demo
    payments = valid(book, "Payments")
    parts = Counter((p["Deal ID"], p["Contract month"]) for p in payments)
    assert any(n == 2 and month == 4 for (_, month), n in parts.items())
    assert sum(p["Collector"] == "Svetlana Orlova" for p in payments) >= 5
    assert {p["Collector"] for p in payments} == {None, "Svetlana Orlova"}
    assert any(str(p["Amount"]).startswith("₽") for p in records(book, "Payments"))
    assert any(isinstance(p["Paid on"], str) and "." in p["Paid on"] for p in payments)
    ids = {d["Deal ID"] for d in records(book, "Deals")}
    assert all(p["Deal ID"] in ids for p in payments)
    deals = {d["Deal ID"]: d for d in deal_facts(book)}
    stopped = [i for i, d in deals.items() if d["paid_months"] == {1, 2} and d["cancel_month"] is None
               and sum(as_amount(p["Amount"]) for p in payments if p["Deal ID"] == i) < d["amount"] - 1]
    assert stopped  # clients that left after contract month 2 (or whose later months are not due yet)


def test_funnel_has_signed_lost_stuck_and_idle_clients(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    rows = valid(book, "Funnel")
    history: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for r in rows:
        stage = r["Stage"] if isinstance(r["Stage"], int) else STAGE_ALIASES[norm(r["Stage"])]
        history[r["Client"]].append((as_date(r["Date"]), stage))
    assert len(history) >= 300
    for deal in deal_facts(book):
        if deal["Manager"] != "Pavel Volkov":  # upsells go to existing clients
            assert (as_date(deal["Signed"]), 7) in history[deal["Client"]], deal["Client"]
    reasons = {r["Lost reason"] for r in rows if r["Lost reason"]}
    assert {"expensive", "дорого", "chose a competitor", "postponed"} <= reasons
    latest = {client: max(steps, key=lambda s: s[0]) for client, steps in history.items()}
    in_work = {c: s for c, s in latest.items() if 1 <= s[1] <= 6}
    idle = [c for c, (day, _) in in_work.items() if (as_of - day).days >= 14]
    assert len(idle) >= 1
    stuck = []
    for client, (_, stage) in in_work.items():
        entered = min(day for day, s in history[client] if s == stage)
        if stage == 5 and (as_of - entered).days > 21 and (as_of - latest[client][0]).days < 14:
            stuck.append(client)
    assert stuck  # stuck past the `stuck_days` rule for stage 5, yet not idle
    stages = {client: {s for _, s in steps} for client, steps in history.items()}
    assert any(7 in seen and 2 not in seen for seen in stages.values())  # a skipped stage


def test_rules_cover_the_seeds_and_change_once(demo: tuple[date, DemoWorkbook]) -> None:
    as_of, book = demo
    rules = records(book, "Rules")
    assert {r["Component"] for r in rules} == set(COMPONENTS) | {"stuck_days"}
    change = [r for r in rules if isinstance(r["From"], date)]
    assert [(r["Component"], r["Value"]) for r in change] == [("deal_percent", 6)]
    assert change[0]["From"] == month_start(month_of(as_of) - 2)  # the first day of the 4th month
    percent = [(k, f) for k, f in book.formats.items() if "%" in f and k[0] == "Rules"]
    assert len(percent) == 1
    (title, row, col), _ = percent[0]
    assert (title, dict(book.tabs)[title][row][col]) == ("Rules", 0.05)
    targets = {r["Applies to"] for r in rules if r["Component"] == "deal_percent"}
    assert targets == {"*", "sales", "Anna Petrova"}


def test_bench_tiny_has_the_promised_counts_and_valid_references() -> None:
    as_of = date(2026, 3, 18)
    book = generate("tiny", as_of)
    tabs = {tab.title: tab.values for tab in book.tabs}
    size = SIZES["tiny"]
    assert [len(tabs[name]) - 1 for name in ("Deals", "Payments", "Funnel")] == [
        size.deals, size.payments, size.funnel]
    ids = [row[0] for row in tabs["Deals"][1:]]
    assert len(set(ids)) == len(ids)
    assert {row[0] for row in tabs["Payments"][1:]} <= set(ids)
    team = {row[0] for row in tabs["Team"][1:]}
    assert len(team) == size.managers
    assert {row[2] for row in tabs["Deals"][1:]} | {row[1] for row in tabs["Funnel"][1:]} <= team
    assert {row[2] for row in tabs["Rules"][1:]} >= set(COMPONENTS)
    assert generate("tiny", as_of) == book


def _serial_day(cell: Any) -> date | None:
    """A benchmark date cell (serial number, ISO or DD.MM.YYYY text) as a date."""
    if isinstance(cell, int):
        return date(1899, 12, 30) + timedelta(days=cell)
    return as_date(cell)


def test_bench_tiny_is_dated_up_to_as_of_and_pays_contract_months_in_order() -> None:
    as_of = date(2026, 3, 18)
    tabs = {tab.title: tab.values for tab in generate("tiny", as_of, seed=3).tabs}
    signed = {row[0]: _serial_day(row[1]) for row in tabs["Deals"][1:]}
    for tab, col in (("Deals", 1), ("Deals", 8), ("Payments", 1), ("Funnel", 0)):
        days = [_serial_day(row[col]) for row in tabs[tab][1:] if row[col] is not None]
        assert all(date(2026, 1, 1) <= day <= as_of for day in days), tab
    months: dict[str, set[int]] = defaultdict(set)
    for deal_id, paid_on, amount, month, _ in tabs["Payments"][1:]:
        assert _serial_day(paid_on) >= signed[deal_id] and as_amount(amount) > 0
        months[deal_id].add(month or 1)
    assert set(months) == set(signed)
    assert all(paid == set(range(1, max(paid) + 1)) for paid in months.values())  # no month skipped
    stages = {row[3] if isinstance(row[3], int) else STAGE_ALIASES[norm(row[3])]
              for row in tabs["Funnel"][1:]}
    assert stages == set(range(8))


def test_the_demo_shares_two_deals_and_carries_a_scenario(demo: tuple[date, DemoWorkbook]) -> None:
    """PRODUCT.md 3b, 3c: a 50/50 and a 70/30 deal of the report month, shares in three typed forms, and a
    Scenario (one point more deal percentage, half the plan bonus) — in both languages."""
    as_of, book = demo
    splits = records(book, "Splits")
    assert [r["Share"] for r in splits] == [50, "50 %", 70, 0.3]
    assert ("Splits", 4, 2) in book.formats  # the 30 % typed as a percent cell
    from formulas.read.validate import validate

    inputs = validate(book.to_raw(), as_of)
    assert len(inputs.splits) == 4 and not [i for i in inputs.issues if i.tab == "Splits"]
    signed = dict(zip(inputs.deals["deal_id"], inputs.deals["month"], strict=True))
    assert {signed[deal] for deal in inputs.splits["deal_id"]} == {month_of(as_of)}
    rules, scenario = records(book, "Rules"), records(book, "Scenario")
    assert [(r["Component"], r["Applies to"]) for r in rules] == [(r["Component"], r["Applies to"]) for r in scenario]
    plan = [(r["Value"], s["Value"]) for r, s in zip(rules, scenario, strict=True) if r["Component"] == "plan_bonus"]
    assert plan == [(20_000, 10_000), (30_000, 15_000)]
    ru = demo_tabs_ru(as_of)
    assert [title for title, _ in ru.tabs][-2:] == ["Доли", "Сценарий"]
