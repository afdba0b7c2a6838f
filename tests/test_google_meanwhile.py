"""Someone else acts between a run's read and its write (issue 10): a user's conditional-format rules are
never lost and Premia's are never doubled; a recalculation overtaken by another one says so (409, exit 4).

End to end with real gspread against the fake Sheets API; the other party acts through the fake's
``before_call`` hook (a user's edit landing just before the write) or is a second real run.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import pytest

from entrypoints.jobs import recalculate_spreadsheet
from formulas.engine import recalculate
from formulas.text import say
from service import create_app
from sheets_sync.google import GoogleSpreadsheet, connect
from sheets_sync.google.guard import RecalculatedMeanwhile, lost_rules, restore_requests
from sheets_sync.google.read import MARKER, read_spreadsheet, rule_key
from sheets_sync.google.write import build_batch_update
from sheets_sync.protocol import SpreadsheetChanged
from tests.conftest import AS_OF, OWNER, bearer, seed_demo
from tests.test_google_adapter import AS_OF as SMALL_AS_OF
from tests.test_google_adapter import seeded


def user_rule(sheet_id: int, value: str) -> dict[str, Any]:
    """A user's own rule: colour numbers over ``value`` in the first rows (no Premia marker)."""
    return {"ranges": [{"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 9, "startColumnIndex": 0,
                        "endColumnIndex": 3}],
            "booleanRule": {"condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": value}]},
                            "format": {"backgroundColor": {"red": 1, "green": 0.9, "blue": 0.9}}}}


def rules(fake: Any, sid: str, title: str) -> list[str]:
    """The tab's rules in order: a user's by its value, Premia's as ``P``."""
    sheet = fake.spreadsheet(sid).sheet_by_title(title)
    values = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in sheet.conditional_formats]
    return ["P" if MARKER in value else value for value in values]


def user_inserts(fake: Any, sid: str, title: str, value: str, index: int = 0) -> Any:
    """An action for ``before_call``: the user inserts a rule at ``index`` of the tab (as the API does)."""
    def action() -> None:
        sheet = fake.spreadsheet(sid).sheet_by_title(title)
        sheet.conditional_formats.insert(index, user_rule(sheet.sheet_id, value))
    return action


def sheet_for(fake: Any, clients: list[Any], sid: str, token: str = "tok", **limits: int) -> GoogleSpreadsheet:
    """The spreadsheet through a real gspread client."""
    client = connect(token, root=fake.url)
    clients.append(client)
    return GoogleSpreadsheet(client, sid, **limits)


def move_the_issue(fake: Any, sid: str) -> None:
    """The user fixes the Deals row with an issue and breaks another: Premia's highlight there must move."""
    fake.set_cell(sid, "'Deals'!E3", 100000)
    fake.set_cell(sid, "'Deals'!E2", "lots")


def test_a_rule_the_user_adds_between_read_and_write_is_kept_and_premias_is_not_doubled(fake, clients) -> None:
    sid = seeded(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    deals = fake.spreadsheet(sid).sheet_by_title("Deals")
    deals.conditional_formats.insert(0, user_rule(deals.sheet_id, "1"))
    assert rules(fake, sid, "Deals") == ["1", "P"]  # the user's rule, then Premia's issue-row highlight
    move_the_issue(fake, sid)
    fake.reset_log()
    fake.before_call("batchUpdate", user_inserts(fake, sid, "Deals", "2"))  # lands just before the write
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    assert rules(fake, sid, "Deals") == ["2", "1", "P"]
    premia = fake.spreadsheet(sid).sheet_by_title("Deals").conditional_formats[2]
    assert premia["ranges"][0]["startRowIndex"] == 1  # the highlight moved to row 2
    # the write, the rule put back, then the run once more from a fresh read
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate", "batchUpdate", "get",
                                              "values.batchGet", "batchUpdate"]
    put_back = fake.requests[3].body["requests"]
    assert put_back == [{"addConditionalFormatRule": {"index": 1, "rule": user_rule(deals.sheet_id, "1")}}]


