"""The demo agency's funnel (seed 003): one row per action, clients moving through stages 1..7.

Three kinds of clients: those who signed (their path ends at stage 7 on the signing date, the call
centre often doing stages 1–3 as in seed 001), those lost along the way (with a reason), and those
still in work at the as-of date, among them one stuck at `offer sent` beyond the `stuck_days` rule
and one idle for three weeks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from demo.cast import Manager, Window
from demo.deals import Deal
from demo.text import ACTIONS, FOLLOW_UP, LOST_REASONS, Bi, ClientNames

CALL_CENTRE = "olga"
IN_WORK_MANAGERS = ("anna", "boris", "dmitry", "igor")  # sales managers still employed at the as-of date
LOST_CLIENTS, OPEN_CLIENTS = 160, 70
_TOP_STAGE_WEIGHTS = (30, 25, 20, 10, 10, 5)  # how far lost / open clients got: stages 1..6


@dataclass
class Step:
    """One `Funnel` row before rendering (stage 0 = lost)."""

    day: date
    manager: str
    client: Bi
    stage: int
    action: Bi
    reason: Bi | None = None


def _spread(rng: random.Random, first: date, last: date, count: int) -> list[date]:
    """``count`` sorted days from ``first`` to ``last``, both ends included."""
    if count == 1:
        return [last]
    span = (last - first).days
    middle = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(count - 2))
    return [first, *middle, last]


def _stages(rng: random.Random, start: int, top: int) -> list[int]:
    """Stages ``start..top`` in order, some skipped, sometimes one logged twice (a follow-up)."""
    stages = [s for s in range(start, top + 1) if s in (start, top) or rng.random() < 0.85]
    if len(stages) > 1 and rng.random() < 0.2:
        at = rng.randrange(len(stages) - 1)
        stages.insert(at + 1, stages[at])
    return stages


def _steps(manager: str, client: Bi, stages: list[int], days: list[date]) -> list[Step]:
    """Rows for one client; a repeated stage is a follow-up action."""
    steps, previous = [], -1
    for stage, day in zip(stages, days, strict=True):
        steps.append(Step(day, manager, client, stage, FOLLOW_UP if stage == previous else ACTIONS[stage]))
        previous = stage
    return steps


def signed_steps(rng: random.Random, window: Window, people: dict[str, Manager], deal: Deal) -> list[Step]:
    """The path of a client who signed: ends at stage 7 on the signing date."""
    stages = _stages(rng, 2 if deal.inbound else 1, 7)  # an inbound lead starts with interest expressed
    first = deal.signed - timedelta(days=rng.randint(10, 60))
    lo = max(window.start, people[deal.manager].start)
    if first < lo:  # the client came in before the window or the manager: start somewhere after that
        first = lo + timedelta(days=rng.randint(0, (deal.signed - lo).days // 2))
    steps = _steps(deal.manager, deal.client, stages, _spread(rng, first, deal.signed, len(stages)))
    if not deal.inbound and rng.random() < 0.5:
        for step in steps:
            if step.stage <= 3:
                step.manager = CALL_CENTRE  # seed 001: the call centre sets the meetings
    return steps


def _top(rng: random.Random) -> int:
    return rng.choices(range(1, 7), _TOP_STAGE_WEIGHTS)[0]


def lost_steps(rng: random.Random, window: Window, people: dict[str, Manager],
               names: ClientNames) -> list[Step]:
    """Clients lost along the way, each with a reason on its last row."""
    reasons, weights = zip(*LOST_REASONS, strict=True)
    steps = []
    for _ in range(LOST_CLIENTS):
        top = _top(rng)
        cold = top <= 2 and rng.random() < 0.3  # refused on the call centre's first calls
        manager = CALL_CENTRE if cold else rng.choice((*IN_WORK_MANAGERS, "elena"))
        lo, hi = people[manager].works(window.start, window.as_of) or (window.start, window.as_of)
        last = lo + timedelta(days=rng.randint(0, (hi - lo).days))
        first = max(lo, last - timedelta(days=rng.randint(3, 40)))
        stages = [*_stages(rng, 1, top), 0]
        client = _steps(manager, names.next(), stages, _spread(rng, first, last, len(stages)))
        client[-1].reason = rng.choices(reasons, weights)[0]
        steps.extend(client)
    return steps


def open_steps(rng: random.Random, window: Window, people: dict[str, Manager],
               names: ClientNames) -> list[Step]:
    """Clients in work at the as-of date; about a quarter have had no action for two weeks or more."""
    steps = []
    for _ in range(OPEN_CLIENTS):
        manager = rng.choice(IN_WORK_MANAGERS)
        lag = rng.randint(0, 10) if rng.random() < 0.75 else rng.randint(14, 45)
        last = max(window.as_of - timedelta(days=lag), people[manager].start)
        first = max(window.start, people[manager].start, last - timedelta(days=rng.randint(3, 40)))
        stages = _stages(rng, 1, _top(rng))
        steps.extend(_steps(manager, names.next(), stages, _spread(rng, first, last, len(stages))))
    return steps


def designated_steps(window: Window, names: ClientNames) -> list[Step]:
    """A client stuck at `offer sent` 35 days, one idle 20 days, one that moved on the as-of day."""
    def ago(days: int) -> date:
        return window.as_of - timedelta(days=days)

    stuck, idle, today = names.next(), names.next(), names.next()
    return [
        *_steps("anna", stuck, [1, 2, 3, 4, 5, 5], [ago(60), ago(52), ago(45), ago(40), ago(35), ago(4)]),
        *_steps("igor", idle, [1, 2], [ago(27), ago(20)]),
        *_steps("boris", today, [1, 2, 3], [ago(6), ago(2), ago(0)]),
    ]


def all_steps(rng: random.Random, window: Window, people: dict[str, Manager], names: ClientNames,
              signed: list[Deal]) -> list[Step]:
    """Every funnel row in date order (rows of one day keep the order they were logged in)."""
    steps = [s for deal in signed for s in signed_steps(rng, window, people, deal)]
    steps += lost_steps(rng, window, people, names) + open_steps(rng, window, people, names)
    steps += designated_steps(window, names)
    return sorted(steps, key=lambda s: s.day)
