"""Recalculate a local ``.xlsx`` workbook in place: read the input tabs, compute, write result tabs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from formulas.engine import Outcome, recalculate
from formulas.read.tabs import input_tab_spec
from sheets_sync.local.write import read_workbook, write_report


def recalc_workbook(path: str | Path, as_of: date, write: bool = True) -> Outcome:
    """Run one recalculation on a local workbook; with ``write`` the result tabs replace the old ones.

    Only input tabs are read; the write is atomic, so a failure leaves the file as it was.
    """
    workbook = read_workbook(path, lambda title: input_tab_spec(title) is not None)
    outcome = recalculate(workbook, as_of)
    if write:
        write_report(path, outcome.report, workbook.titles())
    return outcome
