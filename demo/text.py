"""Bilingual vocabulary and cell styles of the demo workbook (see :mod:`demo.workbook`).

The demo generator writes every translatable cell as a :class:`Bi` (English and Russian text); the
renderer picks one side, so the English and Russian workbooks hold the same data. Enum words come
from the contract's own alias tables (PRODUCT.md section 2), so a translation can never drift from
what the parser accepts. Cell-style helpers reproduce how people really type (``150 000``,
``₽ 85 000``, ``05.03.2026``), always in a form the contract says is valid.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from formulas.contract import STAGE_NAMES_EN, STAGE_NAMES_RU


@dataclass(frozen=True)
class Bi:
    """A text cell in both languages; the renderer keeps one of them."""

    en: str
    ru: str

    def pick(self, lang: str) -> str:
        """The text in ``lang`` ("en" or "ru")."""
        return self.ru if lang == "ru" else self.en


@dataclass(frozen=True)
class Percent:
    """A cell typed as a percentage: it holds the fraction (0.05) and is shown as 5 %."""

    fraction: float


# Russian enum words, exactly as PRODUCT.md section 2 lists them (tests check them against contract.py).
ROLE_RU = {"sales": "продажи", "call_centre": "колл-центр", "post_sale": "сопровождение",
           "receivables": "дебиторка"}
SOURCE_RU = {"inbound": "входящий", "outbound": "исходящий"}
STATUS_RU = {"active": "действует", "cancelled": "расторгнут", "refunded": "возврат"}
RU_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
             "октябрь", "ноябрь", "декабрь")


def role(name: str) -> Bi:
    """A role enum cell."""
    return Bi(name, ROLE_RU[name])


def source(name: str) -> Bi:
    """A deal source enum cell."""
    return Bi(name, SOURCE_RU[name])


def status(name: str) -> Bi:
    """A deal status enum cell."""
    return Bi(name, STATUS_RU[name])


def stage_name(stage: int) -> Bi:
    """A funnel stage written as its name (0 is `lost`)."""
    if stage == 0:
        return Bi("lost", "отказ")
    return Bi(STAGE_NAMES_EN[stage - 1], STAGE_NAMES_RU[stage - 1])


# What a manager writes in Action for a row at each stage (0 = lost); seed 003's one action per row.
ACTIONS = {
    1: Bi("call to the decision maker", "звонок ЛПР"),
    2: Bi("asked for a price list", "запросил прайс"),
    3: Bi("site measurement booked", "назначен замер"),
    4: Bi("got the specification", "получено ТЗ"),
    5: Bi("estimate sent", "отправлена смета"),
    6: Bi("terms agreed", "согласованы условия"),
    7: Bi("contract signed", "подписан договор"),
    0: Bi("client refused", "клиент отказался"),
}
FOLLOW_UP = Bi("follow-up call", "повторный звонок")

# Lost reasons with weights; "дорого" typed in Russian even in the English sheet, as people do.
LOST_REASONS: tuple[tuple[Bi, int], ...] = (
    (Bi("expensive", "дорого"), 30),
    (Bi("дорого", "дорого"), 8),
    (Bi("chose a competitor", "выбрали конкурента"), 22),
    (Bi("postponed", "отложили"), 20),
    (Bi("no budget", "нет бюджета"), 10),
    (Bi("no answer", "не отвечает"), 10),
)

_SURNAMES = (
    ("Kovalev", "Ковалёв"), ("Zaitseva", "Зайцева"), ("Belov", "Белов"), ("Lebedeva", "Лебедева"),
    ("Novikov", "Новиков"), ("Fedorova", "Фёдорова"), ("Egorov", "Егоров"), ("Pavlova", "Павлова"),
    ("Semenov", "Семёнов"), ("Golubeva", "Голубева"), ("Vinogradov", "Виноградов"),
    ("Bogdanova", "Богданова"), ("Vorobyov", "Воробьёв"), ("Frolova", "Фролова"), ("Gusev", "Гусев"),
    ("Kiseleva", "Киселёва"), ("Makarov", "Макаров"), ("Andreeva", "Андреева"), ("Kozlov", "Козлов"),
    ("Stepanova", "Степанова"), ("Nikolaev", "Николаев"), ("Orekhova", "Орехова"), ("Zakharov", "Захаров"),
    ("Romanova", "Романова"), ("Yakovlev", "Яковлев"), ("Sergeeva", "Сергеева"), ("Baranov", "Баранов"),
    ("Tarasova", "Тарасова"), ("Komarov", "Комаров"), ("Medvedeva", "Медведева"),
)
_INITIALS = (("A", "А"), ("V", "В"), ("G", "Г"), ("D", "Д"), ("E", "Е"), ("I", "И"), ("K", "К"),
             ("M", "М"), ("N", "Н"), ("O", "О"), ("P", "П"), ("S", "С"), ("T", "Т"))
_COMPANIES = (
    ("Teremok LLC", "ООО «Теремок»"), ("Cafe Brusnika", "Кафе «Брусника»"),
    ("Uyut Dental", "Стоматология «Уют»"), ("Severstroy LLC", "ООО «Северстрой»"),
    ("Fitness Atlant", "Фитнес «Атлант»"), ("Bakery Kolos", "Пекарня «Колос»"),
    ("Hotel Volna", "Гостиница «Волна»"), ("Office Park Mir", "Бизнес-центр «Мир»"),
    ("Kindergarten Solnyshko", "Детский сад «Солнышко»"), ("Auto Service Drive", "Автосервис «Драйв»"),
    ("Pharmacy Zdorovie", "Аптека «Здоровье»"), ("Shop Lakomka", "Магазин «Лакомка»"),
)


class ClientNames:
    """Hands out unique, realistic client names: households (``Kovalev A.V.``) and small businesses."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()
        self._companies = list(_COMPANIES)

    def next(self) -> Bi:
        """A client name not handed out before."""
        if self._companies and self._rng.random() < 0.08:
            en, ru = self._companies.pop(0)
            self._used.add(en)
            return Bi(en, ru)
        while True:
            surname = self._rng.choice(_SURNAMES)
            first, middle = self._rng.choice(_INITIALS), self._rng.choice(_INITIALS)
            name = Bi(f"{surname[0]} {first[0]}.{middle[0]}.", f"{surname[1]} {first[1]}.{middle[1]}.")
            if name.en not in self._used:
                self._used.add(name.en)
                return name


