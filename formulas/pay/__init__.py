"""Pay (PRODUCT.md section 3): the component table, rules in force, contributions, statement lines.

:mod:`.components` is the one table of pay components; :mod:`.compute` runs it, then the explicit steps
after it: clawback, base salary, statement lines and carry-over.
"""
