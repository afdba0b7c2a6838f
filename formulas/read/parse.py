"""Vectorised parsers of messy spreadsheet cells (PRODUCT.md section 2 "Messy input is normal").

Each parser takes a column of raw cells (``None``, ``str``, ``int``, ``float``, ``bool``, ``date`` or
``datetime``, as an adapter read them) and returns :class:`Parsed`: the values, NaN / NaT / <NA> / ""
where a cell is blank or unreadable, and one plain-words message per cell that holds something but
cannot be read. Blank cells (``None``, "" or whitespace) are never errors here: whether a column is
required is checked by :mod:`formulas.read.columns`.

Columns reach a million cells, so a parser splits the cells by Python type once and reads each group
with whole-array operations: numbers with numpy, amounts typed as text through a matrix of code points,
dates, months and names once per distinct text (:mod:`formulas.read.dates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from formulas.contract import LOST, STAGE_ALIASES, norm
from formulas.issues import cell_text
from formulas.read.amounts import text_numbers
from formulas.read.dates import (
    months_of_days,
    object_array,
    object_dates,
    per_distinct,
    serial_dates,
    text_dates,
    text_months,
)
from formulas.text import say

TOO_LARGE = 1e12  # the first number no cell of the contract may hold


class Parsed(NamedTuple):
    """What a parser returns: values aligned with the input, and messages for unreadable cells."""

    values: pd.Series
    errors: pd.Series  # index: labels of the cells that could not be read; values: messages
    # Text columns of strings only: each cell as a code into the distinct names found while the text was
    # read, so a million names are not hashed again to match, group or tell blank ones.
    names: Names | None = None


class Names:
    """A strings-only text column as a code per cell into its distinct trimmed texts (-1: an empty cell;
    a whitespace-only one has a code, its text ""). Each cell's matching key (:func:`name_key`) is
    worked out once per distinct text, and only when asked: Deal IDs and reasons are never matched by key."""

    def __init__(self, codes: np.ndarray, texts: np.ndarray) -> None:
        self.codes, self.texts = codes, texts
        self._keys: tuple[np.ndarray, np.ndarray] | None = None

    def keys(self) -> tuple[np.ndarray, np.ndarray]:
        """(a key code per cell, the distinct keys), as :func:`keyed`."""
        if self._keys is None:
            self._keys = keyed(self.codes, self.texts)
        return self._keys

    def blank(self) -> np.ndarray:
        """True per blank cell: no text, or only whitespace (exactly where the key is "")."""
        return np.append(self.texts == "", True)[self.codes]

    def take(self, keep: np.ndarray) -> Names:
        """The cells where ``keep`` is True, with the same distinct texts."""
        return Names(self.codes[keep], self.texts)


def parse_money(values: pd.Series, lang: str, allow_negative: bool = False) -> Parsed:
    """Amounts such as ``150 000,50 ₽``; a negative amount is an error unless ``allow_negative``."""
    cells = _split(values)
    numbers, codes = _numbers(cells, "not_amount")
    if not allow_negative:
        codes[(codes == "") & (numbers < 0)] = "negative_amount"
    return _floats_parsed(cells, numbers, codes, lang)


def parse_number(values: pd.Series, lang: str) -> Parsed:
    """Numbers read like amounts, negatives allowed (rule thresholds)."""
    cells = _split(values)
    return _floats_parsed(cells, *_numbers(cells, "not_number"), lang)


def parse_count(values: pd.Series, lang: str, minimum: int = 1, code: str = "not_count") -> Parsed:
    """Whole numbers of ``minimum`` or more (contract month, plan deals): ``2.0`` reads, ``2.5`` does not.

    ``code`` names the message for a cell that is not such a number.
    """
    cells = _split(values)
    numbers, codes = _numbers(cells, code)
    with np.errstate(invalid="ignore"):
        whole = (numbers >= minimum) & (np.floor(numbers) == numbers)
    codes[(codes == "") & (cells.kind != BLANK) & ~whole] = code
    return _floats_parsed(cells, numbers, codes, lang)


def parse_attainment(values: pd.Series, percent: pd.Series | None, lang: str) -> Parsed:
    """An attainment percentage (a `plan_bonus` Threshold): ``120``, ``120 %``, ``120,5 %`` or a percent
    cell holding 1.2 all read as 120 (PRODUCT.md section 3 "Threshold"); a negative one is not."""
    cells = _split(values)
    numbers, codes = _rate_numbers(cells, percent, "not_attainment")
    codes[(codes == "") & (numbers < 0)] = "not_attainment"
    return _floats_parsed(cells, numbers, codes, lang)


def parse_rate(values: pd.Series, percent: pd.Series | None, lang: str) -> Parsed:
    """Rates in percentage points (``5``, ``5 %``, ``5,5``) or plain sums such as ``20 000``.

    A number cell flagged in ``percent`` is percent-formatted: it holds 0.05 and shows 5 %, so it
    reads as 5. Text with a ``%`` is in points already.
    """
    cells = _split(values)
    return _floats_parsed(cells, *_rate_numbers(cells, percent, "not_rate"), lang)


def _rate_numbers(cells: _Cells, percent: pd.Series | None, bad: str) -> tuple[np.ndarray, np.ndarray]:
    """Cells read in percentage points: text with or without ``%``, percent-formatted cells × 100."""
    numbers, codes = _numbers(cells, bad, percent_sign=True)
    flags = np.zeros(len(numbers), dtype=bool)
    if percent is not None:
        aligned = percent if percent.index.equals(cells.index) else percent.reindex(cells.index)
        flags = aligned.to_numpy(dtype=object, na_value=False).astype(bool)
    scaled = flags & (cells.kind == NUMBER) & (codes == "")
    with np.errstate(over="ignore"):
        numbers[scaled] = np.round(numbers[scaled] * 100.0, 10)  # 0.07 * 100 is 7.000000000000001
    codes[~np.isfinite(numbers) & (codes == "") & (cells.kind != BLANK)] = bad  # 1e307 % overflows
    return numbers, codes


def parse_any_threshold(values: pd.Series, percent: pd.Series | None, lang: str) -> Parsed:
    """A Threshold whose Component is unknown: readable when some component could read it (a number, a
    percentage, an amount or a stage name); the row has an issue on its Component anyway."""
    readings = [parse_attainment(values, percent, lang), parse_money(values, lang, allow_negative=True),
                parse_stage(values, lang)]
    unreadable = readings[0].errors.index
    for reading in readings[1:]:
        unreadable = unreadable.intersection(reading.errors.index)
    return Parsed(pd.Series(np.nan, index=values.index, dtype="float64"),
                  parse_number(values, lang).errors.reindex(unreadable))


def parse_date(values: pd.Series, lang: str) -> Parsed:
    """Dates (datetime64[ns]) from serials, date cells, ``YYYY-MM-DD`` or ``DD.MM.YYYY`` text."""
    cells = _split(values)
    days, codes = _days(cells)
    days[codes != ""] = np.datetime64("NaT")
    return Parsed(pd.Series(days.astype("datetime64[ns]"), index=cells.index), _errors(cells, codes, lang))


def parse_month(values: pd.Series, lang: str) -> Parsed:
    """Month indexes (``year * 12 + month - 1``, Int64) from ``2026-03``, ``03.2026``, ``март 2026``,
    ``March 2026``, or any date the date rules accept (serials and date cells included)."""
    cells = _split(values)
    days, codes = _days(cells, with_text=False)
    months = months_of_days(days)
    codes[codes == "not_date"] = "not_month"
    at = cells.at(TEXT)
    months[at], codes[at] = text_months(cells.text[at])
    return Parsed(_integers(cells, months, codes), _errors(cells, codes, lang))


def parse_stage(values: pd.Series, lang: str, lost: bool = True) -> Parsed:
    """Funnel stages 1..7 (0 = lost) from a number, an English or Russian stage name, or ``3 meeting set``.

    Without ``lost`` only stages 1..7 read (a `stage_bonus` or `stuck_days` Threshold names a stage).
    """
    if not lost:
        return _stage_without_lost(parse_stage(values, lang), lang)
    cells = _split(values)
    stages = np.zeros(len(cells.raw), dtype=np.int64)
    codes = _codes(cells, "not_stage")
    at = cells.at(NUMBER)
    numbers = _floats(cells.raw[at])
    with np.errstate(invalid="ignore"):
        whole = (numbers >= 1) & (numbers <= 7) & (np.floor(numbers) == numbers)
    stages[at[whole]], codes[at[whole]] = numbers[whole].astype(np.int64), ""
    at = cells.at(TEXT)
    stages[at], codes[at] = per_distinct(cells.text[at], _stage_of, np.int64)
    return Parsed(_integers(cells, stages, codes), _errors(cells, codes, lang))


def _stage_without_lost(stages: Parsed, lang: str) -> Parsed:
    """Stages with ``lost`` (and every unreadable cell) reported as "not a stage 1–7"."""
    bad = stages.values.eq(LOST).fillna(False).to_numpy(dtype=bool) | stages.values.index.isin(stages.errors.index)
    index = stages.values.index[bad]
    return Parsed(stages.values.mask(bad), pd.Series(say("parse.not_stage_threshold", lang), index=index, dtype=object))


def parse_enum(values: pd.Series, aliases: dict[str, str], lang: str, what: str) -> Parsed:
    """The canonical value an alias names (``Продажи`` -> ``sales``), matched by :func:`norm`."""
    cells = _split(values)
    table = {norm(alias): canonical for alias, canonical in aliases.items()}
    texts = _texts(cells)
    found = object_array(len(texts), "")
    codes = object_array(len(texts), "")
    filled = np.flatnonzero(cells.kind != BLANK)
    found[filled], codes[filled] = per_distinct(texts[filled], lambda text: _lookup(table, text), object)
    what = say(f"what.{what}", lang)
    return Parsed(pd.Series(found, index=cells.index, dtype=object),
                  _errors(cells, codes, lang, what=what, allowed=_allowed(aliases, lang)))


def parse_free(values: pd.Series) -> Parsed:
    """A free note: never an issue and never computed with; "" where blank, the cell itself elsewhere.

    Only its blankness is used (a row with a note is not an empty row), so it costs one pass.
    """
    raw = values.to_numpy(dtype=object)
    if infer_dtype(raw, skipna=True) in ("string", "empty"):  # the usual notes column: once per distinct note
        codes, notes = pd.factorize(raw)  # None, NaN and <NA> get -1
        blank = np.array([not note.strip() for note in notes] + [False], dtype=bool)[codes]
        blank[codes == -1] = np.fromiter((value is None for value in raw[codes == -1]), dtype=bool)
    else:
        blank = np.fromiter((value is None or (type(value) is str and not value.strip()) for value in raw),
                            dtype=bool, count=len(raw))
    return Parsed(pd.Series(np.where(blank, "", raw), index=values.index, dtype=object),
                  pd.Series(index=values.index[:0], dtype=object))


def parse_text(values: pd.Series) -> Parsed:
    """Trimmed text, "" for blank; numbers without a trailing ``.0`` (Deal ID 1001 reads "1001").

    A column of strings (the usual names column) is read once per distinct name, which also gives each
    cell's matching key; any other column cell by cell by type.
    """
    raw = values.to_numpy(dtype=object)
    if infer_dtype(raw, skipna=True) in ("string", "empty"):
        codes, names = pd.factorize(raw)  # blank cells (None, NaN, <NA>) get -1
        texts = np.fromiter((name.strip() for name in names), dtype=object, count=len(names))
        # -1 picks the appended "": a blank cell is empty text with an empty key
        return Parsed(pd.Series(np.append(texts, "")[codes], index=values.index, dtype=object),
                      pd.Series(index=values.index[:0], dtype=object), Names(codes, texts))
    cells = _split(values)
    return Parsed(pd.Series(_texts(cells), index=cells.index, dtype=object),
                  pd.Series(index=cells.index[:0], dtype=object))


def keyed(codes: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(a key code per cell, the distinct keys) of cells given as ``codes`` into their distinct ``texts``;
    code -1 is a blank cell, whose key is "". Each distinct text is keyed once (:func:`name_key`)."""
    keys = np.fromiter(map(name_key, texts), dtype=object, count=len(texts))
    key_codes, distinct = pd.factorize(np.append(keys, ""))
    return key_codes[codes].astype("int64"), distinct


