"""From raw tabs to validated input tables (PRODUCT.md section 2 and the precise rules of section 3).

Each tab is parsed column by column (:mod:`formulas.read.columns`), then the cross-row checks run:
duplicates (the first wins), unknown managers and deals, future dates, cancellations, rule targets.
Every problem is one issue and its row is left out; nothing here raises on user data.
"""

from __future__ import annotations

from datetime import date
from difflib import SequenceMatcher, get_close_matches

import pandas as pd

from formulas.contract import ROLES, TAB_BY_KEY, norm
from formulas.issues import Issue
from formulas.raw import RawWorkbook
from formulas.read.checks import (
    Managers,
    check_deals,
    check_funnel,
    check_payments,
    check_plans,
    check_rules,
    check_team,
)
from formulas.read.columns import TabCheck
from formulas.read.inputs import Closure, Inputs
from formulas.read.splits import check_splits
from formulas.read.tabs import FoundTab, _empty_frame, find_tabs, input_tab_spec
from formulas.report.model import RESULT_KEYS
from formulas.text import every, say


def validate(workbook: RawWorkbook, as_of: date, closure: Closure | None = None, scenario: bool = False) -> Inputs:
    """Parse and check every input tab; return the clean tables plus every issue found.

    With a ``closure``, pay rules newly dated into a closed month are issues, and managers who have
    frozen lines stay known after leaving the Team tab (PRODUCT.md section 3a). With ``scenario`` the
    optional Scenario tab is read too, checked like Rules, its issues kept apart (PRODUCT.md section 3c).
    """
    closure = closure or Closure()
    found, lang, issues = find_tabs(workbook)
    issues.extend(missing_tab_issues(found, workbook.every_title(), lang))
    keys = [key for key in TAB_BY_KEY if key != "scenario"]
    checks = {key: TabCheck(found.get(key) or _absent(key, lang), lang) for key in keys}
    stamp = pd.Timestamp(as_of)
    team, troubled = check_team(checks["team"])
    managers = Managers(set(team["manager_key"]) | set(closure.managers), troubled)
    plans = check_plans(checks["plans"], managers)
    deals, bad_deals = check_deals(checks["deals"], managers, stamp)
    payments = check_payments(checks["payments"], deals, bad_deals, managers, stamp, checks["deals"].tab.title,
                              "deals" not in found or found["deals"].raw is not None)
    funnel = check_funnel(checks["funnel"], managers, stamp)
    splits = check_splits(checks["splits"], deals, bad_deals, managers, checks["deals"].tab.title, _names(team))
    targets = Managers(managers | set(ROLES) | {"*"}, managers.troubled)
    rules = check_rules(checks["rules"], targets, closure)
    for key in keys:
        issues.extend(checks[key].issues)
    titles = {key: tab.title for key, tab in found.items()}
    for key, spec in TAB_BY_KEY.items():
        titles.setdefault(key, spec.title(lang))
    inputs = Inputs(
        as_of=as_of, lang=lang, team=team, plans=plans, deals=deals, payments=payments, funnel=funnel,
        rules=rules, splits=splits, issues=sorted(issues, key=_issue_order),
        titles=titles, columns={key: dict(tab.columns) for key, tab in found.items()},
    )
    if scenario and "scenario" in found:  # a what-if compares it with Rules, month close aside
        check = TabCheck(found["scenario"], lang)
        inputs.scenario = check_rules(check, targets)
        inputs.scenario_issues = sorted(check.issues, key=_issue_order)
    return inputs


def _names(team: pd.DataFrame) -> dict[str, str]:
    """manager_key -> the name as first typed in `Team` (for messages naming a deal's manager)."""
    first = team.drop_duplicates("manager_key")
    return dict(zip(first["manager_key"], first["manager"], strict=True))


def missing_tab_issues(found: dict[str, FoundTab], titles: list[str], lang: str) -> list[Issue]:
    """One issue per input tab the workbook lacks: what is left out, and the closest tab name if any.

    PRODUCT.md section 3 "Missing tabs": a misspelled `Payment` is named so the user can rename it.
    """
    # Result tabs come and go with runs: a suggestion must not depend on whether Premia ran before.
    results = {norm(name) for key in RESULT_KEYS for name in every(f"title.{key}")}
    others = [title for title in titles if input_tab_spec(title) is None and norm(title) not in results]
    issues = []
    for key, spec in TAB_BY_KEY.items():
        if key in found or spec.optional:
            continue
        title = spec.title(lang)
        message = say("issue.missing_tab", lang, title=title, without=say(f"issue.without_{key}", lang))
        closest = _closest(others, (spec.en, spec.ru))
        if closest is not None:
            message += say("issue.closest_tab", lang, closest=closest[0], title=closest[1])
        issues.append(Issue(title, 0, "", "", message))
    return issues


def _closest(titles: list[str], names: tuple[str, ...]) -> tuple[str, str] | None:
    """(a title, the name it resembles) when a title is close enough to one of ``names`` to be a typo."""
    keys = {norm(title): title for title in titles}
    best: tuple[float, str, str] | None = None
    for name in names:
        for match in get_close_matches(norm(name), list(keys), n=1, cutoff=0.6):
            score = SequenceMatcher(None, norm(name), match).ratio()
            if best is None or score > best[0]:
                best = (score, keys[match], name)
    return (best[1], best[2]) if best else None


def _absent(key: str, lang: str) -> FoundTab:
    """An empty stand-in for a tab the workbook does not have (optional tabs may be missing)."""
    spec = TAB_BY_KEY[key]
    return FoundTab(spec, spec.title(lang), {}, {}, _empty_frame(spec))


def _issue_order(issue: Issue) -> tuple[int, int, int]:
    """Issues sorted as a person reads the workbook: by tab (contract order), then row, then column."""
    order = [TAB_BY_KEY[key].en for key in TAB_BY_KEY] + [TAB_BY_KEY[key].ru for key in TAB_BY_KEY]
    tab = next((i % len(TAB_BY_KEY) for i, title in enumerate(order) if norm(title) == norm(issue.tab)), 99)
    return (tab, issue.row, issue.column_index)
