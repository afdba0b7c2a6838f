"""Create the input tabs of PRODUCT.md section 2 that a spreadsheet lacks, in one ``batchUpdate``.

Each new tab gets its bold, frozen header row with a short note per column, and drop-downs
(``showCustomUi``, not strict: a value outside the list is still accepted and the core reports it)
for roles, sources, statuses and stages, and for manager names from the Team tab's manager column.
Titles, headers, choices and notes follow the spreadsheet's language. Existing tabs are never
touched; when nothing is missing the body has no requests and no call is made.
"""

from __future__ import annotations

from typing import Any

from formulas.contract import INPUT_TABS, STAGE_NAMES_EN, STAGE_NAMES_RU, TabSpec
from formulas.read.tabs import input_tab_spec
from formulas.report.labels import ROLE_NAMES, pick
from formulas.report.model import column_letters
from sheets_sync.google.cells import HEADER_FORMAT
from sheets_sync.google.read import SheetMeta, existing_language, quote_title
from sheets_sync.google.write import new_sheet_id

ROWS, MIN_COLUMNS = 1000, 26
CHOICES: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("team", "role"): (tuple(en for en, _ in ROLE_NAMES.values()),
                       tuple(ru for _, ru in ROLE_NAMES.values())),
    ("deals", "source"): (("inbound", "outbound"), ("входящий", "исходящий")),
    ("deals", "status"): (("active", "cancelled", "refunded"), ("действует", "расторгнут", "возврат")),
    ("funnel", "stage"): ((*STAGE_NAMES_EN, "lost"), (*STAGE_NAMES_RU, "отказ")),
}
# Columns holding a manager's name: their drop-down lists the Team tab's managers.
MANAGER_COLUMNS = {("plans", "manager"), ("deals", "manager"), ("funnel", "manager"),
                   ("payments", "collector")}
NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("team", "manager"): ("Name as it appears on every other tab.", "Имя — так же, как на других листах."),
    ("team", "role"): ("sales, call_centre, post_sale or receivables.",
                       "продажи, колл-центр, сопровождение или дебиторка."),
    ("team", "base_salary"): ("Monthly base salary.", "Оклад за месяц."),
    ("team", "start"): ("First day in the team (optional).", "Первый день в команде (необязательно)."),
    ("team", "end"): ("Last day in the team (optional).", "Последний день в команде (необязательно)."),
    ("plans", "month"): ("Month, e.g. 2026-03.", "Месяц, например 2026-03."),
    ("plans", "manager"): ("Manager from the Team tab.", "Менеджер с листа «Команда»."),
    ("plans", "plan_amount"): ("Sales plan for the month, money.", "План продаж на месяц, сумма."),
    ("plans", "plan_deals"): ("Planned number of deals (optional).", "План по числу сделок (необязательно)."),
    ("deals", "deal_id"): ("Unique deal ID; payments refer to it.",
                           "Уникальный ID сделки; оплаты ссылаются на него."),
    ("deals", "signed"): ("Contract date.", "Дата договора."),
    ("deals", "manager"): ("Manager who closed the deal.", "Менеджер, закрывший сделку."),
    ("deals", "client"): ("Client name.", "Название клиента."),
    ("deals", "amount"): ("Contract amount.", "Сумма договора."),
    ("deals", "source"): ("inbound or outbound (default outbound).",
                          "входящий или исходящий (по умолчанию исходящий)."),
    ("deals", "margin"): ("Margin of the first contract month.", "Маржа первого месяца договора."),
    ("deals", "status"): ("active, cancelled or refunded (default active).",
                          "действует, расторгнут или возврат (по умолчанию действует)."),
    ("deals", "cancelled_on"): ("Date of cancellation, if any.", "Дата расторжения, если было."),
    ("payments", "deal_id"): ("Deal ID from the Deals tab.", "ID сделки с листа «Сделки»."),
    ("payments", "paid_on"): ("Date the money arrived.", "Дата поступления денег."),
    ("payments", "amount"): ("Amount paid.", "Сумма оплаты."),
    ("payments", "contract_month"): ("Which contract month this pays: 1, 2, … (default 1).",
                                     "За какой месяц договора: 1, 2, … (по умолчанию 1)."),
    ("payments", "collector"): ("Who collected the payment (optional).",
                                "Кто собрал оплату (необязательно)."),
    ("funnel", "date"): ("Date of the step.", "Дата шага."),
    ("funnel", "manager"): ("Manager who did it.", "Менеджер."),
    ("funnel", "client"): ("Client name, as on the Deals tab.", "Клиент — как на листе «Сделки»."),
    ("funnel", "stage"): ("Stage reached: 1–7, its name, or lost.",
                          "Достигнутый этап: 1–7, название или отказ."),
    ("funnel", "action"): ("What was done (optional).", "Что сделано (необязательно)."),
    ("funnel", "lost_reason"): ("Why the client was lost.", "Почему клиент отказался."),
    ("rules", "from_month"): ("Month the rule starts, e.g. 2026-01.",
                              "С какого месяца действует, например 2026-01."),
    ("rules", "applies_to"): ("A manager, a role, or all.", "Менеджер, роль или все."),
    ("rules", "component"): ("Pay component or setting, e.g. deal_percent.",
                             "Компонент или настройка, например deal_percent."),
    ("rules", "threshold"): ("Tier threshold (optional).", "Порог ступени (необязательно)."),
    ("rules", "value"): ("Rate in % points, or an amount.", "Ставка в процентах или сумма."),
    ("rules", "note"): ("Free text.", "Комментарий."),
}


def missing_tabs(meta: SheetMeta) -> list[TabSpec]:
    """Input tabs no tab of the spreadsheet stands for (in either language)."""
    present = {spec.key for sheet in meta.sheets if (spec := input_tab_spec(sheet.title)) is not None}
    return [spec for spec in INPUT_TABS if spec.key not in present]


def build_setup_batch(meta: SheetMeta, lang: str | None = None,
                      team_manager: tuple[str, int] | None = None) -> dict[str, Any]:
    """The ``batchUpdate`` body creating every missing input tab (``{"requests": []}`` if none).

    ``team_manager`` is (title, 0-based column) of the manager column of an existing Team tab; without
    it, manager drop-downs point at a Team tab created here, or are left out.
    """
    lang = lang or existing_language(meta)
    missing = missing_tabs(meta)
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
    header = [{"userEnteredValue": {"stringValue": pick((column.en, column.ru), lang)},
               "userEnteredFormat": HEADER_FORMAT, "note": pick(NOTES[(spec.key, column.key)], lang)}
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