def test_when_the_highlights_did_not_change_no_rule_of_an_input_tab_is_touched(fake, clients) -> None:
    sid = seeded(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    deals = fake.spreadsheet(sid).sheet_by_title("Deals")
    fake.reset_log()
    fake.before_call("batchUpdate", user_inserts(fake, sid, "Deals", "2"))
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    assert rules(fake, sid, "Deals") == ["2", "P"]
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate"]
    touched = [request for request in fake.requests[2].body["requests"]
               if "ConditionalFormatRule" in next(iter(request)) and deals.sheet_id in (
                   next(iter(request.values())).get("sheetId"),
                   next(iter(request.values())).get("rule", {}).get("ranges", [{}])[0].get("sheetId"))]
    assert touched == []


def test_an_ordinary_run_still_costs_two_reads_and_one_write(fake, clients) -> None:
    sid = seeded(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    fake.reset_log()
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    assert [r.kind for r in fake.requests] == ["get", "values.batchGet", "batchUpdate"]


def test_a_user_editing_rules_during_both_tries_keeps_every_rule_and_is_told(fake, clients) -> None:
    sid = seeded(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    move_the_issue(fake, sid)
    fake.before_call("batchUpdate", user_inserts(fake, sid, "Deals", "2"), n=1)  # the first write
    fake.before_call("batchUpdate", user_inserts(fake, sid, "Deals", "3"), n=3)  # the second try's write
    with pytest.raises(SpreadsheetChanged) as raised:
        recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    assert str(raised.value) == say("google.rules_put_back", "en", name="Book", tabs="Deals", count=1)
    assert [value for value in rules(fake, sid, "Deals") if value != "P"] == ["3", "2"]


def test_a_rule_the_user_deletes_meanwhile_makes_the_write_fail_whole_then_the_run_starts_over(fake, clients):
    sid = seeded(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    deals = fake.spreadsheet(sid).sheet_by_title("Deals")
    deals.conditional_formats[:0] = [user_rule(deals.sheet_id, "1"), user_rule(deals.sheet_id, "2")]
    move_the_issue(fake, sid)

    def user_deletes_the_first() -> None:
        del fake.spreadsheet(sid).sheet_by_title("Deals").conditional_formats[0]

    fake.reset_log()
    fake.before_call("batchUpdate", user_deletes_the_first)
    recalculate_spreadsheet(sheet_for(fake, clients, sid), SMALL_AS_OF)
    assert rules(fake, sid, "Deals") == ["2", "P"]
    assert [(r.kind, r.status) for r in fake.requests] == [
        ("get", 200), ("values.batchGet", 200), ("batchUpdate", 400), ("get", 200), ("get", 200),
        ("values.batchGet", 200), ("batchUpdate", 200)]


def test_a_staged_write_keeps_a_rule_the_user_adds_meanwhile(fake, clients) -> None:
    sid = seed_demo(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid, OWNER), AS_OF)
    title = next(t for t in ("Deals", "Payments", "Funnel", "Team", "Plans", "Rules")
                 if "P" in rules(fake, sid, t))
    for rule in fake.spreadsheet(sid).sheet_by_title(title).conditional_formats:
        rule["ranges"][0]["endRowIndex"] += 1  # as if the issue rows had changed since: Premia replaces them
    fake.before_call("batchUpdate", user_inserts(fake, sid, title, "7"))
    recalculate_spreadsheet(sheet_for(fake, clients, sid, OWNER, body_limit=150_000), AS_OF)
    after = rules(fake, sid, title)
    assert after[0] == "7" and after.count("7") == 1
    once = seed_demo(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, once, OWNER), AS_OF)
    assert after[1:] == rules(fake, once, title)  # Premia's highlights exactly once


def test_lost_rules_go_back_in_their_original_order_around_the_batchs_own_changes() -> None:
    a, b = user_rule(5, "a"), user_rule(5, "b")
    mine = {"booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
        {"userEnteredValue": f"=AND(TRUE,{MARKER})"}]}}, "ranges": [{"sheetId": 5}]}
    # actual list [x0, b, a, P]; the batch deletes indices 3, 2, 1 (the read saw Premia's at 1..3)
    requests = [{"deleteConditionalFormatRule": {"sheetId": 5, "index": i}} for i in (3, 2, 1)]
    requests.append({"addConditionalFormatRule": {"index": 1, "rule": mine}})  # left: [x0, P']
    replies = [{"deleteConditionalFormatRule": {"rule": rule}} for rule in (mine, a, b)] + [{}]
    lost = lost_rules(requests, replies, own_tabs=set())
    assert restore_requests(copy.deepcopy(lost)) == [
        {"addConditionalFormatRule": {"index": 1, "rule": b}}, {"addConditionalFormatRule": {"index": 2, "rule": a}}]
    # the user's rules come back before Premia's new one: [x0, b, a, P']; capped when the list shrank
    assert [r["addConditionalFormatRule"]["index"] for r in restore_requests(lost, {5: 0})] == [0, 1]
    assert lost_rules(requests, replies, own_tabs={5}) == []  # on Premia's own tabs every rule is Premia's


