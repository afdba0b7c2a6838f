"""``premia whatif`` (PRODUCT.md section 3c): the Scenario tab's rules beside Rules over past months.

Works on a local workbook (PATH) or a Google spreadsheet (--spreadsheet ID); writes the What-if tab only.
A refusal (no Scenario tab, a bad period) is printed in plain words with exit status 1, nothing written.
"""

from __future__ import annotations

from pathlib import Path

import click

from entrypoints.cli import AS_OF, SPREADSHEET, WORKBOOK, _as_of, open_spreadsheet, plain_errors, premia_cli
from entrypoints.cli_months import _month
from entrypoints.whatif import whatif_spreadsheet
from formulas.issues import render_issue


@premia_cli.command("whatif")
@WORKBOOK
@SPREADSHEET
@click.option("--from", "first", help="The first month compared, YYYY-MM (default: 11 months before --to).")
@click.option("--to", "last", help="The last month compared, YYYY-MM (default: the report month).")
@AS_OF
def whatif_command(path: Path | None, spreadsheet: str | None, first: str | None, last: str | None,
                   as_of: str | None) -> None:
    """Pay past months under the Scenario tab and under Rules; write the What-if tab, touch nothing else."""
    sheet = open_spreadsheet(path, spreadsheet)
    with plain_errors(sheet.name):
        done = whatif_spreadsheet(sheet, _as_of(as_of), _month(first, "--from") if first else None,
                                  _month(last, "--to") if last else None)
    for issue in done.result.scenario_issues:
        click.echo(render_issue(issue))
    click.echo(done.message)
