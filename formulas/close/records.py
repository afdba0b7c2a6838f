"""Premia's close records: one per closed month, plus the history of closes, re-opens and paid marks.

Adapters store them as plain key/value text where users do not type (Google developer metadata, a hidden
tab of a local file); this module is the one place that knows their format. A record keeps the month's
state (closed or paid), when it was closed and paid, the SHA-256 of its frozen lines (PRODUCT.md
section 3a, "Tampering"), and the fingerprints of the pay rules known when it was closed, so a rule
added later with a `From` in a closed month can be told from the rules that were there.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace

from formulas.months import month_label

MONTH_KEY = "month."  # + YYYY-MM
HISTORY_KEY = "history"
CLOSED, PAID, OPEN = "closed", "paid", "open"


@dataclass(frozen=True)
class MonthRecord:
    """One closed (or paid) month."""

    month: int
    state: str  # CLOSED or PAID
    closed_at: str  # ISO date-time of the close, in the spreadsheet's time zone
    sha256: str  # of the frozen lines, see formulas.close.frozen.digest
    paid_at: str = ""
    rules: frozenset[str] = frozenset()  # fingerprints of the pay rules with From <= month when closed


@dataclass(frozen=True)
class Event:
    """One line of the history: a month closed, re-opened or marked paid, when, and why."""

    month: int
    action: str  # "close", "reopen" or "paid"
    at: str
    reason: str = ""


@dataclass(frozen=True)
class Records:
    """Every close record and the history, as stored."""

    months: dict[int, MonthRecord] = field(default_factory=dict)
    history: tuple[Event, ...] = ()

    def state_of(self, month: int) -> str:
        """open, closed or paid."""
        record = self.months.get(month)
        return record.state if record else OPEN

    @property
    def last_closed(self) -> int | None:
        """The latest closed (or paid) month, None when none is."""
        return max(self.months) if self.months else None

    def known_rules(self) -> frozenset[str]:
        """The fingerprints of the pay rules there were when the latest month was closed."""
        last = self.last_closed
        return self.months[last].rules if last is not None else frozenset()

    def with_month(self, record: MonthRecord, event: Event) -> Records:
        """These records with one month's record set and an event added."""
        return Records({**self.months, record.month: record}, (*self.history, event))

    def without_month(self, month: int, event: Event) -> Records:
        """These records with one month re-opened and the event added."""
        months = {key: value for key, value in self.months.items() if key != month}
        return Records(months, (*self.history, event))

    def marked_paid(self, month: int, event: Event) -> Records:
        """These records with one closed month marked paid."""
        record = replace(self.months[month], state=PAID, paid_at=event.at)
        return self.with_month(record, event)


def rule_fingerprint(from_month: int, applies_to: str, component: str, threshold: float, value: float) -> str:
    """A short, stable fingerprint of one Rules row's meaning (not of how it was typed)."""
    threshold_text = "" if threshold is None or math.isnan(threshold) else repr(float(threshold))
    text = "\x1f".join([month_label(from_month), applies_to, component, threshold_text, repr(float(value))])
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def to_properties(records: Records) -> dict[str, str]:
    """The records as the key/value text an adapter stores."""
    out = {f"{MONTH_KEY}{month_label(month)}": json.dumps({
        "state": record.state, "closed_at": record.closed_at, "paid_at": record.paid_at,
        "sha256": record.sha256, "rules": ",".join(sorted(record.rules))}, sort_keys=True)
        for month, record in sorted(records.months.items())}
    out[HISTORY_KEY] = json.dumps([[month_label(e.month), e.action, e.at, e.reason] for e in records.history],
                                  ensure_ascii=False)
    return out


def from_properties(properties: dict[str, str]) -> tuple[Records, list[str]]:
    """The records an adapter read back, and a description of every record that cannot be read.

    An unreadable record is someone's edit of Premia's own storage: the caller stops the run.
    """
    months: dict[int, MonthRecord] = {}
    problems: list[str] = []
    for key, text in properties.items():
        if not key.startswith(MONTH_KEY):
            continue
        try:
            data = json.loads(text)
            month = _month(key[len(MONTH_KEY):])
            rules = frozenset(filter(None, str(data.get("rules", "")).split(",")))
            months[month] = MonthRecord(month, str(data["state"]), str(data["closed_at"]), str(data["sha256"]),
                                        str(data.get("paid_at", "")), rules)
            if months[month].state not in (CLOSED, PAID):
                raise ValueError(months[month].state)
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(key[len(MONTH_KEY):])
    history: list[Event] = []
    try:
        history = [Event(_month(m), str(a), str(t), str(r)) for m, a, t, r in json.loads(properties[HISTORY_KEY])]
    except KeyError:
        pass  # no month was ever closed
    except (ValueError, TypeError):
        problems.append(HISTORY_KEY)
    return Records(months, tuple(history)), problems


def _month(label: str) -> int:
    """``YYYY-MM`` as a month index (ValueError otherwise)."""
    year, month = label.split("-")
    if len(year) != 4 or len(month) != 2 or not 1 <= int(month) <= 12:
        raise ValueError(label)
    return int(year) * 12 + int(month) - 1
