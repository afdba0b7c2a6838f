"""One timed recalculation, from Google's response bytes to the request bodies' bytes, in this process.

:func:`measure` runs ``entrypoints.jobs.recalculate_spreadsheet`` on a real ``GoogleSpreadsheet`` whose
client answers from the prepared bytes (:mod:`bench.replay`). Stages are timed from outside, by
wrapping the functions the job calls (nothing in ``formulas/`` or ``sheets_sync/`` knows it is timed):

* ``read``: ``GoogleSpreadsheet.read``, both calls, JSON decoding (``decode``: ``decode_metadata`` of
  read 1, ``orjson.loads`` of read 2, or ``Response.json``) and the raw tabs; ``parse``:
  ``checked_state`` + ``validate``; ``pay``: ``compute_pay`` + ``settle``; ``funnel``: ``analyse``
  (funnel + signals); ``report``: ``build_report`` (the result tabs);
* ``write``: ``GoogleSpreadsheet.write``: ``build`` (``one_body``, which stops once the body passes the
  limit, and ``staged_plan`` when the write is staged; both encode as they build), ``encode`` (any other
  body's JSON bytes), and the cell check and the sends.

Each stage has wall and CPU seconds; ``total`` is the whole job, ``other`` what no stage covers: mostly
``gc``, the cycle collector's first pass when the job switches it back on (every object the run made
is still in its youngest generation then), and freeing the raw workbook as the job returns.
"""

from __future__ import annotations

import functools
import gc
import inspect
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from bench import AS_OF
from bench.after import cells_after
from bench.prepare import load
from bench.replay import Replay, replay_client
from bench.responses import SPREADSHEET_ID
from formulas.report.model import Report
from sheets_sync.google.adapter import GoogleSpreadsheet

STAGES = ("read", "parse", "pay", "funnel", "report", "write")
PARTS = ("decode", "build", "encode", "gc")  # parts of read, write and other shown on their own


class Clock:
    """Wall and CPU seconds per stage, and the peak memory when each stage first ended; a stage
    re-entered from within itself is counted once."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.peak: dict[str, float] = {}  # stage -> peak MB of the process when it first ended
        self._depth: dict[str, int] = defaultdict(int)
        self._gc = (0.0, 0.0)  # wall and CPU clocks when the running collection started

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as ``name`` (unless already inside ``name``)."""
        self._depth[name] += 1
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self._depth[name] -= 1
            if not self._depth[name]:
                self.wall[name] += time.perf_counter() - wall
                self.cpu[name] += time.process_time() - cpu
                self.peak.setdefault(name, peak_mb())

    def collector(self, phase: str, info: dict[str, Any]) -> None:
        """A ``gc.callbacks`` entry: time every collection as ``gc``."""
        if phase == "start":
            self._gc = (time.perf_counter(), time.process_time())
        else:
            self.wall["gc"] += time.perf_counter() - self._gc[0]
            self.cpu["gc"] += time.process_time() - self._gc[1]

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        """Replace ``owner.attribute`` (when it exists) by the same function timed as ``name``."""
        original = getattr(owner, attribute, None)
        if original is None:
            return

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return original(*args, **kwargs)

        setattr(owner, attribute, timed)


class TimedSpreadsheet(GoogleSpreadsheet):
    """The production adapter, its read and write timed.

    Premia's own cell check is lifted (when the adapter has one): over Google's limit a user's write is
    refused before anything is sent (a staged write before its bodies are built), but section 7's target
    includes building the write, so the benchmark lets it through and reports the cells against the limit
    itself (:mod:`bench.report`).
    """

    def __init__(self, client: Any, spreadsheet_id: str, clock: Clock) -> None:
        lifted = {"cell_limit": sys.maxsize} if "cell_limit" in inspect.signature(GoogleSpreadsheet).parameters else {}
        super().__init__(client, spreadsheet_id, **lifted)
        self.clock = clock

    def read(self) -> Any:
        """Read 1 and read 2, timed as ``read``."""
        with self.clock.stage("read"):
            return super().read()

    def write(self, report: Report) -> None:
        """The write, timed as ``write``."""
        with self.clock.stage("write"):
            super().write(report)


def instrument(clock: Clock) -> None:
    """Wrap the functions the job calls, where the job looks them up."""
    import entrypoints.jobs
    import formulas.engine
    import sheets_sync.google.adapter
    import sheets_sync.google.http
    import sheets_sync.google.read

    for attribute, name in (("validate", "parse"), ("compute_pay", "pay"), ("settle", "pay"),
                            ("analyse", "funnel"), ("build_report", "report")):
        clock.wrap(formulas.engine, attribute, name)
    clock.wrap(entrypoints.jobs, "checked_state", "parse")
    clock.wrap(requests.Response, "json", "decode")
    clock.wrap(sheets_sync.google.http.orjson, "loads", "decode")  # how the adapter decodes Google's answers
    clock.wrap(sheets_sync.google.read, "decode_metadata", "decode")  # read 1: simdjson, the parts used
    for attribute, name in (("one_body", "build"), ("staged_plan", "build"), ("encoded", "encode")):
        clock.wrap(sheets_sync.google.adapter, attribute, name)


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path) -> dict[str, Any]:
    """Time one recalculation of the agency prepared in ``folder``; return every figure (seconds, MB, B)."""
    from entrypoints.jobs import recalculate_spreadsheet
    from sheets_sync.google.http import SheetsError

    responses, info = load(folder)
    replay = Replay({"get": responses.metadata, "values.batchGet": responses.values}, responses.queries())
    received = {"get": len(responses.metadata), "values.batchGet": len(responses.values)}
    grids = responses.grids
    del responses  # the replay holds the only copy, dropped once answered
    clock = Clock()
    instrument(clock)
    sheet = TimedSpreadsheet(replay_client(replay), SPREADSHEET_ID, clock)
    baseline = peak_mb()
    error, issues = "", -1
    gc.callbacks.append(clock.collector)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = recalculate_spreadsheet(sheet, AS_OF)
        issues = len(outcome.inputs.issues)
    except SheetsError as refused:  # e.g. over Google's cell limit: nothing written, say why
        error = str(refused)
    figures: dict[str, Any] = {"total": time.perf_counter() - wall, "total_cpu": time.process_time() - cpu,
                               "peak_mb": peak_mb(), "baseline_mb": baseline}
    gc.callbacks.remove(clock.collector)
    for name in (*STAGES, *PARTS):
        figures[name], figures[name + "_cpu"] = clock.wall[name], clock.cpu[name]
    figures["other"] = figures["total"] - sum(clock.wall[name] for name in STAGES)
    figures["other_cpu"] = figures["total_cpu"] - sum(clock.cpu[name] for name in STAGES)
    figures["peak_after"] = {name: clock.peak[name] for name in STAGES if name in clock.peak}
    bodies = [sent.body for sent in replay.sent if sent.kind == "batchUpdate"]
    cells = cells_after(grids, bodies)
    figures.update(info, error=error, issues=issues, calls=[sent.kind for sent in replay.sent],
                   received=received, bodies=[len(body) for body in bodies], cells=cells.after,
                   cells_peak=cells.peak, largest=cells.tabs[:3])
    return figures


if __name__ == "__main__":
    print(measure(Path(sys.argv[1])))
