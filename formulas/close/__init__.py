"""Month close (PRODUCT.md section 3a): frozen months, adjustments into the first open month, payroll.

:mod:`.records` reads and writes Premia's close records; :mod:`.frozen` the frozen lines of the
`Closed months` tab and their fingerprint; :mod:`.state` checks both against each other;
:mod:`.adjust` turns recomputed pay into the statement lines a person sees; :mod:`.actions` decides
whether a close, re-open or paid mark may happen; :mod:`.payroll` the hand-off to an accountant.
"""
