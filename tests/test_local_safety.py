"""Nothing crashes and nothing is silently lost around the file itself: who else has it, and when.

A read-only file and a workbook open in LibreOffice or Excel are refused before writing; an edit saved
between Premia's read and its write (or during its save) makes the write stop with SpreadsheetChanged
and stays in the file; of concurrent runs on one file, each either succeeds with its results in the
file or reports the change; temporary files of a killed run are removed by the next run.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from entrypoints.jobs import recalculate_spreadsheet
from formulas.engine import recalculate
from formulas.report.model import Report
from sheets_sync.local import LocalWorkbook, commit
from sheets_sync.local.guard import WorkbookBusy
from sheets_sync.local.write import create_workbook
from sheets_sync.protocol import SpreadsheetChanged
from tests.builders import HEADERS
from tests.test_local_fixtures import read_parts, write_parts

AS_OF = date(2026, 3, 31)


def agency(path: Path) -> Path:
    """A tiny valid agency."""
    create_workbook(path, [
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, "2026-01-01", None]]),
        ("Deals", [HEADERS["Deals"], ["D1", "2026-03-02", "Anna", "Acme", 100000, None, None, None, None]]),
        ("Rules", [HEADERS["Rules"], ["2026-01", "*", "deal_percent", None, 5, ""]]),
        *((title, [HEADERS[title]]) for title in ("Plans", "Payments", "Funnel")),
    ])
    return path


def type_bad_amount(path: Path, in_place: bool = False) -> None:
    """What a person's save does: the Deals amount becomes text Premia cannot read.

    ``in_place`` rewrites the same file (as some programs save); otherwise a new file is renamed over it.
    """
    parts = read_parts(path)
    parts["xl/worksheets/sheet2.xml"] = re.sub(rb'<c r="E2"[^>]*>.*?</c>', b'<c r="E2" t="inlineStr"><is><t>lots'
                                               b"</t></is></c>", parts["xl/worksheets/sheet2.xml"], count=1)
    assert b"lots" in parts["xl/worksheets/sheet2.xml"]
    if in_place:
        write_parts(path, parts)  # opens the same file for writing: same inode
    else:
        write_parts(path.with_suffix(".saving"), parts)
        os.replace(path.with_suffix(".saving"), path)


# ---------------------------------------------------------------- refusals


def test_a_read_only_file_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = agency(tmp_path / "book.xlsx")
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(WorkbookBusy, match=r"book\.xlsx is read-only.*Make it writable"):
        recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF, write=False)  # reading it is fine (premia check)


@pytest.mark.parametrize(("lock", "program"), [(".~lock.book.xlsx#", "LibreOffice"), ("~$book.xlsx", "Excel")])
def test_a_workbook_open_elsewhere_is_refused_with_what_to_do(tmp_path: Path, lock: str, program: str) -> None:
    path = agency(tmp_path / "book.xlsx")
    (tmp_path / lock).write_text("someone,host,2026-03-31")
    before = path.read_bytes()
    with pytest.raises(WorkbookBusy, match=f"open in {program}: close it in {program} first") as caught:
        recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert lock in str(caught.value)  # how to clear a lock left by a crash
    assert path.read_bytes() == before


# ---------------------------------------------------------------- change detection


def test_an_edit_saved_between_read_and_write_stops_the_write(tmp_path: Path) -> None:
    path = agency(tmp_path / "book.xlsx")
    sheet = LocalWorkbook(path)
    report = recalculate(sheet.read(), AS_OF).report
    type_bad_amount(path)
    edited = path.read_bytes()
    with pytest.raises(SpreadsheetChanged, match="changed while Premia was calculating"):
        sheet.write(report)
    assert path.read_bytes() == edited
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


class EditedOnce(LocalWorkbook):
    """A workbook a person saves once while Premia computes (just before its first write)."""

    def __init__(self, path: Path, in_place: bool) -> None:
        super().__init__(path)
        self.in_place, self.edits, self.writes = in_place, 0, 0

    def write(self, report: Report) -> None:
        """Save the person's edit first (once), then write as usual."""
        self.writes += 1
        if not self.edits:
            self.edits += 1
            type_bad_amount(self.path, self.in_place)
        super().write(report)


@pytest.mark.parametrize("in_place", [False, True], ids=["saved-by-rename", "saved-in-place"])
def test_the_job_starts_over_and_its_results_include_the_edit(tmp_path: Path, in_place: bool) -> None:
    sheet = EditedOnce(agency(tmp_path / "book.xlsx"), in_place)
    outcome = recalculate_spreadsheet(sheet, AS_OF)
    assert sheet.writes == 2
    assert [(issue.tab, issue.row, issue.value) for issue in outcome.inputs.issues] == [("Deals", 2, "lots")]
    assert b"lots" in read_parts(sheet.path)["xl/worksheets/sheet2.xml"]


