"""The ``flask --app service premia …`` commands (PRODUCT.md section 6), run through Flask's CLI runner."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner
from openpyxl import load_workbook

from demo.workbook import write_demo
from entrypoints.commands import premia_cli
from formulas.report.model import RECALCULATION_KEYS
from formulas.text import say
from service import create_app
from sheets_sync.local.write import create_workbook
from tests.builders import HEADERS

AS_OF = "2026-11-23"
README = Path(__file__).resolve().parent.parent / "README.md"
RESULT_TABS = [say(f"title.{key}", "en") for key in RECALCULATION_KEYS]


@pytest.fixture
def runner() -> FlaskCliRunner:
    return create_app({"TESTING": True}).test_cli_runner()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook as written, before any recalculation (written once, copied by tests)."""
    path = tmp_path_factory.mktemp("demo") / "template.xlsx"
    write_demo(path, date.fromisoformat(AS_OF))
    return path


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def clean_book(tmp_path: Path) -> Path:
    path = tmp_path / "clean.xlsx"
    create_workbook(path, [
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, "2026-01-01", None]]),
        ("Deals", [HEADERS["Deals"], ["D1", "2026-03-02", "Anna", "Acme", 100000, None, None, None, None]]),
        ("Rules", [HEADERS["Rules"], ["2026-01", "*", "deal_percent", None, 5, ""]]),
        *((title, [HEADERS[title]]) for title in ("Plans", "Payments", "Funnel")),
    ])
    return path


