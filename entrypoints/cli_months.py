"""The month-close commands of ``premia`` (PRODUCT.md section 3a): close, reopen, paid, payroll.

Each works on a local workbook (PATH) or a Google spreadsheet (--spreadsheet ID); a refusal is printed
in plain words with exit status 1 and nothing is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import click

from entrypoints.cli import AS_OF, SPREADSHEET, WORKBOOK, _as_of, open_spreadsheet, plain_errors, premia_cli
from entrypoints.months import close, paid, payroll_of, reopen
from formulas.close.payroll import Payroll
from formulas.months import month_label
from formulas.report.closing import payroll_rows

MONTH = click.option("--month", required=True, help="The month, YYYY-MM.")


def _month(text: str, option: str = "--month") -> int:
    """A ``YYYY-MM`` month index, or a usage error naming ``option``."""
    try:
        year, month = (int(part) for part in text.split("-"))
        if len(text) != 7 or not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise ValueError(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a month like 2026-03", param_hint=f"'{option}'") from None
    return year * 12 + month - 1


@premia_cli.command("close")
@WORKBOOK
@SPREADSHEET
@MONTH
@AS_OF
def close_command(path: Path | None, spreadsheet: str | None, month: str, as_of: str | None) -> None:
    """Close a month: freeze its statement lines; later corrections become adjustments."""
    sheet = open_spreadsheet(path, spreadsheet)
    with plain_errors(sheet.name):
        done = close(sheet, _month(month), _as_of(as_of))
    click.echo(done.message)


@premia_cli.command("reopen")
@WORKBOOK
@SPREADSHEET
@MONTH
@click.option("--reason", required=True, help="Why the month is re-opened (kept in the history).")
@AS_OF
def reopen_command(path: Path | None, spreadsheet: str | None, month: str, reason: str, as_of: str | None) -> None:
    """Re-open the latest closed month that is not paid; it is recomputed like any open month."""
    sheet = open_spreadsheet(path, spreadsheet)
    with plain_errors(sheet.name):
        done = reopen(sheet, _month(month), reason, _as_of(as_of))
    click.echo(done.message)


@premia_cli.command("paid")
@WORKBOOK
@SPREADSHEET
@MONTH
@AS_OF
def paid_command(path: Path | None, spreadsheet: str | None, month: str, as_of: str | None) -> None:
    """Mark a closed month as paid: it can never be re-opened."""
    sheet = open_spreadsheet(path, spreadsheet)
    with plain_errors(sheet.name):
        done = paid(sheet, _month(month), _as_of(as_of))
    click.echo(done.message)


@premia_cli.command("payroll")
@WORKBOOK
@SPREADSHEET
@click.option("--month", help="The closed month, YYYY-MM (default: the latest closed month).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV file to write (UTF-8 with BOM, ';' between fields): the accountant's hand-off.")
def payroll_command(path: Path | None, spreadsheet: str | None, month: str | None, out: Path) -> None:
    """Write a closed month's payroll as CSV that Excel opens with Cyrillic intact; open months are refused."""
    sheet = open_spreadsheet(path, spreadsheet)
    with plain_errors(sheet.name):
        sheet_of, lang, role_of = payroll_of(sheet, _month(month) if month else None)
    with plain_errors(out):
        out.write_bytes(payroll_csv(sheet_of, lang, role_of))
    click.echo(f"Payroll of {month_label(sheet_of.month)}: {len(sheet_of.rows)} managers written to {out}")


def payroll_csv(sheet_of: Payroll, lang: str, role_of: Callable[[str, int], str | None]) -> bytes:
    """The payroll rows as CSV: UTF-8 with BOM, ';' separated, amounts with two decimals and '.'."""
    headers, rows = payroll_rows(sheet_of, role_of, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([text for _key, text in headers])
    for row in rows:
        writer.writerow([f"{value:.2f}" if isinstance(value, float) else ("" if value is None else value)
                         for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
