"""Amounts typed as text (``150 000,50 ₽``, ``150,000.50``, ``₽ 150000``), read a whole column at once.

PRODUCT.md section 3, "Parsing": when both ``,`` and ``.`` appear the last is the decimal separator;
a separator that repeats groups thousands; a single ``,`` followed by exactly three digits groups
thousands; any other single ``,`` or ``.`` is decimal. Spaces, non-breaking spaces, ``₽``, ``руб.``
and ``р.`` are ignored. Texts become a matrix of code points so every rule is a numpy operation.
"""

from __future__ import annotations

import numpy as np

from formulas.read.dates import object_array

_MAX_CHARS = 40  # longer text is never an amount, and this bounds the code-point matrix
_CHUNK = 1 << 18  # rows per code-point matrix, so memory stays flat on a million cells
_MARKS = ("руб.", "rub.", "руб", "rub", "р.", "₽", "р")  # currency marks, lower case, longest first
_DIGIT_LIMIT = 15  # Google Sheets and Excel keep 15 significant digits
_SPACE, _DIGIT, _COMMA, _DOT, _SIGN, _OTHER = range(6)  # character classes; _SIGN and up never in digits
_CLASS = np.full(0x2300, _OTHER, dtype=np.uint8)  # code point -> class; higher code points are _OTHER
_CLASS[[0, 9, 10, 13, 32, 0xA0, 0x2007, 0x2009, 0x202F]] = _SPACE  # 0 pads the matrix rows
_CLASS[48:58], _CLASS[ord(",")], _CLASS[ord(".")] = _DIGIT, _COMMA, _DOT
_CLASS[[ord("-"), ord("+"), 0x2212]] = _SIGN  # 0x2212 is the typographic minus


def text_numbers(texts: np.ndarray, percent_sign: bool) -> tuple[np.ndarray, np.ndarray]:
    """Read trimmed texts such as ``150 000,50 ₽``; codes are "" (read), "bad" or "too_many_digits"."""
    numbers = np.full(len(texts), np.nan)
    codes = object_array(len(texts), "bad")
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    short = np.flatnonzero(lengths <= _MAX_CHARS)
    for start in range(0, len(short), _CHUNK):
        at = short[start:start + _CHUNK]
        numbers[at], codes[at] = _read_chunk(texts[at].astype(str), lengths[at], percent_sign)
    return numbers, codes


def _code_points(texts: np.ndarray) -> np.ndarray:
    """A writable (rows, width) uint32 matrix of the texts' code points, 0-padded on the right."""
    return np.ascontiguousarray(texts).view(np.uint32).reshape(len(texts), -1).copy()


def _read_chunk(texts: np.ndarray, lengths: np.ndarray, percent_sign: bool) -> tuple[np.ndarray, np.ndarray]:
    """Read one chunk: classify characters, drop currency marks and the sign, then read the digits."""
    points = _code_points(texts)
    kinds = np.take(_CLASS, points, mode="clip")
    odd = np.flatnonzero((kinds == _OTHER).any(axis=1))  # a currency mark, a %, or not a number at all
    if len(odd):
        kinds[odd] = _without_marks(points[odd], kinds[odd], percent_sign)
    rows = np.arange(len(points))
    first = (kinds != _SPACE).argmax(axis=1)
    signed = kinds[rows, first] == _SIGN
    negative = signed & (points[rows, first] != ord("+"))
    kinds[rows[signed], first[signed]] = _SPACE  # the sign is read; the digits are read without it
    numbers, codes = _digits(points, kinds)
    codes[np.count_nonzero(points, axis=1) != lengths] = "bad"  # a NUL inside the text: never a number
    return np.where(negative, -numbers, numbers) + 0.0, codes  # + 0.0: "-0" reads 0, not -0


def _without_marks(points: np.ndarray, kinds: np.ndarray, percent_sign: bool) -> np.ndarray:
    """Classes with one currency mark at the front (after any sign) and one mark or ``%`` at the end
    turned into spaces, so ``-₽ 150`` and ``150 000 руб.`` read as numbers (PRODUCT.md section 3)."""
    upper = ((points >= ord("A")) & (points <= ord("Z"))) | ((points >= ord("А")) & (points <= ord("Я")))
    lower = np.where(upper, points + 32, points)  # in both alphabets lower case is 32 code points on
    rows, width = np.arange(len(points)), points.shape[1]
    for front in (True, False):
        content = (kinds != _SPACE) & (kinds != _SIGN) if front else kinds != _SPACE
        anchor = content.argmax(axis=1) if front else width - 1 - content[:, ::-1].argmax(axis=1)
        done = ~content.any(axis=1)
        for mark in _MARKS if front or not percent_sign else (*_MARKS, "%"):
            start = anchor if front else anchor + 1 - len(mark)
            hit = ~done & (start >= 0) & (start + len(mark) <= width)
            for offset, char in enumerate(mark):  # column by column: cheaper than a 2-D gather
                hit &= lower[rows, np.clip(start + offset, 0, width - 1)] == ord(char)
            for offset in range(len(mark)):
                kinds[rows[hit], start[hit] + offset] = _SPACE
            done |= hit
    return kinds


