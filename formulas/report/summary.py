"""The `Summary` and `Leaderboard` result tabs for the report month (PRODUCT.md section 5).

Attainment is written as a fraction with a percent format and highlighted in bands:
< 80 % red, 80–100 % amber, >= 100 % green.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from formulas.pay.components import BASE_SALARY, STATEMENT_ORDER
from formulas.pay.compute import PayResult
from formulas.read.inputs import Inputs
from formulas.report.model import AMBER, GREEN, RED, CellValue, ColumnSpec, Highlight, ResultTab, RowKey
from formulas.text import say
from formulas.text.numbers import day, month_name

MONEY = "#,##0"  # whole roubles at a glance; Statements keeps the kopecks
PAY_COLUMNS = STATEMENT_ORDER


@dataclass
class Extras:
    """Per-manager figures other parts add to the Summary: forecast and signal counts."""

    forecast: dict[str, float] = field(default_factory=dict)
    signals: dict[str, int] = field(default_factory=dict)
    state: str = "open"  # the report month's state: open, closed or paid (PRODUCT.md section 3a)


def summary_frame(inputs: Inputs, pay: PayResult, lines: pd.DataFrame, month: int) -> pd.DataFrame:
    """One row per manager employed or paid in the month: plan, fact, attainment, lines, total.

    ``lines`` are the statement lines as shown (a closed month's frozen lines, adjustments included).
    """
    lines = lines[lines["month"] == month]
    by_component = lines.pivot_table(index="manager_key", columns="component", values="amount",
                                     aggfunc="sum", fill_value=0.0)
    facts = pay.context.facts
    facts = facts[facts["month"] == month].set_index("manager_key")
    managers = sorted(set(lines["manager_key"]) | set(facts.index))
    frame = pd.DataFrame(index=pd.Index(managers, name="manager_key"))
    frame["role"] = [pay.context.book.role_of(m, month) or "" for m in managers]
    frame["plan"] = facts["plan_amount"].reindex(managers)
    frame["fact"] = facts["fact"].reindex(managers).fillna(0.0)
    frame["deals"] = facts["deals"].reindex(managers).fillna(0.0)  # Σ shares: 0.5 for half a deal
    frame["attainment"] = (frame["fact"] / frame["plan"]).where(frame["plan"] > 0)
    for component in PAY_COLUMNS:
        frame[component] = by_component[component].reindex(managers).fillna(0.0) \
            if component in by_component else 0.0
    cents = np.rint(lines.groupby("manager_key")["amount"].sum().reindex(managers).fillna(0.0) * 100)
    frame["total"] = cents / 100.0
    return frame


def summary_tab(inputs: Inputs, frame: pd.DataFrame, extras: Extras, month: int) -> ResultTab:
    """The owner's one-screen view of the report month, with a team row and the bonus pool.

    A title line says which month it shows, as of when and whether the month is open, closed or paid.
    Managers with a plan come first (the plan-vs-fact chart reads their rows only). Components are headed
    by their readable names; those that pay nobody this month stay in the tab, hidden at its right end.
    Money shows whole roubles: the exact kopecks are in Statements.
    """
    lang = inputs.lang
    names = inputs.manager_names()
    paying = [c for c in PAY_COLUMNS[1:] if frame[c].ne(0).any()]
    idle = [c for c in PAY_COLUMNS[1:] if c not in paying]
    order = planned_first(frame)
    rows: list[list[CellValue]] = []
    keys: list[RowKey | None] = []
    for key, item in frame.loc[order].iterrows():
        keys.append(RowKey(month, key))
        rows.append([names.get(key, key), say(f"role.{item.role}", lang) if item.role else None,
                     _opt(item.plan), float(item.fact), _opt(item.attainment), deal_count(item.deals),
                     float(item.base_salary), *[float(item[c]) for c in paying], float(item.total),
                     _opt(extras.forecast.get(key)), int(extras.signals.get(key, 0)),
                     *[float(item[c]) for c in idle]])
    plan_total = frame["plan"].sum(min_count=1)
    rows.append([say("header.team", lang), None, _opt(plan_total), float(frame["fact"].sum()),
                 _opt(frame["fact"].sum() / plan_total if plan_total and plan_total > 0 else None),
                 deal_count(frame["deals"].sum()), _cents_sum(frame["base_salary"]),
                 *[_cents_sum(frame[c]) for c in paying], _cents_sum(frame["total"]),
                 _opt(sum(extras.forecast.values()) if extras.forecast else None),
                 int(sum(extras.signals.values())), *[_cents_sum(frame[c]) for c in idle]])
    keys.append(RowKey(month))  # the team row
    columns = [column(say("header.manager", lang), "", 18, "manager"),
               column(say("header.role", lang), "", _role_width(rows), "role"),
               column(say("header.plan", lang), MONEY, key="plan"), column(say("header.fact", lang), MONEY, key="fact"),
               column(say("header.attainment", lang), "0.0%", 11, "attainment"),
               column(say("header.deals", lang), "0" if _whole(frame["deals"]) else "0.0#", 8, "deals"),
               column(say("header.base", lang), MONEY, key=BASE_SALARY),
               *[column(say(f"component.{c}", lang), MONEY, 13, c, wrap=True) for c in paying],
               column(say("header.total", lang), MONEY, key="total"),
               column(say("header.forecast", lang), MONEY, key="forecast"),
               column(say("header.signals", lang), "0", 9, "signals"),
               *[replace(column(say(f"component.{c}", lang), MONEY, 13, c, wrap=True), hidden=True) for c in idle]]
    title_line = say("summary.title_line", lang, month=month_name(month, lang), as_of=day(inputs.as_of, lang),
                     state=say(f"state.{extras.state}", lang))
    tab = ResultTab("summary", say("title.summary", lang), columns, rows, keys=keys, title_line=title_line,
                    frozen_rows=2, one_page=True)
    _add_definitions(tab, inputs, frame, month, idle)
    tab.highlights = attainment_bands(tab.title, tab.column("attainment"), len(frame) + tab.first_row,
                                      tab.first_row)
    return tab


def _role_width(rows: list[list[CellValue]]) -> int:
    """The Role column as wide as its longest role name, one character to spare for the indent."""
    return max([13, *(len(row[1]) + 3 for row in rows if isinstance(row[1], str))])


def planned_first(frame: pd.DataFrame) -> list[str]:
    """Manager keys, those with a plan for the month first, each group in the frame's order."""
    has_plan = frame["plan"].fillna(0) > 0
    return [*frame.index[has_plan], *frame.index[~has_plan]]


def _add_definitions(tab: ResultTab, inputs: Inputs, frame: pd.DataFrame, month: int, idle: list[str]) -> None:
    """The bonus pool row, then one free line per definition (Forecast, bonus pool, hidden components);
    the same definitions ride as notes on the Forecast header and the bonus pool label."""
    lang = inputs.lang
    tab.rows.append([])
    tab.rows.append([say("header.bonus_pool", lang), None, None, None, _bonus_pool(inputs, frame, month)])
    pool_row = len(tab.rows) + tab.first_row - 1
    lines = [say("summary.forecast_note", lang), say("summary.pool_note", lang)]
    if idle:
        lines.append(say("summary.zero_columns_note", lang,
                         names=", ".join(say(f"component.{c}", lang) for c in idle)))
    for line in lines:
        tab.rows.append([line])
        tab.free_rows.add(len(tab.rows) + tab.first_row - 1)
    tab.notes[(tab.header_row, tab.column("forecast"))] = lines[0]
    tab.notes[(pool_row, 0)] = lines[1]


def leaderboard_tab(inputs: Inputs, frame: pd.DataFrame, month: int) -> ResultTab:
    """Managers with a plan for the month, ranked by attainment, then fact, then total pay.

    People without a plan (call centre, post-sale, receivables) have no attainment to rank by, so they
    are not listed: an empty bar or a last place would say nothing about them.
    """
    lang = inputs.lang
    names = inputs.manager_names()
    planned = frame[frame["attainment"].notna()]
    ranked = planned.sort_values(["attainment", "fact", "total"], ascending=False, kind="stable")
    rows: list[list[CellValue]] = [[rank, names.get(key, key), _opt(item.attainment), float(item.fact),
                                    float(item.total)] for rank, (key, item) in enumerate(ranked.iterrows(), start=1)]
    columns = [column(say("header.rank", lang), "0", 7, "rank"), column(say("header.manager", lang), "", 18, "manager"),
               column(say("header.attainment", lang), "0.0%", 11, "attainment"),
               column(say("header.fact", lang), MONEY, key="fact"),
               column(say("header.total_pay", lang), MONEY, key="total")]
    tab = ResultTab("leaderboard", say("title.leaderboard", lang), columns, rows,
                    keys=[RowKey(month, key) for key in ranked.index])
    tab.highlights = attainment_bands(tab.title, tab.column("attainment"), len(rows) + 1)
    return tab


def _whole(counts: pd.Series) -> bool:
    """True when no count carries a share (then counts print as integers)."""
    return bool((counts.astype("float64") % 1 == 0).all())


def deal_count(count: float) -> int | float:
    """A deal count as written: whole counts as integers, a count with shares (2.5) as it is."""
    return int(count) if float(count).is_integer() else round(float(count), 4)


def column(text: str, number_format: str = "", width: int = 14, key: str = "", wrap: bool = False) -> ColumnSpec:
    """A column at least ``width`` characters wide and wide enough for its header (two to spare); with
    ``wrap``, wide enough for the header's longest word, the header wrapping onto more lines."""
    needed = max(map(len, text.split())) + 1 if wrap and text.strip() else len(text)  # + 1: bold is wider
    return ColumnSpec(text, number_format, max(width, needed + 2), key)


def attainment_bands(tab: str, col: int, last_row: int, first_row: int = 2) -> list[Highlight]:
    """Red below 80 %, amber from 80 % to below 100 %, green from 100 % (attainment as a fraction)."""
    if last_row < first_row:
        return []
    block = {"tab": tab, "rows": (first_row, last_row), "cols": (col, col)}
    return [Highlight(**block, when="lt", color=RED, values=(0.8,)),
            Highlight(**block, when="between", color=AMBER, values=(0.8, 1.0)),
            Highlight(**block, when="gte", color=GREEN, values=(1.0,))]


def _bonus_pool(inputs: Inputs, frame: pd.DataFrame, month: int) -> float | None:
    """Variable pay of the month as a share of the first-month margin of deals signed in it."""
    deals = inputs.deals[(inputs.deals["month"] == month) & ~(inputs.deals["cancel_month"] == month)]
    margin = deals["margin"].clip(lower=0).sum()
    variable = float((frame["total"] - frame["base_salary"]).sum())
    return variable / margin if margin > 0 else None


def _cents_sum(values: pd.Series) -> float:
    """A money total summed in kopecks, so it equals the sum of the shown lines exactly."""
    return float(np.rint(values * 100).sum() / 100.0)


def _opt(value: object) -> float | None:
    """A number, or an empty cell for None/NaN."""
    if value is None or pd.isna(value):
        return None
    return float(value)