@pytest.mark.parametrize("in_place", [False, True], ids=["saved-by-rename", "saved-in-place"])
def test_an_edit_saved_during_premias_save_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       in_place: bool) -> None:
    """The person's save lands between Premia's last check and its replace of the file."""
    path = agency(tmp_path / "book.xlsx")
    sheet = LocalWorkbook(path)
    report = recalculate(sheet.read(), AS_OF).report
    real = commit._exchange
    calls = []

    def save_first(first: Path, second: Path) -> bool:
        """The person saves just before Premia's exchange (once)."""
        if not calls:
            type_bad_amount(path, in_place)
        calls.append(1)
        return real(first, second)

    monkeypatch.setattr(commit, "_exchange", save_first)
    with pytest.raises(SpreadsheetChanged):
        sheet.write(report)
    assert b"lots" in read_parts(path)["xl/worksheets/sheet2.xml"]
    assert "Summary" not in zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


# ---------------------------------------------------------------- concurrent runs


class Recording(LocalWorkbook):
    """Notes the file's digest before and after each successful write."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.replaced: list[tuple[str, str]] = []

    def write(self, report: Report) -> None:
        """Write, noting which generation of the file this run replaced and which it made."""
        before = self.digest
        super().write(report)
        self.replaced.append((before, self.digest))


def one_run(path: str, run: int) -> tuple[str, list[tuple[str, str]]]:
    """One job on the file, how it ended. Each run has its own report month, so no two runs write the
    same bytes and every file generation has its own digest."""
    sheet = Recording(Path(path))
    try:
        recalculate_spreadsheet(sheet, AS_OF - timedelta(days=31 * run))
    except SpreadsheetChanged:
        return "changed", sheet.replaced
    return "ok", sheet.replaced


def assert_one_chain(original: str, final: str, runs: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """Every success replaced the file the previous success wrote (or the original): none was discarded."""
    assert all((outcome == "ok" and len(done) == 1) or (outcome == "changed" and not done) for outcome, done in runs)
    successes = dict(done[0] for outcome, done in runs if outcome == "ok")
    assert len(successes) == sum(outcome == "ok" for outcome, _ in runs)  # one success per generation read
    chain, digest = [], original
    while digest in successes and len(chain) <= len(successes):
        digest = successes[digest]
        chain.append(digest)
    assert len(chain) == len(successes) and digest == final, (len(chain), len(successes))


def test_ten_concurrent_threads(tmp_path: Path) -> None:
    path = agency(tmp_path / "book.xlsx")
    original = commit.snapshot(path).digest
    runs: list[tuple[str, list[tuple[str, str]]]] = []
    threads = [threading.Thread(target=lambda run=run: runs.append(one_run(str(path), run))) for run in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runs) == 10 and any(outcome == "ok" for outcome, _ in runs)
    assert_one_chain(original, commit.snapshot(path).digest, runs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_ten_concurrent_processes(tmp_path: Path) -> None:
    path = agency(tmp_path / "book.xlsx")
    original = commit.snapshot(path).digest
    with multiprocessing.get_context("fork").Pool(10) as pool:
        runs = pool.starmap(one_run, [(str(path), run) for run in range(10)])
    assert any(outcome == "ok" for outcome, _ in runs)
    assert_one_chain(original, commit.snapshot(path).digest, runs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


# ---------------------------------------------------------------- temporary files


HOLD = """
import sys, time
from pathlib import Path
from sheets_sync.local.save import temporary_beside
with temporary_beside(Path(sys.argv[1]), b"half-written", 0o644):
    print("writing", flush=True)
    time.sleep(60)
"""


def test_temporary_files_of_a_killed_run_are_removed_by_the_next_run(tmp_path: Path) -> None:
    path = agency(tmp_path / "book.xlsx")
    strangers = [tmp_path / ".book.xlsx.keep.tmp", tmp_path / ".other.xlsx.abcd1234.tmp", tmp_path / "notes.tmp"]
    for stranger in strangers:
        stranger.write_text("not Premia's")
    (tmp_path / ".book.xlsx.zz9_ab12.tmp").write_bytes(b"left by a crash")  # nobody holds its lock
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                             cwd=Path(__file__).resolve().parent.parent)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"writing\n"
        alive = {p.name for p in tmp_path.glob(".book.xlsx.*.tmp")} - {".book.xlsx.zz9_ab12.tmp",
                                                                         ".book.xlsx.keep.tmp"}
        assert len(alive) == 1
        recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
        # The crash's file is gone; the live run's file (locked) and other names are left alone.
        assert {p.name for p in tmp_path.iterdir()} == {"book.xlsx", *alive, *(s.name for s in strangers)}
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    time.sleep(0.05)
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert {p.name for p in tmp_path.iterdir()} == {"book.xlsx", *(s.name for s in strangers)}
