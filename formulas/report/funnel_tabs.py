"""The `Funnel report` and `Signals` result tabs (PRODUCT.md section 5), and a terminal rendering.

Builders turn a :class:`formulas.funnel.metrics.FunnelResult` and the signals frame into backend-neutral
:class:`formulas.report.model.ResultTab` objects: typed cells, number formats, links to input rows and
"always" highlights on the rows that need attention.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from formulas.contract import STAGE_NAMES_EN, STAGE_NAMES_RU, TAB_BY_KEY
from formulas.funnel.metrics import FunnelResult
from formulas.funnel.signals import SEVERITY
from formulas.months import month_label
from formulas.report.model import AMBER, RED, CellValue, ColumnSpec, Highlight, Link, ResultTab
from formulas.text import say

# (frame column, number format) in PRODUCT.md's order, then extras; headers are text keys "funnel.col.<column>".
_FUNNEL_COLUMNS = (
    ("manager", ""), ("stage", "0"), ("in_work", "0"), ("reached", "0"), ("conversion", "0.0%"),
    ("median_days", "0.0"), ("p75_days", "0.0"), ("stuck", "0"), ("idle", "0"), ("moved_today", "0"),
    ("moved_7d", "0"), ("cumulative", "0.0%"),
)
SEVERITY_COLORS = {"high": RED, "medium": AMBER}  # low: no colour
MAX_REASON_WIDTH = 28  # characters of the Stage column given to lost reasons; longer reasons wrap
# (column, number format, width); headers are text keys "signals.col.<column>".
_SIGNAL_COLUMNS = (("date", "yyyy-mm-dd", 12), ("manager", "", 16), ("signal", "", 20), ("details", "", 90),
                   ("link", "", 14))


def _cell(value: object) -> CellValue:
    """A frame value as a cell: NaN becomes an empty cell, numpy scalars plain numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _name(names: dict[str, str], key: str) -> str:
    """A manager's display name, the key itself when the name is unknown."""
    return names.get(key, key)


def _title(titles: dict[str, str], key: str, lang: str) -> str:
    """The title of an input tab as the user wrote it, else the contract's title in ``lang``."""
    return titles.get(key) or TAB_BY_KEY[key].title(lang)


def _stage_rows(result: FunnelResult, names: dict[str, str], lang: str) -> list[list[CellValue]]:
    """One row per manager (by name) and stage 1–7, then one `Team` row per stage."""
    keys = [column for column, *_ in _FUNNEL_COLUMNS[1:]]
    managers = sorted(result.managers["manager_key"].unique(), key=lambda k: _name(names, k).casefold())
    by_manager = dict(tuple(result.managers.groupby("manager_key")))
    blocks = [*((_name(names, m), by_manager[m]) for m in managers), (say("funnel.team", lang), result.team)]
    rows = []
    for label, frame in blocks:
        for record in frame[keys].itertuples(index=False):
            rows.append([label, *(_cell(value) for value in record)])
    return rows


def _lost_rows(frame: pd.DataFrame, what: str, names: dict[str, str], lang: str) -> list[list[CellValue]]:
    """A lost-clients block (``what`` = "reason" or "month"): title, sub-header, managers, `Team`."""

    def label(value: object) -> str:
        return month_label(int(value)) if what == "month" else str(value) or say("funnel.no_reason", lang)

    rows: list[list[CellValue]] = [[say(f"funnel.by_{what}", lang)],
                                   [say("funnel.manager", lang), say(f"funnel.{what}", lang),
                                    say("funnel.clients", lang)]]
    named = frame.assign(_name=frame["manager_key"].map(lambda k: _name(names, k).casefold()))
    named = named.sort_values(["_name", what])
    rows += [[_name(names, manager), label(value), int(count)] for manager, value, count in
             zip(named["manager_key"], named[what], named["clients"], strict=True)]
    team = frame.groupby(what)["clients"].sum()
    rows += [[say("funnel.team", lang), label(value), int(count)] for value, count in team.items()]
    return rows


def funnel_report_tab(result: FunnelResult, names: dict[str, str], lang: str,
                      titles: dict[str, str]) -> ResultTab:
    """The `Funnel report` tab (PRODUCT.md section 4): manager × stage rows, `Team` rows, then lost
    clients by reason and by month.

    The stuck and idle clients themselves are `Signals` rows (``stuck_client``, ``idle_client``), linked
    to each client's latest funnel row; here they are counted per stage. ``names`` maps manager keys to
    display names; ``titles`` maps input tab keys to their titles.
    """
    title = say("funnel.funnel", lang)
    rows = _stage_rows(result, names, lang)
    for block in (_lost_rows(result.lost_by_reason, "reason", names, lang),
                  _lost_rows(result.lost_by_month, "month", names, lang)):
        rows += [[], *block]
    # The lost blocks put reasons in the Stage column: wide enough for most of them, longer ones wrap.
    reasons = max((len(row[1]) for row in rows if len(row) > 1 and isinstance(row[1], str)), default=0)
    widths = {"manager": 18, "stage": max(12, min(MAX_REASON_WIDTH, reasons + 2))}
    # A header wraps at its spaces; its longest word and a few characters to spare keep a bold, right-aligned
    # header off the header beside it.
    columns = [ColumnSpec(header, fmt, max(widths.get(key, 12), max(map(len, header.split())) + 5), key)
               for key, fmt in _FUNNEL_COLUMNS for header in [say(f"funnel.col.{key}", lang)]]
    notes = {(1, 4): say("funnel.conversion_note", lang), (1, 7): say("funnel.stuck_note", lang)}
    # The lost blocks' titles are lines of their own: they run across the empty cells to their right.
    titles = {say("funnel.by_reason", lang), say("funnel.by_month", lang)}
    free = {row for row, values in enumerate(rows, start=2) if len(values) == 1 and values[0] in titles}
    return ResultTab("funnel_report", title, columns, rows, notes=notes, free_rows=free)


