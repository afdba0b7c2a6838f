"""Plain-words messages for input issues found by validation, in English and Russian.

Parsers in :mod:`formulas.read.parse` carry their own texts; these are the cross-row and cross-tab checks of
PRODUCT.md section 2 ("Duplicated Deal IDs, unknown managers, …").
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("is required but empty", "обязательное поле не заполнено"),
    "missing_column": ("required column is missing: add a column headed “{header}”",
                       "нет обязательного столбца: добавьте столбец «{header}»"),
    "missing_tab": ("the tab is missing: add a tab named “{title}”; {without}",
                    "нет листа: добавьте лист «{title}»; {without}"),
    "closest_tab": (" (is the tab “{closest}” meant to be it? Rename it to “{title}”)",
                    " (может быть, это лист «{closest}»? Переименуйте его в «{title}»)"),
    # What is left out without each input tab (PRODUCT.md section 3 "Missing tabs").
    "without_team": ("without it no manager is known, so nobody's pay is computed",
                     "без него не известен ни один менеджер, и выплаты не рассчитываются"),
    "without_plans": ("without it there are no plans: no attainment, no plan_bonus, no plan signals",
                      "без него нет планов: ни выполнения плана, ни plan_bonus, ни сигналов по плану"),
    "without_deals": ("without it no deal counts: no booked pay, and payments have no deal to belong to",
                      "без него не учитывается ни одна сделка: нет начислений по договорам, "
                      "а оплатам не к чему относиться"),
    "without_payments": ("without it no payment counts: no payment_percent, first_month_margin_percent "
                         "or collected_percent",
                         "без него не учитывается ни одна оплата: нет payment_percent, "
                         "first_month_margin_percent и collected_percent"),
    "without_funnel": ("without it there is no funnel report, no stage_bonus and no stuck or idle clients",
                       "без него нет отчёта по воронке, stage_bonus и сигналов о зависших клиентах"),
    "without_rules": ("without it no component pays: only base salaries are computed",
                      "без него не начисляется ни один компонент: только оклады"),
    "unknown_manager": ("“{name}” is not in the Team tab", "«{name}» нет на листе «Команда»"),
    "duplicate_deal": ("Deal ID already used on row {first}; this row is left out",
                       "ID сделки уже есть в строке {first}; эта строка не учтена"),
    "duplicate_plan": ("a plan for this manager and month is already on row {first}",
                       "план для этого менеджера и месяца уже есть в строке {first}"),
    "duplicate_rule": ("the same rule (From, Applies to, Component, Threshold) is already on row {first}",
                       "такое же правило (С месяца, Кому, Компонент, Порог) уже есть в строке {first}"),
    "future_date": ("is after the as-of date {as_of}", "позже даты расчёта {as_of}"),
    "cancel_before_signed": ("the cancellation date is before the signing date {signed}",
                             "дата расторжения раньше даты договора {signed}"),
    "cancelled_without_date": ("status “{status}” needs a Cancelled on date",
                               "для статуса «{status}» нужна дата расторжения"),
    "unknown_deal": ("no deal with this ID in the Deals tab", "сделки с таким ID нет на листе «Сделки»"),
    "deal_has_issue": ("its deal (row {row} of {tab}) has an input issue, so this payment is left out",
                       "у её сделки (строка {row} листа «{tab}») ошибка ввода, оплата не учтена"),
    "unknown_applies_to": ("is neither a manager in Team, a role, nor “*”",
                           "это не менеджер с листа «Команда», не роль и не «*»"),
    "implausible_month": ("is not a plausible month: write it like 2026-03, 03.2026 or март 2026",
                          "это не похоже на месяц: пишите как 2026-03, 03.2026 или март 2026"),
    "end_before_start": ("the To date is before the From date", "дата «По дату» раньше даты «С даты»"),
}


def say(code: str, lang: str, **params: object) -> str:
    """The message ``code`` in ``lang`` with its ``{params}`` filled in."""
    english, russian = MESSAGES[code]
    return (russian if lang == "ru" else english).format(**params)
