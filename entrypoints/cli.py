"""The ``flask --app service premia …`` commands of PRODUCT.md section 6.

``today`` is read here, at the edge, and handed to the engine as ``as_of``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from zipfile import BadZipFile

import click
from flask.cli import AppGroup

from entrypoints.dates import RULE, parse_as_of
from formulas.engine import Outcome
from formulas.issues import render_issue
from formulas.months import month_label
from formulas.text import say
from sheets_sync.protocol import Spreadsheet

CRASH_STATUS = 3  # check exits 1 for input issues; an internal error must not look like that
EXISTS_STATUS = 4  # demo refuses to replace a file: a script can tell that apart from a failure
OVERTAKEN_STATUS = 5  # another recalculation of the same spreadsheet wrote first: nothing is wrong, nothing to fix


class Overtaken(click.ClickException):
    """Another recalculation of the spreadsheet finished first; its own exit status (scripts may just stop)."""

    exit_code = OVERTAKEN_STATUS


class PremiaGroup(AppGroup):
    """The ``premia`` group: an unexpected error ends in one plain line and exit status 3, never a traceback
    (input issues are exit status 1 for ``check``, refusals and unusable files status 1, usage errors 2,
    ``demo`` refusing to replace an existing file status 4, status 5 when another recalculation of the same
    spreadsheet wrote first)."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; turn a programming error into a plain message and its own exit status."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as error:  # a bug: its trace goes to the log, never to the user's terminal
            logging.getLogger("premia.cli").debug("unexpected error", exc_info=True)
            click.echo(f"Error: Premia hit an unexpected error ({type(error).__name__}); nothing was written. "
                       "Please report it with the command you ran.", err=True)
            ctx.exit(CRASH_STATUS)


premia_cli = PremiaGroup("premia", help="Recalculate KPIs and pay from a workbook or a Google spreadsheet.")


