"""Funnel metrics and the month-end forecast (PRODUCT.md section 4), checked against hand-worked figures."""

from __future__ import annotations

import itertools
import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formulas.contract import norm
from formulas.funnel.forecast import forecast
from formulas.funnel.metrics import FunnelResult, analyse_funnel
from formulas.months import month_of
from formulas.report.funnel_tabs import funnel_report_tab, render_funnel_text

FUNNEL_COLUMNS = ["row", "date", "month", "manager_key", "client", "client_key", "client_code", "stage",
                  "action", "lost_reason"]
DEAL_COLUMNS = ["row", "deal_id", "signed", "month", "manager_key", "client", "client_key", "amount",
                "inbound", "margin", "cancelled_on", "cancel_month"]


def funnel_frame(rows: list[tuple]) -> pd.DataFrame:
    """A validated `funnel` frame from rows ``(date, manager, client, stage[, lost reason])``.

    Sheet rows are numbered from 2 in the order given; stage 0 is `lost`.
    """
    records = []
    for number, (day, manager, client, stage, *reason) in enumerate(rows, start=2):
        when = pd.Timestamp(day)
        records.append({"row": number, "date": when, "month": month_of(when.date()),
                        "manager_key": norm(manager), "client": client, "client_key": norm(client),
                        "stage": stage, "action": "", "lost_reason": reason[0] if reason else ""})
    frame = pd.DataFrame(records, columns=FUNNEL_COLUMNS)
    frame["client_code"] = pd.factorize(frame["client_key"])[0]
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.astype({"row": "int64", "month": "int64", "stage": "int64", "client_code": "int64"})


def deals_frame(rows: list[tuple]) -> pd.DataFrame:
    """A validated `deals` frame from rows ``(deal id, signed, manager, client, amount[, cancelled on])``."""
    records = []
    for number, (deal_id, signed, manager, client, amount, *cancel) in enumerate(rows, start=2):
        signed_on = pd.Timestamp(signed)
        cancelled = pd.Timestamp(cancel[0]) if cancel else pd.NaT
        records.append({"row": number, "deal_id": deal_id, "signed": signed_on,
                        "month": month_of(signed_on.date()), "manager_key": norm(manager),
                        "client": client, "client_key": norm(client), "amount": float(amount),
                        "inbound": False, "margin": math.nan, "cancelled_on": cancelled,
                        "cancel_month": float(month_of(cancelled.date())) if cancel else math.nan})
    frame = pd.DataFrame(records, columns=DEAL_COLUMNS)
    frame["signed"] = pd.to_datetime(frame["signed"])
    frame["cancelled_on"] = pd.to_datetime(frame["cancelled_on"])
    return frame.astype({"row": "int64", "month": "int64", "cancel_month": "float64"})


