"""The `What-if` / `Что если` result tab (PRODUCT.md section 3c), laid out block under block.

A title line (period, when computed, the Scenario's version); the header of the first block; one row per
month and manager; then per manager over the period; per component for the team; the cost of the plan
under both schemes; who gains and who loses most; and the Scenario's own input issues, if any. Gains are
green and losses red in the Difference columns.
"""

from __future__ import annotations

from formulas.issues import render_issue
from formulas.months import month_label
from formulas.pay.components import STATEMENT_ORDER
from formulas.report.model import GREEN, RED, CellValue, ColumnSpec, Highlight, ResultTab, RowKey
from formulas.text import say
from formulas.whatif.compare import WhatIf, side_by_side, signed_kopecks, variable_pay

MONEY = "#,##0.00"
PERCENT = "0.0%"
LEADERS = 3  # gainers and losers listed
HALF_KOPECK = 0.005  # a difference of at least one kopeck either way is coloured


def whatif_tab(result: WhatIf, computed_at: str) -> ResultTab:
    """The What-if tab of ``result``; ``computed_at`` is the wall-clock time the caller ran it (the core
    reads no clock)."""
    lang = result.inputs.lang
    names = result.inputs.manager_names()
    columns = [ColumnSpec(say("header.month", lang), "@", 12, "month"),
               ColumnSpec(say("header.manager", lang), "", 40, "manager"),
               *[ColumnSpec(say(f"whatif.{key}", lang), MONEY, 16, key)
                 for key in ("current", "scenario", "difference")],
               ColumnSpec(say("whatif.difference_pct", lang), PERCENT, 14, "difference_pct")]
    rows: list[list[CellValue]] = []
    keys: list[RowKey | None] = []
    compared: list[int] = []  # indices of rows whose Difference is coloured
    headings: list[int] = []  # indices of block titles and other free lines of text

    def add(label: CellValue, name: CellValue, now: int, then: int, key: RowKey | None = None) -> None:
        compared.append(len(rows))
        keys.append(key)
        difference = then - now
        # the change relative to the current figure's size, so a larger clawback reads as a loss
        rows.append([label, name, now / 100, then / 100, difference / 100, difference / abs(now) if now else None])

    def heading(text: str) -> None:
        """A block's title on a line of its own (the frozen header names the columns)."""
        rows.extend([[], [text]])
        keys.extend([None, None])
        headings.append(len(rows) - 1)

    for (month, manager), item in side_by_side(result, ["month", "manager_key"]).iterrows():
        add(month_label(month), names.get(manager, manager), int(item.current), int(item.scenario),
            RowKey(int(month), manager))
    period = f"{month_label(result.months[0])} – {month_label(result.months[-1])}"
    heading(say("whatif.per_manager", lang, period=period))
    per_manager = side_by_side(result, ["manager_key"])
    for manager, item in per_manager.iterrows():
        add(None, names.get(manager, manager), int(item.current), int(item.scenario), RowKey(None, manager))
    heading(say("whatif.per_component", lang))
    order = {name: index for index, name in enumerate(STATEMENT_ORDER)}
    per_component = side_by_side(result, ["component"])
    for component in sorted(per_component.index, key=lambda name: order.get(name, len(order))):
        item = per_component.loc[component]
        add(None, say(f"component.{component}", lang), int(item.current), int(item.scenario),
            RowKey(None, None, component))
    cost_rows = _cost_block(result, rows, keys, heading, add, lang)
    headings += _leaders(per_manager, names, rows, keys, lang)
    headings += _scenario_issues(result, rows, keys, lang)
    title = say("whatif.title_line", lang, period=period, computed=computed_at, version=result.version,
                scenario=result.inputs.titles["scenario"], rules=result.inputs.titles["rules"])
    tab = ResultTab("whatif", say("title.whatif", lang), columns, rows, keys=keys, protected=True, title_line=title,
                    frozen_rows=2)
    for at in cost_rows:
        for col in (2, 3, 4):
            tab.cell_formats[(at + tab.first_row, col)] = PERCENT
    tab.free_rows.update(at + tab.first_row for at in headings)
    tab.highlights = _colours(tab.title, [at for at in compared if at not in cost_rows], tab.first_row)
    return tab


def _cost_block(result: WhatIf, rows: list[list[CellValue]], keys: list[RowKey | None], heading, add,
                lang: str) -> list[int]:
    """Variable pay, signed amount and their ratio (the cost of the plan) under both; the ratio rows' indices."""
    heading(say("whatif.cost_of_plan", lang))
    now, then = variable_pay(result)
    signed = signed_kopecks(result)
    add(None, say("whatif.variable_pay", lang), now, then)
    add(None, say("whatif.signed", lang), signed, signed)
    keys.append(None)
    ratio_now, ratio_then = (now / signed, then / signed) if signed else (None, None)
    rows.append([None, say("whatif.cost_ratio", lang), ratio_now, ratio_then,
                 ratio_then - ratio_now if signed else None, None])
    return [len(rows) - 1]


def _leaders(per_manager, names: dict[str, str], rows: list[list[CellValue]], keys: list[RowKey | None],
             lang: str) -> list[int]:
    """The managers who gain most and who lose most under the Scenario (at most three each); returns the
    indices of its title lines."""
    titles = []
    difference = (per_manager["scenario"] - per_manager["current"]).sort_values(kind="stable")
    gainers = [(m, d) for m, d in difference[::-1].items() if d > 0][:LEADERS]
    losers = [(m, d) for m, d in difference.items() if d < 0][:LEADERS]
    for key, chosen in (("whatif.gain_most", gainers), ("whatif.lose_most", losers)):
        rows.extend([[], [say(key, lang)]])
        keys.extend([None, None])
        titles.append(len(rows) - 1)
        if not chosen:
            rows.append([None, say("whatif.nobody", lang)])
            keys.append(None)
        for manager, cents in chosen:
            rows.append([None, names.get(manager, manager), None, None, cents / 100, None])
            keys.append(RowKey(None, manager))
    return titles


def _scenario_issues(result: WhatIf, rows: list[list[CellValue]], keys: list[RowKey | None],
                     lang: str) -> list[int]:
    """The Scenario tab's own input issues (its rows with issues played no part in the scenario); returns
    the indices of these lines, which run across the tab."""
    if not result.scenario_issues:
        return []
    rows.extend([[], [say("whatif.scenario_issues", lang, count=len(result.scenario_issues))]])
    keys.extend([None, None])
    for issue in result.scenario_issues:
        rows.append([render_issue(issue)])
        keys.append(None)
    return list(range(len(rows) - len(result.scenario_issues) - 1, len(rows)))


def _colours(title: str, compared: list[int], first_row: int) -> list[Highlight]:
    """Green for a gain, red for a loss, in the Difference cells of compared rows: one pair of rules per
    run of consecutive rows (a block), never one per row."""
    out: list[Highlight] = []
    runs: list[list[int]] = []
    for at in sorted(compared):
        if runs and at == runs[-1][1] + 1:
            runs[-1][1] = at
        else:
            runs.append([at, at])
    for start, end in runs:
        rows = (start + first_row, end + first_row)
        out.append(Highlight(title, rows, (4, 4), "gte", GREEN, (HALF_KOPECK,)))
        out.append(Highlight(title, rows, (4, 4), "lt", RED, (-HALF_KOPECK,)))
    return out