def spaced(amount: float) -> str:
    """``150 000`` or ``33 333,33``: thousands grouped by spaces, comma decimals (Russian typing)."""
    whole, cents = divmod(round(abs(amount) * 100), 100)
    text = f"{whole:,}".replace(",", " ")
    if cents:
        text += f",{cents:02d}"
    return "-" + text if amount < 0 else text


def money_cell(amount: float, rng: random.Random) -> float | int | str:
    """An amount as typed: mostly a number, sometimes ``150 000``, ``₽ 85 000`` or ``85000 руб.``."""
    roll = rng.random()
    if roll < 0.06:
        return spaced(amount)
    if roll < 0.09:
        return "₽ " + spaced(amount)
    if roll < 0.11 and float(amount).is_integer():
        return f"{int(amount)} руб."
    return int(amount) if float(amount).is_integer() else amount


def ru_date(day: date) -> str:
    """``05.03.2026``, the Russian way to type a date."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def date_cell(day: date, rng: random.Random) -> date | str:
    """A date as typed: mostly a date cell, sometimes ``05.03.2026`` or ISO text."""
    roll = rng.random()
    if roll < 0.10:
        return ru_date(day)
    if roll < 0.14:
        return day.isoformat()
    return day


def ru_month(day: date) -> str:
    """``март 2026``: a month written in Russian words."""
    return f"{RU_MONTHS[day.month - 1]} {day.year}"
