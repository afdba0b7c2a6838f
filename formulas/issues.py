"""Input issues: user-data problems as located values, never exceptions (beancount's habit).

Every problem the core finds in what users typed becomes one :class:`Issue` naming the tab, the row
as the sheet shows it, the column header and the offending value. :func:`render_issue` is the one
place that turns an issue into words for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True, order=True)
class Issue:
    """One bad cell or row: where it is, what it holds, and what is wrong in plain words.

    ``row`` is the sheet row number (1 = header row); ``column`` is the header text as the user
    wrote it, or "" when the issue is about the whole row or tab.
    """

    tab: str
    row: int
    column: str
    value: str
    message: str
    column_index: int = -1  # 0-based column in the tab, -1 when the issue is about a whole row/tab


def render_issue(issue: Issue) -> str:
    """Render an issue for a person, e.g. ``Сделки!13, Сумма: «сто тысяч» — is not an amount``."""
    where = f"{issue.tab}!{issue.row}" if issue.row > 0 else issue.tab
    if issue.column:
        where += f", {issue.column}"
    shown = f" «{issue.value}»" if issue.value != "" else ""
    return f"{where}:{shown} — {issue.message}"


def cell_text(value: object) -> str:
    """The text to show for a raw cell value inside an issue (never raises)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # 150000.0 as the 150000 a person typed; 1e308 stays 1e+308
    return str(value)
