"""The printed figures of one size, with PRODUCT.md section 7's targets beside them.

One small block per size: the title line (agency, input rows and cells, runs), wall and CPU seconds per
stage against the time target, peak memory against the memory target, every request with its body's
bytes against the 9 MiB Premia keeps under (Google refuses more than 10 485 760 B), and the cells the
spreadsheet holds after the write against Google's 10 000 000.
"""

from __future__ import annotations

from typing import Any

from bench.measure import STAGES

TARGETS: dict[str, tuple[float | None, float | None]] = {"small": (1.0, None), "large": (10.0, 2048.0)}
BODY_TARGET = 9 * 1024 * 1024  # Premia's own limit per request body
GOOGLE_BODY_LIMIT = 10_485_760
CELL_LIMIT = 10_000_000
_PARTS = {"read": ("decode",), "write": ("build", "encode"), "other": ("gc",)}


def grouped(number: float) -> str:
    """An integer with thin groups of thousands: 10 485 760."""
    return f"{round(number):,}".replace(",", " ")


def verdict(ok: bool) -> str:
    """OK or OVER."""
    return "OK" if ok else "OVER"


def _columns() -> list[tuple[str, str]]:
    """(header, figure key) of the table's columns: the stages, each followed by its parts, then totals."""
    out = []
    for stage in (*STAGES, "other"):
        out.append((stage, stage))
        out.extend((part + "*", part) for part in _PARTS.get(stage, ()))
    return [*out, ("total", "total")]


def _row(label: str, figures: dict[str, Any], suffix: str) -> str:
    """One line of seconds per column."""
    cells = [f"{figures[key + suffix]:>{max(6, len(header))}.2f}" for header, key in _columns()]
    return f"  {label:<8}" + " ".join(cells)


def block(size: str, figures: dict[str, Any], runs: int = 1) -> str:
    """Every figure of one size as a few printed lines."""
    seconds, megabytes = TARGETS.get(size, (None, None))
    best = f", best of {runs} runs" if runs > 1 else ""
    head = " ".join(f"{header:>6}" for header, _ in _columns())
    time_target = (f"  target {seconds:g} s: {verdict(figures['total'] <= seconds)}" if seconds
                   else "  target none")
    memory_target = (f"target {grouped(megabytes)} MB: {verdict(figures['peak_mb'] <= megabytes)}" if megabytes
                     else "target none")
    lines = [
        f"{size} — {figures['managers']} managers × {figures['months']} months: "
        f"{grouped(figures['input_rows'])} input rows, {grouped(figures['input_cells'])} input cells, "
        f"{grouped(figures['issues'])} input issues{best}",
        f"  {'seconds':<8}" + head + "   (* part of the stage before it)",
        _row("wall", figures, "") + time_target,
        _row("cpu", figures, "_cpu"),
        f"  memory  peak {grouped(figures['peak_mb'])} MB, " + memory_target + "; peak so far before the run "
        + f"{grouped(figures['baseline_mb'])}, after " + ", ".join(
            f"{stage} {grouped(megabytes)}" for stage, megabytes in figures["peak_after"].items()),
        "  " + requests_line(figures),
        "  " + cells_line(figures),
    ]
    if figures.get("error"):
        lines.append(f"  WRITE REFUSED: {figures['error']}")
    if "xlsx_read" in figures:
        lines.append(f"  xlsx    reading the same data from an .xlsx file (sheets_sync.local.read): "
                     f"{figures['xlsx_read']:.2f} s wall, {figures['xlsx_read_cpu']:.2f} s cpu (no target)")
    return "\n".join(lines)


def requests_line(figures: dict[str, Any]) -> str:
    """The calls made, each read's response size and each request body's size, against the body limit."""
    bodies = list(figures["bodies"])
    shown = []
    for kind in figures["calls"]:
        if kind == "batchUpdate":
            shown.append(f"batchUpdate body {grouped(bodies.pop(0))} B")
        else:
            shown.append(f"{kind} (answer {grouped(figures['received'][kind])} B)")
    fits = all(size <= BODY_TARGET for size in figures["bodies"])
    return (f"requests {len(figures['calls'])}: " + ", ".join(shown)
            + f"; each body ≤ {grouped(BODY_TARGET)} B (9 MiB; Google refuses over "
            f"{grouped(GOOGLE_BODY_LIMIT)}): {verdict(fits) if figures['bodies'] else 'nothing sent'}")


def cells_line(figures: dict[str, Any]) -> str:
    """Cells after the write (and at the write's peak) against Google's limit, and the largest tabs."""
    largest = ", ".join(f"{title} {grouped(cells)}" for title, cells in figures["largest"])
    peak = f" (peak during the write {grouped(figures['cells_peak'])})" if figures["cells_peak"] != figures[
        "cells"] else ""
    fits = max(figures["cells"], figures["cells_peak"]) <= CELL_LIMIT
    refused = "" if fits else " (Premia refuses such a write; lifted here to time it)"
    return (f"cells   {grouped(figures['cells'])} after the write{peak}, limit {grouped(CELL_LIMIT)}: "
            f"{verdict(fits)}{refused}; largest tabs {largest}")
