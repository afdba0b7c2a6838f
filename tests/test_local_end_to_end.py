"""A local workbook end to end: write with the adapter, recalculate in place, read back with openpyxl.

PRODUCT.md section 3 "Untouched" and section 7: input tabs and a user's own tabs keep every value and
format, a second run gives the same bytes, user text never becomes a formula, and a failed write
leaves the file as it was.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from demo.workbook import write_demo
from entrypoints.jobs import recalculate_spreadsheet
from formulas.pay.components import STATEMENT_ORDER
from formulas.report.model import RECALCULATION_KEYS
from formulas.text import say
from sheets_sync.local import LocalWorkbook, commit
from sheets_sync.local.write import create_workbook
from tests.builders import HEADERS

AS_OF = date(2026, 3, 31)
FORMULA_CLIENT = '=IMPORTXML("http://x","//a")'
INPUT_TABS = ["Team", "Deals", "Payments", "Rules"]
USER_TAB = "My notes"

TEXT = st.text(alphabet="AaБб 0123456789=+-@,.₽%", min_size=1, max_size=10).filter(lambda text: text.strip() != "")
DAYS = st.dates(min_value=date(2026, 1, 1), max_value=AS_OF)
AMOUNTS = st.one_of(st.integers(min_value=1, max_value=10**7), st.sampled_from(["150 000,50", "сто тысяч", -5]))
CLIENTS = st.one_of(st.sampled_from([FORMULA_CLIENT, "+7 999 123", "@acme", "Acme"]), TEXT)
# Any finite float, all 17 digits of it (0.30000000000000004, as Excel stores it): a user's tab is kept
# byte for byte, so nothing rounds it.
NUMBERS = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def workbooks(draw: st.DrawFn) -> tuple[list[tuple[str, list[list[Any]]]], dict[tuple[str, int, int], str]]:
    """A tiny workbook: two managers, a few deals and payments, rules, and a user's own tab."""
    deals = [[f"D{i}", draw(DAYS), draw(st.sampled_from(["Anna", "Boris", "Zoe"])), draw(CLIENTS), draw(AMOUNTS),
              draw(st.sampled_from([None, "inbound", "outbound"])), None, None, None]
             for i in range(draw(st.integers(min_value=0, max_value=4)))]
    payments = [[f"D{draw(st.integers(min_value=0, max_value=4))}", draw(DAYS), draw(AMOUNTS),
                 draw(st.integers(min_value=1, max_value=3)), None]
                for _ in range(draw(st.integers(min_value=0, max_value=3)))]
    notes = draw(st.lists(st.lists(st.one_of(TEXT, st.integers(-10**15, 10**15), NUMBERS), min_size=1, max_size=3),
                          min_size=1, max_size=3))
    tabs = [
        (USER_TAB, notes),
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, date(2026, 1, 1), None],
                  ["Boris", "sales", draw(AMOUNTS), date(2026, 2, 10), None]]),
        ("Deals", [HEADERS["Deals"], *deals]),
        ("Payments", [HEADERS["Payments"], *payments]),
        ("Rules", [HEADERS["Rules"], ["2026-01", "*", "deal_percent", None, 0.05, "percent cell"],
                   ["2026-01", "*", "payment_percent", None, 10, ""]]),
    ]
    formats = {(title, r, c): "yyyy-mm-dd" for title, rows in tabs for r, row in enumerate(rows)
               for c, value in enumerate(row) if isinstance(value, date)}
    formats[("Rules", 1, 4)] = "0%"
    return tabs, formats


def cells(path: Path, titles: list[str]) -> dict[str, list[tuple[str, Any, str, str]]]:
    """Every cell of some tabs: coordinate, value, number format and (for filled cells) data type.

    An empty cell's type is left out: an empty inline string (how "" is written) and a blank cell are
    the same empty cell to a person, and openpyxl saves the first as the second.
    """
    wb = load_workbook(path)
    return {title: [(cell.coordinate, cell.value, cell.number_format, cell.data_type if cell.value is not None else "")
                    for row in wb[title].iter_rows() for cell in row] for title in titles}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=workbooks())
def test_runs_are_repeatable_and_leave_input_and_user_tabs_untouched(
        tmp_path_factory: pytest.TempPathFactory,
        book: tuple[list[tuple[str, list[list[Any]]]], dict[tuple[str, int, int], str]]) -> None:
    path = tmp_path_factory.mktemp("book") / "book.xlsx"
    create_workbook(path, *book)
    before = cells(path, [*INPUT_TABS, USER_TAB])
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    first = path.read_bytes()
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert path.read_bytes() == first
    assert cells(path, [*INPUT_TABS, USER_TAB]) == before
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == [USER_TAB, *INPUT_TABS, *(say(f"title.{key}", "en") for key in RECALCULATION_KEYS)]
    wb.close()