# ---------------------------------------------------------------------------------------------
# The ten-client example. As of 2026-03-20 (a row dated 2026-03-25 must be ignored).
#
# client  manager  rows (date: stage)                                  highest  now      entered
# A       Anna     03-01:1 03-03:2 03-06:3 03-10:5 (skips 4) [03-25:6]  5        5        03-10
# B       Anna     03-01:1 03-05:3 (skips 2) 03-09:3 03-12:4 03-15:7    7        7 signed 03-15
# C       Anna     03-02:1 03-04:2 03-08:lost "price"                   2        lost     03-08
# D       Anna     02-20:1 02-25:2                                      2        2        02-25
# E       Boris    03-01:2 (starts at 2) 03-03:3 03-05:4 03-07:5 03-09:6 03-13:7
#                                                                       7        7 signed 03-13
# F       Boris    03-01:1 03-02:2 03-03:lost "no budget"               2        lost     03-03
# G       Boris    03-10:3 03-14:3                                      3        3        03-10
# H       Boris    02-10:lost "price" (never reached a stage)           -        lost     02-10
# I       Anna     03-05:1 03-06:1                                      1        1        03-05
# J       Boris    03-15:4 03-19:5 03-20:6                              6        6        03-20
#
# Completed stays (days from entering k to the first row at another stage; a stay that ends in
# `lost` is completed too):
#   stage 1: A 2, B 4, C 2, D 5, F 1 -> [1,2,2,4,5]  median 2    p75 4 (position 3 of 0..4)
#   stage 2: A 3, C 4, E 2, F 1      -> [1,2,3,4]    median 2.5  p75 3.25 (3 + 0.25 × 1)
#   stage 3: A 4, B 7, E 2           -> [2,4,7]      median 4    p75 5.5  (4 + 0.5 × 3)
#   stage 4: B 3, E 2, J 4           -> [2,3,4]      median 3    p75 3.5
#   stage 5: E 2, J 1                -> [1,2]        median 1.5  p75 1.75
#   stage 6: E 4                     -> [4]          median 4    p75 4
#   stage 7: none                    -> blank        blank
#
# Reached(k) (highest ≥ k):   k:       1  2  3  4  5  6  7
#   team  (highest 5,7,2,2,7,2,3,1,6)  9  8  5  4  4  3  2
#   Anna  (A5 B7 C2 D2 I1)             5  4  2  2  2  1  1
#   Boris (E7 F2 G3 J6, H none)        4  4  3  2  2  2  1
# Conversion k = reached(k)/reached(k−1):
#   team  -, 8/9, 5/8, 4/5, 4/4, 3/4, 2/3
#   Anna  -, 4/5, 2/4, 2/2, 2/2, 1/2, 1/1
#   Boris -, 4/4, 3/4, 2/3, 2/2, 2/2, 1/2
# Cumulative (team) reached(k)/9: 1, 8/9, 5/9, 4/9, 4/9, 3/9, 2/9
#
# In work (stage 7 = signed): Anna 1:I 2:D 5:A 7:B; Boris 3:G 6:J 7:E.
# Stuck rules: Anna stage 1 → 10 days; Boris stage 3 → 10 days. Idle: Anna 14, Boris no rule → 14.
#   A  stage 5, 10 days since entering > p75 1.75      → stuck (p75)
#   D  stage 2, 23 days > p75 3.25                     → stuck (p75); latest 02-25: 23 days → idle
#   I  stage 1, 15 days > rule 10                      → stuck (rule); latest 03-06: 14 days → idle
#   G  stage 3, 10 days, rule 10 (not above; p75 5.5 would have said stuck) → not stuck; 6 days → no
#   J  stage 6, 0 days                                 → neither
# Moved forward (a row at a higher stage than the previous non-lost one): today (03-20) J→6;
#   last 7 days (03-14..03-20): B→7 (03-15), J→5 (03-19), J→6 (03-20); J's first row 03-15 is no
#   move, G 03-14 stays at 3, E 03-13 is outside the window. Team moved 7 days: stage 5:1 6:1 7:1.
# Lost (current stage lost): by reason price 2 (C, H), no budget 1 (F); by month 2026-02 1, 2026-03 2.
# ---------------------------------------------------------------------------------------------
AS_OF = date(2026, 3, 20)
TEN_CLIENTS = [
    ("2026-03-01", "Anna", "Client A", 1), ("2026-03-03", "Anna", "Client A", 2),
    ("2026-03-06", "Anna", "Client A", 3), ("2026-03-10", "Anna", "Client A", 5),
    ("2026-03-25", "Anna", "Client A", 6),
    ("2026-03-01", "Anna", "Client B", 1), ("2026-03-05", "Anna", "Client B", 3),
    ("2026-03-09", "Anna", "Client B", 3), ("2026-03-12", "Anna", "Client B", 4),
    ("2026-03-15", "Anna", "Client B", 7),
    ("2026-03-02", "Anna", "Client C", 1), ("2026-03-04", "Anna", "Client C", 2),
    ("2026-03-08", "Anna", "Client C", 0, "price"),
    ("2026-02-20", "Anna", "Client D", 1), ("2026-02-25", "Anna", "Client D", 2),
    ("2026-03-01", "Boris", "Client E", 2), ("2026-03-03", "Boris", "Client E", 3),
    ("2026-03-05", "Boris", "Client E", 4), ("2026-03-07", "Boris", "Client E", 5),
    ("2026-03-09", "Boris", "Client E", 6), ("2026-03-13", "Boris", "Client E", 7),
    ("2026-03-01", "Boris", "Client F", 1), ("2026-03-02", "Boris", "Client F", 2),
    ("2026-03-03", "Boris", "Client F", 0, "no budget"),
    ("2026-03-10", "Boris", "Client G", 3), ("2026-03-14", "Boris", "Client G", 3),
    ("2026-02-10", "Boris", "Client H", 0, "price"),
    ("2026-03-05", "Anna", "Client I", 1), ("2026-03-06", "Anna", "Client I", 1),
    ("2026-03-15", "Boris", "Client J", 4), ("2026-03-19", "Boris", "Client J", 5),
    ("2026-03-20", "Boris", "Client J", 6),
]
STUCK_RULES = {("anna", 1): 10.0, ("boris", 3): 10.0}


