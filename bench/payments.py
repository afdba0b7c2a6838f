"""The benchmark `Payments` tab, built column-wise with numpy: exactly the requested number of rows.

Each deal is paid in monthly instalments (contract months 1, 2, …, at most 12) that fall on or before
the as-of date and its cancellation. Every deal pays month 1; later months are picked by a per-deal
"loyalty", so each deal pays a prefix 1..k of its contract months (clients leave, they never skip).
A few instalments are paid in two parts, which also tops the count up when the window is too short
for enough whole months.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bench.cells import date_cells, money_cells, table
from bench.people import Staff

if TYPE_CHECKING:
    from bench.generate import Deals

HEADER = ["Deal ID", "Paid on", "Amount", "Contract month", "Collector"]
MAX_MONTHS = 12


def _due(rng: np.random.Generator, deals: Deals, as_of: int) -> tuple[np.ndarray, np.ndarray]:
    """Due serial per deal and contract month, and the limit (as-of date or cancellation) per deal."""
    count = len(deals.ids)
    months = np.arange(MAX_MONTHS)
    jitter = np.where(months == 0, rng.integers(0, 7, (count, MAX_MONTHS)),
                      rng.integers(-3, 12, (count, MAX_MONTHS)))
    due = deals.serial[:, None] + np.round(months * 30.44).astype(np.int64) + jitter
    limit = np.where(deals.cancel >= 0, deals.cancel, as_of)
    due[:, 0] = np.minimum(due[:, 0], limit)  # month 1 is always paid, at the latest on the limit
    return due, limit


def payments_tab(rng: np.random.Generator, count: int, deals: Deals, people: Staff, as_of: int) -> list[list]:
    """Header plus exactly ``count`` payment rows in date order."""
    due, limit = _due(rng, deals, as_of)
    deal, month = np.nonzero(due <= limit[:, None])  # each deal's possible months form a prefix
    loyalty = rng.exponential(1.0, len(deals.ids))
    priority = month * loyalty[deal]  # month 1 has priority 0: always picked
    parts = max(count - len(deal), int(count * 0.03))
    keep = count - parts
    if keep < len(deals.ids):
        raise ValueError("fewer payments than deals: every deal pays its first month")
    chosen = np.sort(np.argpartition(priority, keep - 1)[:keep])
    deal, month = deal[chosen], month[chosen]
    paid = due[deal, month]
    instalment = np.round(deals.amount[deal] / np.bincount(deal, minlength=len(deals.ids))[deal], 2)

    split = rng.choice(keep, parts, replace=parts > keep)
    first_part = np.round(instalment[split] / 2, 2)
    second = (deal[split], month[split], np.minimum(paid[split] + rng.integers(5, 21, parts),
                                                    limit[deal[split]]), instalment[split] - first_part)
    instalment[split] = first_part
    deal = np.concatenate([deal, second[0]])
    month = np.concatenate([month, second[1]]) + 1
    paid = np.concatenate([paid, second[2]])
    amount = np.concatenate([instalment, second[3]])

    order = np.argsort(paid, kind="stable")
    deal, month, paid, amount = deal[order], month[order], paid[order], amount[order]
    month_cell = month.astype(object)
    month_cell[(month == 1) & (rng.random(count) < 0.15)] = None  # blank means contract month 1
    receivables = people.of("receivables")
    collector = np.full(count, None, dtype=object)
    collected = rng.random(count) < 0.15
    collector[collected] = people.names[rng.choice(receivables, int(collected.sum()))]
    return table(HEADER, [deals.ids[deal], date_cells(paid, rng), money_cells(amount, rng), month_cell,
                          collector])
