"""Signals of PRODUCT.md section 4: each fires on the right rows and stays silent just short of it."""

from __future__ import annotations

from datetime import date

import pandas as pd

from formulas.contract import norm
from formulas.funnel.metrics import FunnelResult, analyse_funnel
from formulas.funnel.signals import SIGNAL_COLUMNS, compute_signals
from formulas.months import month_of
from formulas.report.funnel_tabs import signals_tab
from formulas.report.model import RED, Link
from tests.test_funnel import deals_frame, funnel_frame

PLAN_COLUMNS = ["row", "month", "manager_key", "plan_amount", "plan_deals"]
PAYMENT_COLUMNS = ["row", "deal_id", "paid_on", "month", "amount", "contract_month", "collector_key"]


def month(text: str) -> int:
    """Month index of ``YYYY-MM``."""
    return month_of(date.fromisoformat(text + "-01"))


def plans_frame(rows: list[tuple]) -> pd.DataFrame:
    """A validated `plans` frame from rows ``(month "YYYY-MM", manager, plan amount)``; rows from 2."""
    records = [{"row": number, "month": month(when), "manager_key": norm(manager),
                "plan_amount": float(amount), "plan_deals": float("nan")}
               for number, (when, manager, amount) in enumerate(rows, start=2)]
    return pd.DataFrame(records, columns=PLAN_COLUMNS).astype({"row": "int64", "month": "int64",
                                                                "plan_amount": "float64"})


def payments_frame(rows: list[tuple]) -> pd.DataFrame:
    """A validated `payments` frame from rows ``(deal id, paid on, amount, contract month)``."""
    records = [{"row": number, "deal_id": deal_id, "paid_on": pd.Timestamp(paid),
                "month": month_of(date.fromisoformat(paid)), "amount": float(amount),
                "contract_month": contract_month, "collector_key": ""}
               for number, (deal_id, paid, amount, contract_month) in enumerate(rows, start=2)]
    frame = pd.DataFrame(records, columns=PAYMENT_COLUMNS)
    frame["paid_on"] = pd.to_datetime(frame["paid_on"])
    return frame.astype({"row": "int64", "month": "int64", "contract_month": "int64", "amount": "float64"})


class FakeRules:
    """Hand-written rules: settings by (key, manager_key, month) and turnover thresholds by month."""

    def __init__(self, settings: dict[tuple[str, str, int], float] | None = None,
                 thresholds: dict[int, list[float]] | None = None) -> None:
        self.settings = settings or {}
        self.thresholds = thresholds or {}

    def setting(self, key: str, manager_key: str, month_index: int) -> float | None:
        """The value of a settings rule for exactly this manager and month, or None."""
        return self.settings.get((key, manager_key, month_index))

    def turnover(self, manager_key: str, month_index: int) -> list[float]:
        """The `client_turnover_bonus` thresholds in force in that month (same for everybody)."""
        return self.thresholds.get(month_index, [])


def no_funnel(as_of: date) -> FunnelResult:
    """An empty funnel, for tests about plans and deals."""
    return analyse_funnel(funnel_frame([]), as_of, lambda *_: None, lambda _: None)


def signals(as_of: date, deals: pd.DataFrame | None = None, plans: pd.DataFrame | None = None,
            payments: pd.DataFrame | None = None, rules: FakeRules | None = None,
            funnel: FunnelResult | None = None, lang: str = "en") -> pd.DataFrame:
    """compute_signals with empty frames wherever a test does not need one."""
    rules = rules or FakeRules()
    return compute_signals(deals if deals is not None else deals_frame([]),
                           payments if payments is not None else payments_frame([]),
                           plans if plans is not None else plans_frame([]),
                           funnel or no_funnel(as_of), as_of, rules.setting, rules.turnover, lang)


def fired(frame: pd.DataFrame, signal: str) -> list[tuple]:
    """(manager_key, source_row, date) of each row of one signal."""
    rows = frame[frame["signal"] == signal]
    return [(m, r, d.date().isoformat()) for m, r, d in
            zip(rows["manager_key"], rows["source_row"], rows["date"], strict=True)]


