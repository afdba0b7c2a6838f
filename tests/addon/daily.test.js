'use strict';
/**
 * Unit tests of the daily recalculation: the trigger menu items and the time-driven handler.
 * Run: node --test tests/addon/
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const { addTrigger, AuthMode } = require('./gas_stubs');
const { SERVICE, RECALCULATED, FORBIDDEN, answer, networkDown, addonWith } = require('./fixtures');

test('Daily recalculation on, twice, leaves exactly one daily trigger', () => {
  const { addon, state } = addonWith();
  addon.enableDailyRecalculation();
  addon.enableDailyRecalculation();
  assert.equal(state.triggers.length, 1);
  assert.deepEqual(state.triggers[0].spec,
    { handler: 'dailyRecalculation', type: 'CLOCK', everyDays: 1, atHour: 6 });
  assert.deepEqual(JSON.parse(state.userProperties.get('PREMIA_DAILY_SPREADSHEETS')), ['sheet-123']);
  assert.match(state.toasts[1].message, /^Daily recalculation is on.*6:00 and 7:00 \(Europe\/Moscow\)/);
  assert.deepEqual(state.alerts, []);
  assert.equal(state.lock.held, false);
});

test('Daily recalculation on removes duplicate Premia triggers left from before', () => {
  const { addon, state } = addonWith();
  addTrigger(state, { handler: 'dailyRecalculation', type: 'CLOCK', everyDays: 1, atHour: 6 });
  addTrigger(state, { handler: 'dailyRecalculation', type: 'CLOCK', everyDays: 1, atHour: 6 });
  addon.enableDailyRecalculation();
  assert.equal(state.triggers.filter((t) => t.getHandlerFunction() === 'dailyRecalculation').length, 1);
});

test("Daily recalculation off removes only Premia's trigger", () => {
  const { addon, state } = addonWith();
  addTrigger(state, { handler: 'someoneElsesJob', type: 'CLOCK', everyDays: 1, atHour: 3 });
  addon.enableDailyRecalculation();
  assert.equal(state.triggers.length, 2);
  addon.disableDailyRecalculation();
  assert.deepEqual(state.triggers.map((t) => t.getHandlerFunction()), ['someoneElsesJob']);
  assert.equal(state.userProperties.has('PREMIA_DAILY_SPREADSHEETS'), false);
  assert.equal(state.toasts.at(-1).message, 'Daily recalculation is off for this spreadsheet.');
});

test("Daily recalculation off keeps the trigger while the user's other spreadsheets need it", () => {
  const { addon, state } = addonWith();
  addon.enableDailyRecalculation();
  state.spreadsheetId = 'other-sheet';
  addon.enableDailyRecalculation();
  addon.disableDailyRecalculation();
  assert.equal(state.triggers.length, 1);
  assert.deepEqual(JSON.parse(state.userProperties.get('PREMIA_DAILY_SPREADSHEETS')), ['sheet-123']);
});

/** The add-on as a time-driven run sees it: no user interface, no open document. */
function timerRun(transport, ids = ['sheet-a', 'sheet-b']) {
  return addonWith({
    hasUi: false, hasDocument: false, transport,
    userProperties: { PREMIA_DAILY_SPREADSHEETS: JSON.stringify(ids) },
  });
}

test('the timer handler recalculates every listed spreadsheet and logs, never touching the UI', () => {
  const { addon, state } = timerRun(answer(200, RECALCULATED));
  addon.dailyRecalculation({ authMode: AuthMode.FULL, triggerUid: '1' });
  assert.deepEqual(state.fetches.map((r) => [r.method, r.url, r.headers.Authorization]), [
    ['POST', `${SERVICE}/v1/spreadsheets/sheet-a/recalculate`, 'Bearer token-abc'],
    ['POST', `${SERVICE}/v1/spreadsheets/sheet-b/recalculate`, 'Bearer token-abc'],
  ]);
  assert.ok(!state.calls.includes('SpreadsheetApp.getUi'));
  assert.deepEqual(state.logs.map((entry) => entry.level), ['log', 'log']);
  assert.match(state.logs[0].text, /^Premia daily recalculation of sheet-a: .*Input issues: 3/);
  assert.equal(state.lock.releases, 2);
});

test('the timer handler logs service errors, network failures and a busy lock', () => {
  const failures = [
    [answer(403, FORBIDDEN), /sheet-a failed: You cannot edit this spreadsheet\.$/],
    [networkDown, /sheet-a failed: Could not reach the Premia service/],
  ];
  for (const [transport, expected] of failures) {
    const { addon, state } = timerRun(transport, ['sheet-a']);
    addon.dailyRecalculation({});
    assert.ok(!state.calls.includes('SpreadsheetApp.getUi'));
    assert.equal(state.logs.length, 1);
    assert.equal(state.logs[0].level, 'error');
    assert.match(state.logs[0].text, expected);
  }
  const { addon, state } = timerRun(answer(200, RECALCULATED), ['sheet-a']);
  state.lock.busy = true;
  addon.dailyRecalculation({});
  assert.deepEqual(state.fetches, []);
  assert.match(state.logs[0].text, /already running/);
  assert.ok(!state.calls.includes('SpreadsheetApp.getUi'));
});

test('the timer handler with no listed spreadsheets does nothing', () => {
  const { addon, state } = timerRun(answer(200, RECALCULATED), []);
  addon.dailyRecalculation({});
  assert.deepEqual(state.fetches, []);
  assert.deepEqual(state.logs, []);
});
