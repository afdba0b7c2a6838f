"""The benchmark `Funnel` tab, built column-wise with numpy: exactly the requested number of rows.

Every deal's client walks from stage 1 (or 2 for inbound leads) to stage 7 on the signing date;
the remaining rows belong to clients who were lost (last row `lost`, with a reason) or are still in
work. Stages rise evenly over a client's rows, so short paths skip stages and long ones repeat a
stage (a follow-up); dates step back from the client's last row by random gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.cells import date_cells, table
from formulas.contract import STAGE_NAMES_EN

ACTIONS = np.array(["client refused", "call to the decision maker", "asked for a price list",
                    "site measurement booked", "got the specification", "estimate sent", "terms agreed",
                    "contract signed"], dtype=object)
STAGE_TEXT = np.array(["lost", *STAGE_NAMES_EN], dtype=object)
REASONS = np.array(["expensive", "дорого", "chose a competitor", "postponed", "no budget", "no answer"],
                   dtype=object)
HEADER = ["Date", "Manager", "Client", "Stage", "Action", "Lost reason"]


@dataclass(frozen=True)
class Signed:
    """What the funnel needs to know of the deals: their client, manager, date and source."""

    client: np.ndarray   # client number per deal
    manager: np.ndarray  # manager index per deal
    serial: np.ndarray   # signing date (serial) per deal
    inbound: np.ndarray  # bool per deal


def _other_rows(rng: np.random.Generator, remaining: int) -> np.ndarray:
    """Row counts (1..6) of the clients that did not sign, adding up to exactly ``remaining``."""
    counts = rng.integers(1, 7, remaining // 3 + 16)
    while counts.sum() < remaining:
        counts = np.concatenate([counts, rng.integers(1, 7, remaining // 3 + 16)])
    total = np.cumsum(counts)
    last = int(np.searchsorted(total, remaining))
    counts = counts[:last + 1].copy()
    counts[-1] -= total[last] - remaining
    return counts[counts > 0]


def funnel_tab(rng: np.random.Generator, rows: int, signed: Signed, names: np.ndarray, sales: np.ndarray,
               call_centre: np.ndarray, window: tuple[int, int]) -> list[list]:
    """Header plus exactly ``rows`` funnel rows in date order; ``names`` are manager names by index."""
    start, as_of = window
    deals = len(signed.serial)
    deal_rows = rng.integers(3, 9, deals)
    others = _other_rows(rng, rows - int(deal_rows.sum()))
    n_other = len(others)
    counts = np.concatenate([deal_rows, others])
    lost = np.concatenate([np.zeros(deals, bool), rng.random(n_other) < 0.65])
    first = np.concatenate([np.where(signed.inbound, 2, 1), np.where(rng.random(n_other) < 0.2, 2, 1)])
    top = np.maximum(np.concatenate([np.full(deals, 7), rng.integers(1, 7, n_other)]), first)
    lag = np.where(rng.random(n_other) < 0.75, rng.integers(0, 11, n_other), rng.integers(14, 61, n_other))
    open_end = np.where(lost[deals:], rng.integers(start, as_of + 1, n_other), as_of - lag)
    end = np.concatenate([signed.serial, np.maximum(open_end, start)])
    manager = np.concatenate([signed.manager, rng.choice(sales, n_other)])
    helper = np.where(rng.random(len(counts)) < 0.4, rng.choice(call_centre, len(counts)), -1)
    client_no = np.concatenate([signed.client, signed.client.max() + 1 + np.arange(n_other)])

    owner = np.repeat(np.arange(len(counts)), counts)  # client of each row, rows grouped by client
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    j = np.arange(rows) - offsets[owner]
    steps = counts - lost  # rows that move forward (a lost client's last row is the loss)
    stage = first[owner] + (j * (top - first)[owner]) // np.maximum(steps - 1, 1)[owner]
    stage = np.where(lost[owner] & (j == counts[owner] - 1), 0, stage)

    gaps = np.round(rng.exponential(4.0, rows)).astype(np.int64)
    since = np.cumsum(gaps)
    serial = end[owner] - (since[offsets + counts - 1][owner] - since)
    serial = np.maximum(serial, start)
    who = np.where((helper[owner] >= 0) & (stage >= 1) & (stage <= 3), helper[owner], manager[owner])

    order = np.argsort(serial, kind="stable")
    stage, serial, who, client = stage[order], serial[order], who[order], client_no[owner][order]
    stage_cell = stage.astype(object)
    as_text = (rng.random(rows) < 0.1) | (stage == 0)
    stage_cell[as_text] = STAGE_TEXT[stage[as_text]]
    reason = np.full(rows, None, dtype=object)
    reason[stage == 0] = REASONS[rng.integers(0, len(REASONS), int((stage == 0).sum()))]
    return table(HEADER, [date_cells(serial, rng), names[who], client_names(client), stage_cell,
                          ACTIONS[stage], reason])


_SURNAMES = np.array(["Kovalev", "Zaitseva", "Belov", "Lebedeva", "Novikov", "Fedorova", "Egorov",
                      "Pavlova", "Semenov", "Golubeva", "Gusev", "Frolova", "Makarov", "Andreeva",
                      "Kozlov", "Stepanova", "Zakharov", "Romanova", "Baranov", "Tarasova"], dtype=object)


def client_names(numbers: np.ndarray) -> np.ndarray:
    """Unique client names (``Kovalev #000123``) for client numbers, vectorised over a name table."""
    unique, inverse = np.unique(numbers, return_inverse=True)
    table_ = np.array([f"{_SURNAMES[n % len(_SURNAMES)]} #{n:06d}" for n in unique.tolist()], dtype=object)
    return table_[inverse]