def _as_of(value: str | None) -> date | None:
    """Parse --as-of (YYYY-MM-DD, in a sane window); None means today in the spreadsheet's own time zone."""
    try:
        if value is not None and not value.strip():
            raise ValueError(RULE)  # an --as-of given empty is a typo, not "today"
        return parse_as_of(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--as-of'") from error


def open_spreadsheet(path: Path | None, spreadsheet: str | None) -> Spreadsheet:
    """The adapter for PATH (a local workbook) or --spreadsheet ID (Google Sheets), exactly one of them.

    Google credentials come from ``PREMIA_ACCESS_TOKEN`` (a user's OAuth access token) or else the
    service account key named by ``GOOGLE_APPLICATION_CREDENTIALS``.
    """
    if (path is None) == (spreadsheet is None):
        raise click.UsageError("give either PATH or --spreadsheet ID")
    if path is not None:
        from sheets_sync.local import LocalWorkbook  # openpyxl loads only when a file is used

        return LocalWorkbook(path)
    from sheets_sync.google import GoogleSpreadsheet, connect

    with plain_errors(spreadsheet or ""):
        return GoogleSpreadsheet(connect(os.environ.get("PREMIA_ACCESS_TOKEN") or None), spreadsheet or "")


@contextmanager
def plain_errors(where: object) -> Iterator[None]:
    """Report a spreadsheet Premia cannot use in plain words, never as a traceback.

    Input issues never raise; these are about the file or the spreadsheet itself (not an .xlsx,
    unreadable, content a rewrite would lose, no access, Google unavailable). Nothing was written.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    from entrypoints.jobs import Refused
    from sheets_sync.google.guard import RecalculatedMeanwhile
    from sheets_sync.google.http import SheetsError
    from sheets_sync.local.guard import WorkbookNotSupported
    from sheets_sync.protocol import SpreadsheetChanged

    try:
        yield
    except (BadZipFile, InvalidFileException) as error:
        raise click.ClickException(f"{where} is not an .xlsx workbook ({error})") from None
    except (WorkbookNotSupported, OSError) as error:
        raise click.ClickException(f"{where}: {error}") from None
    except RecalculatedMeanwhile as error:
        raise Overtaken(str(error)) from None
    except (SheetsError, Refused, SpreadsheetChanged) as error:
        raise click.ClickException(str(error)) from None


def run_job(sheet: Spreadsheet, as_of: str | None, write: bool = True) -> Outcome:
    """Recalculate ``sheet`` (writing the result tabs unless ``write`` is false), errors in plain words."""
    from entrypoints.jobs import recalculate_spreadsheet

    day = _as_of(as_of)
    with plain_errors(sheet.name):
        return recalculate_spreadsheet(sheet, day, write=write)


def summary_text(outcome: Outcome) -> str:
    """The compact terminal summary: manager, plan, fact, attainment, total pay; then the issue count."""
    lang = outcome.inputs.lang
    names = outcome.inputs.manager_names()
    words = [say(f"cli.{key}", lang) for key in ("manager", "plan", "fact", "attainment", "total")]
    header = f"{words[0]:<22}{words[1]:>14}{words[2]:>14}{words[3]:>9}{words[4]:>14}"
    lines = [say("cli.report_month", lang, month=month_label(outcome.report_month),
                 as_of=outcome.inputs.as_of.isoformat()), header, "-" * len(header)]
    for key, row in outcome.summary.iterrows():
        plan = "" if row.plan != row.plan else f"{row.plan:,.2f}"
        attainment = "" if row.attainment != row.attainment else f"{row.attainment:.1%}"
        lines.append(f"{names.get(key, key)[:21]:<22}{plan:>14}{row.fact:>14,.2f}{attainment:>9}"
                     f"{row.total:>14,.2f}")
    lines.append(say("cli.input_issues", lang, count=len(outcome.inputs.issues)))
    return "\n".join(lines)


SPREADSHEET = click.option("--spreadsheet", help="Google spreadsheet ID (instead of PATH).")
AS_OF = click.option("--as-of", "as_of", help="Calculation date, YYYY-MM-DD (default: today where the "
                                                "spreadsheet is).")
WORKBOOK = click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))


@premia_cli.command("recalc")
@WORKBOOK
@SPREADSHEET
@AS_OF
def recalc_command(path: Path | None, spreadsheet: str | None, as_of: str | None) -> None:
    """Recalculate a local workbook in place (or a Google spreadsheet with --spreadsheet)."""
    click.echo(summary_text(run_job(open_spreadsheet(path, spreadsheet), as_of)))


@premia_cli.command("setup")
@click.option("--spreadsheet", required=True, help="Google spreadsheet ID.")
@click.option("--with", "optional", multiple=True, type=click.Choice(["splits", "scenario"]),
              help="Also create an optional tab: splits (deals shared between managers), scenario (what-if).")
def setup_command(spreadsheet: str, optional: tuple[str, ...]) -> None:
    """Create the missing input tabs of a Google spreadsheet (headers, drop-downs, notes)."""
    from sheets_sync.google import connect, setup_spreadsheet

    with plain_errors(spreadsheet):
        created = setup_spreadsheet(connect(os.environ.get("PREMIA_ACCESS_TOKEN") or None), spreadsheet,
                                    optional=optional)
    click.echo(f"Created tabs: {', '.join(created)}" if created else "All input tabs are already there.")


@premia_cli.command("funnel")
@WORKBOOK
@SPREADSHEET
@AS_OF
def funnel_command(path: Path | None, spreadsheet: str | None, as_of: str | None) -> None:
    """Print the team funnel and the stuck and idle clients (nothing is written)."""
    from formulas.report.funnel_tabs import render_funnel_text

    outcome = run_job(open_spreadsheet(path, spreadsheet), as_of, write=False)
    click.echo(render_funnel_text(outcome.funnel, outcome.inputs.manager_names(), outcome.inputs.lang))


@premia_cli.command("check")
@WORKBOOK
@SPREADSHEET
@AS_OF
def check_command(path: Path | None, spreadsheet: str | None, as_of: str | None) -> None:
    """List input issues only (nothing is written); exit status 1 if there are any."""
    outcome = run_job(open_spreadsheet(path, spreadsheet), as_of, write=False)
    for issue in outcome.inputs.issues:
        click.echo(render_issue(issue))
    click.echo(f"Input issues: {len(outcome.inputs.issues)}")
    if outcome.inputs.issues:
        raise SystemExit(1)


@premia_cli.command("demo")
@click.argument("path", required=False, default="premia-demo.xlsx",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True,
              help="The language of the demo's tabs, headers and names.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists (every tab in it is lost).")
@AS_OF
def demo_command(path: Path, lang: str, force: bool, as_of: str | None) -> None:
    """Write a realistic demo workbook (default premia-demo.xlsx here), close its earlier months and
    recalculate it as of the last day of the latest month that has ended. An existing file is never
    replaced without --force (exit status 4)."""
    from entrypoints.demo_job import DemoExists, make_demo, story_text
    from entrypoints.jobs import today_in

    day = _as_of(as_of) or today_in("")
    try:
        with plain_errors(path):
            story = make_demo(path, day, lang, force)
    except DemoExists as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(EXISTS_STATUS) from None
    click.echo(f"Demo workbook: {path}")
    for line in story_text(story, lang):
        click.echo(line)
    click.echo(summary_text(story.outcome))
