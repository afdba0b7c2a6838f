"""The payroll hand-off of the demo (PRODUCT.md section 3a, issue 9) opened by the real LibreOffice.

``premia demo`` writes the demo (its earlier months closed by the real close job), ``premia payroll``
writes a closed month's CSV, and LibreOffice headless imports it with its CSV filter (``;`` between
fields, UTF-8, as an accountant would choose) and saves it as .xlsx, which is read back cell by cell:
the columns are the contract's, the Cyrillic names arrive intact (the byte-order mark does not leak into
the first header), every amount is a number, and each figure equals the frozen lines of `Closed months`.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook

from entrypoints.commands import premia_cli
from entrypoints.jobs import recalculate_spreadsheet
from formulas.pay.components import COMPONENTS
from formulas.text import say
from service import create_app
from sheets_sync.local import LocalWorkbook

pytestmark = pytest.mark.slow

TODAY, AS_OF = "2026-12-03", "2026-11-30"
JUN, OCT = 2026 * 12 + 5, 2026 * 12 + 9
# Field separator 59 (;), text delimiter 34 ("), character set 76 (UTF-8), from line 1, standard
# columns, numbers read the en-US way (the CSV's decimal separator is "."): what an accountant picks.
CSV_FILTER = "CSV:59,34,76,1,,1033"
NAMES = {"en": "Igor Kuznetsov", "ru": "Игорь Кузнецов"}


def run(*args: str) -> Result:
    """``premia ARGS`` through Flask's CLI runner."""
    return create_app({"TESTING": True}).test_cli_runner().invoke(premia_cli, list(args))


def libreoffice_rows(csv: Path, folder: Path) -> list[list[object]]:
    """The CSV imported by LibreOffice headless and saved as .xlsx, read back as rows of cell values."""
    assert shutil.which("soffice"), "LibreOffice is missing: bash tests/render/install-libreoffice.sh"
    profile = folder / "profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           f"--infilter={CSV_FILTER}", "--convert-to", "xlsx", "--outdir", str(folder / "out"),
                           str(csv)], capture_output=True, text=True, timeout=180, check=False)
    converted = folder / "out" / f"{csv.stem}.xlsx"
    assert done.returncode == 0 and converted.is_file(), done.stderr  # soffice may exit 0 having written nothing
    sheet = load_workbook(converted).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module", params=["ru", "en"])
def payroll(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(language, LibreOffice's rows of the October payroll CSV, the frozen lines of October and June)."""
    lang = request.param
    folder = tmp_path_factory.mktemp(f"payroll-{lang}")
    book = folder / "premia-demo.xlsx"
    made = run("demo", str(book), "--lang", lang, "--as-of", TODAY)
    assert made.exit_code == 0, made.output
    csv = folder / "payroll-2026-10.csv"
    written = run("payroll", str(book), "--month", "2026-10", "--out", str(csv))
    assert written.exit_code == 0, written.output
    state = recalculate_spreadsheet(LocalWorkbook(book), None, write=False).state
    return lang, csv, libreoffice_rows(csv, folder), state.frozen


def test_the_csv_is_utf8_with_bom_and_semicolons(payroll) -> None:
    lang, csv, _, _ = payroll
    data = csv.read_bytes()
    assert data.startswith("\ufeff".encode()) and data.count(b";") > 100
    assert NAMES[lang].encode() in data


def test_libreoffice_shows_the_contracts_columns_and_the_names_intact(payroll) -> None:
    lang, _, rows, frozen = payroll
    header = rows[0]
    used = {line.component for line in frozen[OCT] if line.amount != 0}
    components = [c.key for c in COMPONENTS if c.key in used]
    # One column per component that is non-zero for anyone, named by its identifier as in Statements.
    assert header == [say("header.manager", lang), say("header.role", lang), say("header.base", lang),
                      *components, say("header.adjustments", lang), say("header.carried_over", lang),
                      say("header.total", lang), say("header.state", lang)]
    assert rows[-1][0] == say("header.team", lang)
    assert say("role.sales", lang) in {row[1] for row in rows[1:-1]}
    names = [row[0] for row in rows[1:-1]]
    assert sorted(names) == sorted({line.manager for line in frozen[OCT]})
    assert NAMES[lang] in names
    if lang == "ru":
        assert all(any("а" <= ch <= "я" for ch in name.lower()) for name in names)
    assert {row[-1] for row in rows[1:]} == {say("state.closed", lang)}


def test_every_amount_equals_the_frozen_lines_of_closed_months(payroll) -> None:
    _, _, rows, frozen = payroll
    owed: dict[str, int] = defaultdict(int)
    for line in frozen[OCT]:
        owed[line.manager] += round(line.amount * 100)
    body, totals = rows[1:-1], rows[-1]
    for row in body:
        amounts = row[2:-1]
        assert all(isinstance(value, int | float) for value in amounts), row  # numbers, not text
        assert round(row[-2] * 100) == owed[row[0]], row[0]  # Total = the manager's frozen lines
        assert round(sum(amounts[:-1]) * 100) == owed[row[0]]  # and the columns add up to it
    assert round(totals[-2] * 100) == sum(owed.values())
    for column in range(2, len(totals) - 1):  # the totals row sums each column
        assert round(totals[column] * 100) == sum(round(row[column] * 100) for row in body)

