"""Synthetic agencies of PRODUCT.md section 7's sizes, as the raw workbook an adapter would read.

``generate(size, as_of, seed)`` builds every column with numpy and turns it into cell values in one
step, so even the 100-manager, 36-month agency (1.6 million rows) is generated in seconds. The data
is valid per the contract: unique Deal IDs, payments only for existing deals, nothing dated after the
as-of date, every manager in `Team`, rules for all ten components.

``python -m bench.generate SIZE OUT.xlsx [--as-of YYYY-MM-DD] [--seed N]`` writes it as an .xlsx
(openpyxl write-only mode) to time the local adapter's file reading.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date

import numpy as np

from bench.cells import date_cells, money_cells, serial, table
from bench.funnel import Signed, client_names, funnel_tab
from bench.payments import payments_tab
from bench.people import Staff, plans_tab, rules_tab, staff, team_tab
from formulas.months import month_of, month_start
from formulas.raw import RawTab, RawWorkbook


@dataclass(frozen=True)
class Size:
    """How big an agency is: people, months of history and data rows per tab."""

    managers: int
    months: int
    deals: int
    payments: int
    funnel: int


SIZES = {
    "tiny": Size(5, 3, 120, 240, 1_200),
    "small": Size(20, 12, 5_000, 25_000, 50_000),
    "large": Size(100, 36, 100_000, 500_000, 1_000_000),
}
DEALS_HEADER = ["Deal ID", "Signed", "Manager", "Client", "Amount", "Source", "First-month margin",
                "Status", "Cancelled on"]


@dataclass(frozen=True)
class Deals:
    """The deal columns the payments and the funnel are built from."""

    serial: np.ndarray
    manager: np.ndarray
    amount: np.ndarray
    inbound: np.ndarray
    cancel: np.ndarray  # serial of the cancellation, -1 when not cancelled
    ids: np.ndarray


def _deals(rng: np.random.Generator, count: int, people: Staff, window: tuple[int, int]) -> Deals:
    """Deals in signing order, by sales managers of uneven skill; 3 % cancelled later."""
    start, as_of = window
    signed = np.sort(rng.integers(start, as_of + 1, count))
    skill = rng.lognormal(0.0, 0.3, len(people.sales))
    manager = rng.choice(people.sales, count, p=skill / skill.sum())
    amount = np.maximum(20_000.0, np.round(rng.lognormal(np.log(120_000), 0.45, count) / 500) * 500)
    cancelled = rng.random(count) < 0.03
    cancel = np.where(cancelled, np.minimum(signed + rng.integers(0, 150, count), as_of), -1)
    ids = np.array([f"D-{n:07d}" for n in range(1, count + 1)], dtype=object)
    return Deals(signed, manager, amount, rng.random(count) < 0.35, cancel, ids)


def _deals_tab(rng: np.random.Generator, deals: Deals, names: np.ndarray) -> list[list]:
    """`Deals` values: header plus one row per deal, typed messily but validly."""
    count = len(deals.ids)
    source = np.where(deals.inbound, "inbound", np.where(rng.random(count) < 0.5, "outbound", None))
    margin = money_cells(deals.amount * rng.uniform(-0.05, 0.35, count), rng)
    margin[rng.random(count) >= 0.4] = None
    cancelled = deals.cancel >= 0
    status = np.where(cancelled, np.where(rng.random(count) < 0.7, "cancelled", "refunded"),
                      np.where(rng.random(count) < 0.3, "active", None))
    cancel_cells = np.full(count, None, dtype=object)
    cancel_cells[cancelled] = date_cells(deals.cancel[cancelled], rng)
    return table(DEALS_HEADER, [deals.ids, date_cells(deals.serial, rng), names[deals.manager],
                                client_names(np.arange(count)), money_cells(deals.amount, rng),
                                source.astype(object), margin, status.astype(object), cancel_cells])


def generate(size: str, as_of: date, seed: int = 1) -> RawWorkbook:
    """A synthetic agency of size ``tiny``, ``small`` or ``large`` with data up to ``as_of``."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}: use one of {', '.join(SIZES)}")
    spec = SIZES[size]
    rng = np.random.default_rng(seed)
    first_month = month_of(as_of) - spec.months + 1
    window = (serial(month_start(first_month)), serial(as_of))
    people = staff(rng, spec.managers, first_month, spec.months)
    deals = _deals(rng, spec.deals, people, window)
    signed = Signed(np.arange(spec.deals), deals.manager, deals.serial, deals.inbound)
    rules, percent = rules_tab(people, first_month, spec.months)
    return RawWorkbook([
        RawTab("Team", team_tab(people, first_month, spec.months)),
        RawTab("Plans", plans_tab(rng, people, first_month, spec.months, spec.deals)),
        RawTab("Deals", _deals_tab(rng, deals, people.names)),
        RawTab("Payments", payments_tab(rng, spec.payments, deals, people, window[1])),
        RawTab("Funnel", funnel_tab(rng, spec.funnel, signed, people.names, people.sales,
                                    people.call_centre, window)),
        RawTab("Rules", rules, percent),
    ])


def write_xlsx(book: RawWorkbook, path: str) -> None:
    """Write the workbook with openpyxl in write-only mode (formatted cells, percents and dates, keep their format)."""
    from openpyxl import Workbook  # imported here: generating needs no openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for tab in book.tabs:
        sheet = workbook.create_sheet(tab.title)
        formatted = {r for r, _ in tab.formats}
        for r, row in enumerate(tab.values):
            if r in formatted:
                cells = []
                for c, value in enumerate(row):
                    cell = WriteOnlyCell(sheet, value=value)
                    if (r, c) in tab.formats:
                        cell.number_format = tab.formats[(r, c)]
                    cells.append(cell)
                sheet.append(cells)
            else:
                sheet.append(row)
    workbook.save(path)


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a workbook of the given size and write it as .xlsx, reporting timings."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("out", help="path of the .xlsx file to write")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today())
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    book = generate(args.size, args.as_of, args.seed)
    generated = time.perf_counter()
    write_xlsx(book, args.out)
    written = time.perf_counter()
    rows = {tab.title: len(tab.values) - 1 for tab in book.tabs}
    print(f"{args.size}: {rows}; generated in {generated - started:.2f} s, "
          f"written to {args.out} in {written - generated:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
