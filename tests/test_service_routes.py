"""The service's /setup and /explain routes end to end against the fake Sheets API."""

from __future__ import annotations

import json
from typing import Any

from formulas.contract import INPUT_TABS
from formulas.report.model import column_letters
from tests.conftest import AS_OF, OWNER, bearer, seed_demo

SETUP = "/v1/spreadsheets/{}/setup"
EXPLAIN = "/v1/spreadsheets/{}/explain"
TEAM = [["Manager", "Role", "Base salary"], ["Anna Petrova", "sales", 45000]]


def _sheet_state(fake: Any, sheet_id: str, title: str) -> str:
    """One tab's whole stored state (cells, rules, validation, metadata) as comparable text."""
    sheets = fake.snapshot(sheet_id)["sheets"]
    return json.dumps(next(s for s in sheets if s["properties"]["title"] == title), sort_keys=True)


def test_setup_adds_the_missing_input_tabs_in_one_write_then_does_nothing(client, fake) -> None:
    sheet_id = fake.create_spreadsheet("Half set up", {"Notes": [["my own notes"]], "Team": TEAM},
                                       owner_token=OWNER)
    kept = {title: _sheet_state(fake, sheet_id, title) for title in ("Notes", "Team")}
    fake.reset_log()
    first = client.post(SETUP.format(sheet_id), json={}, headers=bearer(OWNER))
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["created"] == ["Plans", "Deals", "Payments", "Funnel", "Rules"]
    assert [r.kind for r in fake.requests].count("batchUpdate") == 1
    assert [r.kind for r in fake.requests if r.method != "GET"] == ["batchUpdate"]
    for spec in INPUT_TABS:
        assert fake.values(sheet_id, f"'{spec.en}'!1:1")[0][:len(spec.columns)] == \
            ([c.en for c in spec.columns] if spec.key != "team" else TEAM[0])
    for title, state in kept.items():
        assert _sheet_state(fake, sheet_id, title) == state, f"{title} was touched"

    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    fake.reset_log()
    second = client.post(SETUP.format(sheet_id), json={}, headers=bearer(OWNER))
    assert second.status_code == 200 and second.get_json()["created"] == []
    assert "already there" in second.get_json()["message"]
    assert [r.kind for r in fake.requests] == ["get"]  # one metadata read, no write
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before


def _explain(client: Any, sheet_id: str, sheet: str, cell: str) -> Any:
    query = {"sheet": sheet, "cell": cell, "as_of": AS_OF.isoformat()}
    return client.get(EXPLAIN.format(sheet_id), query_string=query, headers=bearer(OWNER))


def _cell(fake: Any, sheet_id: str, title: str, row: int, col: int) -> Any:
    """A written result cell as Google renders it unformatted."""
    return fake.values(sheet_id, f"'{title}'!{column_letters(col)}{row}")[0][0]


def _adds_up(answer: dict[str, Any], amount: float) -> None:
    """The contributions add up to the cell to the kopeck, and each names its source row."""
    assert answer["contributions"], answer
    assert round(sum(c["amount"] for c in answer["contributions"]), 2) == round(amount, 2)
    assert all(c["source"] for c in answer["contributions"])


def test_explain_a_statement_line_and_summary_cells(client, fake) -> None:
    sheet_id = seed_demo(fake)
    assert client.post(f"/v1/spreadsheets/{sheet_id}/recalculate", json={"as_of": AS_OF.isoformat()},
                       headers=bearer(OWNER)).status_code == 200
    statements = fake.values(sheet_id, "'Statements'")
    row = next(n for n, line in enumerate(statements, start=1)
               if line[:3] == ["2026-11", "Anna Petrova", "deal_percent"])
    line = _explain(client, sheet_id, "Statements", f"G{row}").get_json()
    assert line["ok"] and line["formula"] == statements[row - 1][7] and "×" in line["formula"]
    assert line["rule"].startswith("Rules!")
    _adds_up(line, statements[row - 1][6])

    summary = fake.values(sheet_id, "'Summary'")
    # Row 1 is the title line, row 2 the header; components are headed by readable names.
    header, anna = summary[1], next(n for n, r in enumerate(summary, start=1) if r[0] == "Anna Petrova")
    answers = {}
    for column in ("Deal %", "Base", "Total"):
        col = header.index(column)
        answers[column] = _explain(client, sheet_id, "Summary", f"{column_letters(col)}{anna}").get_json()
        assert answers[column]["ok"] and answers[column]["title"] == column, answers[column]
        _adds_up(answers[column], _cell(fake, sheet_id, "Summary", anna, col))
    assert answers["Deal %"]["formula"] == line["formula"]  # the same line, seen from the Summary
    assert answers["Deal %"]["rule"] == line["rule"]
    assert answers["Base"]["formula"].endswith("days = " + _money(answers["Base"]["value"]))
    assert answers["Total"]["formula"].endswith("= " + _money(answers["Total"]["value"]))


def _money(value: float) -> str:
    """Money as Premia's English formulas print it, like the Amount cells: ``333,370.00``."""
    return f"{value:,.2f}"


def test_explain_of_an_input_tab_or_a_bad_cell_is_400(client, fake) -> None:
    sheet_id = seed_demo(fake)
    for sheet, cell in (("Deals", "E5"), ("Summary", "not-a-cell")):
        answer = _explain(client, sheet_id, sheet, cell)
        assert answer.status_code == 400, answer.get_json()
        assert "not a cell of a Premia result tab" in answer.get_json()["error"]["message"]
    missing = client.get(EXPLAIN.format(sheet_id), query_string={"sheet": "Summary"}, headers=bearer(OWNER))
    assert missing.status_code == 400


def test_setup_creates_the_optional_splits_and_scenario_tabs_only_when_asked(client, fake) -> None:
    sheet_id = fake.create_spreadsheet("Set up", {"Team": TEAM}, owner_token=OWNER)
    first = client.post(SETUP.format(sheet_id), json={}, headers=bearer(OWNER))
    assert "Splits" not in first.get_json()["created"] and "Scenario" not in first.get_json()["created"]
    asked = client.post(SETUP.format(sheet_id), json={"with": ["splits", "scenario"]}, headers=bearer(OWNER))
    assert asked.status_code == 200 and asked.get_json()["created"] == ["Splits", "Scenario"]
    assert fake.values(sheet_id, "'Splits'!1:1")[0][:3] == ["Deal ID", "Manager", "Share"]
    assert fake.values(sheet_id, "'Scenario'!1:1")[0][:6] == ["From", "Applies to", "Component", "Threshold",
                                                              "Value", "Note"]
    splits = next(s for s in fake.snapshot(sheet_id)["sheets"] if s["properties"]["title"] == "Splits")
    rules = [cell for _r, _c, cell in splits["cells"] if "dataValidation" in cell]
    assert rules and all("Team" in json.dumps(cell["dataValidation"]) for cell in rules)  # managers from Team
    wrong = client.post(SETUP.format(sheet_id), json={"with": ["everything"]}, headers=bearer(OWNER))
    assert wrong.status_code == 400
