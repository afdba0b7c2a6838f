"""The same two reads answered by the fake Sheets API, to prove :mod:`bench.responses` faithful.

:func:`fake_responses` seeds a ``tests.fake_sheets.FakeSheets`` spreadsheet with a typed workbook (a DATE
or PERCENT number format on the cells that carry one, each grid cut to its data) and runs the adapter's
real read (``sheets_sync.google.read.read_spreadsheet``) against it over loopback HTTP, recording the
response bodies. The fake indents its JSON whatever ``prettyPrint`` says, so they are re-encoded
compactly, as Google sends them for ``prettyPrint=false``. Fine for the tiny and small agencies; the
large one would need gigabytes in the fake.

``python -m bench.fake_check [SIZE]`` compares both ways of building the bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import gspread
import requests

from bench import AS_OF
from bench.generate import generate
from bench.responses import PROPERTIES, SPREADSHEET_ID, Responses, build, compact
from bench.typed import number_format, typed
from formulas.raw import RawWorkbook
from sheets_sync.google.read import read_spreadsheet
from tests.fake_sheets import FakeSheets, RewritingSession

TOKEN = "bench-token"


class _Recording(RewritingSession):
    """A session to the fake that keeps every response body."""

    def __init__(self, root: str, token: str) -> None:
        super().__init__(root, token)
        self.bodies: list[bytes] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """Send, then keep the body."""
        response = super().request(method, url, *args, **kwargs)
        self.bodies.append(response.content)
        return response


def seeded_rows(book: RawWorkbook) -> dict[str, list[list[Any]]]:
    """Each tab's rows for ``create_spreadsheet``, formatted cells as CellData with their number format."""
    tabs = {}
    for tab in book.tabs:
        rows = [list(row) for row in tab.values]
        for (row, col), pattern in tab.formats.items():
            rows[row][col] = {"userEnteredValue": {"numberValue": rows[row][col]},
                              "userEnteredFormat": {"numberFormat": number_format(pattern)}}
        tabs[tab.title] = rows
    return tabs


def fake_responses(book: RawWorkbook) -> Responses:
    """Read 1 and read 2 as the fake answers them for a spreadsheet holding ``book`` (typed)."""
    with FakeSheets() as fake:
        sid = fake.create_spreadsheet(PROPERTIES["title"], seeded_rows(book), owner_token=TOKEN,
                                      spreadsheet_id=SPREADSHEET_ID, locale=PROPERTIES["locale"],
                                      time_zone=PROPERTIES["timeZone"])
        for tab in book.tabs:
            fake.set_grid_size(sid, tab.title, max(1, len(tab.values)), max(1, *(len(r) for r in tab.values)))
        session = _Recording(fake.url, TOKEN)
        try:
            read_spreadsheet(gspread.Client(auth=None, session=session), sid)  # type: ignore[arg-type]
        finally:
            session.close()
        assert fake.schema_violations == [], fake.schema_violations
    metadata, values = (compact(json.loads(body)) for body in session.bodies)
    return Responses(metadata, values)


def main(argv: list[str] | None = None) -> int:
    """Build both ways for one size and say whether the bytes agree."""
    parser = argparse.ArgumentParser(prog="python -m bench.fake_check", description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", default="tiny", choices=["tiny", "small"])
    size = parser.parse_args(argv).size
    book = typed(generate(size, AS_OF))
    ours, fakes = build(book), fake_responses(book)
    same = (ours.metadata == fakes.metadata, ours.values == fakes.values)
    print(f"{size}: read 1 {len(ours.metadata)} B {'same' if same[0] else 'DIFFERENT'}, "
          f"read 2 {len(ours.values)} B {'same' if same[1] else 'DIFFERENT'} as the fake's")
    return 0 if all(same) else 1


if __name__ == "__main__":
    sys.exit(main())