def invoke(runner: FlaskCliRunner, *args: str) -> Result:
    """Run ``flask premia ARGS``; an unexpected exception fails here with its traceback, not later."""
    result = runner.invoke(args=["premia", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def assert_summary(output: str, issues: int, as_of: str = AS_OF) -> None:
    """The summary table: report month, header, one line per manager, then the issue count."""
    lines = output.splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith("Report month "))
    assert lines[at] == f"Report month {as_of[:7]} (as of {as_of})"
    assert lines[at + 1].split() == ["Manager", "Plan", "Fact", "Attain.", "Total", "pay"]
    assert set(lines[at + 2]) == {"-"}
    assert lines[-1] == f"Input issues: {issues}"
    assert len(lines) - at - 4 >= 5  # the demo team's managers, each on a line


# ---------------------------------------------------------------- demo, recalc, check


def test_demo_writes_the_workbook_and_prints_the_summary_and_seven_issues(runner: FlaskCliRunner,
                                                                          tmp_path: Path) -> None:
    path = tmp_path / "premia-demo.xlsx"
    result = invoke(runner, "demo", str(path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Demo workbook: {path}"
    assert_summary(result.output, issues=7, as_of="2026-10-31")  # the demo's month is the last complete one
    assert "Anna Petrova" in result.output
    wb = load_workbook(path, read_only=True)
    assert {"Team", "Deals", "Payments", *RESULT_TABS} <= set(wb.sheetnames)
    wb.close()


def test_recalc_prints_the_summary_and_rewrites_every_result_tab(runner: FlaskCliRunner, demo_copy: Path) -> None:
    before = load_workbook(demo_copy, read_only=True)
    assert not set(RESULT_TABS) & set(before.sheetnames)
    before.close()
    result = invoke(runner, "recalc", str(demo_copy), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert_summary(result.output, issues=7)
    wb = load_workbook(demo_copy)
    for title in RESULT_TABS:
        ws = wb[title]
        assert ws.max_row >= 2 and ws.cell(1, 1).value, title  # a header and at least one row
    assert wb["Input issues"].max_row == 1 + 7
    assert [ws.title for ws in wb.worksheets][-len(RESULT_TABS):] == RESULT_TABS


def test_check_lists_the_issues_exits_1_and_writes_nothing(runner: FlaskCliRunner, demo_copy: Path) -> None:
    before = demo_copy.read_bytes()
    result = invoke(runner, "check", str(demo_copy), "--as-of", AS_OF)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "Deals!12, Amount: «сто тысяч» — is not an amount (write it like 150 000 or 150 000,50)"
    assert "Payments!140, Amount: «-15000» — is a negative amount" in lines
    assert lines[-1] == "Input issues: 7" and len(lines) == 8
    assert demo_copy.read_bytes() == before


def test_check_on_a_clean_workbook_exits_0_and_leaves_the_bytes_unchanged(runner: FlaskCliRunner,
                                                                          clean_book: Path) -> None:
    before = clean_book.read_bytes()
    result = invoke(runner, "check", str(clean_book), "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    assert result.output == "Input issues: 0\n"
    assert clean_book.read_bytes() == before


# ---------------------------------------------------------------- usage errors, never a traceback


@pytest.mark.parametrize("command", ["recalc", "check", "demo"])
@pytest.mark.parametrize("garbage", ["2026-13-01", "23.11.2026", "yesterday", "", "9999-12-31", "0001-01-01"])
def test_as_of_garbage_is_a_usage_error(runner: FlaskCliRunner, clean_book: Path, command: str,
                                        garbage: str) -> None:
    before = clean_book.read_bytes()
    result = invoke(runner, command, str(clean_book), "--as-of", garbage)
    assert result.exit_code == 2
    assert ("Invalid value for '--as-of': The as-of date must be a date like 2026-03-31, between 2000-01-01 and "
            "2100-12-31") in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert clean_book.read_bytes() == before  # demo did not overwrite it either


@pytest.mark.parametrize("args", [[], ["PATH", "--spreadsheet", "1AbC"]], ids=["neither", "both"])
def test_recalc_needs_exactly_one_of_path_and_spreadsheet(runner: FlaskCliRunner, clean_book: Path,
                                                          args: list[str]) -> None:
    args = [str(clean_book) if arg == "PATH" else arg for arg in args]
    before = clean_book.read_bytes()
    result = invoke(runner, "recalc", *args, "--as-of", "2026-03-31")
    assert result.exit_code == 2
    assert "Error: give either PATH or --spreadsheet ID" in result.output
    assert clean_book.read_bytes() == before


@pytest.mark.parametrize("command", ["recalc", "check"])
def test_a_file_that_is_not_a_workbook_is_a_plain_error(runner: FlaskCliRunner, tmp_path: Path,
                                                        command: str) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("Anna sold 100 000\n")
    result = invoke(runner, command, str(path), "--as-of", "2026-03-31")
    assert result.exit_code == 1
    assert f"Error: {path} is not an .xlsx workbook" in result.output
    assert path.read_text() == "Anna sold 100 000\n"


def test_demo_into_a_missing_folder_is_a_plain_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "demo", str(tmp_path / "no" / "such" / "demo.xlsx"), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "No such file or directory" in result.output
    assert not (tmp_path / "no").exists()


# ---------------------------------------------------------------- docs are tested


@pytest.mark.parametrize("name", sorted(premia_cli.commands))
def test_every_command_has_help_and_is_in_the_readme(runner: FlaskCliRunner, name: str) -> None:
    command = premia_cli.commands[name]
    assert command.help and len(command.help.split()) >= 4
    result = invoke(runner, name, "--help")
    assert result.exit_code == 0
    assert " ".join(command.help.split()) in " ".join(result.output.split())  # click wraps the text
    assert f"premia {name}" in README.read_text(encoding="utf-8"), f"README.md does not mention `premia {name}`"


def test_the_group_help_lists_every_command(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    listed = result.output.split("Commands:")[1].split()
    assert set(premia_cli.commands) <= set(listed)


def test_a_crash_has_its_own_exit_status_and_no_traceback(runner: FlaskCliRunner, clean_book: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("entrypoints.jobs.recalculate", broken)
    result = runner.invoke(args=["premia", "check", str(clean_book), "--as-of", "2026-03-31"])
    assert result.exit_code == 3  # 1 means "input issues found"
    assert "Premia hit an unexpected error (ZeroDivisionError); nothing was written" in result.output
    assert "Traceback" not in result.output


def test_a_workbook_without_input_tabs_is_refused_and_not_written(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    create_workbook(path, [("Budget", [["Item", "Sum"], ["Rent", 1000]])])
    before = path.read_bytes()
    result = invoke(runner, "recalc", str(path), "--as-of", "2026-03-31")
    assert result.exit_code == 1
    assert "No Premia input tab was found in" in result.output and "Nothing was written." in result.output
    assert path.read_bytes() == before