def test_plan_missed_twice_needs_both_months_planned_missed_and_m_ended() -> None:
    plans = plans_frame([
        ("2026-01", "Anna", 100_000), ("2026-02", "Anna", 100_000), ("2026-03", "Anna", 100_000),  # 2-4
        ("2026-01", "Boris", 100_000), ("2026-02", "Boris", 100_000), ("2026-03", "Boris", 100_000),  # 5-7
        ("2026-01", "Vera", 100_000), ("2026-03", "Vera", 100_000),  # 8-9: no plan in February
    ])
    deals = deals_frame([
        ("A1", "2026-01-10", "Anna", "X", 99_999.99),          # January 99.99999 %: missed
        ("A2", "2026-02-10", "Anna", "X", 100_000, "2026-02-20"),  # cancelled in its month: counts 0
        ("A3", "2026-03-10", "Anna", "X", 10_000),
        ("B1", "2026-01-10", "Boris", "Y", 100_000),            # exactly 100 %: not missed
        ("B2", "2026-02-10", "Boris", "Y", 1_000),
        ("B3", "2026-03-10", "Boris", "Y", 1_000),
    ])
    result = signals(date(2026, 3, 30), deals, plans)
    # Anna: Jan+Feb missed → M = February (ended). March+February missed but March has not ended.
    # Boris: January met → nothing for February; February+March missed but March not ended.
    assert fired(result, "plan_missed_twice") == [("anna", 3, "2026-02-28")]
    result = signals(date(2026, 3, 31), deals, plans)
    assert fired(result, "plan_missed_twice") == [
        ("anna", 3, "2026-02-28"), ("anna", 4, "2026-03-31"), ("boris", 7, "2026-03-31")]
    details = result[result["signal"] == "plan_missed_twice"]["details"].iloc[0]
    assert details == ("Plan missed two months in a row: 2026-01 — 100.0 % of 100,000; "
                       "2026-02 — 0.0 % of 100,000")


def test_plan_jump_fires_above_30_percent_only() -> None:
    plans = plans_frame([
        ("2026-01", "Anna", 100_000), ("2026-02", "Anna", 130_000),  # +30 % exactly: silent
        ("2026-03", "Anna", 169_013),  # +30.01 %: fires
        ("2026-04", "Anna", 500_000),  # a future month: not yet
        ("2026-02", "Boris", 100_000), ("2026-03", "Boris", 140_000),  # +40 % but his March limit is 50
        ("2026-02", "Vera", 100_000), ("2026-03", "Vera", 150_000.01),  # +50.00001 % over Vera's 50
    ])
    rules = FakeRules({("plan_jump", "boris", month("2026-03")): 50.0,
                       ("plan_jump", "vera", month("2026-03")): 50.0,
                       ("plan_jump", "anna", month("2026-02")): 10.0})  # February rule: not March's
    result = signals(date(2026, 3, 20), plans=plans, rules=rules)
    assert fired(result, "plan_jump") == [("anna", 3, "2026-02-01"), ("anna", 4, "2026-03-01"),
                                          ("vera", 9, "2026-03-01")]
    result = signals(date(2026, 3, 20), plans=plans)  # without Anna's 10 % rule in February
    assert ("anna", 3, "2026-02-01") not in fired(result, "plan_jump")
    assert result[result["source_row"] == 4]["details"].iloc[0] == \
        "Plan for 2026-03 is 169,013, 30.01 % above 130,000 in 2026-02 (limit 30 %)"
    russian = signals(date(2026, 3, 20), plans=plans, lang="ru")
    assert russian[russian["source_row"] == 4]["details"].iloc[0] == \
        "План на 2026-03 — 169 013, на 30,01 % больше, чем 130 000 в 2026-02 (порог 30 %)"


