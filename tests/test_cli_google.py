"""`premia recalc --spreadsheet`, `premia setup` and `premia funnel` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from demo.workbook import write_demo
from service import create_app
from tests.conftest import AS_OF, OWNER, seed_demo


def test_recalc_a_google_spreadsheet_with_a_user_token(fake, monkeypatch) -> None:
    sheet_id = seed_demo(fake)
    monkeypatch.setenv("PREMIA_ACCESS_TOKEN", OWNER)
    fake.reset_log()
    result = create_app().test_cli_runner().invoke(
        args=["premia", "recalc", "--spreadsheet", sheet_id, "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Input issues: 7" in result.output
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate"]


def test_recalc_without_access_prints_a_plain_message(fake, monkeypatch) -> None:
    sheet_id = seed_demo(fake)
    fake.add_token("stranger")
    monkeypatch.setenv("PREMIA_ACCESS_TOKEN", "stranger")
    before = json.dumps(fake.snapshot(sheet_id), sort_keys=True)
    result = create_app().test_cli_runner().invoke(args=["premia", "recalc", "--spreadsheet", sheet_id])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "share" in result.output
    assert json.dumps(fake.snapshot(sheet_id), sort_keys=True) == before


def test_setup_creates_missing_tabs_once(fake, monkeypatch) -> None:
    sheet_id = fake.create_spreadsheet("Empty", {"Notes": [["my own notes"]]}, owner_token=OWNER)
    monkeypatch.setenv("PREMIA_ACCESS_TOKEN", OWNER)
    runner = create_app().test_cli_runner()
    first = runner.invoke(args=["premia", "setup", "--spreadsheet", sheet_id])
    assert first.exit_code == 0, first.output
    titles = [s.properties["title"] for s in fake.spreadsheet(sheet_id).sheets]
    assert titles == ["Notes", "Team", "Plans", "Deals", "Payments", "Funnel", "Rules"]
    second = runner.invoke(args=["premia", "setup", "--spreadsheet", sheet_id])
    assert "already there" in second.output


def test_funnel_prints_the_team_funnel_and_stuck_and_idle_lists(tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    write_demo(path, AS_OF)
    before = path.read_bytes()
    result = create_app().test_cli_runner().invoke(args=["premia", "funnel", str(path), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "contract signed" in result.output
    assert "Stuck clients:" in result.output and "Idle clients:" in result.output
    assert path.read_bytes() == before  # nothing is written


def test_whatif_on_a_google_spreadsheet_is_two_reads_and_one_write(fake, monkeypatch) -> None:
    """`premia whatif --spreadsheet` (PRODUCT.md 3c): the demo's Scenario tab beside Rules, What-if tab only."""
    sheet_id = seed_demo(fake)  # the demo carries a Scenario tab
    monkeypatch.setenv("PREMIA_ACCESS_TOKEN", OWNER)
    fake.reset_log()
    result = create_app().test_cli_runner().invoke(
        args=["premia", "whatif", "--spreadsheet", sheet_id, "--as-of", AS_OF.isoformat(), "--to", "2026-10"])
    assert result.exit_code == 0, result.output
    assert "What-if written:" in result.output and "– 2026-10" in result.output
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate"]
    titles = [s["properties"]["title"] for s in fake.snapshot(sheet_id)["sheets"]]
    assert "What-if" in titles and "Summary" not in titles  # nothing else was written
