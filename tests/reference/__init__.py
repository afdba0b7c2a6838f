"""A deliberately simple reference engine written from PRODUCT.md alone (sections 2, 3 and 3b).

Plain Python: ``Decimal`` money, ``date`` days, one loop per row, dicts and lists. It shares nothing with
``formulas/`` but the input type (:class:`formulas.raw.RawWorkbook`), so the property test in
``tests/test_reference_engine.py`` compares two independent readings of the contract.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from formulas.raw import RawWorkbook
from tests.reference.pay import credited, reference_pay
from tests.reference.validate import validate


def month_text(month: int) -> str:
    """A month index (``year * 12 + month - 1``) as ``YYYY-MM``."""
    year, number = divmod(month, 12)
    return f"{year:04d}-{number + 1:02d}"


def reference_lines(workbook: RawWorkbook, as_of: date) -> dict[tuple[str, str, str], Decimal]:
    """Every statement line: (month ``YYYY-MM``, manager key, component) → amount to the kopeck.

    Lines of 0 are left out except ``base_salary``. A month that both receives a carry and passes one on
    holds the sum of its two ``carried_over`` lines (left out when it is 0).
    """
    lines = reference_pay(validate(workbook, as_of))
    return {(month_text(month), manager, component): amount for (month, manager, component), amount in lines.items()}


def reference_credit(workbook: RawWorkbook, as_of: date) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(month ``YYYY-MM``, manager key) → (Fact, Deals): the signed Amount and number of deals credited to the
    manager in that month, by share for a split deal (PRODUCT.md section 3b), exact."""
    credit = credited(validate(workbook, as_of))
    return {(month_text(month), manager): value for (manager, month), value in credit.items()}


def reference_issue_cells(workbook: RawWorkbook, as_of: date) -> Counter[tuple[str, int, str]]:
    """Every input issue as (tab title, sheet row, column header); a missing tab is (title, 0, "")."""
    return Counter((tab, row, column) for tab, row, column, _reason in validate(workbook, as_of).issues)


def reference_issues(workbook: RawWorkbook, as_of: date) -> list[tuple[str, int, str, str]]:
    """Every input issue with the reference's reason, for readable failure messages."""
    return validate(workbook, as_of).issues
