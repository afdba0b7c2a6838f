"""batchUpdate subrequests on sheet objects: conditional formats, protected ranges and charts."""

from __future__ import annotations

import copy
from typing import Any

from tests.fake_sheets import grid, masks, normalize
from tests.fake_sheets.bu_sheets import parse_fields
from tests.fake_sheets.errors import Invalid
from tests.fake_sheets.state import Sheet, Spreadsheet

# GOOGLE_FACTS.md: a conditional format may only set bold, italic, strikethrough, fore- and background.
_CF_TEXT_KEYS = {"bold", "italic", "strikethrough", "foregroundColor", "foregroundColorStyle"}
_CF_KEYS = {"textFormat", "backgroundColor", "backgroundColorStyle"}


def _rule_sheet(book: Spreadsheet, rule: dict[str, Any]) -> Sheet:
    """Check a ConditionalFormatRule and return the one sheet all its ranges are on."""
    ranges = rule.get("ranges") or []
    if not ranges:
        raise Invalid("A conditional format rule must have at least one range.")
    sheets = {grid.grid_bounds(book, r)[0].sheet_id for r in ranges}
    if len(sheets) != 1:
        raise Invalid("All ranges of a conditional format rule must be on the same sheet.")
    if ("booleanRule" in rule) == ("gradientRule" in rule):
        raise Invalid("A conditional format rule needs exactly one of booleanRule or gradientRule.")
    boolean = rule.get("booleanRule")
    if boolean is not None:
        _check_condition(boolean.get("condition") or {})
        fmt = boolean.get("format") or {}
        extra = set(fmt) - _CF_KEYS or set(fmt.get("textFormat") or {}) - _CF_TEXT_KEYS
        if extra:
            raise Invalid(
                "Conditional formatting can only set bold, italic, strikethrough, "
                f"foreground color and background color (not {sorted(extra)[0]})."
            )
    rule["ranges"] = [normalize.grid_range(r) for r in ranges]
    if boolean is not None and "format" in boolean:
        normalize.cell_format(boolean["format"])
    return book.sheet_by_id(sheets.pop())


def _check_condition(condition: dict[str, Any]) -> None:
    """A BooleanCondition needs a type; a CUSTOM_FORMULA value must be a formula."""
    if not condition.get("type"):
        raise Invalid("A boolean condition needs a type.")
    if condition["type"] == "CUSTOM_FORMULA":
        values = condition.get("values") or []
        if len(values) != 1 or not str(values[0].get("userEnteredValue", "")).startswith("="):
            raise Invalid("CUSTOM_FORMULA needs exactly one value that is a formula starting with '='.")