def _digits(points: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Read digits with ``,`` / ``.`` separators by the rules of PRODUCT.md section 3 "Parsing"."""
    rows = np.arange(len(points))
    filled = kinds != _SPACE
    position = np.cumsum(filled, axis=1, dtype=np.int8) - 1  # where each character sits once spaces go
    length = position[:, -1] + 1
    digit, comma, dot = kinds == _DIGIT, kinds == _COMMA, kinds == _DOT
    first = filled.argmax(axis=1)
    last = points.shape[1] - 1 - filled[:, ::-1].argmax(axis=1)
    readable = ~(kinds >= _SIGN).any(axis=1) & (length > 0) & digit[rows, first] & digit[rows, last]
    commas, dots = np.count_nonzero(comma, axis=1), np.count_nonzero(dot, axis=1)
    last_comma, last_dot = _last(comma, commas, position), _last(dot, dots, position)
    # Both present: the last is decimal. Alone: a "," before exactly three digits groups thousands,
    # any other single separator is decimal, and a separator that repeats groups thousands.
    both = (commas > 0) & (dots > 0)
    comma_decimal = np.where(both, last_comma > last_dot, (commas == 1) & (dots == 0) & (length - last_comma != 4))
    dot_decimal = np.where(both, last_dot > last_comma, (dots == 1) & (commas == 0))
    readable &= ~(comma_decimal & (commas > 1)) & ~(dot_decimal & (dots > 1))
    decimal_at = np.where(comma_decimal, last_comma, np.where(dot_decimal, last_dot, -1))
    grouped = np.flatnonzero(readable & (commas + dots > comma_decimal + dot_decimal))
    whole = np.where(decimal_at >= 0, decimal_at, length)  # length of the integer part, spaces dropped
    readable[grouped] &= _well_grouped(position[grouped], filled[grouped], comma[grouped] | dot[grouped],
                                       whole[grouped]) & (points[grouped, first[grouped]] != ord("0"))
    too_many = readable & (np.count_nonzero(digit, axis=1) > _DIGIT_LIMIT)
    readable &= ~too_many
    codes = object_array(len(points), "")
    codes[~readable] = "bad"
    codes[too_many] = "too_many_digits"
    decimals = np.where(decimal_at >= 0, length - 1 - decimal_at, 0)
    return np.where(readable, _whole_number(points, digit) / 10.0 ** decimals, np.nan), codes


def _last(mask: np.ndarray, count: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Per row, the position (spaces dropped) of the last True in ``mask``; -1 when there is none."""
    column = mask.shape[1] - 1 - mask[:, ::-1].argmax(axis=1)
    return np.where(count > 0, position[np.arange(len(mask)), column], -1)


def _whole_number(points: np.ndarray, digit: np.ndarray) -> np.ndarray:
    """The digits of each row read as one integer, separators skipped (Horner's rule, column by column)."""
    digit = np.asfortranarray(digit)  # column-major, so each step reads contiguous memory
    values = np.asfortranarray(points.astype(np.int8) - ord("0"))  # meaningful where ``digit`` only
    number = np.zeros(len(points), dtype=np.int64)  # exact up to 18 digits; rows over 15 are dropped
    for column in range(points.shape[1]):
        number = np.where(digit[:, column], number * 10 + values[:, column], number)
    return number


def _well_grouped(position: np.ndarray, filled: np.ndarray, separator: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """True where thousands separators sit exactly every three digits of the integer part: 1,234,567.

    ``whole`` is the length of the integer part; the decimal separator, if any, sits right after it.
    A grouping that starts with 0 ("0,500") is not one: the caller checks that.
    """
    before_decimal = position < whole[:, None]
    expected = filled & before_decimal & ((whole[:, None] - position) % 4 == 0)
    return ((separator & before_decimal) == expected).all(axis=1)