def test_a_client_that_looks_like_a_formula_stays_text_in_the_explain_tab(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(path, [
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, "2026-01-01", None]]),
        ("Deals", [HEADERS["Deals"], ["D1", "2026-03-02", "Anna", FORMULA_CLIENT, 100000, None, None, None, None]]),
        ("Rules", [HEADERS["Rules"], ["2026-01", "*", "deal_percent", None, 5, ""]]),
        *((title, [HEADERS[title]]) for title in ("Plans", "Payments", "Funnel")),
    ])
    outcome = recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert outcome.inputs.issues == []
    ws = load_workbook(path)["Explain"]
    client = [c.value for c in ws[1]].index("Client") + 1
    found = [ws.cell(row, client) for row in range(2, ws.max_row + 1) if ws.cell(row, client).value]
    assert [(cell.value, cell.data_type) for cell in found] == [(FORMULA_CLIENT, "s")]
    assert load_workbook(path)["Deals"]["D2"].data_type == "s"  # the input cell is still text too


def test_the_russian_demo_gets_russian_result_tabs_and_headers(tmp_path: Path) -> None:
    path = tmp_path / "демо.xlsx"
    as_of = date(2026, 11, 23)
    write_demo(path, as_of, lang="ru")
    outcome = recalculate_spreadsheet(LocalWorkbook(path), as_of)
    assert outcome.inputs.lang == "ru"
    wb = load_workbook(path)
    assert wb.sheetnames == ["Команда", "Планы", "Сделки", "Оплаты", "Воронка", "Правила", "Доли", "Сценарий",
                             "Сводка", "Начисления",
                             "Детализация", "Рейтинг", "Воронка — отчёт", "Сигналы", "Ошибки ввода"]

    def header(title: str, row: int = 1) -> list[Any]:
        return [cell.value for cell in wb[title][row]]

    assert header("Начисления") == ["Месяц", "Менеджер", "Компонент", "База", "Сумма базы", "Ставка", "Сумма",
                                    "Формула", "Детали"]
    assert wb["Сводка"]["A1"].value == "Сводка за ноябрь 2026 · на 23.11.2026 · месяц открыт"  # the title line
    summary = header("Сводка", 2)
    assert summary[:8] == ["Менеджер", "Роль", "План", "Факт", "Выполнение", "Сделок", "Оклад", "% от сделок"]
    totals = summary.index("Итого")
    assert summary[totals:totals + 3] == ["Итого", "Прогноз", "Сигналы"]
    hidden = [wb["Сводка"].column_dimensions[get_column_letter(i + 1)].hidden for i in range(len(summary))]
    # the components that pay nobody this month, read from the computed summary, hidden at the right
    idle = [say(f"component.{c}", "ru") for c in STATEMENT_ORDER[1:] if not outcome.summary[c].ne(0).any()]
    assert idle and summary[totals + 3:] == idle
    assert hidden == [False] * (totals + 3) + [True] * len(idle)
    assert header("Рейтинг")[:2] == ["Место", "Менеджер"]
    assert header("Сигналы") == ["Дата", "Менеджер", "Сигнал", "Подробности", "Ссылка"]
    assert header("Ошибки ввода") == ["Лист", "Строка", "Столбец", "Значение", "Сообщение", "Ссылка"]
    assert [cell.value for cell in wb["Ошибки ввода"][2]][:5] == [
        "Сделки", 12, "Сумма", "сто тысяч", "это не сумма (пишите как 150 000 или 150 000,50)"]


@pytest.mark.parametrize("recalculated_before", [False, True], ids=["fresh", "with-result-tabs"])
def test_a_failed_write_leaves_the_workbook_bytes_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            recalculated_before: bool) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(path, [
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, "2026-01-01", None]]),
        ("Deals", [HEADERS["Deals"], ["D1", "2026-03-02", "Anna", "Acme", "сто тысяч", None, None, None, None],
                   ["D2", "2026-03-03", "Anna", "Acme", 1000, None, None, None, None]]),
    ])
    if recalculated_before:
        recalculate_spreadsheet(LocalWorkbook(path), date(2026, 3, 1))
    before = path.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    # The file is replaced by an atomic exchange where Linux offers it, else by os.replace: both fail here.
    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(commit, "_exchange", refuse)
    with pytest.raises(OSError, match="No space left"):
        recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]  # no temporary file left behind


def test_issue_rows_in_the_file_are_sheet_rows_even_after_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    create_workbook(path, [
        ("Team", [HEADERS["Team"], ["Anna", "sales", 30000, "2026-01-01", None]]),
        ("Deals", [HEADERS["Deals"], [], [None, "   "], ["D1", "2026-03-02", "Anna", "A", "сто тысяч"],
                   [], ["D2", "2026-03-03", "Anna", "B", 1000]]),
        *((title, [HEADERS[title]]) for title in ("Plans", "Payments", "Funnel", "Rules")),
    ])
    recalculate_spreadsheet(LocalWorkbook(path), AS_OF)
    ws = load_workbook(path)["Input issues"]
    assert [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)] == [
        ["Deals", 4, "Amount", "сто тысяч", "is not an amount (write it like 150 000 or 150 000,50)", "Deals!E4"]]
