"""Column-by-column parsing of one input tab, collecting one located issue per bad cell.

:class:`TabCheck` reads each contract column with the parser its kind names, records every cell that
cannot be read as an :class:`~formulas.issues.Issue` (tab, sheet row, header, value, message) and marks
the row bad, so the row is left out while the run goes on (PRODUCT.md section 2).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from formulas.contract import ROLE_ALIASES, SOURCE_ALIASES, STATUS_ALIASES
from formulas.issues import Issue, cell_text
from formulas.read import parse
from formulas.read.dates import FIRST_SERIAL, LAST_SERIAL
from formulas.read.rule_keys import RULE_KEYS
from formulas.read.tabs import FoundTab, row_has_content
from formulas.text import say

_COMPONENT_ALIASES = {key: key for key in RULE_KEYS}


class TabCheck:
    """Parses the columns of one found tab and gathers its issues and bad rows.

    Every contract column is parsed up front, so entirely empty rows (skipped without issues,
    PRODUCT.md section 2) are known from the parsers' own blank detection at no extra cost.
    """

    def __init__(self, tab: FoundTab, lang: str) -> None:
        self.tab = tab
        self.lang = lang
        self.issues: list[Issue] = []
        results = {c.key: _PARSERS[c.kind](tab.frame[c.key], lang, tab.percent.get(c.key))
                   for c in tab.spec.columns}
        self._blank = {key: _blank(result) for key, result in results.items()}
        keep = ~self._empty_rows().to_numpy()
        # A row left out as empty has no cell that could not be read, so every error stays; and in the
        # usual tab without empty rows nothing is copied at all.
        self.frame = tab.frame if keep.all() else tab.frame[keep]
        self._results = results if keep.all() else {
            key: parse.Parsed(r.values[keep], r.errors, None if r.names is None else r.names.take(keep))
            for key, r in results.items()}
        self.bad = pd.Series(False, index=self.frame.index)
        self._kinds = {column.key: column.kind for column in tab.spec.columns}

    def _empty_rows(self) -> pd.Series:
        """Rows whose contract cells are all blank and whose other cells hold nothing either."""
        all_blank = pd.Series(True, index=self.tab.frame.index)
        for blank in self._blank.values():
            all_blank &= blank
        if self.tab.raw is not None and all_blank.any():  # rare: look at the whole sheet row
            for row in all_blank.index[all_blank.to_numpy()]:
                all_blank[row] = not row_has_content(self.tab.raw, int(row))
        return all_blank

    def raw(self, key: str) -> pd.Series:
        """The raw cell values of a column (empty rows left out)."""
        return self.frame[key]

    def parsed(self, key: str) -> pd.Series:
        """A column read by its kind; unreadable and missing required cells become issues."""
        column = next(c for c in self.tab.spec.columns if c.key == key)
        result = self._results[key]
        for row, message in result.errors.items():
            self._add(row, key, message)
        if column.required:
            self.flag(self._blank[key], key, say("issue.required", self.lang))
        return result.values

    def keys(self, key: str) -> pd.Series:
        """The matching keys of a text column (managers, clients): :func:`parse.name_key` of each cell's
        text, "" where blank; no issues are added (``parsed`` does that)."""
        codes, distinct = self._key_codes(key)
        return pd.Series(distinct[codes] if len(codes) else [], index=self.frame.index, dtype=object)

    def key_codes(self, key: str) -> pd.Series:
        """An int64 per cell of a text column, equal exactly where the keys (:meth:`keys`) are: grouping
        by it groups by key without hashing the names again."""
        return pd.Series(self._key_codes(key)[0], index=self.frame.index, dtype="int64")

    def unknown_keys(self, key: str, known: set[str]) -> pd.Series:
        """True where a text column's key is neither blank nor in ``known``, decided once per distinct key."""
        codes, distinct = self._key_codes(key)
        unknown = np.array([name != "" and name not in known for name in distinct], dtype=bool)
        return pd.Series(unknown[codes] if len(codes) else [], index=self.frame.index, dtype=bool)

    def _key_codes(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """(a code per cell, the distinct keys) of a text column, keyed once however often asked."""
        result = self._results[key]
        if result.names is None:  # a mixed column (numbers among the names): coded on first use, kept
            codes, texts = pd.factorize(result.values, use_na_sentinel=False)
            result = self._results[key] = result._replace(names=parse.Names(codes, texts))
        return result.names.keys()

    def parsed_by(self, key: str, kinds: pd.Series) -> pd.Series:
        """A column whose reading depends on each row's ``kinds`` (a parser kind per row), as float64.

        PRODUCT.md section 3 "Threshold": a Rules Threshold reads by what it means for the row's
        Component (an attainment %, a count, an amount, a contract month, a stage, months).
        """
        raw, percent = self.frame[key], self.tab.percent.get(key)
        values = pd.Series(np.nan, index=raw.index, dtype="float64")
        for kind, rows in kinds.groupby(kinds, sort=True).groups.items():
            result = _PARSERS[str(kind)](raw.loc[rows], self.lang, percent.loc[rows] if percent is not None else None)
            values.loc[rows] = result.values.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
            for row, message in result.errors.items():
                self._add(row, key, message)
        return values

    def flag(self, mask: pd.Series, key: str, message: str | Callable[[int], str]) -> None:
        """Record an issue on ``key`` for every row where ``mask`` is True, and mark those rows bad."""
        mask = mask.reindex(self.bad.index, fill_value=False).fillna(False).astype(bool)
        for row in mask.index[mask.to_numpy()]:
            self._add(int(row), key, message(int(row)) if callable(message) else message)

    def _add(self, row: int, key: str, message: str) -> None:
        """Append one issue naming the cell and mark the row bad."""
        column = self.tab.columns.get(key, -1)
        header = self.tab.headers.get(key, key)
        cell = self.frame[key].get(row) if key in self.frame else None
        value = "" if cell is pd.NaT else cell_text(cell)  # NaT is a datetime whose .time() raises
        if self._kinds.get(key) in ("date", "month"):
            value = serial_text(cell, value)  # Google sends a date cell as its serial: show the date
        self.issues.append(Issue(self.tab.title, int(row), header, value, message, column))
        self.bad.loc[row] = True


def serial_text(cell: object, shown: str) -> str:
    """A number in a date column as the date it stands for (46086 -> 2026-03-05), when it is one."""
    if type(cell) in (int, float) and FIRST_SERIAL <= cell <= LAST_SERIAL:  # type: ignore[operator]
        day = date(1899, 12, 30) + timedelta(days=int(cell))  # type: ignore[call-overload]
        return day.isoformat()
    return shown


def _blank(result: parse.Parsed) -> pd.Series:
    """True where a cell was blank: no value read and no error (parsers never flag blank cells)."""
    values = result.values
    if result.names is not None:  # a names column: blank decided once per distinct name
        return pd.Series(result.names.blank(), index=values.index)
    # Text and enum parsers give "" for blank cells; numbers and dates give NaN / NaT / <NA>.
    empty = values.eq("") if values.dtype == object else values.isna()
    if len(result.errors):
        empty &= ~values.index.isin(result.errors.index)
    return empty


def _enum(aliases: dict[str, str], what: str) -> Callable[..., parse.Parsed]:
    """A parser for one enumerated column."""
    return lambda values, lang, _percent: parse.parse_enum(values, aliases, lang, what)


_PARSERS: dict[str, Callable[..., parse.Parsed]] = {
    "text": lambda values, lang, _percent: parse.parse_text(values),
    # A free note nobody computes with (Action, Note): only whether it is blank matters (empty rows).
    "free": lambda values, lang, _percent: parse.parse_free(values),
    "money": lambda values, lang, _percent: parse.parse_money(values, lang),
    "signed_money": lambda values, lang, _percent: parse.parse_money(values, lang, allow_negative=True),
    "number": lambda values, lang, _percent: parse.parse_number(values, lang),
    # A Threshold is first read as a number only to tell blank cells; check_rules reads it by component.
    "threshold": lambda values, lang, _percent: parse.parse_number(values, lang),
    "attainment": lambda values, lang, percent: parse.parse_attainment(values, percent, lang),
    "deal_count": lambda values, lang, _percent: parse.parse_count(values, lang, 0, "not_deal_count"),
    "contract_month": lambda values, lang, _percent: parse.parse_count(values, lang, 1, "not_contract_month"),
    "months": lambda values, lang, _percent: parse.parse_count(values, lang, 0, "not_months"),
    "threshold_stage": lambda values, lang, _percent: parse.parse_stage(values, lang, lost=False),
    # The Threshold of a row whose Component cannot be read: an issue only if no component could read it.
    "any_threshold": lambda values, lang, percent: parse.parse_any_threshold(values, percent, lang),
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
