"""Find the input tabs of PRODUCT.md section 2 in a raw workbook and lay their cells out as frames.

Tab and header names match case-insensitively after trimming, in English or Russian. Extra columns
and tabs are ignored; entirely empty rows are skipped. Each frame is indexed by the sheet row number
(header = row 1) and holds the raw cell values of the contract's columns, untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from formulas.contract import ALL_INPUT_TABS, TabSpec, norm
from formulas.issues import Issue
from formulas.raw import RawTab, RawWorkbook
from formulas.report.model import column_letters
from formulas.text import say

_TITLE_INDEX: dict[str, tuple[TabSpec, str]] = {}
for _spec in ALL_INPUT_TABS:
    _TITLE_INDEX[norm(_spec.en)] = (_spec, "en")
    _TITLE_INDEX[norm(_spec.ru)] = (_spec, "ru")


def input_tab_spec(title: str) -> TabSpec | None:
    """The input tab spec a tab title names, or None for any other tab."""
    found = _TITLE_INDEX.get(norm(title))
    return found[0] if found else None


@dataclass
class FoundTab:
    """An input tab as found: where its columns are and its raw values as a frame."""

    spec: TabSpec
    title: str
    columns: dict[str, int]  # column key -> 0-based column index
    headers: dict[str, str]  # column key -> header text as the user wrote it
    frame: pd.DataFrame  # index: sheet row; columns: column keys; values: raw cells (object)
    percent: dict[str, pd.Series] = field(default_factory=dict)  # key -> bool per row
    raw: RawTab | None = None  # the tab as read, to look at columns outside the contract


def find_tabs(workbook: RawWorkbook) -> tuple[dict[str, FoundTab], str, list[Issue]]:
    """Locate every input tab; return them by key, the workbook's language, and header issues."""
    found: dict[str, FoundTab] = {}
    votes = {"en": 0, "ru": 0}
    issues: list[Issue] = []
    language = workbook_language(workbook)
    for raw in workbook.tabs:
        match = _TITLE_INDEX.get(norm(raw.title))
        if match is None:
            continue  # not an input tab
        if match[0].key in found:  # Team and Команда both there: the first is read, and the user told
            first = found[match[0].key].title
            issues.append(Issue(raw.title, 0, "", "", say("issue.second_tab", language, title=raw.title,
                                                           first=first.strip())))
            continue
        spec, lang = match
        votes[lang] += 1
        tab, tab_issues = _read_tab(spec, raw, lang)
        found[spec.key] = tab
        issues.extend(tab_issues)
    lang = "ru" if votes["ru"] > votes["en"] else "en"
    return found, lang, issues


def workbook_language(workbook: RawWorkbook) -> str:
    """"ru" when more input tabs have Russian titles than English ones, else "en" (as find_tabs decides)."""
    votes = {"en": 0, "ru": 0}
    for title in workbook.titles():
        match = _TITLE_INDEX.get(norm(title))
        if match is not None:
            votes[match[1]] += 1
    return "ru" if votes["ru"] > votes["en"] else "en"


def _read_tab(spec: TabSpec, raw: RawTab, lang: str) -> tuple[FoundTab, list[Issue]]:
    """Match the header row to the spec's columns and build the frame of raw values."""
    header = raw.header()
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    repeated: list[Issue] = []
    for index, text in enumerate(header):
        for column in spec.columns:
            if norm(text) not in (norm(column.en), norm(column.ru)):
                continue
            if column.key in columns:  # a header repeated: the first column is read, the user told
                repeated.append(Issue(raw.title, 1, str(text).strip(), "", say(
                    "issue.repeated_header", lang, first=column_letters(columns[column.key])), index))
            else:
                columns[column.key] = index
                headers[column.key] = str(text).strip()
    issues = [
        Issue(raw.title, 1, "", "", say("issue.missing_column", lang, header=column.ru if lang == "ru" else column.en))
        for column in spec.columns
        if column.required and column.key not in columns
    ]
    if issues:  # without a required column no row can be read; every row is left out
        return FoundTab(spec, raw.title, columns, headers, _empty_frame(spec)), [*issues, *repeated]
    frame = _frame_of(raw, columns, spec)
    percent = {
        column.key: pd.Series([raw.is_percent(row - 1, columns[column.key]) for row in frame.index],
                              index=frame.index, dtype=bool)
        for column in spec.columns
        if column.kind in ("rate", "threshold") and column.key in columns
    }
    return FoundTab(spec, raw.title, columns, headers, frame, percent, raw), repeated


def _empty_frame(spec: TabSpec) -> pd.DataFrame:
    """A frame with the spec's columns and no rows."""
    return pd.DataFrame({column.key: pd.Series(dtype=object) for column in spec.columns})


def _frame_of(raw: RawTab, columns: dict[str, int], spec: TabSpec) -> pd.DataFrame:
    """Raw values of the known columns, indexed by sheet row (empty rows are dropped after parsing)."""
    body = raw.body_columns()
    height = len(body[0]) if body else 0
    if not height:
        return _empty_frame(spec)
    # One block of (column, row) cells, each contract column contiguous: a column the tab lacks is all
    # empty cells, None (not the NaN that Series(None) gives: a NaN reads as a broken number, so every
    # row would get an issue).
    block = np.empty((len(spec.columns), height), dtype=object)  # an object array starts as all None
    for position, column in enumerate(spec.columns):
        at = columns.get(column.key)
        if at is not None and at < len(body):
            block[position] = body[at]
    return pd.DataFrame(block.T, index=pd.RangeIndex(2, height + 2),
                        columns=[column.key for column in spec.columns], dtype=object, copy=False)


def row_has_content(raw: RawTab, row: int) -> bool:
    """True when any cell of a sheet row (in any column) holds something other than whitespace."""
    cells = raw.row(row - 1)
    return any(cell is not None and not (isinstance(cell, str) and not cell.strip())
               and not (isinstance(cell, float) and cell != cell) for cell in cells)