def test_possible_fake_client_window_and_conditions() -> None:
    steps = [0.0, 100_000.0, 150_000.0]
    rules = FakeRules({("fake_margin", "boris", month("2026-03")): 1.0},
                      {month(m): steps for m in ("2026-03", "2026-04", "2026-05")})
    deals = deals_frame([
        ("F1", "2026-03-10", "Anna", "C1", 105_000),            # 2: exactly +5 %, unpaid, 3 months: fires
        ("F2", "2026-03-10", "Anna", "C2", 105_000.01),         # 3: just outside the window
        ("F3", "2026-03-11", "Anna", "C3", 99_999.99),          # 4: below the threshold
        ("F4", "2026-04-01", "Anna", "C4", 100_000),            # 5: paid month 1 only (twice), 2 months
        ("F5", "2026-04-01", "Anna", "C5", 100_000),            # 6: paid months 1 and 2
        ("F6", "2026-05-02", "Anna", "C6", 100_000),            # 7: unpaid but only 1 month old
        ("F7", "2026-05-02", "Anna", "C7", 150_500, "2026-05-20"),  # 8: cancelled, 150 000 step
        ("F8", "2026-03-05", "Boris", "C8", 101_000.01),        # 9: above Boris's 1 % window
        ("F9", "2026-03-05", "Boris", "C9", 101_000),           # 10: exactly +1 %: fires
        ("F10", "2026-03-05", "Anna", "C10", 0),                # 11: a 0 threshold is ignored
        ("F11", "2026-02-05", "Anna", "C11", 100_000),          # 12: no thresholds in force in February
    ])
    payments = payments_frame([
        ("F4", "2026-04-05", 50_000, 1), ("F4", "2026-04-20", 50_000, 1),
        ("F5", "2026-04-05", 100_000, 1), ("F5", "2026-05-05", 100_000, 2),
        ("F6", "2026-06-30", 100_000, 2),  # after as-of: not counted (F6 is too young anyway)
    ])
    result = signals(date(2026, 6, 15), deals, payments=payments, rules=rules)
    assert sorted(r for _, r, _ in fired(result, "possible_fake_client")) == [2, 5, 8, 10]
    by_row = result[result["signal"] == "possible_fake_client"].set_index("source_row")["details"]
    assert by_row[2] == ("Deal F1 (C1) of 105,000 is 5.00 % above the bonus threshold 100,000 "
                         "(window 5 %); no payments")
    assert by_row[5].endswith("; paid for 1 contract month only")
    assert by_row[8] == ("Deal F7 (C7) of 150,500 is 0.33 % above the bonus threshold 150,000 "
                         "(window 5 %); cancelled on 2026-05-20")
    assert set(result[result["signal"] == "possible_fake_client"]["source_tab"]) == {"deals"}
    # one month earlier, F4 (April) is only 1 month old and F1 still 2: F1 fires, F4 does not
    earlier = signals(date(2026, 5, 31), deals, payments=payments, rules=rules)
    assert sorted(r for _, r, _ in fired(earlier, "possible_fake_client")) == [2, 8, 10]


def test_early_churn_boundary_and_cancellation_month_rule() -> None:
    deals = deals_frame([
        ("E1", "2026-01-31", "Anna", "X", 10_000, "2026-03-01"),   # 2 months: fires
        ("E2", "2026-01-31", "Anna", "X", 10_000, "2026-04-01"),   # 3 months: silent
        ("E3", "2026-01-10", "Boris", "Y", 10_000, "2026-04-02"),  # 3, Boris's April rule is 3: fires
        ("E4", "2026-01-10", "Vera", "Z", 10_000, "2026-04-02"),   # 3, Vera's rule is for January only
        ("E5", "2026-04-01", "Vera", "Z", 10_000),                 # not cancelled
    ])
    rules = FakeRules({("early_churn_months", "boris", month("2026-04")): 3.0,
                       ("early_churn_months", "vera", month("2026-01")): 3.0})
    result = signals(date(2026, 4, 30), deals, rules=rules)
    assert fired(result, "early_churn") == [("anna", 2, "2026-03-01"), ("boris", 4, "2026-04-02")]
    assert result[result["source_row"] == 2]["details"].iloc[0] == \
        "Deal E1 (X) of 10,000: signed 2026-01-31, cancelled 2026-03-01, 2 months later (limit 2)"


