"""What a write did to other people's things, and what a rejected write ran into.

Google offers no compare-and-swap for conditional-format rules: ``deleteConditionalFormatRule`` names a
rule by its index only, and the only check Google makes is that the index exists. A user's rule
*deleted* meanwhile usually moves Premia's last index past the end, and the whole atomic batch fails
(nothing applied); a rule *inserted* meanwhile shifts Premia's rules right and the batch deletes the
wrong one. The write avoids the question when it can (:func:`sheets_sync.google.write.settled`: unchanged
highlights are not rewritten). When it cannot, it uses what Google does give: the deleted rule itself in
each ``deleteConditionalFormatRule`` reply. A rule without Premia's marker, deleted from a tab Premia did
not make, was a user's, and :func:`restore_requests` puts each back where it stood among the rules the
batch left. This costs no call on the ordinary path: the replies come with the write.

When Google rejects a write (a 400: a protection, tab or rule it named is gone), :func:`verdict`
compares a fresh metadata read with the run's own read to say why: another recalculation wrote its
results meanwhile (new Premia protections, records or result tabs), or someone changed the spreadsheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sheets_sync.google.http import SheetsError
from sheets_sync.google.read import SheetMeta, is_premia_rule


class RecalculatedMeanwhile(SheetsError):
    """Another recalculation of the spreadsheet wrote its results while this one ran; this one wrote nothing.

    The spreadsheet holds the other run's complete results (its write was one atomic batch), so this is
    not Google failing: the service answers 409 and the command line its own exit status.
    """


@dataclass
class Lost:
    """A user's rule a write deleted: its sheet, where it belongs in the list the write left, the rule."""

    sheet_id: int
    gap: int  # insert here (before the rule now at this index) to put it back where it was
    rule: dict[str, Any]
    order: int  # the order the write deleted it in (a later deletion stood earlier in the list)


def lost_rules(requests: Sequence[dict[str, Any]], replies: Sequence[dict[str, Any]],
               own_tabs: set[int]) -> list[Lost]:
    """The user's rules the write deleted, each with the place the whole batch left for it.

    Premia deletes every rule on its own tabs (``own_tabs``) and only its marked rules elsewhere; a
    deleted rule elsewhere without the marker is a user's. The place is tracked through the batch's
    later rule deletions and insertions on that sheet: a deletion before the place moves it left, an
    insertion before it moves it right; a Premia rule added exactly at the place goes after the user's
    rule, because the user's own formatting wins where both apply (as on every ordinary run).
    """
    lost: list[Lost] = []
    for request, reply in zip(requests, replies, strict=False):
        if "deleteConditionalFormatRule" in request:
            sheet_id, index = _where(request["deleteConditionalFormatRule"])
            _shift(lost, sheet_id, index, -1)
            rule = (reply.get("deleteConditionalFormatRule") or {}).get("rule") or {}
            if sheet_id not in own_tabs and not is_premia_rule(rule):
                lost.append(Lost(sheet_id, index, rule, len(lost)))
        elif "addConditionalFormatRule" in request:
            add = request["addConditionalFormatRule"]
            ranges = add.get("rule", {}).get("ranges") or [{}]
            _shift(lost, int(ranges[0].get("sheetId", 0)), int(add.get("index", 0)), +1)
    return lost


def _where(payload: dict[str, Any]) -> tuple[int, int]:
    """(sheetId, index) of a delete subrequest."""
    return int(payload.get("sheetId", 0)), int(payload.get("index", 0))


def _shift(lost: list[Lost], sheet_id: int, index: int, step: int) -> None:
    """Move the places after a rule deleted (step -1) or added (step +1) at ``index`` on ``sheet_id``."""
    for entry in lost:
        if entry.sheet_id == sheet_id and index < entry.gap:
            entry.gap += step


def restore_requests(lost: list[Lost], counts: dict[int, int] | None = None) -> list[dict[str, Any]]:
    """``addConditionalFormatRule`` per lost rule, back in its place and in its original order.

    Places are filled from the first: each rule put back moves the places after it one to the right.
    ``counts`` (rules per sheet now, from a fresh read) caps each index, for when the list has since
    shrunk under the places the batch left (the rule then goes last, which keeps it, if not its rank).
    """
    out: list[dict[str, Any]] = []
    by_sheet: dict[int, list[Lost]] = {}
    for entry in lost:
        by_sheet.setdefault(entry.sheet_id, []).append(entry)
    for sheet_id, entries in by_sheet.items():
        entries.sort(key=lambda entry: (entry.gap, -entry.order))  # equal places: the later deleted first
        for put, entry in enumerate(entries):
            index = entry.gap + put
            if counts is not None:
                index = min(index, counts.get(sheet_id, 0) + put)
            out.append({"addConditionalFormatRule": {"index": index, "rule": entry.rule}})
    return out


def _premia_marks(meta: SheetMeta) -> set[tuple[object, ...]]:
    """What only a Premia write creates, each with its Google id: protections, records, result tabs."""
    marks: set[tuple[object, ...]] = {("record", mid) for mid in meta.record_ids}
    for sheet in meta.sheets:
        marks.update(("protection", pid) for pid in sheet.premia_protections)
        if sheet.premia_key is not None and not sheet.staging:
            marks.add(("tab", sheet.premia_key, sheet.sheet_id))
    return marks


def _layout(meta: SheetMeta) -> set[tuple[object, ...]]:
    """Everything a write relies on, tab by tab: ids, titles, rules, protections, charts. Hidden staging
    tabs are left out: a failed staged write may leave its own behind, and the next write removes them."""
    return {(s.sheet_id, s.title, s.is_grid, s.premia_key, s.rule_count, s.premia_rules, s.premia_protections,
             s.chart_ids) for s in meta.sheets if not s.staging} | {("records", meta.record_ids)}


def verdict(seen: SheetMeta, now: SheetMeta) -> str | None:
    """Why a write made after reading ``seen`` was rejected, given the spreadsheet is now ``now``:
    ``"another_run"`` (a Premia write landed meanwhile), ``"changed"`` (something the write named was
    changed), or None (nothing changed: the rejection has another cause)."""
    if _premia_marks(now) - _premia_marks(seen):
        return "another_run"
    if _layout(now) != _layout(seen):
        return "changed"
    return None
