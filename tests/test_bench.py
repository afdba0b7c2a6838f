"""The benchmark (bench/): its response bytes are the fake Sheets API's, and the tiny size runs end to end.

``make bench`` is slow and not part of ``make test``; these keep it working: the bytes it replays are
exactly what the fake answers the adapter's two reads with, the replay refuses a read it was not
prepared for, the cell count follows the write's subrequests, and ``python -m bench.run tiny`` prints
every figure with its target.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from bench import AS_OF
from bench.after import cells_after
from bench.fake_check import fake_responses
from bench.generate import generate
from bench.replay import Replay, UnexpectedCall
from bench.responses import Grid, build
from bench.run import main
from bench.typed import typed


def test_response_bytes_are_the_fakes() -> None:
    book = typed(generate("tiny", AS_OF))
    ours, fakes = build(book), fake_responses(book)
    assert ours.metadata == fakes.metadata
    assert ours.values == fakes.values
    # Dates are typed as dates (a DATE number format on their serial number), the percent cell as PERCENT.
    assert b'{"numberFormat":{"type":"DATE","pattern":"yyyy-mm-dd"}}' in ours.metadata
    assert b'{"numberFormat":{"type":"PERCENT","pattern":"0%"}}' in ours.metadata


def test_replay_refuses_a_read_it_was_not_prepared_for() -> None:
    replay = Replay({"get": b"{}"}, {"get": {"prettyPrint": ["false"], "fields": ["sheets"]}})
    request = requests.Request("GET", "https://sheets.googleapis.com/v4/spreadsheets/abc",
                               params={"prettyPrint": "false", "fields": "sheets(properties)"}).prepare()
    with pytest.raises(UnexpectedCall, match=r"update bench/responses\.py"):
        replay.answer(request)


def test_cells_follow_a_staged_write() -> None:
    grids = [Grid(0, "Deals", 100, 9), Grid(7, "Summary", 10, 5)]
    staging = (b'{"requests":[{"addSheet":{"properties":{"sheetId":9,"title":"s","hidden":true,'
               b'"gridProperties":{"rowCount":20,"columnCount":5}}}},{"appendDimension":{"sheetId":9,'
               b'"dimension":"ROWS","length":10}}]}')
    swap = (b'{"requests":[{"deleteSheet":{"sheetId":7}},{"updateSheetProperties":{"properties":'
            b'{"sheetId":9,"title":"Summary"},"fields":"title,hidden,index"}}]}')
    cells = cells_after(grids, [staging, swap])
    assert (cells.after, cells.peak) == (900 + 150, 900 + 50 + 150)
    assert cells.tabs == [("Deals", 900), ("Summary", 150)]


def test_tiny_runs_end_to_end_and_prints_every_figure(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["tiny", "--xlsx", "--profile", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "tiny.prof").stat().st_size > 0
    header = next(line for line in out.splitlines() if line.strip().startswith("seconds"))
    for stage in ("read", "decode", "parse", "pay", "funnel", "report", "write", "build", "encode", "other", "gc",
                  "total"):
        assert stage in header
    seconds = r"(\s+\d+\.\d\d)"
    # 6 stages, the parts of read, write and other (decode, build, encode, gc), other and total
    assert re.search(rf"^\s+wall{seconds}{{12}}\s+target none$", out, re.M), out
    assert re.search(rf"^\s+cpu{seconds}{{12}}$", out, re.M), out
    assert re.search(r"tiny — 5 managers × 3 months: [\d ]+ input rows, [\d ]+ input cells, 0 input issues", out)
    assert re.search(r"memory\s+peak \d[\d ]* MB", out)
    assert re.search(r"requests 3: get \(answer [\d ]+ B\), values.batchGet \(answer [\d ]+ B\), "
                     r"batchUpdate body [\d ]+ B; each body ≤ 9 437 184 B .*: OK", out), out
    assert re.search(r"cells\s+[\d ]+ after the write, limit 10 000 000: OK; largest tabs Funnel", out), out
    assert re.search(r"xlsx\s+reading the same data from an .xlsx file .*: \d+\.\d\d s wall", out), out
    assert "REFUSED" not in out
