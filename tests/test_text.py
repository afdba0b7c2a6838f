"""The user-visible text tables (formulas/text): one per language, the same keys and placeholders."""

from __future__ import annotations

import re
import string

import pytest

from formulas.text import LANGUAGES, TABLES, every, say

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    english = TABLES["en"]
    for lang in LANGUAGES:
        table = TABLES[lang]
        assert set(table) == set(english), (lang, set(table) ^ set(english))
        for key, text in table.items():
            assert text.strip(), (lang, key)
            assert placeholders(text) == placeholders(english[key]), (lang, key)


def test_russian_text_is_russian_and_english_text_is_not() -> None:
    # Identifiers users type (components, settings, P75) may stay Latin inside Russian text.
    latin_only = [key for key, text in TABLES["ru"].items() if not CYRILLIC.search(text)]
    assert all(key.startswith(("what.", "funnel.col.p75")) or "p75" in TABLES["ru"][key].lower()
               for key in latin_only), latin_only
    # English may quote a Russian example of what users type ("март 2026") or the Russian tab names, nothing else.
    assert [key for key, text in TABLES["en"].items() if CYRILLIC.search(text)] == ["issue.implausible_month",
                                                                                    "issue.no_input_tabs"]


def test_say_fills_placeholders_and_falls_back_to_english() -> None:
    assert say("issue.future_date", "ru", as_of="2026-03-31") == "позже даты расчёта 2026-03-31"
    assert say("issue.future_date", "de", as_of="2026-03-31") == "is after the as-of date 2026-03-31"
    assert every("title.summary") == ("Summary", "Сводка")


def test_an_unknown_key_is_a_bug_not_a_silent_blank() -> None:
    with pytest.raises(KeyError):
        say("no.such.key", "en")