def signals_tab(signals: pd.DataFrame, names: dict[str, str], lang: str, titles: dict[str, str]) -> ResultTab:
    """The `Signals` tab: Date, Manager, Signal, Details, Link to the source row; every row highlighted."""
    title = say("funnel.signals", lang)
    columns = [ColumnSpec(say(f"signals.col.{key}", lang), fmt, width) for key, fmt, width in _SIGNAL_COLUMNS]
    tabs = {key: _title(titles, key, lang) for key in signals["source_tab"].unique()}
    shown = {key: _name(names, key) for key in signals["manager_key"].unique()}
    # columns as lists first: stepping through a pandas text or date column cell by cell is ten times slower
    days = pd.to_datetime(signals["date"]).dt.date.tolist()
    rows: list[list[CellValue]] = [
        [day, manager, signal, details, Link(f"{tab}!{row}", tab, int(row), 0)]
        for day, manager, signal, details, tab, row in zip(
            days, signals["manager_key"].map(shown).tolist(), signals["signal"].tolist(),
            signals["details"].tolist(), signals["source_tab"].map(tabs).tolist(), signals["source_row"].tolist(),
            strict=True)]
    notes = {(1, 2): say("signals.severity_note", lang)}
    return ResultTab("signals", title, columns, rows, notes=notes,
                     highlights=severity_highlights(title, list(signals["signal"]), len(columns)))


def severity_highlights(title: str, kinds: list[str], width: int) -> list[Highlight]:
    """Signal rows coloured by severity (PRODUCT.md section 5, conditional highlights): red for the rare
    high ones, amber for medium, none for the many low ones, so the rare rows stand out. One highlight
    per run of rows of one colour."""
    out: list[Highlight] = []
    for row, kind in enumerate(kinds, start=2):
        color = SEVERITY_COLORS.get(SEVERITY.get(kind, "medium"))
        if color is None:
            continue
        last = out[-1] if out else None
        if last is not None and last.color == color and last.rows[1] == row - 1:
            out[-1] = Highlight(title, (last.rows[0], row), last.cols, "always", color)
        else:
            out.append(Highlight(title, (row, row), (0, width - 1), "always", color))
    return out


def _format(value: CellValue, percent: bool, lang: str) -> str:
    """A cell as terminal text: blanks empty, rates as percentages, numbers without noise."""
    if value is None:
        return ""
    if isinstance(value, Link):
        return value.text
    if percent:
        text = f"{100 * float(value):.1f} %"
    elif isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        return str(value)
    return text.replace(".", ",") if lang == "ru" else text  # Russian writes a decimal comma


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Rows aligned under their headers; numbers (and blanks) right-aligned, text left-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    numeric = [all(_is_number(r[i]) for r in rows) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        aligned = (c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True))
        return "  ".join(aligned)

    return [line(headers), "  ".join("-" * w for w in widths), *(line(r).rstrip() for r in rows)]


def _is_number(text: str) -> bool:
    """True for text that shows a number, a percentage or nothing."""
    return not text or re.fullmatch(r"-?\d+([.,]\d+)?( %)?", text) is not None


def render_funnel_text(result: FunnelResult, names: dict[str, str], lang: str) -> str:
    """The team funnel and the stuck and idle lists as aligned plain text for a terminal."""
    stage_names = STAGE_NAMES_RU if lang == "ru" else STAGE_NAMES_EN
    keys = [key for key, *_ in _FUNNEL_COLUMNS[2:]]
    headers = [say("funnel.stage", lang), say("funnel.name", lang),
               *(say(f"funnel.col.{key}", lang) for key, _ in _FUNNEL_COLUMNS[2:])]
    rows = [[str(record.stage), stage_names[record.stage - 1],
             *(_format(_cell(getattr(record, k)), k in ("conversion", "cumulative"), lang) for k in keys)]
            for record in result.team.itertuples()]
    lines = [f"{say('funnel.funnel', lang)} — {say('funnel.team', lang)}, {result.as_of.isoformat()}", "",
             *_table(headers, rows)]
    for what, frame in (("stuck", result.stuck), ("idle", result.idle)):
        listed = [[client.client, _name(names, client.manager_key), str(client.stage), str(client.days),
                   _format(_cell(client.limit), False, lang)] for client in frame.itertuples()]
        lines += ["", f"{say(f'funnel.{what}', lang)}: {len(listed)}"]
        if listed:
            lines += _table([say(f"funnel.{k}", lang) for k in ("client", "manager", "stage", "days", "limit")], listed)
    return "\n".join(lines) + "\n"
