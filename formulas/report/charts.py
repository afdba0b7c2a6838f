"""The two charts on `Summary` (PRODUCT.md section 5): plan vs fact per manager, and the team funnel.

The funnel chart needs its numbers on the same tab, so a small "stage / in work / reached" block is
appended below the bonus pool row and the chart reads from it. Both charts go below everything else,
one under the other at the left edge, so the tab prints as one landscape page wide.
"""

from __future__ import annotations

from dataclasses import replace

from formulas.contract import STAGE_NAMES_EN, STAGE_NAMES_RU
from formulas.funnel.metrics import FunnelResult
from formulas.report.model import CHART_ROWS, Chart, ResultTab
from formulas.text import say

COUNT = "0"  # the block's numbers are head counts; the money format of their columns would add ".00"
def add_summary_charts(tab: ResultTab, funnel: FunnelResult, lang: str, managers: int) -> None:
    """Append the funnel block to the Summary rows and add both charts below it, one under the other.

    ``managers`` is how many managers have a plan: the plan-vs-fact chart shows them only.
    """
    header_row = _add_funnel_block(tab, funnel, lang)
    anchor_row = len(tab.rows) + tab.first_row + 1  # one empty row below the block's last sheet row
    if managers:  # the managers with a plan, whose rows come first (summary.planned_first)
        first = tab.first_row
        tab.charts.append(Chart(say("chart.plan_fact", lang), "column", (first, first + managers - 1), category_col=0,
                                value_cols=(2, 3), anchor=(anchor_row, 0)))
        anchor_row += CHART_ROWS
    tab.charts.append(Chart(say("chart.funnel", lang), "bar", (header_row + 1, header_row + 7), category_col=0,
                            value_cols=(1, 2), anchor=(anchor_row, 0)))


def _add_funnel_block(tab: ResultTab, funnel: FunnelResult, lang: str) -> int:
    """Append an empty row and the block (header + stages 1-7); return the sheet row of its header.

    The block's counts sit in the Role and Plan columns, so they carry a whole-number format of their
    own, and the first column is widened to its stage labels.
    """
    names = STAGE_NAMES_RU if lang == "ru" else STAGE_NAMES_EN
    tab.rows.append([])
    header_row = len(tab.rows) + tab.first_row  # sheet row of the block's header
    tab.rows.append([say("chart.stage", lang), say("chart.in_work", lang), say("chart.reached", lang)])
    team = funnel.team.set_index("stage")
    labels = [f"{stage}. {names[stage - 1]}" for stage in range(1, 8)]
    for stage, label in enumerate(labels, start=1):
        in_work = int(team.loc[stage, "in_work"]) if stage in team.index else 0
        reached = int(team.loc[stage, "reached"]) if stage in team.index else 0
        tab.rows.append([label, in_work, reached])
        tab.cell_formats.update({(header_row + stage, 1): COUNT, (header_row + stage, 2): COUNT})
    first = tab.columns[0]
    tab.columns[0] = replace(first, width=max(first.width, *(len(label) + 2 for label in labels)))
    return header_row
