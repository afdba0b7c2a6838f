"""The input tabs of the reference engine: names in English and Russian, rows keyed by column, row checks.

PRODUCT.md section 2: tab and header names are matched case-insensitively after trimming, English and
Russian names are both accepted, extra columns and tabs are ignored, entirely empty rows are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from formulas.raw import RawTab, RawWorkbook
from tests.reference.read import Unreadable, is_blank, words

# tab key -> (English title, Russian title); PRODUCT.md section 2's table.
TAB_TITLES = {
    "team": ("Team", "Команда"),
    "plans": ("Plans", "Планы"),
    "deals": ("Deals", "Сделки"),
    "payments": ("Payments", "Оплаты"),
    "funnel": ("Funnel", "Воронка"),
    "rules": ("Rules", "Правила"),
}
# Optional input tabs (PRODUCT.md section 2): no issue when they are missing.
OPTIONAL_TITLES = {
    "splits": ("Splits", "Доли"),
}

# tab key -> column key -> (English header, Russian header, required); bold columns are required.
COLUMNS: dict[str, dict[str, tuple[str, str, bool]]] = {
    "team": {"manager": ("Manager", "Менеджер", True), "role": ("Role", "Роль", True),
             "salary": ("Base salary", "Оклад", False), "start": ("From", "С даты", False),
             "end": ("To", "По дату", False)},
    "plans": {"month": ("Month", "Месяц", True), "manager": ("Manager", "Менеджер", True),
              "amount": ("Plan amount", "План, сумма", True), "deals": ("Plan deals", "План, сделок", False)},
    "deals": {"id": ("Deal ID", "ID сделки", True), "signed": ("Signed", "Дата договора", True),
              "manager": ("Manager", "Менеджер", True), "client": ("Client", "Клиент", True),
              "amount": ("Amount", "Сумма", True), "source": ("Source", "Источник", False),
              "margin": ("First-month margin", "Маржа 1-го месяца", False),
              "status": ("Status", "Статус", False), "cancelled": ("Cancelled on", "Дата расторжения", False)},
    "payments": {"id": ("Deal ID", "ID сделки", True), "paid": ("Paid on", "Дата оплаты", True),
                 "amount": ("Amount", "Сумма", True), "month": ("Contract month", "Месяц договора", False),
                 "collector": ("Collector", "Кто собрал", False)},
    "funnel": {"date": ("Date", "Дата", True), "manager": ("Manager", "Менеджер", True),
               "client": ("Client", "Клиент", True), "stage": ("Stage", "Этап", True),
               "action": ("Action", "Действие", False), "lost": ("Lost reason", "Причина отказа", False)},
    "rules": {"start": ("From", "С месяца", True), "target": ("Applies to", "Кому", True),
              "component": ("Component", "Компонент", True), "threshold": ("Threshold", "Порог", False),
              "value": ("Value", "Значение", True), "note": ("Note", "Примечание", False)},
    # PRODUCT.md section 3b.
    "splits": {"id": ("Deal ID", "ID сделки", True), "manager": ("Manager", "Менеджер", True),
               "share": ("Share", "Доля", True)},
}


@dataclass
class Row:
    """One non-empty data row: its 1-based sheet row, its cells by column key, and percent-formatted keys."""

    sheet_row: int
    cells: dict[str, Any]
    percent: set[str] = field(default_factory=set)


@dataclass
class Tab:
    """An input tab found in the workbook: its title as typed, its header texts and its rows."""

    key: str
    title: str
    headers: dict[str, str]  # column key -> header text as typed (trimmed), for issues
    rows: list[Row]


def find_tab(workbook: RawWorkbook, key: str) -> RawTab | None:
    """The workbook's tab for an input key, by English or Russian title (first match wins)."""
    names = {words(title) for title in {**TAB_TITLES, **OPTIONAL_TITLES}[key]}
    return next((tab for tab in workbook.tabs if words(tab.title) in names), None)


def deal_key(value: Any) -> str:
    """A Deal ID as matched between Deals, Payments and Splits: its trimmed text (whole numbers without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def known_manager(managers: set[str]) -> Callable[[Any], str]:
    """A reader of a Manager/Collector cell: the manager key, or an issue when not in ``Team``."""
    def read(value: Any) -> str:
        if words(value) not in managers:
            raise Unreadable("unknown manager")
        return words(value)
    return read


def language(workbook: RawWorkbook) -> str:
    """``"ru"`` when any input tab has its Russian title, else ``"en"`` (names missing tabs' issues)."""
    russian = {words(ru) for _, ru in TAB_TITLES.values()}
    return "ru" if any(words(tab.title) in russian for tab in workbook.tabs) else "en"


def read_tab(raw: RawTab, key: str) -> Tab:
    """The rows of a found tab keyed by column; the header is sheet row 1 (PRODUCT.md section 2)."""
    header = raw.values[0] if raw.values else []
    where: dict[str, int] = {}
    headers: dict[str, str] = {}
    for column, (english, russian, _required) in COLUMNS[key].items():
        for index, cell in enumerate(header):
            if cell is not None and words(cell) in (words(english), words(russian)) and column not in where:
                where[column], headers[column] = index, str(cell).strip()
    rows = []
    for index, values in enumerate(raw.values[1:], start=1):
        # Rows that are entirely empty are skipped (PRODUCT.md section 2), extra columns included.
        if all(is_blank(value) for value in values):
            continue
        cells = {column: values[i] if i < len(values) else None for column, i in where.items()}
        percent = {column for column, i in where.items() if raw.is_percent(index, i)}
        rows.append(Row(index + 1, cells, percent))
    return Tab(key, raw.title, headers, rows)


class RowCheck:
    """Reads one row's cells, recording an issue per problem with a cell (PRODUCT.md section 2).

    An unreadable cell is one issue; a readable one can still break two cross-row rules (a cancellation
    date that is both in the future and before a future signing date): one issue each.
    """

    def __init__(self, tab: Tab, row: Row, issues: list[tuple[str, int, str, str]]) -> None:
        """Check ``row`` of ``tab``, appending issues to ``issues``."""
        self.tab, self.row, self.issues, self.ok = tab, row, issues, True
        self.bad_columns: set[str] = set()

    def bad(self, column: str, reason: str) -> None:
        """Record an issue on a cell and leave the row out."""
        self.ok = False
        self.bad_columns.add(column)
        header = self.tab.headers.get(column, COLUMNS[self.tab.key][column][0])
        self.issues.append((self.tab.title, self.row.sheet_row, header, reason))

    def get(self, column: str, reader: Callable[[Any], Any], default: Any = None) -> Any:
        """The cell read by ``reader``; a blank required cell or an unreadable one is an issue."""
        value = self.row.cells.get(column)
        if is_blank(value):
            if COLUMNS[self.tab.key][column][2]:
                self.bad(column, "required")
            return default
        try:
            return reader(value)
        except Unreadable as error:
            self.bad(column, str(error))
            return default

    def not_negative(self, column: str, amount: Decimal | None) -> None:
        """Negative amounts are input issues (PRODUCT.md section 2)."""
        if amount is not None and amount < 0:
            self.bad(column, "negative")

    def not_future(self, column: str, day: date | None, as_of: date) -> None:
        """A date after the as-of date is an input issue (PRODUCT.md section 3 "Parsing")."""
        if day is not None and day > as_of:
            self.bad(column, "future")