def name_key(name: object) -> str:
    """:func:`formulas.contract.norm` (managers and clients are matched by it), with a fast path for the
    usual name: printable, single spaces, already trimmed."""
    if type(name) is str and name.isprintable() and "  " not in name and name.strip(" ") == name:
        return name.casefold()
    return norm(name)


# ---------------------------------------------------------------- cells split by Python type

BLANK, TEXT, NUMBER, DATE, OTHER = range(5)  # bools, times, lists … are OTHER: never a value here
_INFERRED_KIND = {"empty": BLANK, "string": TEXT, "integer": NUMBER, "floating": NUMBER,
                  "mixed-integer-float": NUMBER, "decimal": NUMBER, "date": DATE, "datetime": DATE,
                  "datetime64": DATE, "boolean": OTHER}
_NAN_TYPES = frozenset((float, np.float64, np.float32, np.float16, Decimal))  # missing + these = NaN


@dataclass(frozen=True)
class _Cells:
    """A column split by cell type; ``text`` holds the trimmed text of TEXT cells (None elsewhere)."""

    index: pd.Index
    raw: np.ndarray
    kind: np.ndarray
    text: np.ndarray

    def at(self, kind: int) -> np.ndarray:
        """Positions of the cells of one kind."""
        return np.flatnonzero(self.kind == kind)


