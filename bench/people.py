"""The benchmark agency's people, plans and rules.

Roles follow seed 001 (about 10 % call centre, 5 % post-sale, 5 % receivables, the rest sales; at
least one of each); one manager in twenty gets a salary change half-way (two `Team` rows). Rules
cover all ten pay components and the signal settings, with one rules change half-way through.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.cells import serial
from formulas.months import month_label, month_start

_FIRST = ("Anna", "Boris", "Dmitry", "Elena", "Igor", "Olga", "Pavel", "Svetlana", "Maria", "Sergey",
          "Natalia", "Alexey", "Irina", "Nikolay", "Tatiana", "Viktor", "Yulia", "Roman", "Oksana", "Denis")
_LAST = ("Petrov", "Ivanov", "Sokolov", "Smirnov", "Kuznetsov", "Morozov", "Volkov", "Orlov", "Popov",
         "Lebedev", "Kozlov", "Novikov", "Egorov", "Pavlov", "Semenov", "Golubev", "Vinogradov",
         "Bogdanov", "Vorobyov", "Fedorov")
TEAM_HEADER = ["Manager", "Role", "Base salary", "From", "To"]
PLANS_HEADER = ["Month", "Manager", "Plan amount", "Plan deals"]
RULES_HEADER = ["From", "Applies to", "Component", "Threshold", "Value", "Note"]


@dataclass(frozen=True)
class Staff:
    """Managers by index: names, roles, base salaries, and the indexes of each role."""

    names: np.ndarray
    roles: np.ndarray
    salary: np.ndarray
    changed: np.ndarray  # indexes of managers whose salary changes half-way

    def of(self, role: str) -> np.ndarray:
        """Indexes of the managers with ``role``."""
        return np.flatnonzero(self.roles == role)

    @property
    def sales(self) -> np.ndarray:
        """Indexes of the sales managers."""
        return self.of("sales")

    @property
    def call_centre(self) -> np.ndarray:
        """Indexes of the call-centre managers."""
        return self.of("call_centre")


def staff(rng: np.random.Generator, count: int, first_month: int, months: int) -> Staff:
    """``count`` managers with unique names and all four roles."""
    names = np.array([f"{_FIRST[i % 20]} {_LAST[(i // 20 + i) % 20]}{'a' * (_FIRST[i % 20][-1] == 'a')}"
                      + (f" {i // 400 + 1}" if count > 400 else "") for i in range(count)], dtype=object)
    small = (max(1, count // 10), max(1, count // 20), max(1, count // 20))
    roles = np.array(["call_centre"] * small[0] + ["post_sale"] * small[1] + ["receivables"] * small[2]
                     + ["sales"] * (count - sum(small)), dtype=object)
    salary = np.round(rng.uniform(30_000, 50_000, count) / 1000) * 1000
    changed = np.flatnonzero(rng.random(count) < 0.05)
    return Staff(names, rng.permutation(roles), salary, changed)


def team_tab(people: Staff, first_month: int, months: int) -> list[list]:
    """`Team` values: hired before the window; salary changes as a closed row plus a new one."""
    hired = serial(month_start(first_month - 12))
    change = month_start(first_month + months // 2)
    changed = set(people.changed.tolist())
    rows: list[list] = [TEAM_HEADER]
    for i, name in enumerate(people.names.tolist()):
        base = float(people.salary[i])
        if i in changed:
            rows.append([name, people.roles[i], base, hired, serial(change) - 1])
            rows.append([name, people.roles[i], base + 5_000, change.isoformat(), None])
        else:
            rows.append([name, people.roles[i], base, hired, None])
    return rows


def plans_tab(rng: np.random.Generator, people: Staff, first_month: int, months: int,
              deals: int) -> list[list]:
    """`Plans` values: one plan per sales manager and month, about what they usually sell."""
    sales = people.sales
    per_month = deals / len(sales) / months  # deals per manager-month
    count = len(sales) * months
    month = np.repeat(np.arange(first_month, first_month + months), len(sales))
    labels = np.array([month_label(m) for m in range(first_month, first_month + months)], dtype=object)
    cells = labels[month - first_month]
    dotted = rng.random(count) < 0.1
    cells[dotted] = [f"{label[5:]}.{label[:4]}" for label in cells[dotted].tolist()]
    amount = np.round(per_month * 125_000 * rng.uniform(0.85, 1.15, count) / 10_000) * 10_000
    plan_deals = np.round(per_month * rng.uniform(0.8, 1.1, count)).astype(np.int64).astype(object)
    rows = np.empty((count, 4), dtype=object)
    rows[:, 0], rows[:, 1] = cells, people.names[np.tile(sales, months)]
    rows[:, 2], rows[:, 3] = amount, plan_deals
    return [PLANS_HEADER, *rows.tolist()]


def rules_tab(people: Staff, first_month: int, months: int) -> tuple[list[list], dict[tuple[int, int], str]]:
    """`Rules` values for all ten components and the signal settings, and the percent-formatted cell."""
    start, change = month_label(first_month), month_start(first_month + months // 2).isoformat()
    star, named = "*", str(people.names[people.sales[0]])
    rows = [
        [start, star, "deal_percent", None, 3, "default"],
        [start, "sales", "deal_percent", None, 0.05, "percent-formatted cell"],
        [change, "sales", "deal_percent", None, 6, "rules change"],
        [start, named, "deal_percent", None, 7, "senior"],
        [start, "sales", "plan_bonus", 100, 20_000, ""],
        [start, "sales", "plan_bonus", 120, 30_000, ""],
        [start, "sales", "deal_count_bonus", None, 10_000, "threshold = Plan deals"],
        [start, "sales", "client_turnover_bonus", 100_000, 25_000, ""],
        [start, "sales", "client_turnover_bonus", 150_000, 35_000, ""],
        [start, "sales", "payment_percent", 1, 15, ""],
        [start, "sales", "payment_percent", 4, 15, ""],
        [start, "sales", "first_month_margin_percent", None, "50 %", ""],
        [start, "sales", "inbound_deal_bonus", None, 2_000, ""],
        [start, "call_centre", "stage_bonus", 3, 500, ""],
        [start, "receivables", "collected_percent", None, "2,5", ""],
        [start, "sales", "clawback", 3, 100, ""],
        [start, star, "stuck_days", 5, 21, ""],
        [start, star, "idle_days", None, 14, ""],
    ]
    return [RULES_HEADER, *rows], {(2, 4): "0%"}
