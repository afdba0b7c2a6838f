"""Turn the demo's deals, payments and funnel steps into rows, typed the way people type them.

Cells stay bilingual (:class:`demo.text.Bi`) until :mod:`demo.workbook` renders one
language. Optional cells are sometimes left blank, as the contract allows (Source defaults to
outbound, Status to active, Contract month to 1).
"""

from __future__ import annotations

import random
from typing import Any

from demo.cast import Manager
from demo.deals import Deal
from demo.funnel import Step
from demo.payments import Payment
from demo.text import date_cell, money_cell, source, stage_name, status

TEXT_AMOUNT = "сто тысяч"  # the amount-in-words mistake of demo.workbook.MISTAKES


def _deal_source(rng: random.Random, deal: Deal) -> Any:
    if deal.inbound:
        return source("inbound")
    return source("outbound") if rng.random() < 0.6 else None


def _deal_status(rng: random.Random, deal: Deal) -> Any:
    if deal.status:
        return status(deal.status)
    return status("active") if rng.random() < 0.3 else None


def deal_rows(rng: random.Random, people: dict[str, Manager], deals: list[Deal]) -> list[list[Any]]:
    """`Deals` rows: Deal ID, Signed, Manager, Client, Amount, Source, First-month margin, Status,
    Cancelled on."""
    rows = []
    for deal in deals:
        amount = TEXT_AMOUNT if deal.tag == "mistake_text" else money_cell(deal.amount, rng)
        margin = None if deal.margin is None else money_cell(deal.margin, rng)
        cancelled = None if deal.cancelled_on is None else date_cell(deal.cancelled_on, rng)
        rows.append([deal.deal_id, date_cell(deal.signed, rng), people[deal.manager].name, deal.client,
                     amount, _deal_source(rng, deal), margin, _deal_status(rng, deal), cancelled])
    return rows


def payment_rows(rng: random.Random, people: dict[str, Manager], payments: list[Payment]) -> list[list[Any]]:
    """`Payments` rows: Deal ID, Paid on, Amount, Contract month, Collector."""
    rows = []
    for payment in payments:
        month = None if payment.contract_month == 1 and rng.random() < 0.3 else payment.contract_month
        collector = None if payment.collector is None else people[payment.collector].name
        rows.append([payment.deal.deal_id, date_cell(payment.paid_on, rng), money_cell(payment.amount, rng),
                     month, collector])
    return rows


def funnel_rows(rng: random.Random, people: dict[str, Manager], steps: list[Step]) -> list[list[Any]]:
    """`Funnel` rows: Date, Manager, Client, Stage, Action, Lost reason. Stages are mostly numbers,
    sometimes names; `lost` is always a word."""
    rows = []
    for step in steps:
        stage: Any = step.stage if step.stage and rng.random() < 0.9 else stage_name(step.stage)
        rows.append([date_cell(step.day, rng), people[step.manager].name, step.client, stage, step.action,
                     step.reason])
    return rows
