"""The keys a Rules row may name in `Component`, and how each one's Threshold reads.

Both come from their tables: pay components (:mod:`formulas.pay.components`) and funnel settings
(:mod:`formulas.funnel.settings`). A key without a threshold reading reads it as a plain number.
"""

from __future__ import annotations

from formulas.funnel.settings import SETTINGS
from formulas.pay.components import COMPONENTS

COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)
RULE_KEYS: tuple[str, ...] = (*COMPONENT_KEYS, *(s.key for s in SETTINGS))
THRESHOLD_KINDS: dict[str, str] = {**{c.key: c.threshold for c in COMPONENTS},
                                   **{s.key: s.threshold for s in SETTINGS}}
# Components whose Value is a percentage, and the highest one that is not a typo (section 2).
PERCENT_KEYS: frozenset[str] = frozenset(c.key for c in COMPONENTS if c.value == "percent")
MAX_RATE = 1000.0
