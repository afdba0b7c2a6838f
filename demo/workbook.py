"""A realistic demo workbook: six months of a renovation firm's sales, in English or in Russian.

:func:`demo_tabs` and :func:`demo_tabs_ru` return the same data (one seeded generator, rendered in
either language) as input tabs of the workbook contract (PRODUCT.md section 2), with number formats
for date cells and the one percent-formatted rule value. The data exercises every pay component of
section 3 and every signal of section 4 (the story is told in :mod:`demo.cast`), uses the
messy-but-valid formats people type, and carries the few input mistakes listed in :data:`MISTAKES`,
each on a row of its own. Only :func:`write_demo` does I/O, through the local adapter.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from demo.cast import Window, cast, plan_rows, rule_rows, team_rows
from demo.deals import Deal, sales_deals, upsells
from demo.funnel import CALL_CENTRE, Step, all_steps
from demo.optional import scenario_rows, split_rows
from demo.payments import Payment, all_payments
from demo.rows import deal_rows, funnel_rows, payment_rows
from demo.text import ACTIONS, Bi, ClientNames, Percent
from formulas.contract import ALL_INPUT_TABS
from formulas.raw import RawTab, RawWorkbook

SEED = 2026
DATE_FORMAT, PERCENT_FORMAT = "yyyy-mm-dd", "0%"


@dataclass(frozen=True)
class Mistake:
    """One deliberate input mistake: English tab title, sheet row (1 = header), column header, what."""

    tab: str
    row: int
    column: str
    what: str


# Each mistake sits on a row of its own, never on a row that a signal or a worked example relies on.
MISTAKES: tuple[Mistake, ...] = (
    Mistake("Deals", 12, "Amount", "amount typed in words («сто тысяч»)"),
    Mistake("Deals", 47, "Deal ID", "Deal ID of an earlier deal typed again (row copied)"),
    Mistake("Deals", 83, "Signed", "date in the future (the year typed one too high)"),
    Mistake("Payments", 60, "Deal ID", "payment for an unknown Deal ID (a Cyrillic «Д» typed for «D»)"),
    Mistake("Payments", 140, "Amount", "negative amount (a refund typed as a payment)"),
    Mistake("Funnel", 150, "Manager", "unknown manager (the name misspelt)"),
    Mistake("Funnel", 400, "Date", "ambiguous date typed as dd/mm/yyyy"),
)
UNKNOWN_MANAGER = Bi("Igor Kusnetsov", "Игорь Кузнецв")


@dataclass
class DemoWorkbook:
    """Input tabs (title, values with the header row first) and number formats keyed by
    (tab title, row index into values, column index)."""

    tabs: list[tuple[str, list[list[Any]]]]
    formats: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def to_raw(self) -> RawWorkbook:
        """The same tabs as the core's :class:`RawWorkbook`, as an adapter would read them."""
        return RawWorkbook([
            RawTab(title, values, {(r, c): f for (t, r, c), f in self.formats.items() if t == title})
            for title, values in self.tabs])


def demo_tabs(as_of: date) -> DemoWorkbook:
    """The demo workbook with English tab names, headers and enum values."""
    return _render(_generate(as_of), "en")


def demo_tabs_ru(as_of: date) -> DemoWorkbook:
    """The same demo workbook with Russian tab names, headers, enum values and names."""
    return _render(_generate(as_of), "ru")


def write_demo(path: str | Path, as_of: date, lang: str = "en") -> None:
    """Write the demo workbook as a new .xlsx at ``path`` (the only I/O here, done by the local adapter)."""
    from sheets_sync.local.write import create_workbook  # openpyxl only when a file is written

    book = demo_tabs_ru(as_of) if lang == "ru" else demo_tabs(as_of)
    create_workbook(path, book.tabs, book.formats)


def late_correction_id(as_of: date) -> str:
    """The Deal ID of the deal whose amount the month-close story corrects late (:mod:`demo.story`)."""
    return _generate(as_of, story=True)["story"][0][0]


def _generate(as_of: date, story: bool = False) -> dict[str, list[list[Any]]]:
    """Data rows per tab key, cells still bilingual (:class:`Bi`) and typed (dates, :class:`Percent`);
    with ``story``, also the key ``story``: the Deal ID of the late correction."""
    rng, window = random.Random(SEED), Window(as_of)
    people, names = cast(window), ClientNames(rng)
    deals = sales_deals(rng, window, people, names)
    deals = sorted(deals + upsells(rng, window, deals), key=lambda d: d.signed)
    deals = _with_deal_mistakes(rng, deals, names)
    valid = [d for d in deals if not d.tag.startswith("mistake")]
    payments: list[Payment] = all_payments(rng, window, valid)
    steps: list[Step] = all_steps(rng, window, people, names, [d for d in valid if d.manager != "pavel"])
    special = {d.deal_id for d in valid if d.tag}
    pay_rows = _with_payment_mistakes(payment_rows(rng, people, payments), special)
    if story:
        return {"story": [[next(d.deal_id for d in valid if d.tag == "late_correction")]]}
    return {
        "team": team_rows(window, people),
        "plans": plan_rows(window, people),
        "deals": deal_rows(rng, people, deals),
        "payments": pay_rows,
        "funnel": _with_funnel_mistakes(funnel_rows(rng, people, steps), people[CALL_CENTRE].name, names),
        "rules": rule_rows(window, people),
        "splits": split_rows(window, people, valid),
        "scenario": scenario_rows(rule_rows(window, people)),
    }


