"""Per-tab and cross-row checks of the reference engine: the valid rows, and an issue per problem cell.

PRODUCT.md section 2: each cell that cannot be read is one input issue and its row is left out;
duplicated Deal IDs, unknown managers, payments for unknown deals, future dates, negative amounts,
a cancellation before signing and duplicated rules are issues too. Section 3 adds: cancelled/refunded
with no date, a name in ``Applies to`` that is neither a manager nor a role, missing input tabs; section
3b the rows of the optional Splits tab (:mod:`tests.reference.splits`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from formulas.raw import RawWorkbook
from tests.reference.read import (
    ROLES,
    SOURCES,
    STATUSES,
    Unreadable,
    is_blank,
    read_amount,
    read_choice,
    read_date,
    read_month,
    read_stage,
    read_whole,
    words,
)
from tests.reference.rules import COMPONENTS, THRESHOLD_READERS, Rule, read_value
from tests.reference.splits import Splits, check_splits
from tests.reference.tabs import (
    OPTIONAL_TITLES,
    TAB_TITLES,
    RowCheck,
    Tab,
    deal_key,
    find_tab,
    known_manager,
    language,
    read_tab,
)


@dataclass
class Inputs:
    """The valid rows of every input tab, and every issue as (tab title, sheet row, column header, reason)."""

    as_of: date
    team: list[dict[str, Any]] = field(default_factory=list)
    plans: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    payments: list[dict[str, Any]] = field(default_factory=list)
    funnel: list[dict[str, Any]] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    splits: Splits = field(default_factory=dict)  # PRODUCT.md section 3b: only the splits that are used
    issues: list[tuple[str, int, str, str]] = field(default_factory=list)


def validate(workbook: RawWorkbook, as_of: date) -> Inputs:
    """Every input tab checked in dependency order: Team, Deals, Payments, Splits, Plans, Funnel, Rules."""
    inputs = Inputs(as_of)
    tabs: dict[str, Tab] = {}
    lang = 1 if language(workbook) == "ru" else 0
    for key, titles in TAB_TITLES.items():
        raw = find_tab(workbook, key)
        if raw is None:
            # PRODUCT.md section 3 "Missing tabs": one issue per missing input tab (row 0, no column).
            inputs.issues.append((titles[lang], 0, "", "missing tab"))
        else:
            tabs[key] = read_tab(raw, key)
    for key in OPTIONAL_TITLES:
        if (raw := find_tab(workbook, key)) is not None:
            tabs[key] = read_tab(raw, key)  # optional: no issue when missing (PRODUCT.md section 3 "Missing tabs")
    empty = {key: Tab(key, titles[lang], {}, []) for key, titles in TAB_TITLES.items()}
    _team(tabs.get("team", empty["team"]), inputs)
    # A bad Team row is left out entirely (section 2), so its name is not a known manager either.
    managers = {row["manager"] for row in inputs.team}
    seen = _deals(tabs.get("deals", empty["deals"]), inputs, managers)
    _payments(tabs.get("payments", empty["payments"]), inputs, managers, seen)
    if "splits" in tabs:
        inputs.splits = check_splits(tabs["splits"], inputs.deals, seen, managers, inputs.issues)
    _plans(tabs.get("plans", empty["plans"]), inputs, managers)
    _funnel(tabs.get("funnel", empty["funnel"]), inputs, managers)
    _rules(tabs.get("rules", empty["rules"]), inputs, managers)
    return inputs


def _team(tab: Tab, inputs: Inputs) -> None:
    for row in tab.rows:
        check = RowCheck(tab, row, inputs.issues)
        record = {"row": row.sheet_row, "manager": check.get("manager", words),
                  "role": check.get("role", lambda v: read_choice(v, ROLES)),
                  "salary": check.get("salary", read_amount, Decimal(0)),
                  "start": check.get("start", read_date), "end": check.get("end", read_date)}
        check.not_negative("salary", record["salary"])
        if check.ok:
            inputs.team.append(record)


def _deals(tab: Tab, inputs: Inputs, managers: set[str]) -> set[str]:
    """Valid deals into ``inputs.deals``; returns every Deal ID seen (a payment for one is not 'unknown')."""
    seen: set[str] = set()
    for row in tab.rows:
        check = RowCheck(tab, row, inputs.issues)
        deal_id = check.get("id", deal_key)
        signed = check.get("signed", read_date)
        record = {"row": row.sheet_row, "id": deal_id, "signed": signed,
                  "manager": check.get("manager", known_manager(managers)),
                  "client": check.get("client", words), "amount": check.get("amount", read_amount),
                  "inbound": check.get("source", lambda v: read_choice(v, SOURCES), "outbound") == "inbound",
                  "margin": check.get("margin", read_amount, Decimal(0)),
                  "status": check.get("status", lambda v: read_choice(v, STATUSES), "active"),
                  "cancelled": check.get("cancelled", read_date)}
        check.not_negative("amount", record["amount"])
        check.not_future("signed", signed, inputs.as_of)
        check.not_future("cancelled", record["cancelled"], inputs.as_of)
        if record["cancelled"] is not None and signed is not None and record["cancelled"] < signed:
            check.bad("cancelled", "cancelled before signed")
        # PRODUCT.md section 3 "Cancellations": cancelled/refunded with no date is an issue.
        if record["status"] != "active" and is_blank(row.cells.get("cancelled")):
            check.bad("status", "cancelled without a date")
        if deal_id is not None:
            if deal_id in seen:
                check.bad("id", "duplicate")  # the first Deal ID wins, even when its row is bad
            else:
                seen.add(deal_id)
                if check.ok:
                    inputs.deals[deal_id] = record
    return seen


def _payments(tab: Tab, inputs: Inputs, managers: set[str], seen: set[str]) -> None:
    for row in tab.rows:
        check = RowCheck(tab, row, inputs.issues)
        deal_id = check.get("id", deal_key)
        if deal_id is not None and deal_id not in inputs.deals:
            # Unknown deal, or a deal whose (first) row has an issue: the payment is left out.
            check.bad("id", "unknown deal" if deal_id not in seen else "deal row has an issue")
        record = {"row": row.sheet_row, "id": deal_id, "paid": check.get("paid", read_date),
                  "amount": check.get("amount", read_amount),
                  "month": check.get("month", lambda v: read_whole(v, 1), 1),
                  "collector": check.get("collector", known_manager(managers))}
        check.not_negative("amount", record["amount"])
        check.not_future("paid", record["paid"], inputs.as_of)
        if check.ok:
            inputs.payments.append(record)


def _plans(tab: Tab, inputs: Inputs, managers: set[str]) -> None:
    keys: set[tuple[str, int]] = set()
    for row in tab.rows:
        check = RowCheck(tab, row, inputs.issues)
        month, manager = check.get("month", read_month), check.get("manager", known_manager(managers))
        record = {"row": row.sheet_row, "amount": check.get("amount", read_amount),
                  "deals": check.get("deals", lambda v: read_whole(v, 0))}
        check.not_negative("amount", record["amount"])
        if month is not None and manager is not None:
            if (manager, month) in keys:
                check.bad("month", "duplicate plan")  # the first plan (manager × month) wins
            keys.add((manager, month))
        if check.ok:
            inputs.plans[(manager, month)] = record


def _funnel(tab: Tab, inputs: Inputs, managers: set[str]) -> None:
    for row in tab.rows:
        check = RowCheck(tab, row, inputs.issues)
        record = {"row": row.sheet_row, "date": check.get("date", read_date),
                  "manager": check.get("manager", known_manager(managers)),
                  "client": check.get("client", words), "stage": check.get("stage", read_stage)}
        check.not_future("date", record["date"], inputs.as_of)
        if check.ok:
            inputs.funnel.append(record)


def _target(managers: set[str]) -> Callable[[Any], tuple[str, str]]:
    """A reader of ``Applies to``: ``*``, a role (en/ru) or a manager's name (PRODUCT.md section 3)."""
    def read(value: Any) -> tuple[str, str]:
        key = words(value)
        if key == "*":
            return ("*", "")
        if key in managers:
            return ("name", key)
        if key in ROLES:
            return ("role", ROLES[key])
        raise Unreadable("neither a manager nor a role")
    return read


