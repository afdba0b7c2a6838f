"""Premia's conditional-format rules in a workbook: built from :class:`Highlight`, tagged, replaced.

Every rule Premia writes is an expression rule whose formula ends with the harmless marker
``"premia"="premia"`` (always TRUE). The marker is how the next run finds Premia's own rules on input
tabs and removes them without touching the user's conditional formats (PRODUCT.md section 3: Premia
only adds and removes its own rules there).

Expression rules are used for every kind of highlight, not "cell is" rules: ``ISNUMBER`` keeps empty
cells uncoloured (a "cell is less than" rule colours blanks, which count as 0), and ``between`` is
half-open (``values[0] <= x < values[1]``) as the model defines it, where Excel's "between" includes
both ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from formulas.report.model import Highlight

MARKER = '"premia"="premia"'


def _number(value: float) -> str:
    """A number as a formula literal: ``0.8``, ``1``, ``1E-05``; infinities and NaN are rejected."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"a highlight threshold must be a finite number, not {value!r}")
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number).upper()


def highlight_range(highlight: Highlight) -> str:
    """The A1 range a highlight covers, e.g. ``E2:E9`` (rows 1-based, columns 0-based in the model)."""
    first, last = (get_column_letter(col + 1) for col in highlight.cols)
    return f"{first}{highlight.rows[0]}:{last}{highlight.rows[1]}"


def highlight_formula(highlight: Highlight) -> str:
    """The rule's formula, relative to the range's top-left cell, ending with Premia's marker."""
    cell = f"{get_column_letter(highlight.cols[0] + 1)}{highlight.rows[0]}"
    bounds = [_number(value) for value in highlight.values]
    if highlight.when == "always":
        tests = ["TRUE"]
    elif highlight.when == "lt":
        tests = [f"ISNUMBER({cell})", f"{cell}<{bounds[0]}"]
    elif highlight.when == "gte":
        tests = [f"ISNUMBER({cell})", f"{cell}>={bounds[0]}"]
    elif highlight.when == "between":
        tests = [f"ISNUMBER({cell})", f"{cell}>={bounds[0]}", f"{cell}<{bounds[1]}"]
    else:
        raise ValueError(f"unknown highlight condition {highlight.when!r}")
    return "AND(" + ",".join([*tests, MARKER]) + ")"


def premia_rule(highlight: Highlight, priority: int) -> Rule:
    """An expression rule filling the highlight's cells with its colour, at the given priority."""
    argb = "FF" + highlight.color  # opaque; openpyxl would prefix the model's RGB with alpha 00
    fill = PatternFill(fill_type="solid", start_color=argb, end_color=argb)
    rule = FormulaRule(formula=[highlight_formula(highlight)], fill=fill)
    rule.priority = priority
    return rule


def is_premia_rule(rule: Rule) -> bool:
    """True for a rule Premia wrote (an expression rule carrying the marker)."""
    return rule.type == "expression" and any(MARKER in formula for formula in rule.formula or ())


def replace_premia_rules(ws: Worksheet, highlights: Iterable[Highlight]) -> None:
    """Drop the sheet's previous Premia rules and add one rule per highlight.

    The user's rules keep their ranges, order and priorities; Premia's come after them (a higher
    priority number), so a user's own formatting still wins where both apply.
    """
    kept = ConditionalFormattingList()
    for formatting in ws.conditional_formatting:
        for rule in formatting.rules:
            if not is_premia_rule(rule):
                kept.add(formatting, rule)
    priority = max((rule.priority or 0 for formatting in kept for rule in formatting.rules), default=0)
    for offset, highlight in enumerate(highlights, start=1):
        kept.add(highlight_range(highlight), premia_rule(highlight, priority + offset))
    ws.conditional_formatting = kept