def _mistake(tab: str, column: str) -> int:
    """The index into the data rows (header excluded) where a documented mistake goes."""
    return next(m.row for m in MISTAKES if (m.tab, m.column) == (tab, column)) - 2


def _with_deal_mistakes(rng: random.Random, deals: list[Deal], names: ClientNames) -> list[Deal]:
    """Insert the three `Deals` mistakes and number all deals D-1001, D-1002, … in row order."""
    deals = list(deals)
    for column, tag in (("Amount", "mistake_text"), ("Deal ID", "mistake_duplicate"),
                        ("Signed", "mistake_future")):
        at = _mistake("Deals", column)
        before = deals[at - 1]
        signed = before.signed
        if tag == "mistake_future":
            signed = date(signed.year + 1, signed.month, min(signed.day, 28))
        amount = 100_000.0 if tag == "mistake_text" else float(rng.randrange(60_000, 95_000, 500))
        deals.insert(at, Deal(before.manager, signed, names.next(), amount, tag=tag))
    number = 1000
    for index, deal in enumerate(deals):
        if deal.tag == "mistake_duplicate":  # the row copied from the last real deal above, ID included
            deal.deal_id = next(d.deal_id for d in reversed(deals[:index]) if not d.tag)
        else:
            number += 1
            deal.deal_id = f"D-{number}"
    return deals


def _with_payment_mistakes(rows: list[list[Any]], special: set[str]) -> list[list[Any]]:
    """Insert the unknown-deal and negative-amount `Payments` rows, each copying a payment just above
    (never one of a hand-placed deal, so no signal depends on a mistaken row)."""
    rows = list(rows)
    for column in ("Deal ID", "Amount"):
        at = _mistake("Payments", column)
        deal_id, paid_on, amount, month = next(r[:4] for r in reversed(rows[:at]) if r[0] not in special)
        if column == "Deal ID":
            rows.insert(at, ["Д" + deal_id[1:], paid_on, amount, month, None])
        else:
            rows.insert(at, [deal_id, paid_on, -15_000, month, None])
    return rows


def _with_funnel_mistakes(rows: list[list[Any]], operator: Bi, names: ClientNames) -> list[list[Any]]:
    """Insert a row by a misspelt manager and a row with an ambiguous dd/mm/yyyy date."""
    rows = list(rows)
    at = _mistake("Funnel", "Manager")
    rows.insert(at, [rows[at - 1][0], UNKNOWN_MANAGER, names.next(), 1, ACTIONS[1], None])
    at = _mistake("Funnel", "Date")
    day = _as_date(rows[at - 1][0])
    day = day.replace(day=min(day.day, 12))
    if day.day == day.month:  # 03/03 is not ambiguous: make it so
        day += timedelta(days=-1 if day.day > 1 else 1)
    typed = f"{day.day:02d}/{day.month:02d}/{day.year}"
    rows.insert(at, [typed, operator, names.next(), 1, ACTIONS[1], None])
    return rows


def _as_date(cell: Any) -> date:
    """A date cell written by :func:`demo.text.date_cell` back as a date."""
    if isinstance(cell, date):
        return cell
    if "." in cell:
        day, month, year = cell.split(".")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(cell)


def _render(data: dict[str, list[list[Any]]], lang: str) -> DemoWorkbook:
    """Pick one language for every bilingual cell and collect the number formats of typed cells."""
    tabs: list[tuple[str, list[list[Any]]]] = []
    formats: dict[tuple[str, int, int], str] = {}
    for spec in ALL_INPUT_TABS:
        if spec.key not in data:
            continue
        title = spec.title(lang)
        values: list[list[Any]] = [[col.ru if lang == "ru" else col.en for col in spec.columns]]
        for r, row in enumerate(data[spec.key], start=1):
            out = []
            for c, cell in enumerate(row):
                if isinstance(cell, Bi):
                    cell = cell.pick(lang)
                elif isinstance(cell, Percent):
                    formats[(title, r, c)] = PERCENT_FORMAT
                    cell = cell.fraction
                elif isinstance(cell, date):
                    formats[(title, r, c)] = DATE_FORMAT
                out.append(cell)
            values.append(out)
        tabs.append((title, values))
    return DemoWorkbook(tabs, formats)
