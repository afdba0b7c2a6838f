"""The what-if job (PRODUCT.md section 3c): read once, pay twice, write the What-if tab and nothing else.

The write is a :class:`~formulas.report.model.Report` with the What-if tab alone, no input highlights
(None: the input tabs keep theirs) and no records: Statements, closed months and every other tab stay as
they are, on the local workbook and on Google alike (2 reads, 1 write).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from entrypoints.jobs import Refused, today_in, write_from_fresh_read
from formulas.months import month_label
from formulas.raw import RawWorkbook
from formulas.report.model import Report
from formulas.text import say
from formulas.whatif.compare import WhatIf, WhatIfRefused, side_by_side, what_if
from formulas.whatif.tab import whatif_tab
from sheets_sync.protocol import Spreadsheet


@dataclass
class WhatIfDone:
    """What a what-if computed, and its one-line summary for a person."""

    result: WhatIf
    message: str


def whatif_spreadsheet(sheet: Spreadsheet, as_of: date | None = None, first: int | None = None,
                       last: int | None = None, now: datetime | None = None) -> WhatIfDone:
    """Compare Rules with Scenario over ``first``..``last`` and write the What-if tab; :class:`Refused`
    (nothing written) without a Scenario tab or with a bad period. A change of the spreadsheet during the
    run starts it over once, as a recalculation does."""
    def compared(workbook: RawWorkbook) -> tuple[WhatIf, Report]:
        try:
            result = what_if(workbook, as_of or today_in(workbook.time_zone), first, last)
        except WhatIfRefused as refusal:
            raise Refused(str(refusal)) from None
        stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
        return result, Report([whatif_tab(result, stamp)], input_highlights=None)

    result = write_from_fresh_read(sheet, compared)
    return WhatIfDone(result, summary_message(result))


def summary_message(result: WhatIf) -> str:
    """"What-if written: 2025-12 – 2026-11, 8 managers; the team's pay +12 345.00 (+3.2 %) …"."""
    lang = result.inputs.lang
    totals = side_by_side(result, ["manager_key"])
    now, then = int(totals["current"].sum()), int(totals["scenario"].sum())
    change = f"{(then - now) / 100:+,.2f}" + (f" ({(then - now) / now:+.1%})" if now else "")
    if lang == "ru":
        change = change.replace(",", " ").replace(".", ",")
    period = f"{month_label(result.months[0])} – {month_label(result.months[-1])}"
    return say("whatif.done", lang, period=period, managers=len(totals), change=change)