def _split(values: pd.Series) -> _Cells:
    """Classify every cell; whitespace-only text is blank, a float NaN is a (broken) number."""
    raw = values.to_numpy(dtype=object)
    inferred = infer_dtype(raw, skipna=True)  # one C-level pass tells the usual single-type column
    kind = np.full(len(raw), _INFERRED_KIND.get(inferred, OTHER), dtype=np.int8)
    if inferred not in _INFERRED_KIND:  # a mixed column: classify once per distinct Python type
        positions, types = pd.factorize(np.fromiter(map(type, raw), dtype=object, count=len(raw)))
        kind = np.array([_kind_of(cell_type) for cell_type in types], dtype=np.int8)[positions]
    try:
        missing = np.flatnonzero(pd.isna(raw))
    except ArithmeticError:  # a signalling Decimal NaN refuses to be compared: it becomes a broken number
        missing = np.flatnonzero([value is None or value is pd.NA or value is pd.NaT for value in raw])
    kind[missing] = BLANK
    if _NAN_TYPES.intersection(map(type, raw[missing])):  # rare: a float NaN is a broken number
        kind[missing[[type(value) in _NAN_TYPES for value in raw[missing]]]] = NUMBER
    if inferred == "string" and not len(missing):  # the usual filled text column: no fancy indexing
        text = np.fromiter(map(str.strip, raw), dtype=object, count=len(raw))
        kind[text == ""] = BLANK
    else:
        text = np.empty(len(raw), dtype=object)  # None where the cell is not text
        at = np.flatnonzero(kind == TEXT)
        text[at] = np.fromiter(map(str.strip, raw[at]), dtype=object, count=len(at))
        kind[at[text[at] == ""]] = BLANK
    return _Cells(values.index, raw, kind, text)


