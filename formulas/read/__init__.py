"""Reading input: find the input tabs, parse messy cells, check rows and tabs, and hand pay the clean tables.

raw tabs → :mod:`.tabs` (find tabs and columns) → :mod:`.parse` (one column at a time) → :mod:`.columns`
(one located issue per bad cell) → :mod:`.checks` (per-tab rules) → :mod:`.validate` → :class:`.inputs.Inputs`.
"""
