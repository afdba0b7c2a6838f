"""Funnel metrics as of a date (PRODUCT.md section 4, "Precise definitions").

Everything is vectorised: the funnel is sorted once by (client, date, sheet row) and every figure is
read off that order with numpy shifts, run boundaries and ``reduceat``, so a million rows take about
a second. Per-manager figures count a client for the manager of its latest row (PRODUCT.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from formulas.contract import LOST
from formulas.funnel.settings import DEFAULTS
from formulas.months import month_of

STAGES = range(1, 8)
SIGNED = 7
MOVE_WINDOW_DAYS = 7  # "this week": the as-of day and the six days before it
StuckLimit = Callable[[str, int, int], float | None]
IdleDays = Callable[[str], float | None]

_COUNTS = ["in_work", "reached", "stuck", "idle", "moved_today", "moved_7d"]
STAGE_COLUMNS = [*_COUNTS, "conversion", "cumulative", "median_days", "p75_days"]


@dataclass
class FunnelResult:
    """Every funnel figure as of one date; each attribute is a plain DataFrame.

    * ``clients``: client_key, client, manager_key, stage (0 = lost), highest (0 = never reached a
      stage), entered, last_date, row (sheet row of the latest row), days_in_stage, days_idle
    * ``managers``: manager_key, stage 1–7 and :data:`STAGE_COLUMNS`; ``team``: stage and the same
    * ``stage_days``: stage 1–7, stays (completed stays counted), median_days, p75_days
    * ``stuck``: code (the client's index in ``clients``), client_key, client, manager_key, stage, days,
      limit, limit_source ("rule"/"p75"), row; most days first
    * ``idle``: code, client_key, client, manager_key, stage, days, limit, row; most days first
    * ``lost_by_reason``: manager_key, reason, clients; ``lost_by_month``: manager_key, month, clients
    """

    as_of: date
    clients: pd.DataFrame
    managers: pd.DataFrame
    team: pd.DataFrame
    stage_days: pd.DataFrame
    stuck: pd.DataFrame
    idle: pd.DataFrame
    lost_by_reason: pd.DataFrame
    lost_by_month: pd.DataFrame


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """Whole days since the epoch as int64, whatever the datetime64 unit of the column."""
    return dates.to_numpy().astype("datetime64[D]").astype("int64")


class _Sorted:
    """The rows dated on or before ``as_of``, sorted once by client, date and sheet row.

    Numeric columns are materialised in that order; text columns are fetched only at the few
    positions that need them (:meth:`text`), because reordering a million strings is the slow part.
    ``code`` numbers the clients 0, 1, … in sorted order, so it also indexes the per-client frame.
    """

    def __init__(self, funnel: pd.DataFrame, as_of: date) -> None:
        self.rows = funnel[funnel["date"] <= pd.Timestamp(as_of)]
        codes, _ = pd.factorize(self.rows["client_code"])  # as client_key would, without hashing names
        day = _day_numbers(self.rows["date"])
        row = self.rows["row"].to_numpy(dtype="int64")
        self.order = np.lexsort((row, day, codes))
        self.day, self.row = day[self.order], row[self.order]
        self.stage = self.rows["stage"].to_numpy(dtype="int64")[self.order]
        # renumber so client i is the i-th client in sorted order
        code = codes[self.order]
        first = np.ones(len(code), dtype=bool)
        first[1:] = code[1:] != code[:-1]
        self.first = first
        self.code = np.cumsum(first) - 1
        self.today = _day_numbers(pd.Series([pd.Timestamp(as_of)]))[0]

    def text(self, column: str, positions: np.ndarray) -> np.ndarray:
        """A text column at sorted positions, as an object array."""
        return self.rows[column].to_numpy(dtype=object)[self.order[positions]]


def _runs(a: _Sorted) -> dict[str, np.ndarray]:
    """Client boundaries and runs (consecutive rows of one client at one stage)."""
    code, stage, first = a.code, a.stage, a.first
    run_start, last = np.ones(len(code), dtype=bool), np.ones(len(code), dtype=bool)
    last[:-1] = first[1:]
    run_start[1:] = first[1:] | (stage[1:] != stage[:-1])
    starts = np.flatnonzero(run_start)
    # a run is a completed stay when the client's next row is at another stage
    run_code = code[starts]
    has_next = np.zeros(len(starts), dtype=bool)
    has_next[:-1] = run_code[1:] == run_code[:-1]
    return {"first": first, "last": last, "run_id": np.cumsum(run_start) - 1,
            "starts": starts, "has_next": has_next}


def _stage_days(a: _Sorted, r: dict[str, np.ndarray]) -> pd.DataFrame:
    """Median and p75 of completed stays per stage, team-wide (pandas' linear quantile)."""
    starts, has_next = r["starts"], r["has_next"]
    run_day, run_stage = a.day[starts], a.stage[starts]
    length = np.r_[run_day[1:] - run_day[:-1], 0]
    keep = has_next & (run_stage != LOST)  # a stay *in* lost is not a stage; a stay ending in lost is
    stays = pd.Series(length[keep].astype("float64")).groupby(run_stage[keep])
    frame = pd.DataFrame({"stays": stays.size(), "median_days": stays.quantile(0.5),
                          "p75_days": stays.quantile(0.75)}).reindex(list(STAGES))
    frame["stays"] = frame["stays"].fillna(0).astype("int64")
    return frame.rename_axis("stage").reset_index()


def _clients(a: _Sorted, r: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per client (index = client code): latest row, current stage, entered, highest stage."""
    last, first = np.flatnonzero(r["last"]), np.flatnonzero(a.first)
    entered = a.day[r["starts"][r["run_id"][last]]]
    return pd.DataFrame({
        "client_key": a.text("client_key", last), "client": a.text("client", last),
        "manager_key": a.text("manager_key", last), "stage": a.stage[last],
        # lost is 0, below every stage, so the plain maximum sets lost rows aside
        "highest": np.maximum.reduceat(a.stage, first) if len(first) else np.empty(0, "int64"),
        "entered": pd.to_datetime(entered, unit="D"), "last_date": pd.to_datetime(a.day[last], unit="D"),
        "row": a.row[last], "days_in_stage": a.today - entered, "days_idle": a.today - a.day[last]})


def _forward_moves(a: _Sorted) -> pd.DataFrame:
    """Rows in the last 7 days at a higher stage than the client's previous non-lost row."""
    stage, code, today = a.stage, a.code, a.today
    positions = np.arange(len(stage))
    last_valid = np.maximum.accumulate(np.where(stage != LOST, positions, -1))
    previous = np.full(len(stage), -1)
    previous[1:] = last_valid[:-1]
    safe = np.maximum(previous, 0)
    has_previous = (previous >= 0) & (code[safe] == code)
    moved = has_previous & (stage != LOST) & (stage > stage[safe]) & (a.day > today - MOVE_WINDOW_DAYS)
    return pd.DataFrame({"code": code[moved], "stage": stage[moved], "today": a.day[moved] == today})


def _stuck(clients: pd.DataFrame, stage_days: pd.DataFrame, stuck_limit: StuckLimit,
           month: int) -> pd.DataFrame:
    """In-work clients whose days since entering their stage exceed the rule, else the stage's p75."""
    open_ = clients[clients["stage"].between(1, 6)].reset_index(names="code")
    pairs = open_[["manager_key", "stage"]].drop_duplicates()
    # one lookup per (manager, stage), never per client: the lookup walks effective-dated rules
    rules = [stuck_limit(m, month, int(s)) for m, s in zip(pairs["manager_key"], pairs["stage"], strict=True)]
    pairs = pairs.assign(rule=pd.Series(rules, index=pairs.index, dtype="float64"))
    merged = open_.merge(pairs, on=["manager_key", "stage"], how="left")
    merged = merged.merge(stage_days[["stage", "p75_days"]], on="stage", how="left")
    merged["limit"] = merged["rule"].fillna(merged["p75_days"])
    merged["limit_source"] = np.where(merged["rule"].notna(), "rule", "p75")
    stuck = merged[merged["days_in_stage"] > merged["limit"]]  # NaN limit (no p75) never exceeded
    return stuck.rename(columns={"days_in_stage": "days"})[
        ["code", "client_key", "client", "manager_key", "stage", "days", "limit", "limit_source", "row"]
    ].sort_values(["days", "row"], ascending=[False, True], ignore_index=True)


def _idle(clients: pd.DataFrame, idle_days: IdleDays) -> pd.DataFrame:
    """In-work clients whose latest row is at least ``idle_days`` (default 14) before the as-of date."""
    open_ = clients[clients["stage"].between(1, 6)].reset_index(names="code")
    default = DEFAULTS["idle_days"]
    limits = {}
    for manager in open_["manager_key"].unique():
        value = idle_days(manager)
        limits[manager] = default if value is None else value
    limit = open_["manager_key"].map(limits).astype("float64")
    idle = open_.assign(limit=limit)[open_["days_idle"] >= limit]
    return idle.rename(columns={"days_idle": "days"})[
        ["code", "client_key", "client", "manager_key", "stage", "days", "limit", "row"]
    ].sort_values(["days", "row"], ascending=[False, True], ignore_index=True)


def _grid(managers: np.ndarray, stages: np.ndarray, size: int) -> np.ndarray:
    """Clients per manager code × stage 0–7 as a (size, 8) count matrix."""
    flat = np.bincount(managers * 8 + stages, minlength=size * 8)
    return flat.reshape(size, 8)


def _count_grids(clients: pd.DataFrame, stuck: pd.DataFrame, idle: pd.DataFrame,
                 moves: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per manager (sorted keys) the counts of :data:`_COUNTS` as (managers, 7) matrices."""
    keys, manager = np.unique(clients["manager_key"].to_numpy(dtype=object), return_inverse=True)
    manager = manager.astype("int64")

    def grid(frame: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
        return _grid(manager[codes], frame["stage"].to_numpy(dtype="int64"), len(keys))[:, 1:]

    # reached(k) = clients whose highest stage >= k: a reversed cumulative sum over highest stages
    highest = _grid(manager, clients["highest"].to_numpy(dtype="int64"), len(keys))
    reached = highest[:, ::-1].cumsum(axis=1)[:, ::-1][:, 1:]
    # a client moving into a stage twice in the window counts once for that stage
    week = moves.drop_duplicates(["code", "stage"])
    today = week[week["today"]]
    by_code = clients.index.to_numpy()  # stuck/idle keep the clients' index (the client code)
    counts = {"in_work": grid(clients, by_code), "reached": reached,
              "stuck": grid(stuck, stuck["code"].to_numpy()), "idle": grid(idle, idle["code"].to_numpy()),
              "moved_today": grid(today, today["code"].to_numpy()),
              "moved_7d": grid(week, week["code"].to_numpy())}
    return keys, counts


def _rates(reached: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """conversion k = reached(k)/reached(k−1) and cumulative reached(k)/reached(1), per row of stages."""
    reached = reached.astype("float64")
    conversion = np.full(reached.shape, np.nan)
    before = reached[:, :-1]
    # blank for stage 1 (no stage before it) and whenever the denominator is 0: never divide by zero
    np.divide(reached[:, 1:], before, out=conversion[:, 1:], where=before > 0)
    cumulative = np.full(reached.shape, np.nan)
    first = np.broadcast_to(reached[:, :1], reached.shape)
    np.divide(reached, first, out=cumulative, where=first > 0)
    return conversion, cumulative


def _stage_table(counts: dict[str, np.ndarray], stage_days: pd.DataFrame) -> pd.DataFrame:
    """Flatten (rows, 7) count matrices into one row per (row, stage) with rates and stage days."""
    rows = next(iter(counts.values())).shape[0]
    conversion, cumulative = _rates(counts["reached"])
    frame = pd.DataFrame({"stage": np.tile(np.arange(1, 8), rows)})
    for name, matrix in counts.items():
        frame[name] = matrix.reshape(-1).astype("int64")
    frame["conversion"], frame["cumulative"] = conversion.reshape(-1), cumulative.reshape(-1)
    days = stage_days.set_index("stage")
    # team-wide stage durations on every row (PRODUCT.md section 5)
    frame["median_days"] = np.tile(days["median_days"].to_numpy(dtype="float64"), rows)
    frame["p75_days"] = np.tile(days["p75_days"].to_numpy(dtype="float64"), rows)
    return frame


def _lost(clients: pd.DataFrame, a: _Sorted, r: dict[str, np.ndarray]) -> pd.DataFrame:
    """Clients whose current stage is lost, with the reason given in that last lost run and its month."""
    last_run = r["run_id"][r["last"]]  # per client
    candidates = np.flatnonzero((a.stage == LOST) & (r["run_id"] == last_run[a.code]))
    reasons = pd.Series(a.text("lost_reason", candidates), dtype=object).fillna("").astype(str).str.strip()
    given = (reasons != "").to_numpy()
    # the last reason written wins: a later row may complete what the first lost row left blank
    by_client = dict(zip(a.code[candidates][given].tolist(), reasons[given].tolist(), strict=True))
    lost = clients[clients["stage"] == LOST]
    return lost.assign(reason=pd.Series([by_client.get(code, "") for code in lost.index],
                                        index=lost.index, dtype=object),
                       month=lost["entered"].dt.year * 12 + lost["entered"].dt.month - 1)


def analyse_funnel(funnel: pd.DataFrame, as_of: date, stuck_limit: StuckLimit,
                   idle_days: IdleDays) -> FunnelResult:
    """All funnel figures of PRODUCT.md section 4 as of ``as_of`` (rows dated later are ignored).

    ``stuck_limit(manager_key, month, stage)`` is the `stuck_days` rule of the as-of month (None: use
    the stage's p75); ``idle_days(manager_key)`` the `idle_days` rule (None: the default 14).
    """
    rows = _Sorted(funnel, as_of)
    runs = _runs(rows)
    stage_days = _stage_days(rows, runs)
    clients = _clients(rows, runs)
    stuck = _stuck(clients, stage_days, stuck_limit, month_of(as_of))
    idle = _idle(clients, idle_days)
    keys, counts = _count_grids(clients, stuck, idle, _forward_moves(rows))
    managers = _stage_table(counts, stage_days)
    managers.insert(0, "manager_key", np.repeat(keys, 7).astype(object))
    # every client counts for exactly one manager, so the team's counts are the column sums
    team = _stage_table({name: m.sum(axis=0, keepdims=True) for name, m in counts.items()}, stage_days)
    lost = _lost(clients, rows, runs)
    by_reason = lost.groupby(["manager_key", "reason"]).size().rename("clients").reset_index()
    by_month = lost.groupby(["manager_key", "month"]).size().rename("clients").reset_index()
    return FunnelResult(as_of, clients, managers[["manager_key", "stage", *STAGE_COLUMNS]],
                        team[["stage", *STAGE_COLUMNS]], stage_days, stuck, idle, by_reason, by_month)