def _kind_of(cell_type: type) -> int:
    """The kind of every cell of one Python type."""
    if issubclass(cell_type, str):
        return TEXT
    if issubclass(cell_type, bool | np.bool_ | np.timedelta64):  # bool is an int, but never a number here
        return OTHER
    if issubclass(cell_type, int | float | Decimal | np.integer | np.floating):
        return NUMBER
    if issubclass(cell_type, date | np.datetime64):  # datetime and pd.Timestamp are dates too
        return DATE
    return BLANK if cell_type is type(None) or cell_type is type(pd.NA) else OTHER


def _floats(objects: np.ndarray) -> np.ndarray:
    """Number cells as float64; an int too large for a float becomes inf, and so an error."""
    try:
        return np.asarray(objects, dtype=np.float64)
    except (OverflowError, TypeError, ValueError):
        return np.array([_float(value) for value in objects], dtype=np.float64)


def _float(value: object) -> float:
    """One number cell as a float, inf when it does not fit."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (OverflowError, TypeError, ValueError):
        return float("inf")


def _codes(cells: _Cells, bad: str) -> np.ndarray:
    """A message code per cell: "" for blank cells, ``bad`` for the others until a reader clears them."""
    codes = object_array(len(cells.kind), bad)
    codes[cells.kind == BLANK] = ""
    return codes


def _errors(cells: _Cells, codes: np.ndarray, lang: str, **params: object) -> pd.Series:
    """Messages for the cells whose code is not "", indexed by their labels."""
    bad = np.flatnonzero(codes != "")
    words = {code: say(f"parse.{code}", lang, **params) for code in pd.unique(codes[bad])}
    return pd.Series([words[code] for code in codes[bad]], index=cells.index[bad], dtype=object)


def _floats_parsed(cells: _Cells, numbers: np.ndarray, codes: np.ndarray, lang: str) -> Parsed:
    """Float64 values (NaN where blank or unreadable) and the messages."""
    numbers[codes != ""] = np.nan
    return Parsed(pd.Series(numbers, index=cells.index, dtype=np.float64), _errors(cells, codes, lang))


def _integers(cells: _Cells, numbers: np.ndarray, codes: np.ndarray) -> pd.Series:
    """Int64 values, <NA> where blank or unreadable."""
    mask = (codes != "") | (cells.kind == BLANK)
    return pd.Series(pd.arrays.IntegerArray(np.where(mask, 0, numbers).astype(np.int64), mask),
                     index=cells.index)


def _numbers(cells: _Cells, bad: str, percent_sign: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Every cell read as a number, with a code per cell: "" read, else ``bad`` or too_many_digits."""
    numbers = np.full(len(cells.raw), np.nan)
    codes = _codes(cells, bad)
    at = cells.at(NUMBER)
    numbers[at] = _floats(cells.raw[at])
    codes[at[np.isfinite(numbers[at])]] = ""
    at = cells.at(TEXT)
    numbers[at], text_codes = text_numbers(cells.text[at], percent_sign)
    codes[at] = np.where(text_codes == "bad", bad, text_codes)
    # No amount, count or rate of a sales team reaches a trillion; such a cell is a typo (or 1e308), and
    # reading it would overflow the kopeck sums (PRODUCT.md section 2: every unreadable cell is an issue).
    with np.errstate(invalid="ignore"):
        codes[(codes == "") & (np.abs(numbers) >= TOO_LARGE)] = "too_large"
    return numbers, codes


