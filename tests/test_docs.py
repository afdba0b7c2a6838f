"""The README stays true: every package is drawn in its Layout, every component is in its table."""

from __future__ import annotations

from pathlib import Path

from formulas.funnel.settings import SETTINGS
from formulas.pay.components import COMPONENTS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The README text from a ``## title`` heading to the next ``## `` heading."""
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def test_every_package_is_in_the_layout_section() -> None:
    layout = section("Layout")
    packages = sorted(str(init.parent.relative_to(ROOT)) for init in ROOT.glob("*/**/__init__.py")
                      if not {".venv", "tests", "node_modules", "mutants"} & set(init.parts))
    assert packages, "no packages found"
    missing = [package for package in packages if f"{package}/" not in layout
               and f"`{package.rsplit('/', 1)[-1]}/`" not in layout]
    assert missing == [], f"README's Layout does not show {missing}"


def test_every_component_and_setting_is_documented() -> None:
    for key in [component.key for component in COMPONENTS] + [setting.key for setting in SETTINGS]:
        assert f"`{key}`" in README, f"README.md does not document `{key}`"


def test_the_vocabulary_table_is_the_codes() -> None:
    from entrypoints.vocabulary import table

    assert table() in README, "README's vocabulary is out of date: run `python -m entrypoints.vocabulary --write`"


def test_the_vocabulary_has_every_tab_column_role_status_source_stage_and_result_header() -> None:
    from entrypoints.vocabulary import rows
    from formulas.contract import ALL_INPUT_TABS, ROLE_ALIASES, SOURCE_ALIASES, STAGE_ALIASES, STATUS_ALIASES, norm
    from formulas.text import en, ru

    pairs = {(english, russian) for _, english, russian in rows()}
    for spec in ALL_INPUT_TABS:
        assert (spec.en, spec.ru) in pairs and all((c.en, c.ru) in pairs for c in spec.columns)
    titles = [key for key in en.TEXT if key.startswith(("title.", "header."))]
    assert titles and all((en.TEXT[key], ru.TEXT[key]) in pairs for key in titles)
    russian = {r for _, r in pairs}
    for aliases in (ROLE_ALIASES, STATUS_ALIASES, SOURCE_ALIASES):  # every value has its Russian word listed
        assert all(any(aliases.get(norm(r)) == value for r in russian) for value in set(aliases.values()))
    assert {STAGE_ALIASES[norm(r)] for r in russian if norm(r) in STAGE_ALIASES} >= set(range(8))
