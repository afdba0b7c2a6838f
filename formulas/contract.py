"""The workbook contract of PRODUCT.md section 2: input tabs, their columns, en/ru aliases, enums.

Tab and header names match case-insensitively after trimming (:func:`norm`). Each column has a
*kind* that names the parser in :mod:`formulas.read.parse` that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass


def norm(text: object) -> str:
    """Trimmed, case-folded text with inner whitespace collapsed: the key names are matched by."""
    return " ".join(str(text).split()).casefold() if text is not None else ""


@dataclass(frozen=True)
class Column:
    """One input column: its key in parsed frames, its en/ru headers, whether required, its kind."""

    key: str
    en: str
    ru: str
    kind: str
    required: bool = False


@dataclass(frozen=True)
class TabSpec:
    """One input tab: its key, its en/ru titles and its columns."""

    key: str
    en: str
    ru: str
    columns: tuple[Column, ...]
    # An optional tab may be absent without an issue, and setup creates it only when asked (PRODUCT.md 3b, 3c).
    optional: bool = False

    def title(self, lang: str) -> str:
        """The tab title in ``lang`` ("en" or "ru")."""
        return self.ru if lang == "ru" else self.en


INPUT_TABS: tuple[TabSpec, ...] = (
    TabSpec("team", "Team", "Команда", (
        Column("manager", "Manager", "Менеджер", "text", True),
        Column("role", "Role", "Роль", "role", True),
        Column("base_salary", "Base salary", "Оклад", "money"),
        Column("start", "From", "С даты", "date"),
        Column("end", "To", "По дату", "date"),
    )),
    TabSpec("plans", "Plans", "Планы", (
        Column("month", "Month", "Месяц", "month", True),
        Column("manager", "Manager", "Менеджер", "text", True),
        Column("plan_amount", "Plan amount", "План, сумма", "money", True),
        Column("plan_deals", "Plan deals", "План, сделок", "count"),
    )),
    TabSpec("deals", "Deals", "Сделки", (
        Column("deal_id", "Deal ID", "ID сделки", "text", True),
        Column("signed", "Signed", "Дата договора", "date", True),
        Column("manager", "Manager", "Менеджер", "text", True),
        Column("client", "Client", "Клиент", "text", True),
        Column("amount", "Amount", "Сумма", "money", True),
        Column("source", "Source", "Источник", "source"),
        Column("margin", "First-month margin", "Маржа 1-го месяца", "signed_money"),
        Column("status", "Status", "Статус", "status"),
        Column("cancelled_on", "Cancelled on", "Дата расторжения", "date"),
    )),
    TabSpec("payments", "Payments", "Оплаты", (
        Column("deal_id", "Deal ID", "ID сделки", "text", True),
        Column("paid_on", "Paid on", "Дата оплаты", "date", True),
        Column("amount", "Amount", "Сумма", "money", True),
        Column("contract_month", "Contract month", "Месяц договора", "count"),
        Column("collector", "Collector", "Кто собрал", "text"),
    )),
    TabSpec("funnel", "Funnel", "Воронка", (
        Column("date", "Date", "Дата", "date", True),
        Column("manager", "Manager", "Менеджер", "text", True),
        Column("client", "Client", "Клиент", "text", True),
        Column("stage", "Stage", "Этап", "stage", True),
        Column("action", "Action", "Действие", "free"),
        Column("lost_reason", "Lost reason", "Причина отказа", "text"),
    )),
    TabSpec("rules", "Rules", "Правила", (
        Column("from_month", "From", "С месяца", "month", True),
        Column("applies_to", "Applies to", "Кому", "text", True),
        Column("component", "Component", "Компонент", "component", True),
        Column("threshold", "Threshold", "Порог", "threshold"),
        Column("value", "Value", "Значение", "rate", True),
        Column("note", "Note", "Примечание", "free"),
    )),
)

RULES_COLUMNS = INPUT_TABS[-1].columns

# Optional input tabs: deal splits (PRODUCT.md section 3b) and the what-if Scenario (section 3c), which has
# exactly the columns of Rules and replaces it whole in a what-if run.
OPTIONAL_TABS: tuple[TabSpec, ...] = (
    TabSpec("splits", "Splits", "Доли", (
        Column("deal_id", "Deal ID", "ID сделки", "text", True),
        Column("manager", "Manager", "Менеджер", "text", True),
        Column("share", "Share", "Доля", "rate", True),
    ), optional=True),
    TabSpec("scenario", "Scenario", "Сценарий", RULES_COLUMNS, optional=True),
)
ALL_INPUT_TABS: tuple[TabSpec, ...] = (*INPUT_TABS, *OPTIONAL_TABS)
TAB_BY_KEY = {spec.key: spec for spec in ALL_INPUT_TABS}

ROLES = ("sales", "call_centre", "post_sale", "receivables")
ROLE_ALIASES = {
    "sales": "sales", "продажи": "sales",
    "call_centre": "call_centre", "call centre": "call_centre", "call_center": "call_centre",
    "колл-центр": "call_centre", "колл центр": "call_centre",
    "post_sale": "post_sale", "post-sale": "post_sale", "сопровождение": "post_sale",
    "receivables": "receivables", "дебиторка": "receivables",
}
SOURCE_ALIASES = {"inbound": "inbound", "входящий": "inbound",
                  "outbound": "outbound", "исходящий": "outbound"}
STATUS_ALIASES = {
    "active": "active", "действует": "active",
    "cancelled": "cancelled", "canceled": "cancelled", "расторгнут": "cancelled",
    "refunded": "refunded", "возврат": "refunded",
}

# Funnel stages of seed 003; LOST is stored as stage 0 so stages stay integers. The short names are how
# Premia writes stages; the longer English names of PRODUCT.md section 2 are accepted too (section 3 "Names").
LOST = 0
STAGE_NAMES_EN = ("decision maker", "interest", "meeting set", "specification",
                  "offer sent", "terms accepted", "contract signed")
STAGE_NAMES_RU = ("выход на ЛПР", "интерес", "встреча назначена", "ТЗ получено",
                  "КП отправлено", "условия приняты", "договор подписан")
STAGE_LONG_NAMES_EN = ("reached the decision maker", "interest expressed", "meeting set",
                       "specification received", "offer sent", "terms accepted", "contract signed")
STAGE_ALIASES: dict[str, int] = {"lost": LOST, "отказ": LOST}
for _number, _names in enumerate(zip(STAGE_NAMES_EN, STAGE_NAMES_RU, STAGE_LONG_NAMES_EN, strict=True), start=1):
    for _name in _names:
        STAGE_ALIASES[norm(_name)] = _number
    STAGE_ALIASES[str(_number)] = _number