def test_behind_pace_in_the_as_of_month_only() -> None:
    # as of 15 March (31 days): plan 310 000 → pro rata 150 000, × 80 % = 120 000 needed
    plans = plans_frame([
        ("2026-03", "Anna", 310_000), ("2026-03", "Boris", 310_000), ("2026-03", "Vera", 310_000),
        ("2026-03", "Gleb", 310_000), ("2026-02", "Anna", 1_000_000),
    ])
    deals = deals_frame([
        ("A1", "2026-03-02", "Anna", "X", 119_999.99),
        ("A2", "2026-03-03", "Anna", "X", 10_000, "2026-03-14"),  # cancelled in its month: counts 0
        ("B1", "2026-03-02", "Boris", "Y", 120_000),
        ("V1", "2026-03-02", "Vera", "Z", 74_999.99),  # Vera's March rule 50 %: needs 75 000
        ("G1", "2026-03-02", "Gleb", "W", 75_000),     # Gleb's March rule 50 %: exactly enough
    ])
    rules = FakeRules({("behind_pace", "vera", month("2026-03")): 50.0,
                       ("behind_pace", "gleb", month("2026-03")): 50.0})
    result = signals(date(2026, 3, 15), deals, plans, rules=rules)
    assert fired(result, "behind_pace") == [("anna", 2, "2026-03-15"), ("vera", 4, "2026-03-15")]
    assert result[(result["signal"] == "behind_pace") & (result["source_row"] == 2)]["details"].iloc[0] == \
        ("Signed 119,999.99 by 2026-03-15 (day 15 of 31), below 120,000: 80 % of the plan 310,000 pro rata")


def test_stuck_and_idle_clients_link_to_the_latest_row() -> None:
    funnel = funnel_frame([
        ("2026-03-06", "Anna", "Near", 2), ("2026-03-10", "Anna", "Near", 2),  # 2-3: 10 days = rule
        ("2026-03-01", "Anna", "Over", 1), ("2026-03-05", "Anna", "Over", 2),
        ("2026-03-12", "Anna", "Over", 2),  # 4-6: 11 days at stage 2 > rule 10: stuck
        ("2026-02-28", "Boris", "Late", 3),  # 7: 16 days at 3 > rule 11: stuck, and idle
        ("2026-03-03", "Boris", "Calm", 4),  # 8: 13 days since the last row: not idle
        ("2026-03-02", "Boris", "Quiet", 4),  # 9: 14 days: idle
    ])
    as_of = date(2026, 3, 16)
    rules = {("anna", 2): 10.0, ("boris", 3): 11.0, ("boris", 4): 30.0}
    result = analyse_funnel(funnel, as_of, lambda m, _month, s: rules.get((m, s)), lambda _: None)
    found = signals(as_of, funnel=result)
    assert fired(found, "stuck_client") == [("anna", 6, "2026-03-16"), ("boris", 7, "2026-03-16")]
    assert sorted(fired(found, "idle_client")) == [("boris", 7, "2026-03-16"), ("boris", 9, "2026-03-16")]
    details = found.set_index(["signal", "source_row"])["details"]
    assert details[("stuck_client", 7)] == \
        "Late: stage 3 (meeting set) for 16 days, above the stuck_days limit of 11 days"
    assert details[("idle_client", 9)] == "Quiet: no action for 14 days (limit 14)"
    assert set(found["source_tab"]) == {"funnel"}


def test_no_data_gives_an_empty_frame_with_the_contract_columns() -> None:
    result = signals(date(2026, 3, 20))
    assert list(result.columns) == SIGNAL_COLUMNS and result.empty


def test_signals_tab_links_and_highlights() -> None:
    deals = deals_frame([("E1", "2026-01-31", "Anna", "X", 10_000, "2026-03-01")])
    found = signals(date(2026, 3, 20), deals)
    tab = signals_tab(found, {"anna": "Anna"}, "ru", {"deals": "Сделки"})
    assert tab.key == "signals" and tab.title == "Сигналы"
    assert [c.header for c in tab.columns] == ["Дата", "Менеджер", "Сигнал", "Подробности", "Ссылка"]
    assert tab.rows[0][:3] == [date(2026, 3, 1), "Anna", "early_churn"]
    assert tab.rows[0][4] == Link("Сделки!2", "Сделки", 2, 0)
    # early_churn is a rare, high-severity signal: red (stuck and idle clients stay uncoloured)
    assert [(h.rows, h.cols, h.when, h.color) for h in tab.highlights] == [((2, 2), (0, 4), "always", RED)]