def _days(cells: _Cells, with_text: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Every cell read as a day (datetime64[D]), with a code per cell."""
    days = np.full(len(cells.raw), np.datetime64("NaT"), dtype="datetime64[D]")
    codes = _codes(cells, "not_date")
    at = cells.at(NUMBER)
    days[at], codes[at] = serial_dates(_floats(cells.raw[at]))
    at = cells.at(DATE)
    days[at], codes[at] = object_dates(cells.raw[at])
    if with_text:
        at = cells.at(TEXT)
        days[at], codes[at] = text_dates(cells.text[at])
    return days, codes


def _texts(cells: _Cells) -> np.ndarray:
    """Every cell as text: trimmed text, "" for blank, other cells rendered as a person reads them."""
    texts = np.where(cells.kind == BLANK, "", cells.text)
    other = np.flatnonzero((cells.kind != BLANK) & (cells.kind != TEXT))
    texts[other] = [_text_of(value) for value in cells.raw[other]]
    return texts


def _text_of(value: object) -> str:
    """The text of a non-text cell: 1001.0 -> "1001", a date -> ``2026-03-05``, NaN -> ""."""
    if isinstance(value, float | np.floating) and np.isnan(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else str(value)
    return value.isoformat() if isinstance(value, date) else cell_text(value)


# ---------------------------------------------------------------- stages and enumerations

# "3", "3.", "3) встреча назначена", "3 - meeting set": a stage number, then maybe that stage's name
_LEADING_NUMBER = re.compile(r"(?P<number>[0-9]{1,2})\s*[.):\-–—]?\s*(?P<rest>[^\W\d_].*)?")
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _stage_of(text: str) -> tuple[int, str]:
    """One stage text read as a stage number, with its message code."""
    key = norm(text)
    if key in STAGE_ALIASES:
        return STAGE_ALIASES[key], ""
    match = _LEADING_NUMBER.fullmatch(key)
    number = int(match["number"]) if match else 0
    # Words after the number must name that same stage: "3 meeting set" reads, but "7 days late" or
    # "1e5" is not a stage, and neither is another stage's name ("3 offer sent").
    rest = match["rest"] if match else None
    if 1 <= number <= 7 and (rest is None or rest in _STAGE_WORDS[number]):
        return number, ""
    return 0, "not_stage"


def _name_starts(number: int) -> frozenset[str]:
    """The stage's names and their leading words ("встреча" of "встреча назначена"), normalised."""
    names = [name for name, stage in STAGE_ALIASES.items() if stage == number and not name.isdigit()]
    return frozenset(" ".join(name.split()[:count]) for name in names for count in range(1, len(name.split()) + 1))


_STAGE_WORDS = {number: _name_starts(number) for number in range(1, 8)}


def _lookup(table: dict[str, str], text: str) -> tuple[str, str]:
    """The canonical value of one enumerated text, with its message code."""
    found = table.get(norm(text))
    return (found, "") if found is not None else ("", "not_enum")


def _allowed(aliases: dict[str, str], lang: str) -> str:
    """The allowed values as a person should type them: in Russian for "ru" where an alias exists."""
    names = {canonical: canonical for canonical in aliases.values()}
    if lang == "ru":
        for alias, canonical in reversed(aliases.items()):  # so the first Russian alias wins
            if _CYRILLIC.search(alias):
                names[canonical] = alias
    return ", ".join(names.values())