def add_conditional_format_rule(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """addConditionalFormatRule: insert at `index` (default 0) of its sheet's rule list."""
    rule = copy.deepcopy(payload.get("rule") or {})
    sheet = _rule_sheet(book, rule)
    index = int(payload.get("index", 0))
    if not 0 <= index <= len(sheet.conditional_formats):
        raise Invalid(f"Invalid index {index} for {len(sheet.conditional_formats)} rules.")
    sheet.conditional_formats.insert(index, rule)


def _rule_at(book: Spreadsheet, payload: dict[str, Any]) -> tuple[Sheet, int]:
    """The (sheet, index) a delete/update subrequest names; a missing rule is Invalid."""
    sheet = book.sheet_by_id(int(payload.get("sheetId", 0)))
    index = int(payload.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise Invalid(f"No conditional format on sheet: {sheet.sheet_id} at index: {index}")
    return sheet, index


def delete_conditional_format_rule(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """deleteConditionalFormatRule: reply carries the removed rule."""
    sheet, index = _rule_at(book, payload)
    return {"rule": sheet.conditional_formats.pop(index)}


def update_conditional_format_rule(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """updateConditionalFormatRule: replace the rule (`rule`) or move it (`newIndex`)."""
    if ("rule" in payload) == ("newIndex" in payload):
        raise Invalid("Exactly one of 'rule' or 'newIndex' must be set.")
    sheet, index = _rule_at(book, payload)
    old = sheet.conditional_formats.pop(index)
    if "rule" in payload:
        new = copy.deepcopy(payload["rule"])
        if _rule_sheet(book, new) is not sheet:
            raise Invalid("A rule cannot move to another sheet.")
        new_index = index
    else:
        new, new_index = old, int(payload["newIndex"])
        if not 0 <= new_index <= len(sheet.conditional_formats):
            raise Invalid(f"Invalid newIndex {new_index}.")
    sheet.conditional_formats.insert(new_index, new)
    return {"newRule": copy.deepcopy(new), "newIndex": new_index, "oldRule": old, "oldIndex": index}


def add_protected_range(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """addProtectedRange: Google assigns the id and reports `requestingUserCanEdit: true`.

    With `warningOnly: true` the editors sent are ignored (discovery document: "if this field is true,
    then editors are ignored"); the requesting user is still stored as the editor, as recorded.
    """
    protected = copy.deepcopy(payload.get("protectedRange") or {})
    if "range" not in protected:
        raise Invalid("A protected range needs a range.")
    if protected.get("warningOnly"):
        protected.pop("editors", None)
    sheet = grid.grid_bounds(book, protected["range"])[0]
    if "protectedRangeId" in protected and int(protected["protectedRangeId"]) in book.used_ids():
        raise Invalid(f"Protected range id {protected['protectedRangeId']} is already in use.")
    protected.setdefault("protectedRangeId", book.new_id())
    protected["requestingUserCanEdit"] = True
    reply = copy.deepcopy(normalize.protected_range(protected))
    # Google adds the requesting user (here: the owner) to the editors it stores, not to the reply.
    users = protected["editors"].get("users", [])
    if book.owner_email and book.owner_email not in users:
        protected["editors"]["users"] = [*users, book.owner_email]
    sheet.protected_ranges.append(protected)
    return {"protectedRange": reply}


def _find_protected(book: Spreadsheet, range_id: int) -> tuple[Sheet, dict[str, Any]]:
    """The protected range with this id, or Invalid."""
    for sheet in book.sheets:
        for protected in sheet.protected_ranges:
            if int(protected["protectedRangeId"]) == range_id:
                return sheet, protected
    raise Invalid(f"No protected range with id: {range_id}")


def delete_protected_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """deleteProtectedRange by id."""
    sheet, protected = _find_protected(book, int(payload.get("protectedRangeId", 0)))
    sheet.protected_ranges.remove(protected)


def update_protected_range(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """updateProtectedRange with a field mask."""
    tree = parse_fields(payload, "ProtectedRange")
    source = payload.get("protectedRange") or {}
    _, protected = _find_protected(book, int(source.get("protectedRangeId", 0)))
    editors = copy.deepcopy(protected.get("editors"))
    masks.apply_update(protected, source, tree)
    if protected.get("warningOnly"):
        protected["editors"] = editors or {}  # editors are ignored while the range is warning-only
    normalize.protected_range(protected)


def add_chart(book: Spreadsheet, payload: dict[str, Any]) -> dict[str, Any]:
    """addChart: the spec is stored as given; the chart lives on its anchor sheet."""
    chart = copy.deepcopy(payload.get("chart") or {})
    position = chart.get("position") or {}
    anchor = (position.get("overlayPosition") or {}).get("anchorCell") or {}
    if "sheetId" in position:
        sheet = book.sheet_by_id(int(position["sheetId"]))
    elif anchor:
        sheet = book.sheet_by_id(int(anchor.get("sheetId", 0)))
    else:
        raise Invalid("The fake needs a chart position with sheetId or overlayPosition.anchorCell.")
    if "spec" not in chart:
        raise Invalid("A chart needs a spec.")
    chart.setdefault("chartId", book.new_id())
    sheet.charts.append(chart)
    return {"chart": copy.deepcopy(chart)}


def delete_embedded_object(book: Spreadsheet, payload: dict[str, Any]) -> None:
    """deleteEmbeddedObject: remove a chart by id."""
    object_id = int(payload.get("objectId", -1))
    for sheet in book.sheets:
        for chart in sheet.charts:
            if int(chart["chartId"]) == object_id:
                sheet.charts.remove(chart)
                return
    raise Invalid(f"No embedded object with id: {object_id}")


HANDLERS = {
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "updateConditionalFormatRule": update_conditional_format_rule,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "updateProtectedRange": update_protected_range,
    "addChart": add_chart,
    "deleteEmbeddedObject": delete_embedded_object,
}
