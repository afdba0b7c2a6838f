"""Once per size, outside any timing: the agency, Google's answers to the two reads, optionally an .xlsx.

:func:`prepare` writes into a folder what the timed run (:mod:`bench.measure`) loads: ``read1.json`` and
``read2.json`` (the response bodies, :mod:`bench.responses`), ``grids.json`` (each tab's id, title and
grid size, and the agency's size) and, with ``xlsx``, the same typed data as ``agency.xlsx``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from bench import AS_OF
from bench.generate import SIZES, generate, write_xlsx
from bench.responses import Grid, Responses, build
from bench.typed import typed

READ1, READ2, GRIDS, XLSX = "read1.json", "read2.json", "grids.json", "agency.xlsx"


def prepare(size: str, folder: Path, xlsx: bool = False) -> dict[str, Any]:
    """Generate ``size``, write its prepared files into ``folder`` and return what was made."""
    started = time.perf_counter()
    book = typed(generate(size, AS_OF))
    responses = build(book)
    (folder / READ1).write_bytes(responses.metadata)
    (folder / READ2).write_bytes(responses.values)
    spec = SIZES[size]
    info = {"size": size, "managers": spec.managers, "months": spec.months,
            "input_rows": sum(len(tab.values) - 1 for tab in book.tabs),
            "input_cells": sum(grid.rows * grid.columns for grid in responses.grids),
            "grids": [[grid.sheet_id, grid.title, grid.rows, grid.columns] for grid in responses.grids]}
    if xlsx:
        write_xlsx(book, str(folder / XLSX))
    info["prepare_s"] = time.perf_counter() - started
    (folder / GRIDS).write_text(json.dumps(info, ensure_ascii=False))
    return info


def load(folder: Path) -> tuple[Responses, dict[str, Any]]:
    """The prepared responses (bytes and grids) and the info :func:`prepare` wrote."""
    info = json.loads((folder / GRIDS).read_text())
    grids = [Grid(*grid) for grid in info["grids"]]
    return Responses((folder / READ1).read_bytes(), (folder / READ2).read_bytes(), grids), info
