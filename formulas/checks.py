"""Column-by-column parsing of one input tab, collecting one located issue per bad cell.

:class:`TabCheck` reads each contract column with the parser its kind names, records every cell that
cannot be read as an :class:`~formulas.issues.Issue` (tab, sheet row, header, value, message) and marks
the row bad, so the row is left out while the run goes on (PRODUCT.md section 2).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from formulas import parse
from formulas.contract import ROLE_ALIASES, RULE_KEYS, SOURCE_ALIASES, STATUS_ALIASES
from formulas.issues import Issue, cell_text
from formulas.messages import say
from formulas.tabs import FoundTab

_COMPONENT_ALIASES = {key: key for key in RULE_KEYS}


class TabCheck:
    """Parses the columns of one found tab and gathers its issues and bad rows."""

    def __init__(self, tab: FoundTab, lang: str) -> None:
        self.tab = tab
        self.lang = lang
        self.issues: list[Issue] = []
        self.bad = pd.Series(False, index=tab.frame.index)

    def raw(self, key: str) -> pd.Series:
        """The raw cell values of a column."""
        return self.tab.frame[key]

    def parsed(self, key: str) -> pd.Series:
        """Parse a column by its kind; unreadable and missing required cells become issues."""
        column = next(c for c in self.tab.spec.columns if c.key == key)
        raw = self.raw(key)
        result = _PARSERS[column.kind](raw, self.lang, self.tab.percent.get(key))
        for row, message in result.errors.items():
            self._add(row, key, message)
        if column.required:
            self.flag(_blank(raw), key, say("required", self.lang))
        return result.values

    def flag(self, mask: pd.Series, key: str, message: str | Callable[[int], str]) -> None:
        """Record an issue on ``key`` for every row where ``mask`` is True, and mark those rows bad."""
        mask = mask.reindex(self.bad.index, fill_value=False).fillna(False).astype(bool)
        for row in mask.index[mask.to_numpy()]:
            self._add(int(row), key, message(int(row)) if callable(message) else message)

    def _add(self, row: int, key: str, message: str) -> None:
        """Append one issue naming the cell and mark the row bad."""
        column = self.tab.columns.get(key, -1)
        header = self.tab.headers.get(key, key)
        value = cell_text(self.raw(key).get(row)) if key in self.tab.frame else ""
        self.issues.append(Issue(self.tab.title, int(row), header, value, message, column))
        self.bad.loc[row] = True


def _blank(values: pd.Series) -> pd.Series:
    """True where a raw cell is empty or whitespace-only text."""
    text = values.map(lambda v: v.strip() if isinstance(v, str) else v)
    return text.isna() | text.eq("")


def _enum(aliases: dict[str, str], what: str) -> Callable[..., parse.Parsed]:
    """A parser for one enumerated column."""
    return lambda values, lang, _percent: parse.parse_enum(values, aliases, lang, what)


_PARSERS: dict[str, Callable[..., parse.Parsed]] = {
    "text": lambda values, lang, _percent: parse.parse_text(values),
    "money": lambda values, lang, _percent: parse.parse_money(values, lang),
    "signed_money": lambda values, lang, _percent: parse.parse_money(values, lang, allow_negative=True),
    "number": lambda values, lang, _percent: parse.parse_number(values, lang),
    "count": lambda values, lang, _percent: parse.parse_count(values, lang),
    "rate": lambda values, lang, percent: parse.parse_rate(
        values, percent if percent is not None else pd.Series(False, index=values.index), lang),
    "date": lambda values, lang, _percent: parse.parse_date(values, lang),
    "month": lambda values, lang, _percent: parse.parse_month(values, lang),
    "stage": lambda values, lang, _percent: parse.parse_stage(values, lang),
    "role": _enum(ROLE_ALIASES, "role"),
    "source": _enum(SOURCE_ALIASES, "source"),
    "status": _enum(STATUS_ALIASES, "status"),
    "component": _enum(_COMPONENT_ALIASES, "component"),
}
