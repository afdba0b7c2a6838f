"""Measure one recalculation per size of PRODUCT.md section 7 and print the figures.

``python -m bench.run [SIZE ...] [--xlsx]`` — each size runs in its own process so its peak memory
(max RSS) is its own. Stages: parse (+ validate), pay, funnel + signals, report (result tabs) and the
Google write request (one ``batchUpdate`` body, built but not sent). The target of section 7 covers
exactly these stages ("parse + compute + build the write request, no network"): 10 s and 2 GB for
``large``, 1 s for ``small``. ``--xlsx`` also times the local adapter reading the same data from a
file (not part of the target: a Google run gets the cells over the network instead).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 11, 23)
TARGETS = {"large": (10.0, 2048.0), "small": (1.0, None), "tiny": (None, None)}
STAGES = ("parse", "pay", "funnel_signals", "report", "request")


def measure(size: str, with_xlsx: bool) -> dict[str, float]:
    """Run every stage once for ``size`` in this process and return the timings (seconds, MB)."""
    from bench.generate import generate, write_xlsx
    from entrypoints.runtime import collector_paused
    from formulas.close.state import ClosedState
    from formulas.engine import analyse, build_report, settle
    from formulas.months import month_of
    from formulas.pay.compute import compute_pay
    from formulas.read.validate import validate
    from sheets_sync.google.read import SheetInfo, SheetMeta
    from sheets_sync.google.write import build_batch_update

    started = time.perf_counter()
    workbook = generate(size, AS_OF)
    figures: dict[str, float] = {"generate": time.perf_counter() - started}
    if with_xlsx:
        from sheets_sync.local.write import read_workbook

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{size}.xlsx"
            write_xlsx(workbook, str(path))
            started = time.perf_counter()
            read_workbook(path)
            figures["xlsx_read"] = time.perf_counter() - started
    baseline = _peak_mb()
    cpu_started = time.process_time()
    with collector_paused():  # as a job runs it (entrypoints.jobs)
        started = time.perf_counter()
        inputs = validate(workbook, AS_OF)
        figures["parse"] = time.perf_counter() - started
        started = time.perf_counter()
        pay = compute_pay(inputs)
        statement = settle(inputs, pay, ClosedState())
        figures["pay"] = time.perf_counter() - started
        started = time.perf_counter()
        analysis = analyse(inputs, pay)
        figures["funnel_signals"] = time.perf_counter() - started
        started = time.perf_counter()
        outcome = build_report(inputs, pay, statement, ClosedState(), analysis, month_of(AS_OF))
        figures["report"] = time.perf_counter() - started
    meta = SheetMeta("bench", "en_US", tuple(
        SheetInfo(index, tab.title, index, True, len(tab.values), 26, None, 0, (), (), ())
        for index, tab in enumerate(workbook.tabs)))
    started = time.perf_counter()
    with collector_paused():
        body = build_batch_update(meta, outcome.report)
    figures["request"] = time.perf_counter() - started
    figures["request_mb"] = len(json.dumps(body, ensure_ascii=False).encode()) / 2**20
    figures["cpu"] = time.process_time() - cpu_started  # robust to other load on the machine
    figures["total"] = sum(figures[stage] for stage in STAGES)
    figures["peak_mb"] = _peak_mb()
    figures["baseline_mb"] = baseline
    figures["issues"] = len(outcome.inputs.issues)
    figures["contributions"] = len(outcome.pay.contributions)
    return figures


def _peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_line(size: str, figures: dict[str, float]) -> str:
    """One printed row: every stage, the total against the target, and peak memory."""
    seconds, megabytes = TARGETS.get(size, (None, None))
    verdict = "" if seconds is None else (" OK" if figures["total"] <= seconds else " OVER")
    memory = "" if megabytes is None else (" OK" if figures["peak_mb"] <= megabytes else " OVER")
    stages = "  ".join(f"{stage} {figures[stage]:6.2f}s" for stage in STAGES)
    extra = f"  xlsx_read {figures['xlsx_read']:.1f}s" if "xlsx_read" in figures else ""
    target = f" (target {seconds:g}s)" if seconds else ""
    mem_target = f" (target {megabytes:g} MB)" if megabytes else ""
    return (f"{size:<6} {stages}  total {figures['total']:6.2f}s{target}{verdict} (cpu {figures['cpu']:.2f}s)  "
            f"peak {figures['peak_mb']:7.0f} MB{mem_target}{memory}  request {figures['request_mb']:.1f} MB"
            f"  funnel+signals share {figures['funnel_signals'] / figures['total']:.0%}{extra}")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sizes, each in a subprocess, and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", default=["tiny", "small", "large"])
    parser.add_argument("--xlsx", action="store_true", help="also time reading the data from an .xlsx file")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.xlsx)))
        return 0
    for size in args.sizes:
        command = [sys.executable, "-m", "bench.run", "--one", size, *(["--xlsx"] if args.xlsx else [])]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(report_line(size, json.loads(output.strip().splitlines()[-1])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
