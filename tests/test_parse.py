"""Parsers of messy cells (formulas/parse.py, formulas/parse_dates.py): PRODUCT.md sections 2 and 3.

Each test writes the raw cells it feeds next to what it expects back. Cells are exactly what an adapter
hands in: None, str, int, float, bool, date or datetime in an object Series.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formulas.contract import ROLE_ALIASES, STATUS_ALIASES
from formulas.months import month_of
from formulas.read import parse
from formulas.read.columns import TabCheck
from formulas.read.tabs import FoundTab, input_tab_spec
from formulas.text import say


def cells(*values: object, first_row: int = 2) -> pd.Series:
    """A column of raw cells indexed by sheet row, as formulas.read.tabs lays them out."""
    return pd.Series(list(values), index=range(first_row, first_row + len(values)), dtype=object)


def one(result: parse.Parsed) -> object:
    """The single value of a one-cell result that must have read cleanly."""
    assert result.errors.empty, result.errors.to_dict()
    return result.values.iloc[0]


def error_of(result: parse.Parsed) -> str:
    """The message of a one-cell result that must have failed."""
    assert list(result.errors.index) == list(result.values.index), result.values.tolist()
    value = result.values.iloc[0]
    assert pd.isna(value) or value == "", value  # an unreadable cell never leaks a value
    return result.errors.iloc[0]


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(("raw", "expected"), [
    ("150 000", 150000.0),
    ("150 000,50", 150000.5),
    ("150,000.50", 150000.5),
    ("₽ 150000", 150000.0),
    ("150000 руб.", 150000.0),
    ("150000 р.", 150000.0),
    ("150 000,50 ₽", 150000.5),
    ("150\u00a0000,50", 150000.5),  # non-breaking space, as Sheets formats thousands
    ("150\u202f000,50", 150000.5),  # narrow non-breaking space
    ("  150000  ", 150000.0),
    ("150,000", 150000.0),  # a single comma before exactly three digits groups thousands
    ("150,5", 150.5),
    ("150,05", 150.05),
    ("150.000", 150.0),  # a single dot is always decimal
    ("1.234,56", 1234.56),  # both: the last one is decimal
    ("1,234.56", 1234.56),
    ("1.234.567", 1234567.0),  # a repeated separator groups thousands
    ("1,234,567", 1234567.0),
    ("1.234.567,89", 1234567.89),
    ("1 234 567,89 руб.", 1234567.89),
    ("150000Р", 150000.0),
    ("РУБ. 150 000", 150000.0),
    ("150 000 RUB", 150000.0),
    ("0,5", 0.5),
    (150000, 150000.0),
    (150000.5, 150000.5),
    (0, 0.0),
])
def test_money_reads_every_messy_format(raw: object, expected: float) -> None:
    assert one(parse.parse_money(cells(raw), "en")) == expected


@pytest.mark.parametrize("raw", [
    "сто тысяч", "150 000 рублей", "1e5", "inf", "nan", "5 %", "1,2.5", "1,23,456", "1234,567", "0,500",
    "5.", ".5", "1..5", "--5", "5-", "٣", "12345678901234567", "x" * 100, "150\x00000",
])
def test_money_text_that_is_not_an_amount_is_an_error(raw: str) -> None:
    assert error_of(parse.parse_money(cells(raw), "en")).startswith(("is not an amount", "has more than"))


@pytest.mark.parametrize("raw", [True, False, date(2026, 3, 5), datetime(2026, 3, 5, 10), float("nan"),
                                 float("inf"), float("-inf"), 10**400, [1, 2]])
def test_money_cells_of_the_wrong_type_are_errors(raw: object) -> None:
    assert error_of(parse.parse_money(cells(raw), "en")).startswith("is not an amount")


@pytest.mark.parametrize("raw", ["-5", -5, "−150 000", "- 5 ₽", "-₽5", "₽ -5"])
def test_negative_money_is_an_error_unless_allowed(raw: object) -> None:
    assert error_of(parse.parse_money(cells(raw), "en")) == "is a negative amount"
    assert one(parse.parse_money(cells(raw), "en", allow_negative=True)) < 0


def test_signed_money_keeps_the_sign_and_minus_zero_is_zero() -> None:
    result = parse.parse_money(cells("-5 000,50", "-0", "+7"), "en", allow_negative=True)
    assert result.values.tolist() == [-5000.5, 0.0, 7.0]
    assert not np.signbit(result.values.iloc[1])


def test_money_errors_are_in_russian_for_a_russian_workbook() -> None:
    result = parse.parse_money(cells("сто тысяч", "-5"), "ru")
    assert result.errors.tolist() == ["это не сумма (пишите как 150 000 или 150 000,50)", "отрицательная сумма"]


def test_money_more_than_fifteen_digits_is_an_error() -> None:
    assert "15 digits" in error_of(parse.parse_money(cells("1234567890123456"), "en"))
    # 15 digits are kept, but no amount of a sales team reaches a trillion: that is a typo (issue 10)
    assert "implausibly large" in error_of(parse.parse_money(cells("123 456 789 012 345"), "en"))
    assert one(parse.parse_money(cells("999 999 999 999,99"), "en")) == 999999999999.99


@pytest.mark.parametrize("cell", [1e12, 1e17, 1e20, 1e308, -1e13, "2 000 000 000 000", "1e308"])
def test_an_amount_of_a_trillion_or_more_is_an_issue_whether_typed_or_a_number(cell: object) -> None:
    result = parse.parse_money(cells(cell), "en", allow_negative=True)
    if isinstance(cell, str) and "e" in cell:
        assert "is not an amount" in error_of(result)  # 1e308 as text is no amount at all
    else:
        assert error_of(result).startswith("is implausibly large")


def test_money_decimals_read_exactly_like_python_floats() -> None:
    result = parse.parse_money(cells("0,1", "2.675", "1 234 567,89", "999 999 999 999,99"), "en")
    assert result.values.tolist() == [0.1, 2.675, 1234567.89, 999999999999.99]


# ---------------------------------------------------------------- numbers, counts, rates


def test_number_reads_like_money_and_allows_negatives() -> None:
    result = parse.parse_number(cells("-1 500,5", "100", 2.5, "абв"), "en")
    assert result.values.tolist()[:3] == [-1500.5, 100.0, 2.5]
    assert result.errors.to_dict() == {5: "is not a number"}


@pytest.mark.parametrize(("raw", "expected"), [(2, 2.0), (2.0, 2.0), ("3", 3.0), (" 12 ", 12.0), ("1 000", 1000.0)])
def test_count_reads_whole_numbers_of_one_or_more(raw: object, expected: float) -> None:
    assert one(parse.parse_count(cells(raw), "en")) == expected


@pytest.mark.parametrize("raw", [2.5, 0, -1, "0", "2,5", "два", True])
def test_count_rejects_fractions_zero_negatives_and_text(raw: object) -> None:
    assert error_of(parse.parse_count(cells(raw), "ru")) == "это не целое число от 1 и больше"


@pytest.mark.parametrize(("raw", "expected"), [
    ("5", 5.0), ("5 %", 5.0), ("5%", 5.0), ("5,5", 5.5), ("5.5%", 5.5), (5, 5.0), (12.5, 12.5),
    ("20 000", 20000.0), ("-3", -3.0),
])
def test_rate_reads_percentage_points(raw: object, expected: float) -> None:
    assert one(parse.parse_rate(cells(raw), cells(False), "en")) == expected


def test_rate_scales_percent_formatted_number_cells_only() -> None:
    # a percent-formatted cell holds 0.05 and shows 5 %; text typed into such a cell is points already
    raw = cells(0.05, 0.07, 0.055, 1, "5 %", 0.05)
    percent = cells(True, True, True, True, True, False)
    result = parse.parse_rate(raw, percent, "en")
    assert result.values.tolist() == [5.0, 7.0, 5.5, 100.0, 5.0, 0.05]
    assert result.errors.empty


def test_rate_percent_flags_align_by_row_and_may_be_missing() -> None:
    raw = cells(0.05, 0.05)
    assert parse.parse_rate(raw, pd.Series([True], index=[3]), "en").values.tolist() == [0.05, 5.0]
    assert parse.parse_rate(raw, None, "en").values.tolist() == [0.05, 0.05]


def test_rate_text_errors() -> None:
    assert error_of(parse.parse_rate(cells("пять"), None, "en")).startswith("is not a percentage or a number")
    assert error_of(parse.parse_rate(cells("5 %%"), None, "en")).startswith("is not a percentage")


# ---------------------------------------------------------------- dates


def test_serial_46086_is_5_march_2026() -> None:
    assert pd.Timestamp("1899-12-30") + pd.Timedelta(days=46086) == pd.Timestamp("2026-03-05")
    result = parse.parse_date(cells(46086, 46086.75, 46086.0), "en")
    assert result.values.tolist() == [pd.Timestamp("2026-03-05")] * 3  # the time of day is dropped
    assert result.values.dtype == "datetime64[ns]"


@pytest.mark.parametrize("raw", [
    "2026-03-05", "05.03.2026", "5.3.2026", "  05.03.2026  ", "2026-3-5", "05.03.2026 14:30", "2026-03-05 14:30:15",
    "2026-03-05T14:30", "05.03.2026 г.", date(2026, 3, 5), datetime(2026, 3, 5, 23, 59), pd.Timestamp("2026-03-05"),
])
def test_date_forms(raw: object) -> None:
    assert one(parse.parse_date(cells(raw), "en")) == pd.Timestamp("2026-03-05")


@pytest.mark.parametrize("raw", ["05/03/2026", "05.03.26", "5/3/26", "03-05-2026", "2026/03/05"])
def test_ambiguous_dates_are_errors_that_say_how_to_write_them(raw: str) -> None:
    assert error_of(parse.parse_date(cells(raw), "en")) == (
        "is ambiguous: write the date as 2026-03-05 or 05.03.2026, with a four-digit year")
    assert "неоднозначная" in error_of(parse.parse_date(cells(raw), "ru"))


@pytest.mark.parametrize("raw", ["31.02.2026", "2026-02-30", "00.01.2026", "01.13.2026", "2026-13-01"])
def test_impossible_dates_are_errors(raw: str) -> None:
    assert error_of(parse.parse_date(cells(raw), "en")) == "is not a real calendar date"


@pytest.mark.parametrize("raw", [1, -5, 0.5, 10**7, "1899-12-31", "05.03.2201", date(1, 1, 1), date(9999, 12, 31)])
def test_dates_outside_1900_to_2200_are_errors(raw: object) -> None:
    assert error_of(parse.parse_date(cells(raw), "en")) == "is outside the years 1900–2200"


@pytest.mark.parametrize("raw", ["вчера", "2026-03-05 утром", "46086", True, float("nan"), [2026]])
def test_other_cells_are_not_dates(raw: object) -> None:
    assert error_of(parse.parse_date(cells(raw), "en")) == "is not a date (write it as 2026-03-05 or 05.03.2026)"


def test_serial_range_edges() -> None:
    result = parse.parse_date(cells(2, 2.99, 109939, 109940), "en")
    assert result.values.tolist()[:3] == [pd.Timestamp("1900-01-01")] * 2 + [pd.Timestamp("2200-12-31")]
    assert list(result.errors.index) == [5]


# ---------------------------------------------------------------- months

MARCH_2026 = month_of(date(2026, 3, 1))


@pytest.mark.parametrize("raw", [
    "2026-03", "2026-3", "03.2026", "3.2026", "март 2026", "Март 2026", "марта 2026", "МАРТА 2026 г.", "мар 2026",
    "March 2026", "Mar 2026", "mar. 2026", "2026-03-05", "05.03.2026", 46086, date(2026, 3, 31),
    datetime(2026, 3, 1, 9, 0),
])
def test_month_forms(raw: object) -> None:
    result = parse.parse_month(cells(raw), "en")
    assert one(result) == MARCH_2026
    assert result.values.dtype == "Int64"


@pytest.mark.parametrize(("name", "month"), [
    ("январь", 1), ("января", 1), ("февраль", 2), ("февраля", 2), ("апрель", 4), ("апреля", 4), ("май", 5),
    ("мая", 5), ("июнь", 6), ("июня", 6), ("июль", 7), ("июля", 7), ("август", 8), ("августа", 8),
    ("сентябрь", 9), ("сентября", 9), ("октябрь", 10), ("октября", 10), ("ноябрь", 11), ("ноября", 11),
    ("декабрь", 12), ("декабря", 12), ("January", 1), ("Sep", 9), ("Sept", 9), ("december", 12),
])
def test_every_month_name(name: str, month: int) -> None:
    assert one(parse.parse_month(cells(f"{name} 2026"), "en")) == month_of(date(2026, month, 1))


@pytest.mark.parametrize(("raw", "message"), [
    ("13.2026", "is not a month (write it as 2026-03, 03.2026 or March 2026)"),
    ("2026-00", "is not a month (write it as 2026-03, 03.2026 or March 2026)"),
    ("мартобря 2026", "is not a month (write it as 2026-03, 03.2026 or March 2026)"),
    ("март", "is not a month (write it as 2026-03, 03.2026 or March 2026)"),
    (True, "is not a month (write it as 2026-03, 03.2026 or March 2026)"),
    ("05.03.26", "is ambiguous: write the date as 2026-03-05 or 05.03.2026, with a four-digit year"),
    ("31.02.2026", "is not a real calendar date"),
    ("март 1812", "is outside the years 1900–2200"),
    (-1, "is outside the years 1900–2200"),
])
def test_month_errors(raw: object, message: str) -> None:
    assert error_of(parse.parse_month(cells(raw), "en")) == message


# ---------------------------------------------------------------- stages, enumerations, text


@pytest.mark.parametrize(("raw", "stage"), [
    (1, 1), (7, 7), (3.0, 3), ("3", 3), (" 3 ", 3), ("meeting set", 3), ("Meeting  SET", 3),
    ("встреча назначена", 3), ("Выход на ЛПР", 1), ("тз получено", 4), ("КП отправлено", 5),
    ("договор подписан", 7), ("decision maker", 1), ("contract signed", 7), ("lost", 0), ("Отказ", 0),
    ("3 meeting set", 3), ("3. встреча назначена", 3), ("3) встреча", 3), ("5 - offer sent", 5),
    # the longer names of PRODUCT.md section 2, alone or after their number
    ("reached the decision maker", 1), ("Interest expressed", 2), ("specification received", 4),
    ("terms accepted", 6), ("4 specification received", 4), ("1. reached the decision maker", 1),
    ("2 interest", 2), ("7. contract signed", 7),
])
def test_stage_forms(raw: object, stage: int) -> None:
    result = parse.parse_stage(cells(raw), "en")
    assert one(result) == stage
    assert result.values.dtype == "Int64"


@pytest.mark.parametrize("raw", [0, 8, 2.5, -1, "8", "3 offer sent", "3.9", "этап", True, float("nan"),
                                 # a number followed by anything but that stage's name is not a stage
                                 "7 days late", "1e5", 1e5, "3 specification", "2 reached", "4 ТЗ получено ок"])
def test_stage_errors(raw: object) -> None:
    assert error_of(parse.parse_stage(cells(raw), "en")).startswith("is not a funnel stage")


def test_enum_reads_aliases_in_both_languages() -> None:
    result = parse.parse_enum(cells("Продажи", " SALES ", "колл  центр", "возврат"), ROLE_ALIASES, "en", "role")
    assert result.values.tolist() == ["sales", "sales", "call_centre", ""]
    assert result.errors.to_dict() == {
        5: "is not a valid role: use one of sales, call_centre, post_sale, receivables"}


def test_enum_error_names_the_allowed_values_in_russian() -> None:
    result = parse.parse_enum(cells("отменён", 1), STATUS_ALIASES, "ru", "status")
    assert result.errors.tolist() == [
        "недопустимое значение (статус): допустимо действует, расторгнут, возврат"] * 2


def test_text_is_trimmed_and_numbers_lose_their_trailing_zero() -> None:
    raw = cells("  ACME  ", 1001, 1001.0, 1001.5, None, "   ", date(2026, 3, 5), datetime(2026, 3, 5, 9, 30))
    result = parse.parse_text(raw)
    assert result.values.tolist() == ["ACME", "1001", "1001", "1001.5", "", "", "2026-03-05", "2026-03-05 09:30:00"]
    assert result.errors.empty


# ---------------------------------------------------------------- shared behaviour

PARSERS = {
    "money": lambda raw: parse.parse_money(raw, "en"),
    "number": lambda raw: parse.parse_number(raw, "en"),
    "count": lambda raw: parse.parse_count(raw, "en"),
    "rate": lambda raw: parse.parse_rate(raw, pd.Series(True, index=raw.index), "en"),
    "date": lambda raw: parse.parse_date(raw, "en"),
    "month": lambda raw: parse.parse_month(raw, "en"),
    "stage": lambda raw: parse.parse_stage(raw, "en"),
    "enum": lambda raw: parse.parse_enum(raw, ROLE_ALIASES, "en", "role"),
    "text": parse.parse_text,
}


@pytest.mark.parametrize("kind", PARSERS)
def test_blank_cells_are_never_errors(kind: str) -> None:
    result = PARSERS[kind](cells(None, "", "   ", "\u00a0\t", first_row=10))
    assert result.errors.empty
    assert list(result.values.index) == [10, 11, 12, 13]
    assert result.values.isna().all() or result.values.eq("").all()


@pytest.mark.parametrize("kind", PARSERS)
def test_an_empty_column_parses_to_empty_series(kind: str) -> None:
    result = PARSERS[kind](cells())
    assert result.values.empty and result.errors.empty


def test_errors_are_indexed_by_sheet_row() -> None:
    result = parse.parse_money(cells("1", "bad", "2", "-1", first_row=40), "en")
    assert result.errors.index.tolist() == [41, 43]
    assert np.isnan(result.values[41]) and np.isnan(result.values[43])


def test_every_message_exists_in_english_and_russian() -> None:
    codes = ["not_amount", "negative_amount", "not_number", "too_many_digits", "not_count", "not_rate",
             "not_date", "ambiguous_date", "impossible_date", "out_of_range", "not_month", "not_stage"]
    for code in codes:
        english, russian = say(f"parse.{code}", "en"), say(f"parse.{code}", "ru")
        assert english and russian and english != russian
        assert re.search("[а-я]", russian) and not re.search("[а-я]", english)


# ---------------------------------------------------------------- properties

ANY_CELL = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.floats(), st.booleans(), st.dates(), st.datetimes(),
    st.text(alphabet="0123456789 ,.-+%₽руб\u00a0/:", max_size=16),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ANY_CELL, max_size=30))
def test_garbage_never_raises_and_every_unreadable_cell_has_an_error(raw_cells: list[object]) -> None:
    raw = cells(*raw_cells)
    blank = [value is None or (isinstance(value, str) and not value.strip()) for value in raw_cells]
    for kind, parser in PARSERS.items():
        result = parser(raw)
        assert len(result.values) == len(raw) and result.values.index.equals(raw.index)
        assert not result.errors.index.isin(raw.index[blank]).any(), kind
        if kind == "text":
            assert result.errors.empty
            continue
        unread = result.values.isna() | result.values.eq("")
        assert set(raw.index[unread & ~np.array(blank, dtype=bool)]) == set(result.errors.index), kind
        assert result.errors.map(lambda text: isinstance(text, str) and text != "").all()


def reference_number(text: str) -> float | None:
    """PRODUCT.md section 3 "Parsing" for amounts, written the plain way, to check the vectorised one."""
    text = re.sub(r"\s", "", text).replace("−", "-")
    sign = -1.0 if text.startswith("-") else 1.0
    text = text[1:] if text[:1] in ("-", "+") else text
    if not re.fullmatch(r"[0-9]+(?:[.,][0-9]+)*", text):
        return None
    commas, dots = text.count(","), text.count(".")
    decimal = thousands = ""
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
    elif commas == 1:
        decimal, thousands = ("", ",") if len(text) - text.rfind(",") == 4 else (",", "")
    elif dots == 1:
        decimal = "."
    elif commas or dots:
        thousands = "," if commas else "."
    if decimal and text.count(decimal) > 1:
        return None
    whole, _, fraction = text.partition(decimal) if decimal else (text, "", "")
    if thousands and not re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{re.escape(thousands)}[0-9]{{3}})+", whole):
        return None
    digits = whole.replace(thousands, "") if thousands else whole
    if len(digits + fraction) > 15:
        return None
    number = sign * float(f"{digits}.{fraction or 0}") + 0.0
    # Premia refuses 10^12 and more as a typo: no cell of the contract holds such a sum.
    return None if abs(number) >= 1e12 else number


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="0123456789,. -+−\u00a0", min_size=1, max_size=14), min_size=1, max_size=20))
def test_vectorised_amounts_agree_with_the_plain_reading(texts: list[str]) -> None:
    texts = [text for text in texts if text.strip()]
    result = parse.parse_number(cells(*texts), "en")
    for row, text in zip(result.values.index, texts, strict=True):
        expected = reference_number(text)
        if expected is None:
            assert row in result.errors.index, text
        else:
            assert result.values[row] == expected, text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=0, max_value=99),
       st.sampled_from([" ", "\u00a0", "\u202f", ".", ","]), st.sampled_from([",", "."]))
def test_formatted_amounts_round_trip(whole: int, kopecks: int, group: str, point: str) -> None:
    if group == point:
        return  # 1.234.567.89 is not a way anyone writes a number
    text = f"{whole:,}".replace(",", group) + f"{point}{kopecks:02d}"
    assert one(parse.parse_money(cells(text), "en")) == float(f"{whole}.{kopecks:02d}")


_NAMES = st.one_of(st.none(), st.sampled_from(["Anna", " anna ", "ANNA", "Anna  Li", "anna li", "", "  ", "\u00a0",
                                               "Ёлка", "ёлка", "Boris"]),
                   st.text(max_size=6))


@settings(max_examples=200)
@given(st.lists(_NAMES, max_size=30), st.booleans())
def test_text_keys_found_while_reading_equal_the_keys_of_the_text(names: list[object], with_number: bool) -> None:
    """A column of names is read once per distinct name; the keys it hands on must be exactly
    name_key of each cell's text, and equal codes exactly where keys are equal (a number in the
    column takes the cell-by-cell path, which must agree too)."""
    raw = [*names, 1001] if with_number else names
    frame = pd.DataFrame({"manager": pd.Series(raw, index=range(2, len(raw) + 2), dtype=object)})
    spec = input_tab_spec("Funnel")
    check = TabCheck(FoundTab(spec, "Funnel", {"manager": 0}, {"manager": "Manager"},
                              frame.reindex(columns=[c.key for c in spec.columns])), "en")
    texts = parse.parse_text(frame["manager"]).values
    expected = [parse.name_key(text) for text in texts[check.frame.index]]
    keys, codes = check.keys("manager"), check.key_codes("manager")
    assert keys.tolist() == expected
    assert all((a == b) == (codes[i] == codes[j]) for i, a in keys.items() for j, b in keys.items())
    names = parse.parse_text(frame["manager"]).names
    if names is not None:  # the fast path tells blank cells without keying: exactly where the key is ""
        assert names.blank().tolist() == [parse.name_key(text) == "" for text in texts]


@settings(max_examples=200)
@given(st.lists(st.one_of(_NAMES, st.just(float("nan")), st.just(pd.NA), st.integers(-5, 5)), max_size=30))
def test_a_free_note_is_blank_exactly_when_it_is_none_or_whitespace(notes: list[object]) -> None:
    """Free notes (Action, Note) are read once per distinct note when they are all text; either way a cell
    is blank ("") exactly when it is None or whitespace, and any other cell is kept as it is."""
    result = parse.parse_free(cells(*notes))
    assert result.errors.empty
    for note, value in zip(notes, result.values, strict=True):
        blank = note is None or (isinstance(note, str) and not note.strip())
        assert value == "" if blank else value is note
