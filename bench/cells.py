"""Vectorised cell builders for the benchmark workbooks: dates and amounts typed the ways people do.

Dates are kept as spreadsheet serial numbers (days since 1899-12-30, what Google returns) and turned
into a mix of serials, ISO text and Russian ``DD.MM.YYYY`` text; amounts into a mix of floats and
text such as ``150 000,50``, ``150,000.50`` or ``₽ 150000``, all valid per PRODUCT.md section 2.
"""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH = date(1899, 12, 30)
_EPOCH64 = np.datetime64("1899-12-30", "D")


def serial(day: date) -> int:
    """The spreadsheet serial number of a date."""
    return (day - EPOCH).days


def iso_text(serials: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD`` strings for serial numbers (vectorised in C by numpy)."""
    return np.datetime_as_string(_EPOCH64 + serials.astype("timedelta64[D]"), unit="D")


def date_cells(serials: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An object column: 75 % serial numbers, 20 % ISO text, 5 % ``DD.MM.YYYY`` text."""
    out = serials.astype(np.int64).astype(object)
    roll = rng.random(len(serials))
    iso = roll < 0.20
    out[iso] = iso_text(serials[iso]).astype(object)
    ru = roll > 0.95
    out[ru] = np.array([f"{s[8:10]}.{s[5:7]}.{s[:4]}" for s in iso_text(serials[ru]).tolist()], dtype=object)
    return out


def _spaced(value: float) -> str:
    whole, cents = divmod(round(abs(value) * 100), 100)
    text = f"{whole:,}".replace(",", " ") + (f",{cents:02d}" if cents else "")
    return "-" + text if value < 0 else text


def _amount_text(value: float, style: int) -> str:
    """One of the amount spellings of PRODUCT.md section 2."""
    if style == 0:
        return _spaced(value)                   # 150 000,50
    if style == 1:
        return f"{value:,.2f}"                  # 150,000.50
    if style == 2:
        return f"₽ {value:.2f}".rstrip("0").rstrip(".")  # ₽ 150000.5
    return f"{round(value):d} руб."             # 150000 руб. (whole roubles only)


def money_cells(values: np.ndarray, rng: np.random.Generator, share: float = 0.1) -> np.ndarray:
    """An object column of amounts: floats, with ``share`` of them typed as text."""
    values = np.round(values, 2)
    out = values.astype(object)
    text = np.flatnonzero(rng.random(len(values)) < share)
    styles = rng.integers(0, 4, len(text))
    whole = np.round(values[text]) == values[text]
    styles[(styles == 3) & ~whole] = 0  # "руб." is only ever typed for whole roubles
    out[text] = np.array([_amount_text(v, s) for v, s in zip(values[text].tolist(), styles.tolist(),
                                                                strict=True)], dtype=object)
    return out


def table(header: list[str], columns: list[np.ndarray | list]) -> list[list]:
    """Header plus rows from equally long columns, built by numpy (one ``tolist`` for all rows)."""
    grid = np.empty((len(columns[0]), len(columns)), dtype=object)
    for index, column in enumerate(columns):
        grid[:, index] = column
    return [header, *grid.tolist()]
