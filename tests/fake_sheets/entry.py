"""Turning values written through the values API (RAW or USER_ENTERED) or seeded by tests into CellData.

USER_ENTERED is parsed "as if typed" (en_US rules only): `=...` is a formula, `12%` a percent,
`1,234.5` and `42` numbers, `TRUE`/`FALSE` booleans, `2020-01-01` an ISO date, and a leading `'`
forces text. RAW stores strings as text, numbers as numbers, booleans as booleans.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.fake_sheets.cells import date_serial

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")


def _typed_number(text: str) -> tuple[float, dict[str, Any] | None] | None:
    """Parse `42`, `-1.5`, `1,234.50`, `12%`; return (number, numberFormat or None)."""
    body = text.strip()
    percent = body.endswith("%")
    if percent:
        body = body[:-1].strip()
    if not body or not _NUMBER.match(body) or not any(ch.isdigit() for ch in body):
        return None
    number = float(body.replace(",", ""))
    decimals = len(body.split(".")[1]) if "." in body else 0
    if percent:
        return number / 100, {
            "type": "PERCENT",
            "pattern": "0" + ("." + "0" * decimals if decimals else "") + "%",
        }
    if "," in body:
        return number, {"type": "NUMBER", "pattern": "#,##0" + ("." + "0" * decimals if decimals else "")}
    return number, None


def user_entered(value: Any) -> dict[str, Any]:
    """CellData for a value typed by a user (USER_ENTERED); {} clears the value."""
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    text = str(value)
    if text == "":
        return {}
    if text.startswith("'"):
        return {"userEnteredValue": {"stringValue": text[1:]}}
    if text.startswith("="):
        return {"userEnteredValue": {"formulaValue": text}}
    if text.upper() in ("TRUE", "FALSE"):
        return {"userEnteredValue": {"boolValue": text.upper() == "TRUE"}}
    number = _typed_number(text)
    if number is not None:
        cell: dict[str, Any] = {"userEnteredValue": {"numberValue": number[0]}}
        if number[1]:
            cell["userEnteredFormat"] = {"numberFormat": number[1]}
        return cell
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            serial = date_serial(dt.date.fromisoformat(text))
        except ValueError:
            return {"userEnteredValue": {"stringValue": text}}
        return {
            "userEnteredValue": {"numberValue": serial},
            "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}},
        }
    return {"userEnteredValue": {"stringValue": text}}


def raw(value: Any) -> dict[str, Any]:
    """CellData for a RAW value: text stays text (even `=1+1` or `007`); "" clears the value."""
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    text = str(value)
    return {"userEnteredValue": {"stringValue": text}} if text != "" else {}


def seeded(value: Any) -> dict[str, Any]:
    """CellData for a test seed: a dict is taken as CellData as is; `=...` strings become formulas."""
    if isinstance(value, dict):
        return dict(value)
    if value is None:
        return {}
    if isinstance(value, str) and value.startswith("="):
        return {"userEnteredValue": {"formulaValue": value}}
    if isinstance(value, dt.date):
        return {
            "userEnteredValue": {"numberValue": date_serial(value)},
            "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}},
        }
    return raw(value)
