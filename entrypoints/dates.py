"""The one definition of an as-of date a caller may ask for (service routes and the command line).

``--as-of`` / ``"as_of"`` is a date written ``YYYY-MM-DD`` inside :data:`EARLIEST` … :data:`LATEST`;
blank means "today in the spreadsheet's own time zone", which the job works out (PRODUCT.md §6).

Why a window at all: the engine counts months and days with pandas, whose nanosecond timestamps end
on 2262-04-11, so ``9999-12-31`` crashed a run after 10–17 s of work; and a date far outside the data
(``0001-01-01``) is accepted by every rule yet yields an empty report that the write then puts over
the real results. Why 2000-01-01 … 2100-12-31: Premia pays commissions on deals kept in Google Sheets
(which appeared in 2006), so no real agency's month lies before 2000, and a century ahead covers any
plan or forecast date. Everything outside is a typo (``0026-03-31``, ``2206-03-31``) and is refused
with a message naming the window, before any spreadsheet is read.
"""

from __future__ import annotations

import re
from datetime import date

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
# Only the extended ISO form: ``date.fromisoformat`` would also take ``20260331`` and ``2026-W13-2``,
# which nobody types on purpose in a form or on a command line.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The one sentence every refusal says (the route, the command line).
RULE = f"The as-of date must be a date like 2026-03-31, between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def parse_as_of(text: str | None) -> date | None:
    """The as-of date in ``text``; None when blank (today in the spreadsheet's time zone).

    Raises :class:`ValueError` with a plain message naming the format and the window otherwise; the
    message never repeats the text (it may be anything a caller sent).
    """
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if not _ISO_DATE.fullmatch(cleaned):
        raise ValueError(RULE)
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:  # 2026-02-30 and the like
        raise ValueError(RULE) from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(RULE)
    return day
