"""Fault injection: make chosen requests fail with Google's error bodies.

Two kinds, checked in this order when a request arrives:
- a queue (`FakeSheets.inject([503, 429])`): the next requests, whatever they are, fail in turn;
- armed faults (`FakeSheets.fail_call("batchUpdate", n=2, status=503)`): the n-th request *of one kind*
  counted from the moment of arming fails (and, with `times`, the ones right after it). With
  `applied=True` the request is carried out first and only its answer is the error, as when Google
  commits a batchUpdate but the connection or the proxy fails before the reply reaches the caller.

Besides faults, hooks (`FakeSheets.before_call(kind, action, n)`): an action run when the n-th request of
a kind arrives, before it is handled — another user's edit landing between a run's read and its write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from tests.fake_sheets.errors import ApiError


@dataclass(frozen=True)
class Fault:
    """One armed fault: requests number `first`..`last` (1-based, per kind) of `kind` fail."""

    kind: str
    first: int
    last: int
    status: int
    message: str | None
    applied: bool

    def error(self) -> ApiError:
        """The error the request answers with."""
        return ApiError(self.status, self.message)


class Faults:
    """The fault queue, the armed faults and a per-kind arrival counter (not thread-safe: the fake locks)."""

    def __init__(self) -> None:
        self.queue: list[int] = []
        self.armed: list[Fault] = []
        self.seen: Counter[str] = Counter()
        self.hooks: list[tuple[str, int, Callable[[], None]]] = []

    def arm(self, kind: str, n: int, status: int, message: str | None, applied: bool, times: int) -> None:
        """Fail the n-th request of `kind` from now on, and the `times - 1` after it."""
        if n < 1 or times < 1:
            raise ValueError("n and times must be at least 1")
        first = self.seen[kind] + n
        self.armed.append(Fault(kind, first, first + times - 1, status, message, applied))

    def hook(self, kind: str, n: int, action: Callable[[], None]) -> None:
        """Run `action` when the n-th request of `kind` from now on arrives (before it is handled)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        self.hooks.append((kind, self.seen[kind] + n, action))

    def due(self, kind: str | None) -> list[Callable[[], None]]:
        """The hooks due for the request of `kind` just counted by :meth:`arrive` (each runs once)."""
        now = [hook for hook in self.hooks if hook[0] == kind and hook[1] == self.seen[kind]]
        self.hooks = [hook for hook in self.hooks if hook not in now]
        return [action for _, _, action in now]

    def clear(self) -> None:
        """Disarm everything (the arrival counters keep counting)."""
        self.queue.clear()
        self.armed.clear()
        self.hooks.clear()

    def arrive(self, kind: str | None) -> tuple[ApiError | None, Fault | None]:
        """Count one arriving request; return (error to answer now, fault to answer after applying)."""
        if kind is not None:
            self.seen[kind] += 1
        if self.queue:
            return ApiError(self.queue.pop(0)), None
        number = self.seen[kind] if kind is not None else 0
        fault = next((f for f in self.armed if f.kind == kind and f.first <= number <= f.last), None)
        if fault is None:
            return None, None
        if number == fault.last:
            self.armed.remove(fault)
        return (None, fault) if fault.applied else (fault.error(), None)
