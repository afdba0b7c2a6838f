"""Numbers and counted nouns inside user-visible text (formulas/text/numbers.py), in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from formulas.months import month_of
from formulas.pay.wording import Figures, deal_count_reached, fixed_sums, percent_of_base
from formulas.text.numbers import counted, day, money, month_name, percent


@pytest.mark.parametrize(("count", "english", "russian"), [
    (1, "1 deal", "1 сделка"), (2, "2 deals", "2 сделки"), (3, "3 deals", "3 сделки"), (5, "5 deals", "5 сделок"),
    (11, "11 deals", "11 сделок"), (12, "12 deals", "12 сделок"), (21, "21 deals", "21 сделка"),
    (22, "22 deals", "22 сделки"), (25, "25 deals", "25 сделок"), (111, "111 deals", "111 сделок"),
    (0, "0 deals", "0 сделок"),
])
def test_a_count_takes_the_plural_form_its_number_needs(count: int, english: str, russian: str) -> None:
    assert counted(count, "deal", "en") == english
    assert counted(count, "deal", "ru") == russian


def test_payments_decline_like_deals() -> None:
    assert [counted(n, "payment", "ru") for n in (1, 3, 5)] == ["1 оплата", "3 оплаты", "5 оплат"]
    assert [counted(n, "payment", "en") for n in (1, 3)] == ["1 payment", "3 payments"]


def test_money_in_text_reads_like_the_cells_in_each_language() -> None:
    assert money(1110000, "en") == "1,110,000.00"
    assert money(1110000, "ru") == "1 110 000,00"
    assert money(-5000.5, "ru") == "−5 000,50"
    assert money(-0.001, "en") == "0.00"  # no minus on a figure that shows as zero
    assert percent(5.5, "en") == "5.5%" and percent(5.5, "ru") == "5,5%"
    assert month_name(month_of(date(2026, 11, 1)), "ru") == "ноябрь 2026"
    assert day(date(2026, 11, 23), "ru") == "23.11.2026" and day(date(2026, 11, 23), "en") == "2026-11-23"


def test_formula_text_uses_the_language_s_separators_and_plurals() -> None:
    line = Figures(base=1110000.0, rate=7.0, amount=77700.0, count=1, month=month_of(date(2026, 6, 1)))
    assert percent_of_base(line, "en") == "7% × 1,110,000.00 = 77,700.00"
    assert percent_of_base(line, "ru") == "7% × 1 110 000,00 = 77 700,00"
    several = line._replace(rate=float("nan"), count=3)
    assert percent_of_base(several, "ru") == "Σ ставка × база по 3 строкам = 77 700,00"
    assert percent_of_base(several._replace(count=1), "en") == "Σ rate × base over 1 item = 77,700.00"
    assert deal_count_reached(line._replace(base=1.0, amount=10000.0), "en") == "1 deal → 10,000.00"
    assert deal_count_reached(line._replace(base=3.0, amount=10000.0), "ru") == "3 сделки → 10 000,00"
    assert fixed_sums(line._replace(count=1, amount=2000.0), "ru") == "1 фикс. сумма = 2 000,00"
    assert fixed_sums(line._replace(count=5, amount=2000.0), "en") == "5 fixed sums = 2,000.00"