def _rules(tab: Tab, inputs: Inputs, managers: set[str]) -> None:
    keys: set[tuple[Any, ...]] = set()
    for row in tab.rows:
        check = RowCheck(tab, row, inputs.issues)
        start, target = check.get("start", read_month), check.get("target", _target(managers))
        component = check.get("component", _component)
        threshold = value = None
        if component is None:
            # Without a component a cell is an issue only when no component could read it (or it is a
            # blank required cell): section 3 reads Threshold and Value "for its component".
            check.get("threshold", _any_reading([_bound(reader, "threshold" in row.percent)
                                                 for reader in THRESHOLD_READERS.values()]))
            check.get("value", _any_reading([_bound(partial(read_value, name), "value" in row.percent)
                                             for name in COMPONENTS]))
        else:
            kind = COMPONENTS[component][1]
            if kind is not None:
                threshold = check.get("threshold", _bound(THRESHOLD_READERS[kind], "threshold" in row.percent))
            value = check.get("value", _bound(partial(read_value, component), "value" in row.percent))
        check.not_negative("value", value)
        # The duplicate key needs all four cells read (an unreadable Threshold has no key).
        if None not in (start, target, component) and "threshold" not in check.bad_columns:
            key = (start, target, component, threshold)
            if key in keys:
                check.bad("start", "duplicate rule")  # the first rule with this key wins
            keys.add(key)
        if check.ok:
            inputs.rules.append(Rule(start, target, component, threshold, value, row.sheet_row))


def _bound(reader: Callable[[Any, bool], Any], percent_cell: bool) -> Callable[[Any], Any]:
    """A one-argument reader from a (value, is-percent-cell) reader."""
    return lambda value: reader(value, percent_cell)


def _any_reading(readers: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """A reader that succeeds when any of ``readers`` does."""
    def read(value: Any) -> Any:
        for reader in readers:
            try:
                return reader(value)
            except Unreadable:
                continue
        raise Unreadable("not readable for any component")
    return read


def _component(value: Any) -> str:
    """A component identifier (PRODUCT.md section 3: always the identifiers of the table)."""
    key = words(value)
    if key not in COMPONENTS:
        raise Unreadable("unknown component")
    return key
