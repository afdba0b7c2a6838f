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
