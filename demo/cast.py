"""The demo agency: its calendar, its eight people, their plans and the pay rules.

A construction / renovation firm organised as in seed 001 (call centre, sales, post-sale service,
receivables), paid as in seeds 000 and 002. The story the data tells, month by month (month 0 is
the oldest of the six, month 5 the as-of month):

* Dmitry joins on day 10 of month 2; Elena leaves on day 14 of month 4.
* Boris misses his plan in months 2 and 3 and, as seed 002 suggests, his salary is cut from month 4
  (two `Team` rows).
* Igor's plan is raised by more than 30 % in month 3; `sales` get 6 % instead of 5 % from month 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from demo.text import Bi, Percent, role, ru_date, ru_month, spaced
from formulas.months import month_end, month_label, month_of, month_start

MONTHS = 6


@dataclass(frozen=True)
class Window:
    """The six months the demo covers, ending with the month of the as-of date."""

    as_of: date

    def month(self, i: int) -> int:
        """Month index of month ``i`` (0 = oldest, 5 = the as-of month)."""
        return month_of(self.as_of) - (MONTHS - 1) + i

    def first(self, i: int) -> date:
        """First day of month ``i``."""
        return month_start(self.month(i))

    def last(self, i: int) -> date:
        """Last day of month ``i`` that is not after the as-of date."""
        return min(month_end(self.month(i)), self.as_of)

    @property
    def start(self) -> date:
        """The first day of the window."""
        return self.first(0)


@dataclass(frozen=True)
class Manager:
    """One person of the demo agency and the days they are employed (``end`` None = still here)."""

    key: str
    name: Bi
    role: str
    start: date
    end: date | None

    def works(self, first: date, last: date) -> tuple[date, date] | None:
        """The employed part of ``first..last``, or None when not employed then."""
        lo, hi = max(first, self.start), min(last, self.end or last)
        return (lo, hi) if lo <= hi else None


def cast(window: Window) -> dict[str, Manager]:
    """The eight managers, keyed by a short id; hire dates before the window are relative to it."""
    before = window.start - timedelta(days=1)
    people = (
        Manager("anna", Bi("Anna Petrova", "Анна Петрова"), "sales", before - timedelta(days=700), None),
        Manager("boris", Bi("Boris Ivanov", "Борис Иванов"), "sales", before - timedelta(days=420), None),
        Manager("dmitry", Bi("Dmitry Sokolov", "Дмитрий Соколов"), "sales",
                window.first(2) + timedelta(days=9), None),
        Manager("elena", Bi("Elena Smirnova", "Елена Смирнова"), "sales", before - timedelta(days=300),
                window.first(4) + timedelta(days=13)),
        Manager("igor", Bi("Igor Kuznetsov", "Игорь Кузнецов"), "sales", before - timedelta(days=150), None),
        Manager("olga", Bi("Olga Morozova", "Ольга Морозова"), "call_centre",
                before - timedelta(days=500), None),
        Manager("pavel", Bi("Pavel Volkov", "Павел Волков"), "post_sale", before - timedelta(days=365), None),
        Manager("svetlana", Bi("Svetlana Orlova", "Светлана Орлова"), "receivables",
                before - timedelta(days=240), None),
    )
    return {person.key: person for person in people}


SALES = ("anna", "boris", "dmitry", "elena", "igor")
BASE_SALARY = {"anna": 45_000, "boris": 40_000, "dmitry": 35_000, "elena": 42_000, "igor": 40_000,
               "olga": 30_000, "pavel": 38_000, "svetlana": 32_000}
BORIS_CUT = 34_000  # Boris's salary after two missed plans (seed 002: "reduce the salary by a percent")


def team_rows(window: Window, people: dict[str, Manager]) -> list[list[Any]]:
    """`Team` rows: Manager, Role, Base salary, From, To."""
    rows: list[list[Any]] = []
    for person in people.values():
        salary: Any = spaced(BASE_SALARY[person.key]) if person.key == "anna" else BASE_SALARY[person.key]
        start: Any = ru_date(person.start) if person.key == "dmitry" else person.start
        end: Any = person.end
        if person.key == "boris":
            end = window.first(4) - timedelta(days=1)  # the salary cut starts with month 4
        rows.append([person.name, role(person.role), salary, start, end])
        if person.key == "boris":
            rows.append([person.name, role(person.role), BORIS_CUT, window.first(4), None])
    return rows


# Plan amounts in thousands per month 0..5 (None = no plan: not employed) and plan deal counts.
PLANS = {
    "anna": ((900, 900, 950, 950, 1000, 1000), 6),
    "boris": ((750, 750, 800, 800, 700, 700), 5),
    "dmitry": ((None, None, 400, 500, 500, 550), 4),
    "elena": ((700, 700, 750, 750, 750, None), 5),
    "igor": ((600, 600, 600, 850, 850, 900), 4),  # +41.7 % in month 3: a plan_jump signal
}


def plan_amount(key: str, i: int) -> int | None:
    """The plan of a sales manager for month ``i`` in roubles, None when there is none."""
    thousands = PLANS[key][0][i]
    return None if thousands is None else thousands * 1000


def plan_rows(window: Window, people: dict[str, Manager]) -> list[list[Any]]:
    """`Plans` rows (Month, Manager, Plan amount, Plan deals), month by month, in messy month styles."""
    rows: list[list[Any]] = []
    for i in range(MONTHS):
        for key in SALES:
            amount = plan_amount(key, i)
            if amount is None:
                continue
            month: Any = month_label(window.month(i))
            if (key, i) == ("igor", 1):
                month = ru_month(window.first(i))  # «март 2026»
            elif (key, i) == ("boris", 0):
                month = f"{window.first(i).month:02d}.{window.first(i).year}"
            elif (key, i) == ("elena", 2):
                month = window.first(i)  # a date cell: any date in the month names the month
            shown: Any = spaced(amount) if (key, i) == ("anna", 3) else amount
            rows.append([month, people[key].name, shown, PLANS[key][1]])
    return rows


def rule_rows(window: Window, people: dict[str, Manager]) -> list[list[Any]]:
    """`Rules` rows (From, Applies to, Component, Threshold, Value, Note) in the seeds' spirit."""
    start: Any = month_label(window.month(0))
    change = window.first(3)  # the rules change: `From` typed as the first day of month 3
    sales, everyone = role("sales"), "*"
    return [
        [start, everyone, "deal_percent", None, 3, Bi("default rate", "ставка по умолчанию")],
        [start, sales, "deal_percent", None, Percent(0.05), Bi("seed 000: % of the deal", "% от сделки")],
        [change, sales, "deal_percent", None, 6, Bi("raised from this month", "повышена с этого месяца")],
        [start, people["anna"].name, "deal_percent", None, 7, Bi("senior manager", "старший менеджер")],
        [start, sales, "plan_bonus", 100, 20_000, Bi("plan met", "план выполнен")],
        [start, sales, "plan_bonus", 120, 30_000, Bi("plan beaten by 20 %", "план перевыполнен на 20 %")],
        [start, sales, "deal_count_bonus", None, 10_000, Bi("threshold = Plan deals", "порог = план сделок")],
        [start, sales, "client_turnover_bonus", 100_000, 25_000, Bi("seed 002", "клиент от 100 000")],
        [start, sales, "client_turnover_bonus", 150_000, 35_000, Bi("seed 002", "клиент от 150 000")],
        [start, sales, "payment_percent", 1, 15, Bi("1st contract month", "1-й месяц договора")],
        [start, sales, "payment_percent", 4, 15, Bi("4th contract month", "4-й месяц договора")],
        [f"{window.first(0).month:02d}.{window.first(0).year}", sales, "first_month_margin_percent", None,
         "50 %", Bi("of the first-month margin", "от маржи 1-го месяца")],
        [start, sales, "inbound_deal_bonus", None, 2_000, Bi("per inbound deal", "за входящую сделку")],
        [start, role("call_centre"), "stage_bonus", 3, 500, Bi("meeting set", "встреча назначена")],
        [start, role("receivables"), "collected_percent", None, "2,5", Bi("of collected", "от собранного")],
        [start, sales, "clawback", 3, 100, Bi("cancelled within 3 months", "расторжение в 3 месяца")],
        [start, everyone, "stuck_days", 5, 21, Bi("offer sent: 3 weeks max", "КП: не дольше 3 недель")],
    ]
