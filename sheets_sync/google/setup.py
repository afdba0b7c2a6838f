"""Create the input tabs of PRODUCT.md section 2 that a spreadsheet lacks, in one ``batchUpdate``.

Each new tab gets its bold, frozen header row with a short note per column, and drop-downs
(``showCustomUi``, not strict: a value outside the list is still accepted and the core reports it)
for roles, sources, statuses and stages, and for manager names from the Team tab's manager column.
Titles, headers, choices and notes follow the spreadsheet's language. Existing tabs are never
touched; when nothing is missing the body has no requests and no call is made.
"""

from __future__ import annotations

from typing import Any

from formulas.contract import INPUT_TABS, OPTIONAL_TABS, ROLES, STAGE_NAMES_EN, STAGE_NAMES_RU, TabSpec
from formulas.read.tabs import input_tab_spec
from formulas.report.model import column_letters
from formulas.text import say
from sheets_sync.google.cells import HEADER_FORMAT
from sheets_sync.google.read import SheetMeta, existing_language, quote_title
from sheets_sync.google.write import new_sheet_id

ROWS, MIN_COLUMNS = 1000, 26
CHOICES: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("team", "role"): (tuple(say(f"role.{role}", "en") for role in ROLES),
                       tuple(say(f"role.{role}", "ru") for role in ROLES)),
    ("deals", "source"): (("inbound", "outbound"), ("входящий", "исходящий")),
    ("deals", "status"): (("active", "cancelled", "refunded"), ("действует", "расторгнут", "возврат")),
    ("funnel", "stage"): ((*STAGE_NAMES_EN, "lost"), (*STAGE_NAMES_RU, "отказ")),
}
# Columns holding a manager's name: their drop-down lists the Team tab's managers.
MANAGER_COLUMNS = {("plans", "manager"), ("deals", "manager"), ("funnel", "manager"),
                   ("payments", "collector"), ("splits", "manager")}
OPTIONAL_KEYS = tuple(spec.key for spec in OPTIONAL_TABS)  # created only when asked (PRODUCT.md 3b, 3c)

def missing_tabs(meta: SheetMeta, optional: tuple[str, ...] = ()) -> list[TabSpec]:
    """Input tabs no tab of the spreadsheet stands for (in either language); of the optional tabs, only
    those whose keys ``optional`` names."""
    present = {spec.key for sheet in meta.sheets if (spec := input_tab_spec(sheet.title)) is not None}
    wanted = [*INPUT_TABS, *(spec for spec in OPTIONAL_TABS if spec.key in optional)]
    return [spec for spec in wanted if spec.key not in present]


def build_setup_batch(meta: SheetMeta, lang: str | None = None,
                      team_manager: tuple[str, int] | None = None, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """The ``batchUpdate`` body creating every missing input tab (``{"requests": []}`` if none).

    ``team_manager`` is (title, 0-based column) of the manager column of an existing Team tab; without
    it, manager drop-downs point at a Team tab created here, or are left out.
    """
    lang = lang or existing_language(meta)
    missing = missing_tabs(meta, optional)
    taken = {sheet.sheet_id for sheet in meta.sheets}
    if any(spec.key == "team" for spec in missing):
        team_manager = (INPUT_TABS[0].title(lang), 0)
    requests: list[dict[str, Any]] = []
    for spec in missing:
        sheet_id = new_sheet_id(f"input:{spec.key}", taken)
        taken.add(sheet_id)
        requests.extend(_tab_requests(spec, sheet_id, lang, team_manager))
    return {"requests": requests}


def _tab_requests(spec: TabSpec, sheet_id: int, lang: str,
                  team_manager: tuple[str, int] | None) -> list[dict[str, Any]]:
    """addSheet, the header row with notes, and the drop-downs of one new input tab."""
    grid = {"rowCount": ROWS, "columnCount": max(MIN_COLUMNS, len(spec.columns)), "frozenRowCount": 1}
    header = [{"userEnteredValue": {"stringValue": column.ru if lang == "ru" else column.en},
               "userEnteredFormat": HEADER_FORMAT, "note": say(f"note.{spec.key}.{column.key}", lang)}
              for column in spec.columns]
    out: list[dict[str, Any]] = [
        {"addSheet": {"properties": {"sheetId": sheet_id, "title": spec.title(lang),
                                     "gridProperties": grid}}},
        {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                         "rows": [{"values": header}], "fields": "userEnteredValue,userEnteredFormat,note"}},
    ]
    for col, column in enumerate(spec.columns):
        condition = _condition(spec.key, column.key, lang, team_manager)
        if condition is None:
            continue
        cells = {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": ROWS,
                 "startColumnIndex": col, "endColumnIndex": col + 1}
        out.append({"setDataValidation": {"range": cells, "rule": {
            "condition": condition, "showCustomUi": True, "strict": False}}})
    return out


def _condition(tab: str, column: str, lang: str,
               team_manager: tuple[str, int] | None) -> dict[str, Any] | None:
    """The drop-down condition of one column, or None for a free column."""
    if (tab, column) in CHOICES:
        choices = CHOICES[(tab, column)][1 if lang == "ru" else 0]
        return {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": choice} for choice in choices]}
    if (tab, column) in MANAGER_COLUMNS and team_manager is not None:
        title, col = team_manager
        letter = column_letters(col)
        # The title matched the contract's Team/Команда names, and is quoted: a reference, not user text.
        reference = f"={quote_title(title)}!{letter}2:{letter}"
        return {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": reference}]}
    return None
