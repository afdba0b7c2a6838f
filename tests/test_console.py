"""The ``premia`` console script (PRODUCT.md section 6), run as a user runs it: from another folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PREMIA = Path(sys.executable).parent / "premia"


def premia(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in ``cwd``."""
    return subprocess.run([str(PREMIA), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_console_script_works_from_any_folder(tmp_path: Path) -> None:
    assert PREMIA.exists(), "make setup installs the project (pip install -e .)"
    helped = premia("--help", cwd=tmp_path)
    assert helped.returncode == 0 and helped.stdout.startswith("Usage: premia [OPTIONS] COMMAND")
    made = premia("demo", "agency.xlsx", "--as-of", "2026-11-30", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "agency.xlsx").exists()
    checked = premia("recalc", "agency.xlsx", "--as-of", "2026-11-30", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "Report month 2026-11" in checked.stdout
