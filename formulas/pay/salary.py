"""Base salary prorated by calendar days employed (PRODUCT.md section 3, "Months").

Each `Team` row contributes base × days employed in the month ÷ days in the month, rounded half-up;
several rows for one manager (a salary or role change) each contribute their own share.
"""

from __future__ import annotations

import pandas as pd

from formulas.money import round_half_up
from formulas.months import days_in_month, month_end, month_start


def employed_days(start: pd.Timestamp, end: pd.Timestamp, month: int) -> int:
    """Calendar days of ``month`` inside [start, end] (inclusive; NaT = open-ended)."""
    first, last = month_start(month), month_end(month)
    begin = max(first, start.date()) if not pd.isna(start) else first
    finish = min(last, end.date()) if not pd.isna(end) else last
    return max(0, (finish - begin).days + 1)


def base_salary_contributions(team: pd.DataFrame, months: list[int]) -> pd.DataFrame:
    """One contribution per Team row and month in which that row is employed."""
    records = []
    for row in team.itertuples(index=False):  # team rows × months: hundreds, never per deal
        for month in months:
            days = employed_days(row.start, row.end, month)
            if days == 0:
                continue
            total = days_in_month(month)
            records.append({
                "month": month, "manager_key": row.manager_key, "component": "base_salary",
                "source_tab": "team", "source_row": int(row.row), "deal_id": "", "client": "",
                "base": float(row.base_salary), "rate": days / total * 100.0,
                "amount": round_half_up(row.base_salary * days / total), "rule_row": -1,
            })
    return pd.DataFrame.from_records(records)


