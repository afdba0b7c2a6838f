"""A1 notation: parse `'Сделки'!A1:C`, `Deals`, `A:Z`, `B2` into grid bounds, and format them back.

Parsed ranges are half-open `(row0, row1, col0, col1)` with `None` for an open side, exactly like a
GridRange; `ranged()` closes them against a sheet's grid size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]*)([0-9]*)$")
# Google quotes a sheet name unless it is a plain identifier that cannot be read as a cell reference.
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class A1Error(ValueError):
    """Raised for a range Google would reject with 'Unable to parse range'."""


@dataclass(frozen=True)
class A1Range:
    """A parsed A1 range: the sheet title (None = first sheet) and half-open, possibly open bounds."""

    sheet: str | None
    row0: int | None
    row1: int | None
    col0: int | None
    col1: int | None


def column_index(letters: str) -> int:
    """`A` -> 0, `Z` -> 25, `AA` -> 26."""
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ord(ch) - ord("A") + 1)
    return value - 1


def column_letters(index: int) -> str:
    """0 -> `A`, 26 -> `AA`."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _split_sheet(text: str) -> tuple[str | None, str]:
    """Split `'It''s'!A1` into (`It's`, `A1`); a bare word with no `!` may be a sheet or a cell range."""
    if text.startswith("'"):
        end = 1
        name = ""
        while True:
            quote = text.find("'", end)
            if quote < 0:
                raise A1Error(text)
            if text[quote + 1 : quote + 2] == "'":
                name += text[end:quote] + "'"
                end = quote + 2
                continue
            name += text[end:quote]
            rest = text[quote + 1 :]
            if rest and not rest.startswith("!"):
                raise A1Error(text)
            return name, rest[1:]
    if "!" in text:
        name, _, cells = text.rpartition("!")
        return name, cells
    return None, text


def _corner(text: str) -> tuple[int | None, int | None]:
    """`B2` -> (row 1, col 1); `B` -> (None, 1); `2` -> (1, None)."""
    match = _CELL.match(text)
    if not match or not text:
        raise A1Error(text)
    letters, digits = match.groups()
    if digits and int(digits) < 1:
        raise A1Error(text)
    return (int(digits) - 1 if digits else None), (column_index(letters) if letters else None)


def _bounds(cells: str) -> tuple[int | None, int | None, int | None, int | None]:
    """Turn the cell part into half-open bounds (row0, row1, col0, col1)."""
    first, _, second = cells.partition(":")
    r0, c0 = _corner(first)
    if not second:
        if r0 is None or c0 is None:
            raise A1Error(cells)
        return r0, r0 + 1, c0, c0 + 1
    r1, c1 = _corner(second)
    # An omitted side is open: `A:C` spans every row, `A2:C` runs to the last row, `1:3` every column.
    row0 = min(r0, r1) if r0 is not None and r1 is not None else (r0 if r0 is not None else 0)
    row1 = max(r0, r1) + 1 if r0 is not None and r1 is not None else None
    col0 = min(c0, c1) if c0 is not None and c1 is not None else (c0 if c0 is not None else 0)
    col1 = max(c0, c1) + 1 if c0 is not None and c1 is not None else None
    return row0, row1, col0, col1


def parse(text: str, sheet_titles: list[str]) -> A1Range:
    """Parse an A1 range; a bare word that names a sheet means the whole sheet."""
    text = text.strip()
    if not text:
        raise A1Error(text)
    sheet, cells = _split_sheet(text)
    if sheet is None and text in sheet_titles:
        return A1Range(text, 0, None, 0, None)
    if sheet is not None and not cells:
        return A1Range(sheet, 0, None, 0, None)
    return A1Range(sheet, *_bounds(cells))


def quote_title(title: str) -> str:
    """Quote a sheet title the way Google echoes it in `range` (`Sheet1`, `'Мои сделки'`)."""
    if _PLAIN_NAME.match(title) and not re.match(r"^[A-Za-z]{1,3}[0-9]+$", title, re.I):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, row0: int, row1: int, col0: int, col1: int) -> str:
    """Format closed bounds as Google echoes them: `Sheet1!A1:D2` (a single cell stays `A1:A1`-free)."""
    start = f"{column_letters(col0)}{row0 + 1}"
    end = f"{column_letters(col1 - 1)}{row1}"
    cells = start if (row1 - row0, col1 - col0) == (1, 1) else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"
