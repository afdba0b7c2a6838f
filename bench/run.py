"""Measure what a user's recalculation costs on Google Sheets, per size of PRODUCT.md section 7.

``python -m bench.run [SIZE ...] [--repeat N] [--xlsx] [--profile DIR]`` (``make bench``: tiny, small and
large). Per size, in fresh processes:

1. ``prepare`` (not timed): the agency (:mod:`bench.generate`), typed as a spreadsheet holds it, and the
   exact bytes Google answers read 1 (``spreadsheets.get``: metadata and number formats) and read 2
   (``values.batchGet``: the input tabs' values) with (:mod:`bench.prepare`, :mod:`bench.responses`);
2. ``measure``, ``--repeat`` times, each in a new process so its peak memory (max RSS) is its own: the
   job ``recalculate_spreadsheet`` on the real Google adapter, answered from those bytes and recording
   the request bodies it sends (:mod:`bench.measure`, :mod:`bench.replay`). The fastest run is printed;
3. with ``--xlsx``, reading the same data from an .xlsx file with ``sheets_sync.local.read`` (no target).

Printed per size (:mod:`bench.report`): wall and CPU seconds per stage from the response bytes to the
request bodies' bytes, peak memory, every request and its body's bytes, and the cells the spreadsheet
holds after the write, each beside its target. ``--profile DIR`` also writes ``DIR/SIZE.prof`` (cProfile
of one timed run; read it with ``python -m pstats``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _child(*args: str) -> dict[str, Any]:
    """Run ``python -m bench.run ARGS`` in a new process and return the JSON it prints last."""
    done = subprocess.run([sys.executable, "-m", "bench.run", *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"bench.run {' '.join(args)} failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_size(size: str, repeat: int, xlsx: bool, profile: Path | None) -> dict[str, Any]:
    """Prepare ``size`` once, measure it ``repeat`` times, and return the fastest run's figures."""
    with tempfile.TemporaryDirectory(prefix=f"premia-bench-{size}-") as folder:
        prepared = _child("--prepare", size, folder, *(["--xlsx"] if xlsx else []))
        runs = [_child("--one", folder, *(["--profile", str(profile / f"{size}.prof")] if profile else []))
                for _ in range(repeat)]
        best = min(runs, key=lambda figures: figures["total"])
        best["prepare_s"] = prepared["prepare_s"]
        if xlsx:
            best.update(_child("--xlsx-one", folder))
    return best


def _read_xlsx(folder: Path) -> dict[str, float]:
    """Seconds to read the prepared .xlsx with the local adapter's reader."""
    from bench.prepare import XLSX
    from sheets_sync.local.read import read_workbook

    wall, cpu = time.perf_counter(), time.process_time()
    read_workbook(folder / XLSX)
    return {"xlsx_read": time.perf_counter() - wall, "xlsx_read_cpu": time.process_time() - cpu}


def _measure(folder: Path, profile: str | None) -> dict[str, Any]:
    """One timed run in this process (under cProfile when ``profile`` names a file)."""
    from bench.measure import measure

    if not profile:
        return measure(folder)
    import cProfile

    profiler = cProfile.Profile()
    figures = profiler.runcall(measure, folder)
    profiler.dump_stats(profile)
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sizes and print each one's figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["tiny", "small", "large"])
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per size (the fastest is shown)")
    parser.add_argument("--xlsx", action="store_true", help="also time reading the data from an .xlsx file")
    parser.add_argument("--profile", help="a folder for SIZE.prof, cProfile of a timed run")
    parser.add_argument("--prepare", nargs=2, metavar=("SIZE", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--one", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--xlsx-one", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        from bench.prepare import prepare

        print(json.dumps(prepare(args.prepare[0], Path(args.prepare[1]), args.xlsx)))
        return 0
    if args.one:
        print(json.dumps(_measure(Path(args.one), args.profile), ensure_ascii=False))
        return 0
    if args.xlsx_one:
        print(json.dumps(_read_xlsx(Path(args.xlsx_one))))
        return 0
    from bench.report import block

    profile = Path(args.profile) if args.profile else None
    if profile:
        profile.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        print(block(size, run_size(size, max(1, args.repeat), args.xlsx, profile), args.repeat), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
