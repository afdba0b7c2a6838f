"""Strict validation of request bodies and query parameters against the official discovery document.

The Sheets v4 discovery document (shipped inside google-api-python-client) is converted once into a
JSON Schema (draft 2020-12): every `$ref` points into `$defs`, objects with declared properties reject
unknown keys, enums are enforced, int64/uint64 accept a decimal string or an integer, JSON `null` is
accepted for any optional field, and `Request`/`ExtendedValue` are unions (exactly one key).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import googleapiclient
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

DISCOVERY_PATH = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "sheets.v4.json"

# Protobuf oneofs the discovery document cannot express; Google rejects a second member.
UNION_SCHEMAS = ("Request", "ExtendedValue")

_INT32 = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
_UINT32 = {"type": "integer", "minimum": 0, "maximum": 2**32 - 1}
_INT64 = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^-?[0-9]+$"}]}
_UINT64 = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^[0-9]+$"}]}


@functools.cache
def discovery() -> dict[str, Any]:
    """Return the parsed discovery document (read once per process)."""
    return json.loads(DISCOVERY_PATH.read_text(encoding="utf-8"))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Allow JSON null next to `schema`: Google treats a null optional field as unset."""
    return {"anyOf": [{"type": "null"}, schema]}


def _convert(node: Mapping[str, Any]) -> dict[str, Any]:
    """Convert one discovery schema node into JSON Schema."""
    if "$ref" in node:
        return {"$ref": f"#/$defs/{node['$ref']}"}
    kind, fmt = node.get("type"), node.get("format")
    out: dict[str, Any]
    if kind == "integer":
        out = dict({"int64": _INT64, "uint64": _UINT64, "uint32": _UINT32}.get(fmt or "", _INT32))
    elif kind == "string" and fmt in ("int64", "uint64"):
        out = dict(_INT64 if fmt == "int64" else _UINT64)
    elif kind == "number":
        out = {"type": "number"}
    elif kind in ("string", "boolean"):
        out = {"type": kind}
    elif kind == "any":
        out = {}
    elif kind == "array":
        out = {"type": "array", "items": _convert(node.get("items", {"type": "any"}))}
    elif kind == "object":
        out = _convert_object(node)
    else:
        out = {}
    if "enum" in node:
        out["enum"] = list(node["enum"])
    return out


def _convert_object(node: Mapping[str, Any]) -> dict[str, Any]:
    """Convert an object node: a message (closed) or a map (additionalProperties)."""
    if "additionalProperties" in node:
        return {"type": "object", "additionalProperties": _convert(node["additionalProperties"])}
    props = {name: _nullable(_convert(sub)) for name, sub in node.get("properties", {}).items()}
    return {"type": "object", "properties": props, "additionalProperties": False}


@functools.cache
def json_schema() -> dict[str, Any]:
    """Return the whole discovery `schemas` section as one JSON Schema document with `$defs`."""
    defs = {name: _convert(node) for name, node in discovery()["schemas"].items()}
    for name in UNION_SCHEMAS:
        defs[name]["maxProperties"] = 1
    defs["Request"]["minProperties"] = 1
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}


@functools.cache
def validator(schema_name: str) -> Draft202012Validator:
    """Return a validator for one named schema (e.g. `BatchUpdateSpreadsheetRequest`)."""
    root = dict(json_schema())
    root["$ref"] = f"#/$defs/{schema_name}"
    return Draft202012Validator(root)


def _snake(name: str) -> str:
    """camelCase -> snake_case, as Google spells field paths in its error messages."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _field_path(error: ValidationError, prefix: str) -> str:
    """Render a jsonschema error location like Google: `requests[0].add_sheet.properties`."""
    parts: list[str] = [prefix] if prefix else []
    for step in error.absolute_path:
        if isinstance(step, int) and parts:
            parts[-1] += f"[{step}]"
        else:
            parts.append(_snake(str(step)))
    return ".".join(parts)


def _message(error: ValidationError, prefix: str) -> tuple[str, str]:
    """Return (field, Google-style message) for one schema error."""
    field = _field_path(error, prefix)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        name = extra[0] if extra else "?"
        return (
            field,
            f"Invalid JSON payload received. Unknown name \"{name}\" at '{field}': Cannot find field.",
        )
    if error.validator == "maxProperties":
        keys = sorted(error.instance)
        return field, (
            f"Invalid value at '{field}' (oneof), oneof field 'kind' is already set. Cannot set '{keys[-1]}'"
        )
    if error.validator == "minProperties":
        return field, f"Invalid {field}: No request set."
    return field, f"Invalid value at '{field}', {json.dumps(error.instance, ensure_ascii=False)[:200]}"


def validate_body(schema_name: str, body: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Validate a request body; return [(field, message)] for every violation (empty when valid).

    `prefix` is the name Google binds the body to (values.update binds it to `data`).
    """
    errors = sorted(validator(schema_name).iter_errors(body), key=lambda e: list(e.absolute_path))
    return [_message(_deepest(e), prefix) for e in errors]


def _deepest(error: ValidationError) -> ValidationError:
    """Descend through anyOf (null-or-value) wrappers to the error that names the real problem."""
    while error.context:
        non_null = [e for e in error.context if e.validator != "type" or e.validator_value != "null"]
        error = max(non_null or error.context, key=lambda e: len(e.absolute_path))
    return error


def unknown_mask_paths(schema_name: str, dotted_paths: list[str]) -> list[str]:
    """Return the field-mask paths that name no field of `schema_name` (Google rejects those)."""
    schemas = discovery()["schemas"]
    bad: list[str] = []
    for path in dotted_paths:
        node: dict[str, Any] | None = schemas[schema_name]
        for name in path.split("."):
            if name == "*":
                break
            prop = (node or {}).get("properties", {}).get(name)
            if prop is None:
                bad.append(path)
                break
            prop = prop.get("items", prop)
            node = schemas.get(prop["$ref"]) if "$ref" in prop else None
    return bad