def stuck_rules(manager_key: str, month: int, stage: int) -> float | None:
    """The hand-written `stuck_days` rules of the example (only for March 2026)."""
    assert month == month_of(AS_OF)
    return STUCK_RULES.get((manager_key, stage))


def idle_rules(manager_key: str) -> float | None:
    """Anna has an explicit 14-day rule; Boris none (the default 14 applies)."""
    return 14.0 if manager_key == "anna" else None


@pytest.fixture(scope="module")
def ten() -> FunnelResult:
    """The ten-client example analysed as of 2026-03-20."""
    return analyse_funnel(funnel_frame(TEN_CLIENTS), AS_OF, stuck_rules, idle_rules)


def column(frame: pd.DataFrame, name: str) -> list:
    """A column as a plain list, NaN as None, so comparisons read like the hand-worked table."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in frame[name].tolist()]


def test_clients_current_stage_and_entered(ten: FunnelResult) -> None:
    clients = ten.clients.set_index("client_key")
    assert clients["stage"].to_dict() == {
        "client a": 5, "client b": 7, "client c": 0, "client d": 2, "client e": 7,
        "client f": 0, "client g": 3, "client h": 0, "client i": 1, "client j": 6}
    assert clients["highest"].to_dict()["client h"] == 0
    assert clients.loc["client a", "entered"] == pd.Timestamp("2026-03-10")
    assert clients.loc["client g", "entered"] == pd.Timestamp("2026-03-10")
    assert clients.loc["client g", "last_date"] == pd.Timestamp("2026-03-14")
    assert clients.loc["client a", "row"] == 5  # the 2026-03-25 row (sheet row 6) is after as-of


def test_team_reached_and_conversion(ten: FunnelResult) -> None:
    team = ten.team.set_index("stage")
    assert team["reached"].tolist() == [9, 8, 5, 4, 4, 3, 2]
    assert column(team, "conversion")[0] is None
    assert column(team, "conversion")[1:] == pytest.approx([8 / 9, 5 / 8, 4 / 5, 1.0, 3 / 4, 2 / 3])
    assert column(team, "cumulative") == pytest.approx([1, 8 / 9, 5 / 9, 4 / 9, 4 / 9, 3 / 9, 2 / 9])
    assert team["in_work"].tolist() == [1, 1, 1, 0, 1, 1, 2]


def test_manager_reached_conversion_in_work(ten: FunnelResult) -> None:
    by = ten.managers.set_index(["manager_key", "stage"])
    assert by.loc["anna", "reached"].tolist() == [5, 4, 2, 2, 2, 1, 1]
    assert by.loc["boris", "reached"].tolist() == [4, 4, 3, 2, 2, 2, 1]
    assert column(by.loc["anna"], "conversion")[1:] == pytest.approx([4 / 5, 2 / 4, 1, 1, 1 / 2, 1])
    assert column(by.loc["boris"], "conversion")[1:] == pytest.approx([1, 3 / 4, 2 / 3, 1, 1, 1 / 2])
    assert by.loc["anna", "in_work"].tolist() == [1, 1, 0, 0, 1, 0, 1]
    assert by.loc["boris", "in_work"].tolist() == [0, 0, 1, 0, 0, 1, 1]


def test_days_in_stage_median_and_p75(ten: FunnelResult) -> None:
    days = ten.stage_days.set_index("stage")
    assert days["stays"].tolist() == [5, 4, 3, 3, 2, 1, 0]
    assert column(days, "median_days") == [2.0, 2.5, 4.0, 3.0, 1.5, 4.0, None]
    assert column(days, "p75_days") == [4.0, 3.25, 5.5, 3.5, 1.75, 4.0, None]
    # team-wide figures are repeated on every manager row
    assert column(ten.managers[ten.managers["manager_key"] == "boris"], "p75_days")[:6] == \
        [4.0, 3.25, 5.5, 3.5, 1.75, 4.0]


def test_stuck_and_idle_lists(ten: FunnelResult) -> None:
    stuck = ten.stuck.set_index("client_key")
    assert sorted(stuck.index) == ["client a", "client d", "client i"]
    assert stuck.loc["client a", ["stage", "days", "limit", "limit_source"]].tolist() == [5, 10, 1.75, "p75"]
    assert stuck.loc["client d", ["stage", "days", "limit", "limit_source"]].tolist() == [2, 23, 3.25, "p75"]
    assert stuck.loc["client i", ["stage", "days", "limit", "limit_source"]].tolist() == [1, 15, 10.0, "rule"]
    assert stuck.loc["client i", "row"] == 30  # Client I's latest row (2026-03-06)
    idle = ten.idle.set_index("client_key")
    assert sorted(idle.index) == ["client d", "client i"]
    assert idle.loc["client d", ["days", "limit"]].tolist() == [23, 14.0]
    assert idle.loc["client i", ["days", "limit"]].tolist() == [14, 14.0]
    by = ten.managers.set_index(["manager_key", "stage"])
    assert by.loc["anna", "stuck"].tolist() == [1, 1, 0, 0, 1, 0, 0]
    assert by.loc["anna", "idle"].tolist() == [1, 1, 0, 0, 0, 0, 0]
    assert by.loc["boris", "stuck"].sum() == 0


def test_moved_forward(ten: FunnelResult) -> None:
    team = ten.team.set_index("stage")
    assert team["moved_today"].tolist() == [0, 0, 0, 0, 0, 1, 0]
    assert team["moved_7d"].tolist() == [0, 0, 0, 0, 1, 1, 1]
    by = ten.managers.set_index(["manager_key", "stage"])
    assert by.loc["anna", "moved_7d"].tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert by.loc["boris", "moved_7d"].tolist() == [0, 0, 0, 0, 1, 1, 0]


def test_lost_by_reason_and_month(ten: FunnelResult) -> None:
    reasons = ten.lost_by_reason.groupby("reason")["clients"].sum().to_dict()
    assert reasons == {"price": 2, "no budget": 1}
    months = ten.lost_by_month.groupby("month")["clients"].sum().to_dict()
    assert months == {month_of(date(2026, 2, 1)): 1, month_of(date(2026, 3, 1)): 2}
    assert ten.lost_by_reason[ten.lost_by_reason["manager_key"] == "anna"]["reason"].tolist() == ["price"]


def test_same_date_rows_ordered_by_sheet_row_and_reactivated_lost_client() -> None:
    result = analyse_funnel(funnel_frame([
        ("2026-03-01", "Anna", "K", 2), ("2026-03-01", "Anna", "K", 3),   # same day: row order wins
        ("2026-03-05", "Anna", "K", 0, "later"), ("2026-03-09", "Boris", "K", 3),
    ]), date(2026, 3, 10), lambda *_: None, lambda _: None)
    client = result.clients.iloc[0]
    assert (client["stage"], client["manager_key"], client["highest"]) == (3, "boris", 3)
    assert client["entered"] == pd.Timestamp("2026-03-09")
    # reopening at the stage it was lost from is not a move forward; the client counts for Boris
    assert result.team["moved_7d"].sum() == 0
    assert result.lost_by_reason.empty
    assert result.managers.set_index(["manager_key", "stage"]).loc["boris", "reached"].tolist()[:4] == \
        [1, 1, 1, 0]
    # stays: 2 → 3 on the same day (0 days), 3 → lost 4 days
    assert column(result.stage_days, "median_days")[:3] == [None, 0.0, 4.0]


def test_empty_funnel() -> None:
    result = analyse_funnel(funnel_frame([]), AS_OF, lambda *_: None, lambda _: None)
    assert result.clients.empty and result.managers.empty and result.stuck.empty
    assert result.team["reached"].tolist() == [0] * 7
    assert column(result.team, "conversion") == [None] * 7


def test_funnel_report_tab_layout(ten: FunnelResult) -> None:
    tab = funnel_report_tab(ten, {"anna": "Anna", "boris": "Boris"}, "en", {"funnel": "Воронка "})
    assert (tab.key, tab.title) == ("funnel_report", "Funnel report")
    assert [c.header for c in tab.columns] == [
        "Manager", "Stage", "In work", "Reached", "Conversion", "Median days", "P75 days", "Stuck", "Idle",
        "Moved today", "Moved 7 days", "Cumulative conversion"]
    assert tab.columns[4].number_format == "0.0%" and tab.columns[11].number_format == "0.0%"
    rows = tab.rows
    assert rows[0] == ["Anna", 1, 1, 5, None, 2.0, 4.0, 1, 1, 0, 0, 1.0]
    assert rows[13][:5] == ["Boris", 7, 1, 1, 0.5]
    assert [r[0] for r in rows[14:21]] == ["Team"] * 7
    assert rows[20][:7] == ["Team", 7, 2, 2, pytest.approx(2 / 3), None, None]
    assert rows[21] == []
    assert rows[22][0] == "Lost clients by reason" and rows[23][:3] == ["Manager", "Reason", "Clients"]
    assert [r[:3] for r in rows[24:29]] == [["Anna", "price", 1], ["Boris", "no budget", 1],
                                            ["Boris", "price", 1], ["Team", "no budget", 1],
                                            ["Team", "price", 2]]
    months = [r[:3] for r in rows if len(r) > 1 and r[1] in ("2026-02", "2026-03")]
    assert months[-2:] == [["Team", "2026-02", 1], ["Team", "2026-03", 2]]
    assert months == [r[:3] for r in rows[-len(months):]]  # the month block ends the tab
    # The stuck and idle clients are Signals rows; the report counts them per stage.
    assert "Stuck clients" not in [r[0] if r else None for r in rows] and tab.highlights == []
    assert "stuck_client row in Signals" in tab.notes[(1, 7)]


def test_funnel_report_tab_in_russian_without_stuck_clients() -> None:
    result = analyse_funnel(funnel_frame([("2026-03-19", "Anna", "K", 1)]), AS_OF,
                            lambda *_: None, lambda _: None)
    tab = funnel_report_tab(result, {"anna": "Анна"}, "ru", {})
    assert tab.title == "Воронка — отчёт" and tab.columns[0].header == "Менеджер"
    assert [r[0] for r in tab.rows[7:14]] == ["Команда"] * 7
    assert tab.highlights == []


def test_render_funnel_text(ten: FunnelResult) -> None:
    text = render_funnel_text(ten, {"anna": "Anna", "boris": "Boris"}, "en")
    lines = text.splitlines()
    assert lines[0] == "Funnel report — Team, 2026-03-20"
    assert lines[2].split()[:4] == ["Stage", "Name", "In", "work"]
    assert lines[5].split() == ["2", "interest", "1", "8", "88.9", "%", "2.5", "3.25", "1", "1", "0", "0",
                                "88.9", "%"]
    assert "Stuck clients: 3" in lines and "Idle clients: 2" in lines
    # columns line up: every row of the team table is as wide as its rule line, numbers right-aligned
    assert {len(line) for line in lines[3:11]} == {len(lines[3])}
    assert lines[-1].split() == ["Client", "I", "Anna", "1", "14", "14"]
    russian = render_funnel_text(ten, {"anna": "Анна"}, "ru")
    assert "88,9 %" in russian and "3,25" in russian and "Клиенты без движения: 2" in russian


# ---------------------------------------------------------------------------------------------
# Forecast, worked by hand on the ten-client funnel, as of 2026-03-20.
# rate(k) = reached(7)/reached(k) = 2/9, 2/8, 2/5, 2/4, 2/4, 2/3 for k = 1..6.
# Deals: Anna  D1 2026-02-10 100 000; D2 2026-03-05 200 000; D3 2026-03-07 50 000 cancelled
#              2026-03-15 (same month: counts nowhere); D4 2026-01-20 60 000 cancelled 2026-02-05
#              (a later month: a valid deal for the average, not signed this month)
#        Vera  V1 2026-03-10 90 000; V2 2026-03-25 1 000 000 (after as-of: ignored)
#        Boris has no deals → the team average.
# Averages: Anna (100 000 + 200 000 + 60 000)/3 = 120 000; team (…+ 90 000)/4 = 112 500.
# Anna : signed 200 000; pipeline 120 000 × (I 2/9 + D 2/8 + A 2/4) = 26 666.666… + 30 000 + 60 000
#        = 116 666.67; forecast 316 666.67
# Boris: signed 0; pipeline 112 500 × (G 2/5 + J 2/3) = 45 000 + 75 000 = 120 000; forecast 120 000
# Vera : signed 90 000; no open clients; forecast 90 000
# ---------------------------------------------------------------------------------------------
def test_forecast_worked_example(ten: FunnelResult) -> None:
    deals = deals_frame([
        ("D1", "2026-02-10", "Anna", "X", 100_000), ("D2", "2026-03-05", "Anna", "Y", 200_000),
        ("D3", "2026-03-07", "Anna", "Z", 50_000, "2026-03-15"),
        ("D4", "2026-01-20", "Anna", "W", 60_000, "2026-02-05"),
        ("V1", "2026-03-10", "Vera", "Q", 90_000), ("V2", "2026-03-25", "Vera", "R", 1_000_000),
    ])
    result = forecast(deals, ten, AS_OF).set_index("manager_key")
    assert result.loc["anna"].tolist() == [200_000.0, 116_666.67, 316_666.67]
    assert result.loc["boris"].tolist() == [0.0, 120_000.0, 120_000.0]
    assert result.loc["vera"].tolist() == [90_000.0, 0.0, 90_000.0]


def test_forecast_without_any_deals_is_zero(ten: FunnelResult) -> None:
    result = forecast(deals_frame([]), ten, AS_OF)
    assert result["forecast"].tolist() == [0.0, 0.0]


# ---------------------------------------------------------------------------------------------
# Properties on random funnels.
# ---------------------------------------------------------------------------------------------
def stage_two_rule(manager_key: str, month: int, stage: int) -> float | None:
    """A `stuck_days` rule of 3 days for stage 2 only; p75 elsewhere."""
    return 3.0 if stage == 2 else None


ROW = st.tuples(st.integers(0, 40), st.sampled_from(["Anna", "Boris"]), st.sampled_from("ABCDEFG"),
                st.integers(0, 7))


@settings(max_examples=100, deadline=None)
@given(st.lists(ROW, max_size=40), st.integers(0, 45))
def test_random_funnels_have_sane_rates(rows: list[tuple], as_of_offset: int) -> None:
    start = date(2026, 1, 1)
    dated = [((pd.Timestamp(start) + pd.Timedelta(days=d)).date().isoformat(), m, c, s)
             for d, m, c, s in rows]
    as_of = (pd.Timestamp(start) + pd.Timedelta(days=as_of_offset)).date()
    result = analyse_funnel(funnel_frame(dated), as_of, stage_two_rule, lambda _: None)
    for frame in [result.team, *[g for _, g in result.managers.groupby("manager_key")]]:
        reached = frame["reached"].tolist()
        assert all(a >= b for a, b in itertools.pairwise(reached))
        for name in ("conversion", "cumulative"):
            rates = frame[name].dropna()
            assert ((rates >= 0) & (rates <= 1)).all()
        conv = frame["conversion"].tolist()
        assert math.isnan(conv[0])
        for k in range(1, 7):
            assert math.isnan(conv[k]) == (reached[k - 1] == 0)
        assert frame["cumulative"].isna().all() == (reached[0] == 0)
    counted = result.clients[result.clients["highest"] >= 1]
    assert result.team["reached"].iloc[0] == len(counted)
    assert result.team["in_work"].sum() == int(result.clients["stage"].between(1, 7).sum())
    assert set(result.stuck["client_key"]) <= set(result.clients["client_key"])
    assert not result.stage_days[["median_days", "p75_days"]].isin([math.inf, -math.inf]).any().any()
