"""The README's quick start, run as pasted in a new folder with the installed ``premia`` (issue 11).

The lines of the block under the ``quick start`` marker run one by one in a fresh temporary folder,
with the virtualenv's ``bin`` first on PATH (what ``. .venv/bin/activate`` does); each must end with
the exit status its comment promises (0 unless it says "exit status N") and print no traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
MARKER = "<!-- quick start:"


def quick_start_lines() -> list[str]:
    """The commands of the README's quick-start block, one per line."""
    block = README[README.index(MARKER):]
    block = block[block.index("```sh\n") + 6:]
    return [line for line in block[:block.index("```")].splitlines() if line.strip()]


def test_the_quick_start_runs_as_pasted_from_another_folder(tmp_path: Path) -> None:
    lines = quick_start_lines()
    assert len(lines) >= 5 and all(line.startswith("premia ") for line in lines)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in lines:
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        promised = re.search(r"exit status (\d)", line)
        assert done.returncode == (int(promised.group(1)) if promised else 0), (line, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr, line
    made = sorted(path.name for path in tmp_path.iterdir())
    assert made == sorted(["premia-demo.xlsx", "демо.xlsx", "payroll.csv"])
    assert (tmp_path / "payroll.csv").read_bytes().startswith("\ufeff".encode())
