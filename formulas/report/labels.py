"""Result tab titles and column headers of PRODUCT.md section 5, in English and Russian."""

from __future__ import annotations

RESULT_TITLES: dict[str, tuple[str, str]] = {
    "summary": ("Summary", "Сводка"),
    "statements": ("Statements", "Начисления"),
    "explain": ("Explain", "Детализация"),
    "leaderboard": ("Leaderboard", "Рейтинг"),
    "funnel_report": ("Funnel report", "Воронка — отчёт"),
    "signals": ("Signals", "Сигналы"),
    "input_issues": ("Input issues", "Ошибки ввода"),
}

HEADERS: dict[str, tuple[str, str]] = {
    "month": ("Month", "Месяц"), "manager": ("Manager", "Менеджер"), "role": ("Role", "Роль"),
    "component": ("Component", "Компонент"), "basis": ("Basis", "База"),
    "base_amount": ("Base amount", "Сумма базы"), "rate": ("Rate", "Ставка"), "amount": ("Amount", "Сумма"),
    "formula": ("Formula", "Формула"), "details": ("Details", "Детали"), "source": ("Source", "Источник"),
    "deal_id": ("Deal ID", "ID сделки"), "client": ("Client", "Клиент"), "rule": ("Rule", "Правило"),
    "plan": ("Plan", "План"), "fact": ("Fact", "Факт"), "attainment": ("Attainment", "Выполнение"),
    "deals": ("Deals", "Сделок"), "base": ("Base", "Оклад"), "total": ("Total", "Итого"),
    "forecast": ("Forecast", "Прогноз"), "signals": ("Signals", "Сигналы"), "rank": ("Rank", "Место"),
    "total_pay": ("Total pay", "Всего к выплате"), "tab": ("Tab", "Лист"), "row": ("Row", "Строка"),
    "column": ("Column", "Столбец"), "value": ("Value", "Значение"), "message": ("Message", "Сообщение"),
    "link": ("Link", "Ссылка"), "team": ("Team", "Команда"),
    "bonus_pool": ("Bonus pool, % of first-month margin", "Бонусный фонд, % от маржи 1-го месяца"),
    "report_month": ("Report month", "Отчётный месяц"),
}

BASIS: dict[str, tuple[str, str]] = {
    "booked": ("booked", "по договору"), "paid": ("paid", "по оплате"), "funnel": ("funnel", "воронка"),
    "cancellation": ("cancellation", "расторжение"), "salary": ("salary", "оклад"),
    "carry": ("carry-over", "перенос"), "adjustment": ("adjustment", "корректировка"),
}

ROLE_NAMES: dict[str, tuple[str, str]] = {
    "sales": ("sales", "продажи"), "call_centre": ("call_centre", "колл-центр"),
    "post_sale": ("post_sale", "сопровождение"), "receivables": ("receivables", "дебиторка"),
}


def title(key: str, lang: str) -> str:
    """A result tab's title in ``lang``."""
    english, russian = RESULT_TITLES[key]
    return russian if lang == "ru" else english


def header(key: str, lang: str) -> str:
    """A column header in ``lang``."""
    english, russian = HEADERS[key]
    return russian if lang == "ru" else english


def pick(pair: tuple[str, str], lang: str) -> str:
    """The ``lang`` half of an (english, russian) pair."""
    return pair[1] if lang == "ru" else pair[0]