class WaitingSpreadsheet(GoogleSpreadsheet):
    """A real adapter whose write waits until every run has read: the runs are truly concurrent."""

    def __init__(self, barrier: threading.Barrier, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.barrier = barrier

    def write(self, report: Any) -> None:
        self.barrier.wait(timeout=60)
        super().write(report)


@pytest.mark.parametrize(("first_run", "limit"), [(True, 10_000_000), (False, 10_000_000), (False, 150_000)],
                         ids=["first run", "later run", "later staged run"])
def test_concurrent_recalculations_one_wins_the_others_are_told_another_finished_first(fake, clients, first_run,
                                                                                       limit) -> None:
    sid, alone = seed_demo(fake), seed_demo(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, alone, OWNER), AS_OF)
    if not first_run:
        recalculate_spreadsheet(sheet_for(fake, clients, sid, OWNER), AS_OF)
    barrier, results = threading.Barrier(3), []

    def run() -> None:
        sheet = WaitingSpreadsheet(barrier, connect(OWNER, root=fake.url), sid, body_limit=limit)
        clients.append(sheet.client)
        try:
            recalculate_spreadsheet(sheet, AS_OF)
            results.append("ok")
        except RecalculatedMeanwhile as error:
            results.append(str(error))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    message = say("google.recalculated_meanwhile", "en", name="Demo agency")
    assert sorted(results) == sorted(["ok", message, message])
    assert not any(info.hidden for info in fake.sheet_list(sid))  # no staging tab is left behind
    shown = [(i.title, fake.values(sid, f"'{i.title}'")) for i in fake.sheet_list(sid) if not i.hidden]
    assert shown == [(i.title, fake.values(alone, f"'{i.title}'")) for i in fake.sheet_list(alone) if not i.hidden]


def another_run_before_the_write(fake: Any, clients: list[Any], sid: str) -> None:
    """Arm the fake: just before the next write, another run's complete write lands (built from a read now)."""
    client = connect(OWNER, root=fake.url)
    clients.append(client)
    workbook, meta = read_spreadsheet(client, sid)
    body = build_batch_update(meta, recalculate(workbook, AS_OF).report)
    fake.before_call("batchUpdate", lambda: fake.apply_batch_update(sid, body))


def test_the_service_answers_409_when_another_recalculation_finished_first(fake, clients) -> None:
    sid = seed_demo(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid, OWNER), AS_OF)
    another_run_before_the_write(fake, clients, sid)
    client = create_app({"TESTING": True, "SHEETS_API_ROOT": fake.url, "DRIVE_API_ROOT": fake.url}).test_client()
    answer = client.post(f"/v1/spreadsheets/{sid}/recalculate", json={"as_of": AS_OF.isoformat()},
                         headers=bearer(OWNER))
    assert answer.status_code == 409
    assert answer.get_json()["error"] == {"code": "recalculated_meanwhile", "message": say(
        "google.recalculated_meanwhile", "en", name="Demo agency")}


def test_the_cli_says_another_recalculation_finished_first_with_its_own_exit_status(fake, clients,
                                                                                   monkeypatch) -> None:
    sid = seed_demo(fake)
    recalculate_spreadsheet(sheet_for(fake, clients, sid, OWNER), AS_OF)
    another_run_before_the_write(fake, clients, sid)
    monkeypatch.setenv("PREMIA_ACCESS_TOKEN", OWNER)
    result = create_app().test_cli_runner().invoke(
        args=["premia", "recalc", "--spreadsheet", sid, "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 5
    assert say("google.recalculated_meanwhile", "en", name="Demo agency") in result.output
    assert "Traceback" not in result.output


def test_the_message_exists_in_russian() -> None:
    assert "закончился раньше" in say("google.recalculated_meanwhile", "ru", name="x")


def test_a_rule_reads_the_same_whatever_way_google_spells_it() -> None:
    sent = {"ranges": [{"sheetId": 5, "startRowIndex": 0, "endRowIndex": 3, "startColumnIndex": 0,
                        "endColumnIndex": 2}],
            "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
                {"userEnteredValue": f"=AND(TRUE,{MARKER})"}]}, "format": {"backgroundColorStyle": {
                    "rgbColor": {"red": 0.9569, "green": 0.0, "blue": 0.7647}}}}}
    answered = {"ranges": [{"sheetId": 5, "endRowIndex": 3, "endColumnIndex": 2}],  # zeros left out
                "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
                    {"userEnteredValue": f"=AND(TRUE,{MARKER})"}]},
                    "format": {"backgroundColor": {"red": 0.95686275, "blue": 0.7647059}}}}
    assert rule_key(sent) == rule_key(answered)
    moved = copy.deepcopy(answered)
    moved["ranges"][0]["endRowIndex"] = 4
    assert rule_key(moved) != rule_key(sent)
