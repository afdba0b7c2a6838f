"""Rules keys that are settings of the funnel and signals rather than pay (PRODUCT.md section 4).

Each setting is a Rules row with the key as `Component`, the number in `Value` (and, for
``stuck_days``, the stage in `Threshold`), taken for the manager concerned in the month concerned.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One settings key: its default when no rule sets it, and how its Threshold reads."""

    key: str
    default: float | None
    threshold: str = "number"  # a parser kind of formulas.read.columns


SETTINGS: tuple[Setting, ...] = (
    Setting("stuck_days", None, "threshold_stage"),  # Threshold = stage, Value = days; default: the p75
    Setting("idle_days", 14.0),
    Setting("plan_jump", 30.0),
    Setting("fake_margin", 5.0),
    Setting("early_churn_months", 2.0, "months"),
    Setting("behind_pace", 80.0),
)
DEFAULTS: dict[str, float | None] = {setting.key: setting.default for setting in SETTINGS}
