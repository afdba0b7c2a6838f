"""User-visible text: one table per language (:mod:`.en`, :mod:`.ru`) and one lookup, :func:`say`.

Adding a language is one file with the same keys (a test checks that every table has every key and the
same ``{placeholders}``) and one line in :data:`TABLES`. Any language Premia does not know reads English.
"""

from __future__ import annotations

from formulas.text import en, ru

TABLES: dict[str, dict[str, str]] = {"en": en.TEXT, "ru": ru.TEXT}
LANGUAGES: tuple[str, ...] = tuple(TABLES)


def say(key: str, lang: str, **params: object) -> str:
    """The text ``key`` in ``lang`` (English for an unknown language), its ``{placeholders}`` filled in.

    An unknown key raises KeyError: asking for text that does not exist is a bug, not a user problem.
    """
    text = TABLES.get(lang, en.TEXT)[key]
    return text.format(**params) if params else text


def every(key: str) -> tuple[str, ...]:
    """The text ``key`` in every language (e.g. every title a result tab may have)."""
    return tuple(table[key] for table in TABLES.values())
