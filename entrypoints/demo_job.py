"""``premia demo``: write the demo agency's workbook and tell its month-close story with the real jobs.

The workbook is built in a temporary file beside ``path`` and moved into place only when it is complete,
so a failed run leaves nothing half-written, and an existing file is replaced only when asked
(:class:`DemoExists` otherwise). The story (:mod:`demo.story`): the months before the report month are
closed by :func:`entrypoints.months.close`, the oldest is marked paid by :func:`entrypoints.months.paid`,
then a deal amount is corrected in the file and the workbook recalculated, so the report month shows the
adjustment.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from demo.story import (
    PAID_MONTHS,
    Correction,
    action_time,
    as_typed_before,
    closed_months,
    correct_in_file,
    demo_as_of,
    late_correction,
)
from demo.workbook import demo_tabs, demo_tabs_ru
from entrypoints.jobs import recalculate_spreadsheet
from entrypoints.months import close, paid
from formulas.engine import Outcome
from formulas.months import month_label
from formulas.text import say


class DemoExists(Exception):
    """The demo's path is taken and replacing it was not asked for; nothing was written."""


@dataclass(frozen=True)
class DemoStory:
    """What ``premia demo`` did: the as-of date, the closed and paid months, the correction, the last run."""

    as_of: date
    closed: list[int]
    paid: list[int]
    correction: Correction
    outcome: Outcome


def make_demo(path: Path, today: date, lang: str = "en", force: bool = False) -> DemoStory:
    """Write the demo workbook at ``path`` dated for ``today`` and tell its story; :class:`DemoExists` when
    ``path`` exists and ``force`` is false."""
    if path.exists() and not force:
        raise DemoExists(say("demo.exists", lang, path=path))
    as_of = demo_as_of(today)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".premia-demo-") as folder:
        building = Path(folder) / path.name
        story = _tell(building, as_of, lang)
        if path.exists() and not force:  # created meanwhile: still never replaced without --force
            raise DemoExists(say("demo.exists", lang, path=path))
        os.replace(building, path)
    return story


def _tell(path: Path, as_of: date, lang: str) -> DemoStory:
    """Write the workbook as typed at closing time, close and pay with the real jobs, correct, recalculate."""
    from sheets_sync.local import LocalWorkbook
    from sheets_sync.local.write import create_workbook

    book = demo_tabs_ru(as_of) if lang == "ru" else demo_tabs(as_of)
    correction = late_correction(as_of)
    typed = as_typed_before(book, correction, lang)
    create_workbook(path, typed.tabs, typed.formats)
    months = closed_months(as_of)
    for month in months:
        close(LocalWorkbook(path), month, as_of, now=action_time(month, 4))
        if month in months[:PAID_MONTHS]:
            paid(LocalWorkbook(path), month, as_of, now=action_time(month, 9))
    correct_in_file(path, book, correction, lang)
    outcome = recalculate_spreadsheet(LocalWorkbook(path), as_of)
    return DemoStory(as_of, months, months[:PAID_MONTHS], correction, outcome)


def story_text(story: DemoStory, lang: str) -> list[str]:
    """The lines ``premia demo`` prints about the story and the planted input issues."""
    report, titles = story.outcome.report_month, story.outcome.inputs.titles
    corrected_in = story.closed[-1]
    return [
        say("demo.as_of", lang, as_of=story.as_of.isoformat(), month=month_label(report)),
        say("demo.closed", lang, first=month_label(story.closed[0]), last=month_label(story.closed[-1]),
            paid=", ".join(month_label(m) for m in story.paid), tab=say("title.closed_months", lang),
            payroll=say("title.payroll", lang)),
        say("demo.correction", lang, month=month_label(corrected_in), deal_id=story.correction.deal_id,
            typed=_whole(story.correction.typed), corrected=_whole(story.correction.corrected),
            report=month_label(report), tab=say("title.statements", lang)),
        say("demo.planted", lang, count=len(story.outcome.inputs.issues), tab=say("title.input_issues", lang),
            deals=titles.get("deals", "Deals")),
    ]


def _whole(amount: float) -> str:
    """A whole amount with its thousands spaced, as both languages read it: 181 000."""
    return f"{amount:,.0f}".replace(",", " ")
