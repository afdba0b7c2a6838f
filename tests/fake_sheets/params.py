"""Validation of query parameters against a method's `parameters` in the discovery document, and of the
standard `fields` parameter (a response field mask) against the method's response schema."""

from __future__ import annotations

import re
from typing import Any

from tests.fake_sheets import masks
from tests.fake_sheets.errors import ApiError
from tests.fake_sheets.schema import discovery, unknown_mask_paths

# Method ids of the endpoints this fake implements, as named in the discovery document.
METHODS = {
    "get": ("spreadsheets", "get"),
    "create": ("spreadsheets", "create"),
    "batchUpdate": ("spreadsheets", "batchUpdate"),
    "values.get": ("spreadsheets.values", "get"),
    "values.batchGet": ("spreadsheets.values", "batchGet"),
    "values.update": ("spreadsheets.values", "update"),
    "values.batchUpdate": ("spreadsheets.values", "batchUpdate"),
    "values.clear": ("spreadsheets.values", "clear"),
    "developerMetadata.get": ("spreadsheets.developerMetadata", "get"),
    "developerMetadata.search": ("spreadsheets.developerMetadata", "search"),
    # Not served by the fake, but known so recorded gspread traffic can be validated too.
    "values.append": ("spreadsheets.values", "append"),
    "values.batchClear": ("spreadsheets.values", "batchClear"),
}


def method(kind: str) -> dict[str, Any]:
    """Return the discovery description of one implemented method."""
    resource, name = METHODS[kind]
    node: dict[str, Any] = discovery()
    for part in resource.split("."):
        node = node["resources"][part]
    return node["methods"][name]


def _query_params(kind: str) -> dict[str, dict[str, Any]]:
    """All query parameters the method accepts: its own plus the API-wide standard ones."""
    own = {k: v for k, v in method(kind).get("parameters", {}).items() if v.get("location") == "query"}
    return {**discovery()["parameters"], **own}


def _bad_value(spec: dict[str, Any], value: str) -> bool:
    """True when a query value does not fit the parameter's type or enum."""
    if spec.get("type") == "boolean":
        # Google accepts any capitalisation (gspread itself sends includeGridData=False).
        return value.lower() not in ("true", "false")
    if spec.get("type") == "integer":
        return not value.lstrip("-").isdigit()
    return "enum" in spec and value not in spec["enum"]


def validate_query(kind: str, query: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Return [(parameter, Google-style message)] for unknown, repeated or ill-typed query parameters."""
    known = _query_params(kind)
    problems: list[tuple[str, str]] = []
    for name, values in query.items():
        spec = known.get(name)
        if spec is None:
            problems.append(
                (
                    name,
                    (
                        f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                        f"Field '{name}' could not be found in request message."
                    ),
                )
            )
            continue
        if len(values) > 1 and not spec.get("repeated"):
            problems.append((name, f"Invalid value at '{name}': repeated values for a singular field"))
        problems.extend(
            (name, f"Invalid value at '{name}', \"{value}\"") for value in values if _bad_value(spec, value)
        )
    return problems


def _fields_error(path: str) -> ApiError:
    """Google's 400 for a `fields` mask naming no field (wording from a public report of the real API)."""
    return ApiError(
        400,
        "Request contains an invalid argument.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [
                    {
                        "description": (
                            f"Error expanding 'fields' parameter. Cannot find matching fields for path '{path}'."
                        )
                    }
                ],
            }
        ],
    )


def response_mask(kind: str, query: dict[str, list[str]]) -> masks.Mask | None:
    """The parsed `fields` mask of a request (None without one), checked against the response schema.

    Unlike a FieldMask inside a request body, the Sheets `fields` parser takes no whitespace:
    `properties, sheets.properties` is a 400 naming the path ` sheets.properties`.
    """
    text = query.get("fields", [None])[0]
    if text is None or kind not in METHODS:
        return None
    spaced = next((part for part in re.split(r"[,()]", text) if part != part.strip()), None)
    if spaced is not None:
        raise _fields_error(spaced)
    try:
        tree = masks.parse(text)
    except masks.MaskError:
        raise _fields_error(text) from None
    response = method(kind).get("response", {}).get("$ref")
    bad = unknown_mask_paths(response, masks.paths(tree)) if response else []
    if bad:
        raise _fields_error(bad[0])
    return tree
