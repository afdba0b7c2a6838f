"""What the spreadsheet says about closed months, checked: records against the frozen lines they fingerprint.

PRODUCT.md section 3a, "Tampering": if a closed month's frozen lines in `Closed months` no longer match
the SHA-256 its record keeps, the run stops before writing anything and says which month was altered
and how to restore it. :func:`load_state` returns the state, or the words that stop the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formulas.close.frozen import FrozenLine, by_month, digest, read_frozen
from formulas.close.records import Records, from_properties
from formulas.months import month_label
from formulas.raw import RawWorkbook
from formulas.text import say


@dataclass(frozen=True)
class ClosedState:
    """The close records and every closed month's frozen lines (by month index), as verified."""

    records: Records = field(default_factory=Records)
    frozen: dict[int, list[FrozenLine]] = field(default_factory=dict)

    @property
    def closed(self) -> list[int]:
        """The closed (and paid) months, oldest first."""
        return sorted(self.records.months)

    @property
    def last_closed(self) -> int | None:
        """The latest closed month, None when none is."""
        return self.records.last_closed

    def frozen_lines(self) -> list[FrozenLine]:
        """Every frozen line, oldest month first, each month's lines in their frozen order."""
        return [line for month in sorted(self.frozen) for line in self.frozen[month]]

    @property
    def active(self) -> bool:
        """True once any month has ever been closed: the Closed months and Payroll tabs exist."""
        return bool(self.records.months or self.records.history)


def load_state(workbook: RawWorkbook, lang: str) -> tuple[ClosedState, str | None]:
    """The verified state, and None; or an empty state and the message that stops the run."""
    records, unreadable = from_properties(workbook.properties)
    if unreadable:
        return ClosedState(), say("close.records_altered", lang, what=", ".join(unreadable))
    lines = by_month(read_frozen(workbook.own_tabs.get("closed_months")))
    if records.months and "closed_months" not in workbook.own_tabs:
        return ClosedState(), say("close.tab_missing", lang, title=say("title.closed_months", lang))
    frozen: dict[int, list[FrozenLine]] = {}
    for month, record in sorted(records.months.items()):
        mine = lines.pop(month_label(month), [])
        if digest(mine) != record.sha256:
            return ClosedState(), say("close.altered", lang, month=month_label(month),
                                      title=say("title.closed_months", lang))
        frozen[month] = mine
    if lines:  # frozen lines of a month that is not closed: typed in, or pasted from elsewhere
        return ClosedState(), say("close.altered", lang, month=", ".join(sorted(lines)),
                                  title=say("title.closed_months", lang))
    return ClosedState(records, frozen), None
