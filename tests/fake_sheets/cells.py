"""What a stored cell reads back as: effective value, UNFORMATTED/FORMATTED/FORMULA renderings.

Formulas: only trivial ones are evaluated — arithmetic on number literals (`=4/2`, `=1+1`), a string
literal (`="x"`) and `=HYPERLINK("url"; "label")` (label, else url). Any other formula has no computed
value here: it reads back as its formula text in every render option (documented limitation).
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from typing import Any

_EPOCH = dt.date(1899, 12, 30)
_DATE_TYPES = ("DATE", "TIME", "DATE_TIME")
_HYPERLINK = re.compile(r'^=\s*HYPERLINK\(\s*"([^"]*)"\s*(?:[,;]\s*"([^"]*)"\s*)?\)\s*$', re.I)
_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _arith(node: ast.AST) -> float:
    """Evaluate a number-literal arithmetic tree; anything else raises ValueError."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arith(node.left), _arith(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arith(node.operand))
    raise ValueError("not trivial")


def evaluate(formula: str) -> dict[str, Any] | None:
    """The ExtendedValue a trivial formula computes to, or None when the fake cannot compute it."""
    link = _HYPERLINK.match(formula)
    if link:
        return {"stringValue": link.group(2) if link.group(2) is not None else link.group(1)}
    body = formula[1:].strip()
    if re.fullmatch(r'"[^"]*"', body):
        return {"stringValue": body[1:-1]}
    try:
        return {"numberValue": _arith(ast.parse(body, mode="eval").body)}
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None


def effective_value(cell: dict[str, Any]) -> dict[str, Any] | None:
    """The cell's computed ExtendedValue (None for an empty cell)."""
    entered = cell.get("userEnteredValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        return evaluate(entered["formulaValue"]) or {"stringValue": entered["formulaValue"]}
    return dict(entered)


def hyperlink(cell: dict[str, Any]) -> str | None:
    """The link Google reports in `CellData.hyperlink`: a HYPERLINK formula or a whole-cell link format."""
    formula = (cell.get("userEnteredValue") or {}).get("formulaValue", "")
    match = _HYPERLINK.match(formula)
    if match:
        return match.group(1)
    uri = ((cell.get("userEnteredFormat") or {}).get("textFormat") or {}).get("link", {}).get("uri")
    runs = cell.get("textFormatRuns") or []
    run_uri = ((runs[0].get("format") or {}).get("link") or {}).get("uri") if len(runs) == 1 else None
    return uri or run_uri


def _number_format(cell: dict[str, Any]) -> dict[str, Any]:
    """The cell's numberFormat ({} when unformatted)."""
    return (cell.get("userEnteredFormat") or {}).get("numberFormat") or {}


def _plain_number(value: float) -> str:
    """Google's default rendering of an unformatted number: `2`, `1.5`, `0.0009765625`."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _format_date(serial: float, pattern: str, kind: str) -> str:
    """Render a serial number with a date/time pattern (yyyy, mm, dd, hh, ss; M/d/yyyy)."""
    moment = dt.datetime.combine(_EPOCH, dt.time()) + dt.timedelta(days=serial)
    pattern = pattern or {"DATE": "yyyy-mm-dd", "TIME": "hh:mm:ss"}.get(kind, "yyyy-mm-dd hh:mm:ss")
    out = pattern
    for token, value in (
        ("yyyy", f"{moment.year:04d}"),
        ("hh", f"{moment.hour:02d}"),
        ("ss", f"{moment.second:02d}"),
        ("dd", f"{moment.day:02d}"),
        ("mm", f"{moment.month:02d}"),
        ("M", str(moment.month)),
        ("d", str(moment.day)),
    ):
        out = out.replace(token, value)
    return out


def _format_number(value: float, pattern: str, percent: bool) -> str:
    """Render a number with a `#,##0.00`-style pattern; literal prefix/suffix text is kept."""
    match = re.search(r"[#0][#0,]*(\.[0#]+)?", pattern)
    if not match:
        return _plain_number(value)
    decimals = len(match.group(1)) - 1 if match.group(1) else 0
    grouping = "," in match.group(0)
    scaled = value * 100 if percent else value
    core = f"{scaled:,.{decimals}f}" if grouping else f"{scaled:.{decimals}f}"
    prefix = pattern[: match.start()].replace('"', "").replace("\\", "")
    suffix = pattern[match.end() :].replace('"', "").replace("\\", "")
    return f"{prefix}{core}{suffix}"


def formatted(cell: dict[str, Any]) -> str | None:
    """FORMATTED_VALUE: the string Google shows in the cell (None for an empty cell)."""
    value = effective_value(cell)
    if value is None:
        return None
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    if "numberValue" not in value:
        return str(next(iter(value.values())))
    number = float(value["numberValue"])
    fmt = _number_format(cell)
    kind, pattern = fmt.get("type", ""), fmt.get("pattern", "")
    if kind in _DATE_TYPES:
        return _format_date(number, pattern, kind)
    if kind == "PERCENT":
        return _format_number(number, pattern or "0.00%", percent=True)
    if kind in ("NUMBER", "CURRENCY", "SCIENTIFIC") and pattern:
        return _format_number(number, pattern, percent=False)
    return _plain_number(number)


def rendered(cell: dict[str, Any], render: str, date_render: str) -> Any:
    """The value `values.get` returns for one cell, or None for an empty cell."""
    entered = cell.get("userEnteredValue")
    if not entered:
        return None
    if render == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    if render == "FORMATTED_VALUE":
        return formatted(cell)
    value = effective_value(cell) or {}
    if "numberValue" in value:
        if date_render == "FORMATTED_STRING" and _number_format(cell).get("type") in _DATE_TYPES:
            return formatted(cell)
        number = value["numberValue"]
        return int(number) if float(number).is_integer() and abs(number) < 1e15 else number
    return next(iter(value.values()), None)


def date_serial(day: dt.date) -> int:
    """A date as a Sheets serial number (days since 1899-12-30)."""
    return (day - _EPOCH).days
