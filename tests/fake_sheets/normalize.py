"""Store objects the way Google echoes them back (learned from the recorded responses).

Google serialises protobuf defaults away: a colour component of 0, `frozenRowCount: 0`,
`hideGridlines: false`, `warningOnly: false` and a GridRange's `sheetId: 0` are omitted, an empty
colour style clears the colour, and a plain colour is mirrored into its `...Style.rgbColor` twin.
"""

from __future__ import annotations

from typing import Any

# (plain colour key, style key) pairs Google keeps in sync.
_COLOR_PAIRS = (
    ("backgroundColor", "backgroundColorStyle"),
    ("foregroundColor", "foregroundColorStyle"),
    ("tabColor", "tabColorStyle"),
)
_SHEET_FLAGS = ("hidden", "rightToLeft")
_GRID_KEEP = ("rowCount", "columnCount")


def color(value: dict[str, Any]) -> dict[str, Any]:
    """Drop zero components of a Color (`{"red": 1, "green": 0}` -> `{"red": 1}`)."""
    return {k: v for k, v in value.items() if v not in (0, 0.0)}


def mirror_colors(holder: dict[str, Any]) -> None:
    """Keep `xColor` and `xColorStyle.rgbColor` in sync; an empty style clears both."""
    for plain, style in _COLOR_PAIRS:
        if style in holder:
            rgb = (holder[style] or {}).get("rgbColor")
            theme = (holder[style] or {}).get("themeColor")
            if rgb is None and theme is None:
                holder.pop(style)
                holder.pop(plain, None)
                continue
            if rgb is not None:
                holder[plain] = color(rgb)
                holder[style] = {"rgbColor": color(rgb)}
        elif plain in holder:
            holder[plain] = color(holder[plain] or {})
            holder[style] = {"rgbColor": dict(holder[plain])}


def cell_format(fmt: dict[str, Any]) -> dict[str, Any]:
    """A CellFormat as stored: colours mirrored and zero components dropped; empty parts removed."""
    mirror_colors(fmt)
    text = fmt.get("textFormat")
    if isinstance(text, dict):
        mirror_colors(text)
        if not text:
            fmt.pop("textFormat")
    return fmt


def sheet_properties(props: dict[str, Any]) -> dict[str, Any]:
    """SheetProperties as stored: default flags and zero frozen counts omitted, tab colour mirrored."""
    mirror_colors(props)
    for flag in _SHEET_FLAGS:
        if props.get(flag) is False:
            props.pop(flag)
    size = props.get("gridProperties", {})
    for key in [k for k, v in size.items() if k not in _GRID_KEEP and v in (0, False)]:
        size.pop(key)
    return props


def grid_range(value: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as echoed: `sheetId: 0` is omitted (proto3 default)."""
    return {k: v for k, v in value.items() if not (k == "sheetId" and v == 0)}


def protected_range(value: dict[str, Any]) -> dict[str, Any]:
    """A ProtectedRange as echoed: range normalised, `warningOnly: false` omitted."""
    if "range" in value:
        value["range"] = grid_range(value["range"])
    if value.get("warningOnly") is False:
        value.pop("warningOnly")
    editors = value.get("editors") or {}
    value["editors"] = {k: v for k, v in editors.items() if v not in ([], False)}
    return value
