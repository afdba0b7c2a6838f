"""The service against the fake Sheets API: call count at 10x the demo, formula-like text, parity with .xlsx.

Every test here goes Flask route -> Google adapter -> gspread -> real HTTP -> the fake; the ``fake``
fixture also proves no request failed the discovery-document schema.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from demo.workbook import demo_tabs, write_demo
from entrypoints.jobs import recalculate_spreadsheet
from formulas.engine import recalculate
from formulas.report.model import RECALCULATION_KEYS
from formulas.text import say
from sheets_sync.local import LocalWorkbook
from tests.conftest import AS_OF, OWNER, bearer, seed_demo

RECALC = "/v1/spreadsheets/{}/recalculate"
INJECTION = '=IMPORTXML("http://x","//a")'
RESULTS = [say(f"title.{key}", "en") for key in RECALCULATION_KEYS]
EPOCH = date(1899, 12, 30)


def _recalc(client: Any, sheet_id: str) -> dict[str, Any]:
    """Recalculate through the route as the owner; the JSON answer (status 200 asserted)."""
    answer = client.post(RECALC.format(sheet_id), json={"as_of": AS_OF.isoformat()}, headers=bearer(OWNER))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _ten_times_demo() -> dict[str, list[list[Any]]]:
    """The demo with its Deals, Payments and Funnel rows repeated ten times, each copy with fresh Deal IDs.

    ``D-1001`` becomes ``D-01001`` … ``D-91001``; the copied mistakes (a Cyrillic ``Д`` ID, a duplicate)
    stay mistakes of their own copy, so the input issues grow tenfold too.
    """
    def fresh(value: Any, copy: int) -> Any:
        return f"{value[:2]}{copy}{value[2:]}" if isinstance(value, str) and value[1:2] == "-" else value

    tabs: dict[str, list[list[Any]]] = {}
    for title, rows in demo_tabs(AS_OF).tabs:
        if title not in ("Deals", "Payments", "Funnel", "Splits"):
            tabs[title] = rows
            continue
        keyed = title != "Funnel"  # Deals, Payments and Splits start with the Deal ID
        if title == "Splits":  # no number formats reach the fake here: the 30 % percent cell is typed as text
            rows = [rows[0], *([*row[:2], f"{row[2] * 100:g} %" if isinstance(row[2], float) else row[2]]
                               for row in rows[1:])]
        tabs[title] = [rows[0], *([fresh(row[0], k) if keyed else row[0], *row[1:]]
                                  for k in range(10) for row in rows[1:])]
    return tabs


def test_ten_times_the_demo_is_still_two_reads_and_one_write(client, fake) -> None:
    tabs = _ten_times_demo()
    demo_rows = sum(len(rows) - 1 for _, rows in demo_tabs(AS_OF).tabs)
    assert sum(len(rows) - 1 for rows in tabs.values()) >= 9 * demo_rows
    sheet_id = fake.create_spreadsheet("Big agency", tabs, owner_token=OWNER)
    fake.reset_log()
    body = _recalc(client, sheet_id)
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate"]
    assert body["issues"] == 70  # the demo's 7 mistakes in each of the ten copies
    demo = next(t for t in recalculate(demo_tabs(AS_OF).to_raw(), AS_OF).report.tabs if t.key == "explain")
    with_deal = [row for row in fake.values(sheet_id, "'Explain'")[1:] if row[4:5] != [""]]
    assert len(with_deal) == 10 * sum(1 for row in demo.rows if row[4])  # every copied deal contributes


def _with_injected_clients() -> dict[str, Any]:
    """The demo with two clients renamed to INJECTION, typed as text cells.

    One is a client of a report-month deal (shown in `Explain`), the other a client that is both stuck
    and idle in the funnel (shown in the stuck and idle lists of `Funnel report` and in `Signals`).
    """
    demo = demo_tabs(AS_OF)
    outcome = recalculate(demo.to_raw(), AS_OF)
    explain = next(t for t in outcome.report.tabs if t.key == "explain")
    dealt = next(row[5] for row in explain.rows if row[5])
    funnel = outcome.funnel
    stuck = next(c for c in funnel.stuck["client"] if c in set(funnel.idle["client"]) and c != dealt)
    text = {"userEnteredValue": {"stringValue": INJECTION}}  # typed as text, e.g. with a leading '
    column = {"Deals": (3, dealt), "Funnel": (2, stuck)}
    tabs: dict[str, Any] = {}
    for title, rows in demo.tabs:
        col, name = column.get(title, (-1, None))
        tabs[title] = [[text if c == col and value == name else value for c, value in enumerate(row)]
                       for row in rows]
    return tabs


def test_a_client_named_like_a_formula_is_text_in_every_result_tab(client, fake) -> None:
    sheet_id = fake.create_spreadsheet("Injected", _with_injected_clients(), owner_token=OWNER)
    _recalc(client, sheet_id)
    shown_in: dict[str, int] = {}
    for sheet in fake.spreadsheet(sheet_id).sheets:
        for (row, col), data in sheet.cells.items():
            entered = data.get("userEnteredValue", {})
            if any("IMPORTXML" in str(v) for v in entered.values()):
                assert set(entered) == {"stringValue"}, (sheet.title, row, col, entered)
                shown_in[sheet.title] = shown_in.get(sheet.title, 0) + 1
    # Explain (the deal's client), and the stuck and idle signals
    assert shown_in.get("Explain", 0) >= 1
    assert shown_in.get("Signals", 0) >= 2
    # the name itself, unchanged, in the details of a stuck and an idle signal and as an Explain client
    signals = fake.values(sheet_id, "'Signals'")
    assert sum(row[2] in ("stuck_client", "idle_client") and row[3].startswith(INJECTION + ":")
               for row in signals[1:]) == 2
    assert any(row[5:6] == [INJECTION] for row in fake.values(sheet_id, "'Explain'"))


def _normalised(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows as comparable plain values: empty as None, dates as serials, trailing empties dropped."""
    out = []
    for row in rows:
        line = [None if v in ("", None) else _serial(v) if isinstance(v, date) else v for v in row]
        while line and line[-1] is None:
            line.pop()
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _serial(value: date) -> float:
    """A date (or datetime) as a spreadsheet serial, as Google's SERIAL_NUMBER render gives it."""
    days = ((value.date() if isinstance(value, datetime) else value) - EPOCH).days
    if isinstance(value, datetime):
        return days + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return days


def _same(google: Any, local: Any) -> bool:
    """Equal cells: numbers to the kopeck (and to float precision), text and links by their text."""
    if isinstance(google, (int, float)) and isinstance(local, (int, float)):
        return round(google, 2) == round(local, 2) and math.isclose(google, local, rel_tol=1e-12, abs_tol=1e-9)
    return google == local


def test_result_tabs_on_google_equal_those_of_the_local_workbook(client, fake, tmp_path: Path) -> None:
    sheet_id = seed_demo(fake)
    _recalc(client, sheet_id)
    path = tmp_path / "demo.xlsx"
    write_demo(path, AS_OF)
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    book = load_workbook(path)
    try:
        for title in RESULTS:
            google = _normalised(fake.values(sheet_id, f"'{title}'"))
            local = _normalised([list(row) for row in book[title].iter_rows(values_only=True)])
            assert len(google) == len(local) > 1, title
            for number, (ours, theirs) in enumerate(zip(google, local, strict=True), start=1):
                assert len(ours) == len(theirs), (title, number, ours, theirs)
                for col, (a, b) in enumerate(zip(ours, theirs, strict=True)):
                    assert _same(a, b), (title, number, col, a, b)
    finally:
        book.close()
