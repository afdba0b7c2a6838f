"""What-if (PRODUCT.md section 3c): the Scenario tab's rules beside Rules, on the local workbook and Google.

The core is checked against recalculations (a Scenario equal to Rules changes nothing; a changed one pays
exactly what a recalculation with it as Rules pays, per month and manager to the kopeck); the adapters
against the promise that nothing but the What-if tab changes, and that a later recalculation leaves it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from demo.workbook import demo_tabs
from entrypoints.jobs import Refused, recalculate_spreadsheet
from entrypoints.whatif import whatif_spreadsheet
from formulas.engine import recalculate
from formulas.raw import RawTab, RawWorkbook
from formulas.whatif.compare import what_if
from service import create_app
from tests.conftest import AS_OF, OWNER, bearer
from tests.memory_sheet import MemorySheet


def premia(*args: str) -> Any:
    """Run a ``premia`` command as the console script does (an unexpected exception fails here)."""
    result = create_app({"TESTING": True}).test_cli_runner().invoke(args=["premia", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def demo_without_scenario() -> RawWorkbook:
    """The demo agency without its Scenario tab."""
    return RawWorkbook([tab for tab in demo_tabs(AS_OF).to_raw().tabs if tab.title != "Scenario"])


def demo_with_scenario(change: Any = None) -> RawWorkbook:
    """The demo agency with a Scenario tab: a copy of Rules, each row passed through ``change``."""
    raw = demo_without_scenario()
    rules = next(tab for tab in raw.tabs if tab.title == "Rules")
    rows = [list(row) for row in rules.values]
    if change is not None:
        rows = [rows[0], *[change(list(row)) for row in rows[1:]]]
    return RawWorkbook([*raw.tabs, RawTab("Scenario", rows, dict(rules.formats))])


def richer_deals(row: list[Any]) -> list[Any]:
    """deal_percent one point higher, plan_bonus halved: the demo's "what if" of PRODUCT.md 3c."""
    if row[2] == "deal_percent":
        row[4] = float(row[4]) * 100 + 1 if float(row[4]) < 1 else float(row[4]) + 1
    if row[2] == "plan_bonus":
        row[4] = float(row[4]) / 2
    return row


def block_rows(tab) -> list[list[Any]]:
    """The month × manager block: rows up to the first blank one."""
    rows = []
    for row in tab.rows:
        if not row:
            break
        rows.append(row)
    return rows


