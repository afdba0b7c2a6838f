"""Refuse, before anything is written, a workbook Premia must not write, with a message a person can act on.

Premia keeps every part of a user's package byte for byte (:mod:`sheets_sync.local.merge`), so charts,
pictures, form controls, pivot tables, slicers, sparklines and the like on a user's tabs no longer need
a refusal: they are never re-serialised. What is still refused:

* macros (``vbaProject.bin``): Premia only writes ``.xlsx`` workbooks, and a macro could rewrite the results;
* a workbook in Strict Open XML: the result tabs Premia writes are transitional XML, and mixing the two
  would give a file Excel repairs;
* a tab that is not a worksheet (a chart sheet…) named like a result tab, which Premia would have to replace;
* a visible tab of the user's named like Premia's hidden records tab, when records are to be written;
* a read-only file, and a file open in LibreOffice or Excel (a lock file beside it): the user's next save
  there would silently drop Premia's results.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class WorkbookNotSupported(Exception):
    """The workbook holds something Premia cannot keep or read; the file was not modified."""


class WorkbookDamaged(WorkbookNotSupported):
    """A part of the file that Premia needs is missing or is not XML."""


class WorkbookBusy(WorkbookNotSupported):
    """The workbook is open in another program, or cannot be written; the file was not modified."""


def refuse_macros(names: list[str]) -> None:
    """Refuse a package with a VBA project, whatever it is called."""
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise WorkbookNotSupported(
            "The workbook contains macros (VBA); Premia only writes workbooks without macros. "
            "Run Premia on a copy saved as .xlsx without macros."
        )


def refuse_tab(title: str, reason: str, advice: str) -> None:
    """Raise the error a person can act on: which tab, what is in it, what to do."""
    raise WorkbookNotSupported(f"Tab '{title}' {reason}. {advice}")


def check_writable(path: Path) -> None:
    """Refuse a file that is read-only (its permissions, or the process's rights) before writing it."""
    mode = path.stat().st_mode
    # os.access alone says yes to root whatever the mode; a file marked read-only was marked on purpose.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise WorkbookBusy(
            f"{path.name} is read-only, so Premia did not change it. Make it writable "
            f"(chmod u+w '{path.name}', or untick Read-only in its properties), then run Premia again."
        )


def check_not_open(path: Path) -> None:
    """Refuse a workbook that LibreOffice or Excel has open: their lock file sits beside it.

    LibreOffice writes ``.~lock.NAME#``; Excel writes ``~$NAME`` (dropping the first two characters
    of longer names). A lock left behind by a crash blocks too, so the message says how to clear it.
    """
    folder, name = path.parent, path.name
    office = folder / f".~lock.{name}#"
    if office.exists():
        raise WorkbookBusy(
            f"{name} is open in LibreOffice: close it in LibreOffice first, then run Premia again "
            f"(if it is not open anywhere, delete the leftover lock file '{office.name}' beside it)."
        )
    for owner in (folder / f"~${name}", folder / f"~${name[2:]}"):
        if len(owner.name) > 2 and owner.exists():
            raise WorkbookBusy(
                f"{name} is open in Excel: close it in Excel first, then run Premia again "
                f"(if it is not open anywhere, delete the leftover file '{owner.name}' beside it)."
            )
