"""The recalculated demo agency shows everything the funnel issue promises (PRODUCT.md section 4)."""

from __future__ import annotations

from demo.workbook import demo_tabs, demo_tabs_ru
from formulas.engine import recalculate
from formulas.funnel.signals import SIGNALS
from tests.conftest import AS_OF


def test_demo_has_every_signal_kind_stuck_and_idle_clients_and_both_charts() -> None:
    outcome = recalculate(demo_tabs(AS_OF).to_raw(), AS_OF)
    assert set(outcome.signals["signal"]) == set(SIGNALS)
    assert len(outcome.funnel.stuck) >= 1 and len(outcome.funnel.idle) >= 1
    funnel_tab = outcome.report.tab("funnel_report")
    assert len(funnel_tab.rows) > 8 * 7  # eight managers' stages, the team rows, lost and client lists
    signals_tab = outcome.report.tab("signals")
    assert {row[2] for row in signals_tab.rows} == set(SIGNALS)
    assert len(outcome.report.tab("summary").charts) == 2


def test_russian_demo_gets_the_same_pay_and_signals_as_the_english_one() -> None:
    english = recalculate(demo_tabs(AS_OF).to_raw(), AS_OF)
    russian = recalculate(demo_tabs_ru(AS_OF).to_raw(), AS_OF)
    assert russian.inputs.lang == "ru"
    assert [len(english.inputs.issues), len(russian.inputs.issues)] == [7, 7]
    assert russian.summary["total"].tolist() == english.summary["total"].tolist()
    assert sorted(russian.signals["signal"]) == sorted(english.signals["signal"])
    assert russian.report.tab("summary").title == "Сводка"
