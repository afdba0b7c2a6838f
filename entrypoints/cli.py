"""The ``flask --app service premia …`` commands of PRODUCT.md section 6.

``today`` is read here, at the edge, and handed to the engine as ``as_of``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from zipfile import BadZipFile

import click
from flask.cli import AppGroup

from formulas.engine import Outcome
from formulas.issues import render_issue
from formulas.months import month_label

premia_cli = AppGroup("premia", help="Recalculate KPIs and pay from a workbook or a Google spreadsheet.")


def _as_of(value: str | None) -> date:
    """Parse --as-of (YYYY-MM-DD), defaulting to today."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date like 2026-03-31", param_hint="'--as-of'") from error


@contextmanager
def _workbook_errors(path: Path) -> Iterator[None]:
    """Report a file that is not a workbook Premia can use in plain words, not as a traceback.

    Input issues never raise; these are about the file itself (not an .xlsx, unreadable, content a
    rewrite would lose, a folder that does not exist). The workbook is left as it was in every case.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    from sheets_sync.local.write import WorkbookNotSupported

    try:
        yield
    except (BadZipFile, InvalidFileException) as error:
        raise click.ClickException(f"{path} is not an .xlsx workbook ({error})") from None
    except (WorkbookNotSupported, OSError) as error:
        raise click.ClickException(f"{path}: {error}") from None


def summary_text(outcome: Outcome) -> str:
    """The compact terminal summary: manager, plan, fact, attainment, total pay; then the issue count."""
    names = outcome.inputs.manager_names()
    header = f"{'Manager':<22}{'Plan':>14}{'Fact':>14}{'Attain.':>9}{'Total pay':>14}"
    lines = [f"Report month {month_label(outcome.report_month)} (as of {outcome.inputs.as_of.isoformat()})",
             header, "-" * len(header)]
    for key, row in outcome.summary.iterrows():
        plan = "" if row.plan != row.plan else f"{row.plan:,.2f}"
        attainment = "" if row.attainment != row.attainment else f"{row.attainment:.1%}"
        lines.append(f"{names.get(key, key)[:21]:<22}{plan:>14}{row.fact:>14,.2f}{attainment:>9}"
                     f"{row.total:>14,.2f}")
    lines.append(f"Input issues: {len(outcome.inputs.issues)}")
    return "\n".join(lines)


@premia_cli.command("recalc")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--spreadsheet", help="Google spreadsheet ID (instead of PATH).")
@click.option("--as-of", "as_of", help="Calculation date, YYYY-MM-DD (default: today).")
def recalc_command(path: Path | None, spreadsheet: str | None, as_of: str | None) -> None:
    """Recalculate a local workbook in place (or a Google spreadsheet with --spreadsheet)."""
    from entrypoints.jobs import recalc_workbook

    if (path is None) == (spreadsheet is None):
        raise click.UsageError("give either PATH or --spreadsheet ID")
    day = _as_of(as_of)
    if spreadsheet is not None:
        from sheets_sync.google.adapter import recalc_spreadsheet

        outcome = _google(lambda client: recalc_spreadsheet(client, spreadsheet, day))
    else:
        with _workbook_errors(path):
            outcome = recalc_workbook(path, day)
    click.echo(summary_text(outcome))


def _google(action):  # -> whatever action returns
    """Run an action with a Google client built from PREMIA_ACCESS_TOKEN or the service account key.

    Failures are printed as the adapter's plain message (no traceback) and exit with status 2.
    """
    from sheets_sync.google.adapter import connect
    from sheets_sync.google.http import SheetsError

    token = os.environ.get("PREMIA_ACCESS_TOKEN")
    try:
        return action(connect(token or None))
    except SheetsError as error:
        raise click.ClickException(str(error)) from None


def _computed(path: Path, as_of: str | None) -> Outcome:
    """Recalculate a workbook in memory only (check and funnel never write)."""
    from entrypoints.jobs import recalc_workbook

    day = _as_of(as_of)
    with _workbook_errors(path):
        return recalc_workbook(path, day, write=False)


@premia_cli.command("setup")
@click.option("--spreadsheet", required=True, help="Google spreadsheet ID.")
def setup_command(spreadsheet: str) -> None:
    """Create the missing input tabs of a Google spreadsheet (headers, drop-downs, notes)."""
    from sheets_sync.google.adapter import setup_spreadsheet

    created = _google(lambda client: setup_spreadsheet(client, spreadsheet))
    click.echo(f"Created tabs: {', '.join(created)}" if created else "All input tabs are already there.")


@premia_cli.command("funnel")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", help="Calculation date, YYYY-MM-DD (default: today).")
def funnel_command(path: Path, as_of: str | None) -> None:
    """Print the team funnel and the stuck and idle clients of a workbook (nothing is written)."""
    from formulas.report.funnel_tabs import render_funnel_text

    outcome = _computed(path, as_of)
    click.echo(render_funnel_text(outcome.funnel, outcome.inputs.manager_names(), outcome.inputs.lang))


@premia_cli.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", help="Calculation date, YYYY-MM-DD (default: today).")
def check_command(path: Path, as_of: str | None) -> None:
    """List input issues only (nothing is written); exit status 1 if there are any."""
    outcome = _computed(path, as_of)
    for issue in outcome.inputs.issues:
        click.echo(render_issue(issue))
    click.echo(f"Input issues: {len(outcome.inputs.issues)}")
    if outcome.inputs.issues:
        raise SystemExit(1)


@premia_cli.command("demo")
@click.argument("path", required=False, default="premia-demo.xlsx",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", help="Calculation date, YYYY-MM-DD (default: today).")
def demo_command(path: Path, as_of: str | None) -> None:
    """Write a realistic demo workbook (default premia-demo.xlsx) and recalculate it."""
    from demo.workbook import write_demo
    from entrypoints.jobs import recalc_workbook

    day = _as_of(as_of)
    with _workbook_errors(path):
        write_demo(path, day)
        outcome = recalc_workbook(path, day)
    click.echo(f"Demo workbook: {path}")
    click.echo(summary_text(outcome))