def test_a_scenario_equal_to_rules_shows_no_difference_anywhere() -> None:
    sheet = MemorySheet(demo_with_scenario())
    done = whatif_spreadsheet(sheet, AS_OF, now=datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    tab = sheet.results["whatif"]
    assert tab.title_line == (f"What-if: Scenario in place of Rules, 2026-06 – 2026-11 · computed 2026-11-23 09:30 UTC"
                              f" · Scenario version {done.result.version}")
    difference = tab.column("difference")
    compared = [row for row in tab.rows if len(row) > difference and isinstance(row[difference], float)]
    assert len(compared) > 20
    assert all(row[difference] == 0.0 for row in compared)
    assert any(row[tab.column("current")] for row in compared)


def test_a_changed_scenario_pays_what_a_recalculation_with_it_as_rules_pays() -> None:
    workbook = demo_with_scenario(richer_deals)
    result = what_if(workbook, AS_OF)
    scenario = next(tab for tab in workbook.tabs if tab.title == "Scenario")
    swapped = RawWorkbook([RawTab("Rules", scenario.values, scenario.formats) if tab.title == "Rules" else tab
                           for tab in workbook.tabs if tab.title != "Scenario"])
    recalculated = recalculate(swapped, AS_OF).pay.lines
    original = recalculate(demo_without_scenario(), AS_OF).pay.lines
    sheet = MemorySheet(workbook)
    whatif_spreadsheet(sheet, AS_OF)
    names = {v: k for k, v in result.inputs.manager_names().items()}
    rows = block_rows(sheet.results["whatif"])
    assert len(rows) == len({(m, k) for m, k in zip(result.current.lines["month"], result.current.lines["manager_key"],
                                                      strict=True) if m in result.months})
    changed = 0
    for month_text, name, now, then, difference, _ in rows:
        year, month = (int(part) for part in month_text.split("-"))
        index, key = year * 12 + month - 1, names[name]

        def kopecks(lines, index=index, key=key) -> int:
            chosen = lines[(lines["month"] == index) & (lines["manager_key"] == key)]
            return round(chosen["amount"].sum() * 100)

        assert round(then * 100) == kopecks(recalculated), (month_text, name)
        assert round(now * 100) == kopecks(original), (month_text, name)
        assert round(difference * 100) == kopecks(recalculated) - kopecks(original)
        changed += difference != 0
    assert changed > 10  # the scenario does change pay, so the comparison above means something


def test_cost_of_plan_and_the_component_block_add_up() -> None:
    result_sheet = MemorySheet(demo_with_scenario(richer_deals))
    done = whatif_spreadsheet(result_sheet, AS_OF)
    tab = result_sheet.results["whatif"]
    labels = [row[1] if len(row) > 1 else None for row in tab.rows]
    deal_percent = tab.rows[labels.index("Deal %")]
    plan_bonus = tab.rows[labels.index("Plan bonus")]
    assert deal_percent[4] > 0 > plan_bonus[4]
    variable = tab.rows[labels.index("Variable pay (all but base salary)")]
    ratio = tab.rows[labels.index("Variable pay ÷ signed amount")]
    signed = tab.rows[labels.index("Signed amount")]
    assert ratio[2] == pytest.approx(variable[2] / signed[2]) and ratio[3] == pytest.approx(variable[3] / signed[2])
    first = labels.index("Base")
    components = block_rows(type(tab)(tab.key, tab.title, tab.columns, tab.rows[first:]))
    assert round(sum(row[4] for row in components) * 100) == round(
        sum(row[4] for row in block_rows(tab)) * 100)
    assert "What-if written" in done.message


def test_no_scenario_tab_is_refused_and_nothing_is_written() -> None:
    sheet = MemorySheet(demo_without_scenario())
    with pytest.raises(Refused, match="There is no Scenario tab"):
        whatif_spreadsheet(sheet, AS_OF)
    assert sheet.results == {}


def test_scenario_rows_with_issues_are_listed_on_the_tab() -> None:
    def broken(row: list[Any]) -> list[Any]:
        if row[2] == "plan_bonus":
            row[4] = "lots"
        return row

    sheet = MemorySheet(demo_with_scenario(broken))
    done = whatif_spreadsheet(sheet, AS_OF)
    assert done.result.scenario_issues and all(i.tab == "Scenario" for i in done.result.scenario_issues)
    texts = [row[0] for row in sheet.results["whatif"].rows if row and isinstance(row[0], str)]
    assert any(text.startswith("Scenario!") and "lots" in text for text in texts)


def local_workbook(tmp_path: Path) -> Path:
    """The demo workbook with a Scenario tab on disk, recalculated once."""
    from sheets_sync.local.write import create_workbook

    workbook = demo_with_scenario(richer_deals)
    path = tmp_path / "agency.xlsx"
    formats = {(tab.title, r, c): f for tab in workbook.tabs for (r, c), f in tab.formats.items()}
    create_workbook(path, [(tab.title, [list(row) for row in tab.values]) for tab in workbook.tabs], formats)
    return path


def parts(path: Path) -> dict[str, bytes]:
    """Every part of an .xlsx by name."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_part(path: Path, title: str) -> bytes:
    """The worksheet XML of the tab ``title``."""
    import openpyxl

    index = openpyxl.load_workbook(path, read_only=True).sheetnames.index(title)
    names = sorted((n for n in parts(path) if n.startswith("xl/worksheets/sheet")),
                   key=lambda n: int(n.removeprefix("xl/worksheets/sheet").removesuffix(".xml")))
    return parts(path)[names[index]]


def test_local_whatif_leaves_every_other_tab_byte_for_byte_and_a_recalculation_leaves_what_if(tmp_path) -> None:
    path = local_workbook(tmp_path)
    assert premia("recalc", str(path), "--as-of", AS_OF.isoformat()).exit_code == 0
    before = parts(path)
    answer = premia("whatif", str(path), "--as-of", AS_OF.isoformat(), "--from", "2026-09")
    assert answer.exit_code == 0, answer.output
    assert "What-if written: 2026-09 – 2026-11" in answer.output
    after = parts(path)
    changed = {name for name in after if before.get(name) != after[name]}
    # the new tab's own parts and the workbook's tab list; no other tab's sheet XML changed
    import openpyxl

    titles = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert titles[-1] == "What-if" and titles[:-1] == openpyxl.load_workbook(
        tmp_path / "agency.xlsx", read_only=True).sheetnames[:-1]
    for title in titles[:-1]:
        assert sheet_part(path, title) == before[_name_of(before, path, title)], title
    assert changed <= {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "docProps/app.xml",
                       "xl/styles.xml", _name_of(after, path, "What-if")} | {n for n in after if n not in before}
    what_if_xml = sheet_part(path, "What-if")
    assert premia("recalc", str(path), "--as-of", AS_OF.isoformat()).exit_code == 0
    assert sheet_part(path, "What-if") == what_if_xml


def _name_of(everything: dict[str, bytes], path: Path, title: str) -> str:
    """The part name of tab ``title`` (parts are numbered in tab order in these files)."""
    import openpyxl

    index = openpyxl.load_workbook(path, read_only=True).sheetnames.index(title)
    names = sorted((n for n in everything if n.startswith("xl/worksheets/sheet")),
                   key=lambda n: int(n.removeprefix("xl/worksheets/sheet").removesuffix(".xml")))
    return names[index]


def test_cli_without_a_scenario_tab_says_so_and_exits_1(tmp_path) -> None:
    from sheets_sync.local.write import create_workbook

    path = tmp_path / "plain.xlsx"
    create_workbook(path, [(tab.title, [list(row) for row in tab.values]) for tab in demo_without_scenario().tabs])
    before = path.read_bytes()
    answer = premia("whatif", str(path), "--as-of", AS_OF.isoformat())
    assert answer.exit_code == 1 and "There is no Scenario tab" in answer.output
    assert path.read_bytes() == before


def test_google_whatif_is_two_reads_and_one_write_and_touches_no_other_tab(client, fake) -> None:
    sheet_id = seed_with_scenario(fake)
    answer = client.post(f"/v1/spreadsheets/{sheet_id}/recalculate", json={"as_of": AS_OF.isoformat()},
                         headers=bearer(OWNER))
    assert answer.status_code == 200, answer.get_json()
    before = {s["properties"]["title"]: s for s in fake.snapshot(sheet_id)["sheets"]}
    fake.requests.clear()
    answer = client.post(f"/v1/spreadsheets/{sheet_id}/whatif", json={"as_of": AS_OF.isoformat(), "from": "2026-08"},
                         headers=bearer(OWNER))
    assert answer.status_code == 200, answer.get_json()
    assert "What-if written: 2026-08 – 2026-11" in answer.get_json()["message"]
    assert [r.kind for r in fake.requests if r.kind != "drive.permissions"] == ["get", "values.batchGet",
                                                                              "batchUpdate"]
    after = {s["properties"]["title"]: s for s in fake.snapshot(sheet_id)["sheets"]}
    assert set(after) == set(before) | {"What-if"}
    for title, sheet in before.items():
        assert after[title] == sheet, title  # cells, rules, protections: every other tab as it was
    what_if_sheet = after["What-if"]
    assert what_if_sheet["conditionalFormats"] and what_if_sheet["protectedRanges"]
    again = client.post(f"/v1/spreadsheets/{sheet_id}/recalculate", json={"as_of": AS_OF.isoformat()},
                        headers=bearer(OWNER))
    assert again.status_code == 200
    assert {s["properties"]["title"]: s for s in fake.snapshot(sheet_id)["sheets"]}["What-if"] == what_if_sheet


def seed_with_scenario(fake: Any) -> str:
    """The demo agency on the fake with a Scenario tab (richer deals), percent cells formatted as in Rules."""
    workbook = demo_with_scenario(richer_deals)
    tabs = {tab.title: [list(row) for row in tab.values] for tab in workbook.tabs}
    sheet_id = fake.create_spreadsheet("Demo agency", tabs, owner_token=OWNER)
    for tab in workbook.tabs:
        for (row, col), pattern in tab.formats.items():
            if "%" in pattern and tab.title in ("Rules", "Scenario"):
                fake.set_cell(sheet_id, f"'{tab.title}'!{chr(65 + col)}{row + 1}", tabs[tab.title][row][col],
                              number_format={"type": "PERCENT", "pattern": pattern})
    return sheet_id


def test_route_refuses_without_scenario(client, fake) -> None:
    tabs = {tab.title: [list(row) for row in tab.values] for tab in demo_without_scenario().tabs}
    sheet_id = fake.create_spreadsheet("No scenario", tabs, owner_token=OWNER)
    fake.requests.clear()
    answer = client.post(f"/v1/spreadsheets/{sheet_id}/whatif", json={"as_of": AS_OF.isoformat()},
                         headers=bearer(OWNER))
    assert answer.status_code == 409
    assert "There is no Scenario tab" in answer.get_json()["error"]["message"]
    assert not fake.calls("batchUpdate")


def test_whatif_ignores_month_close() -> None:
    """Closed months' frozen lines play no part: Current is the recomputed pay of a closed month, not its
    frozen figure, after a later correction."""
    from entrypoints.months import close

    june = 2026 * 12 + 5
    sheet = MemorySheet(demo_with_scenario())
    close(sheet, june, AS_OF, now="2026-07-05 10:00")
    deals = sheet.tab("Deals").values
    at = next(i for i, row in enumerate(deals) if i and str(row[1]).startswith("2026-06"))
    edited = [list(row) for row in deals[1:]]
    edited[at - 1][4] = float(edited[at - 1][4]) + 100000
    sheet.replace("Deals", edited)
    outcome = recalculate_spreadsheet(sheet, AS_OF, write=False)
    done = whatif_spreadsheet(sheet, AS_OF, june, june)
    assert done.result.months == [june]
    names = {v: k for k, v in done.result.inputs.manager_names().items()}
    frozen = outcome.statement.lines
    moved = 0
    for _month, name, now, _then, difference, _ in block_rows(sheet.results["whatif"]):
        key = names[name]
        lines = outcome.pay.lines
        recomputed = round(lines[(lines["month"] == june) & (lines["manager_key"] == key)]["amount"].sum() * 100)
        shown = round(frozen[(frozen["month"] == june) & (frozen["manager_key"] == key)]["amount"].sum() * 100)
        assert round(now * 100) == recomputed and difference == 0.0
        moved += recomputed != shown
    assert moved == 1  # the corrected deal's manager: recomputed, not frozen


def test_an_empty_scenario_tab_is_refused_rather_than_paying_nothing() -> None:
    """A Scenario tab with its header only (as `premia setup --with scenario` makes it) would show every pay
    dropping to base salary: refused, with what to do, nothing written."""
    raw = demo_without_scenario()
    sheet = MemorySheet(RawWorkbook([*raw.tabs, RawTab("Scenario", [next(t for t in raw.tabs
                                                                        if t.title == "Rules").values[0]])]))
    with pytest.raises(Refused, match="The Scenario tab has no rules yet"):
        whatif_spreadsheet(sheet, AS_OF)
    assert sheet.results == {}
