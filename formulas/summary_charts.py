"""The two charts on `Summary` (PRODUCT.md section 5): plan vs fact per manager, and the team funnel.

The funnel chart needs its numbers on the same tab, so a small "stage / in work / reached" block is
appended below the bonus pool row and the chart reads from it.
"""

from __future__ import annotations

from formulas.contract import STAGE_NAMES_EN, STAGE_NAMES_RU
from formulas.funnel import FunnelResult
from formulas.model import Chart, ResultTab

_TITLES = {"plan_fact": ("Plan vs fact", "План и факт"), "funnel": ("Team funnel", "Воронка команды"),
           "stage": ("Stage", "Этап"), "in_work": ("In work", "В работе"), "reached": ("Reached", "Дошли")}


def _say(key: str, lang: str) -> str:
    """A chart label in ``lang``."""
    return _TITLES[key][1 if lang == "ru" else 0]


def add_summary_charts(tab: ResultTab, funnel: FunnelResult, lang: str, managers: int) -> None:
    """Append the funnel block to the Summary rows and add both charts, anchored right of the table."""
    anchor_col = len(tab.columns) + 1
    if managers:
        tab.charts.append(Chart(_say("plan_fact", lang), "column", (2, managers + 1), category_col=0,
                                value_cols=(2, 3), anchor=(1, anchor_col)))
    names = STAGE_NAMES_RU if lang == "ru" else STAGE_NAMES_EN
    tab.rows.append([])
    header_row = len(tab.rows) + 2  # sheet row of the block's header (row 1 is the tab header)
    tab.rows.append([_say("stage", lang), _say("in_work", lang), _say("reached", lang)])
    team = funnel.team.set_index("stage")
    for stage in range(1, 8):
        in_work = int(team.loc[stage, "in_work"]) if stage in team.index else 0
        reached = int(team.loc[stage, "reached"]) if stage in team.index else 0
        tab.rows.append([f"{stage}. {names[stage - 1]}", in_work, reached])
    tab.charts.append(Chart(_say("funnel", lang), "bar", (header_row + 1, header_row + 7), category_col=0,
                            value_cols=(1, 2), anchor=(22, anchor_col)))
