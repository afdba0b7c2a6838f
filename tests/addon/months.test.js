'use strict';
/**
 * Unit tests of the month menu items (Close month…, Re-open month…, Mark month paid…) and What-if…:
 * the routes, bodies and headers they send, the prompts pre-filled from GET /months, cancelling, and
 * the service's refusals. Run: node --test tests/addon/
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const {
  SERVICE, MONTHS, byRoute, typed, cancelled, closed, addonWith,
} = require('./fixtures');

const ID = 'sheet-123';
const MONTHS_ROUTE = `GET /v1/spreadsheets/${ID}/months`;
// 23:30 UTC on 1 April is already 2 April in Moscow, the spreadsheet's time zone in these tests.
const NOW = '2026-04-01T23:30:00Z';
const TODAY_IN_MOSCOW = '2026-04-02';
const REFUSED = {
  ok: false,
  error: { code: 'month_refused', message: '2026-02 is closed already: months close in order.' },
};

/** The add-on with GET /months answering MONTHS and `routes` answering the rest. */
function monthAddon({ routes = {}, answers = [], ...options } = {}) {
  const transport = byRoute({ [MONTHS_ROUTE]: { status: 200, body: MONTHS }, ...routes });
  return addonWith({ transport, answers, now: NOW, ...options });
}

/** A successful answer of the service with its own message. */
const done = (message) => ({ status: 200, body: { ok: true, message } });

/** The fetches as "METHOD path" lines. */
const routesCalled = (state) => state.fetches.map((r) => `${r.method} ${r.url.slice(SERVICE.length)}`);

/** Asserts the headers every service call carries, in `language`. */
function assertServiceHeaders(request, language = 'en') {
  assert.deepEqual(request.headers, { Authorization: 'Bearer token-abc', 'Accept-Language': language });
  assert.equal(request.contentType, 'application/json');
  assert.equal(request.muteHttpExceptions, true);
}

test('Close month asks GET /months, pre-fills the prompt, confirms, then posts the month and today', () => {
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/close`]: done('Closed 2026-03: 4 managers, 212 400.00 frozen.') },
    answers: [typed(''), 'YES'],
  });
  addon.closeMonth();
  assert.deepEqual(routesCalled(state), [MONTHS_ROUTE, `POST /v1/spreadsheets/${ID}/close`]);
  const [months, close] = state.fetches;
  assertServiceHeaders(months);
  assert.equal(months.payload, undefined);
  assertServiceHeaders(close);
  assert.deepEqual(JSON.parse(close.payload), { month: '2026-03', as_of: TODAY_IN_MOSCOW });

  assert.equal(state.prompts.length, 1);
  assert.equal(state.prompts[0].title, 'Close month');
  assert.equal(state.prompts[0].buttons, 'OK_CANCEL');
  assert.match(state.prompts[0].message,
    /Leave this blank to close 2026-03, the earliest open month that has ended/);
  assert.deepEqual(state.confirmations.map((c) => [c.title, c.message, c.buttons]), [[
    'Close month',
    'Close 2026-03? Its statements will be frozen; later corrections will appear as adjustments in the ' +
      'first open month.',
    'YES_NO',
  ]]);
  assert.deepEqual(state.alerts, []);
  assert.deepEqual(state.toasts.map((t) => [t.title, t.message]),
    [['Premia', 'Closed 2026-03: 4 managers, 212 400.00 frozen.']]);
});

test('the document lock is taken for each call and never held while a dialog waits', () => {
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/close`]: done('Closed.') },
    answers: [typed(''), 'YES'],
  });
  addon.closeMonth();
  assert.equal(state.lock.tryLockWaits.length, 2);
  assert.equal(state.lock.releases, 2);
  assert.equal(state.lock.held, false);
  assert.equal(state.prompts[0].lockHeld, false);
  assert.equal(state.confirmations[0].lockHeld, false);
  assert.ok(state.calls.includes('LockService.getDocumentLock'));
});

test('a month typed into the prompt wins over the suggestion', () => {
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/close`]: done('Closed 2026-02.') },
    answers: [typed('  2026-02 '), 'YES'],
  });
  addon.closeMonth();
  assert.equal(JSON.parse(state.fetches[1].payload).month, '2026-02');
  assert.match(state.confirmations[0].message, /^Close 2026-02\?/);
});

test('cancelling or closing the month prompt sends nothing after GET /months', () => {
  for (const action of ['closeMonth', 'reopenMonth', 'markMonthPaid']) {
    for (const answer of [cancelled, closed]) {
      const { addon, state } = monthAddon({ answers: [answer] });
      addon[action]();
      assert.deepEqual(routesCalled(state), [MONTHS_ROUTE], action);
      assert.deepEqual([state.confirmations, state.alerts, state.toasts], [[], [], []], action);
      assert.equal(state.lock.held, false);
    }
  }
});

test('answering No to the confirmation, or closing it, sends nothing', () => {
  const scripts = {
    closeMonth: [typed('')], reopenMonth: [typed(''), typed('Deal D-7 was signed in March')],
    markMonthPaid: [typed('')],
  };
  for (const [action, answers] of Object.entries(scripts)) {
    for (const no of ['NO', 'CLOSE']) {
      const { addon, state } = monthAddon({ answers: [...answers, no] });
      addon[action]();
      assert.deepEqual(routesCalled(state), [MONTHS_ROUTE], action);
      assert.equal(state.confirmations.length, 1, action);
      assert.deepEqual([state.alerts, state.toasts], [[], []], action);
    }
  }
});

test('a 409 refusal from the service is shown as it is, and nothing is toasted', () => {
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/close`]: { status: 409, body: REFUSED } },
    answers: [typed('2026-02'), 'YES'],
  });
  addon.closeMonth();
  assert.deepEqual(state.alerts,
    [{ title: 'Premia', message: '2026-02 is closed already: months close in order.' }]);
  assert.deepEqual(state.toasts, []);
  assert.equal(state.lock.held, false);
});

test('a month that is not YYYY-MM is refused in the add-on, before any change is sent', () => {
  for (const text of ['март 2026', '2026-13', '03.2026', '2026-3']) {
    const { addon, state } = monthAddon({ answers: [typed(text)] });
    addon.closeMonth();
    assert.deepEqual(routesCalled(state), [MONTHS_ROUTE], text);
    assert.deepEqual(state.confirmations, [], text);
    assert.equal(state.alerts.length, 1, text);
    assert.equal(state.alerts[0].message,
      `"${text}" is not a month: type it as YYYY-MM, for example 2026-03. Nothing was changed.`);
  }
});

test('with no suggestion the prompt asks plainly and a blank answer sends nothing', () => {
  const months = { ...MONTHS, suggested_close: null };
  const { addon, state } = monthAddon({
    routes: { [MONTHS_ROUTE]: { status: 200, body: months } }, answers: [typed('')],
  });
  addon.closeMonth();
  assert.equal(state.prompts[0].message,
    'Which month do you want to close? Type it as YYYY-MM, for example 2026-03.');
  assert.deepEqual(routesCalled(state), [MONTHS_ROUTE]);
  assert.match(state.alerts[0].message, /^Type a month as YYYY-MM/);
});

test('a suggestion that is not a month is ignored rather than offered', () => {
  const months = { ...MONTHS, suggested_close: '<b>soon</b>' };
  const { addon, state } = monthAddon({
    routes: { [MONTHS_ROUTE]: { status: 200, body: months } }, answers: [cancelled],
  });
  addon.closeMonth();
  assert.doesNotMatch(state.prompts[0].message, /soon/);
});

test('when GET /months fails, its message is shown and no dialog opens', () => {
  const forbidden = { ok: false, error: { code: 'forbidden', message: 'You cannot edit this spreadsheet.' } };
  const { addon, state } = monthAddon({ routes: { [MONTHS_ROUTE]: { status: 403, body: forbidden } } });
  addon.closeMonth();
  assert.deepEqual(routesCalled(state), [MONTHS_ROUTE]);
  assert.deepEqual([state.prompts, state.confirmations], [[], []]);
  assert.equal(state.alerts[0].message, 'You cannot edit this spreadsheet.');
});

test('Re-open month pre-fills suggested_reopen, requires a reason and posts month and reason', () => {
  const reason = 'Deal D-7 was signed in March, not February';
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/reopen`]: done('Re-opened 2026-02.') },
    answers: [typed(''), typed(`  ${reason} `), 'YES'],
  });
  addon.reopenMonth();
  assert.deepEqual(routesCalled(state), [MONTHS_ROUTE, `POST /v1/spreadsheets/${ID}/reopen`]);
  assertServiceHeaders(state.fetches[1]);
  assert.deepEqual(JSON.parse(state.fetches[1].payload), { month: '2026-02', reason });
  assert.match(state.prompts[0].message, /Leave this blank to re-open 2026-02/);
  assert.match(state.prompts[1].message, /^Why re-open 2026-02\?/);
  assert.equal(state.confirmations[0].message, 'Re-open 2026-02? Its frozen statements will be removed ' +
    `and it will be recalculated from the current data. Reason: ${reason}`);
  assert.equal(state.toasts[0].message, 'Re-opened 2026-02.');
});

test('Re-open month with a blank reason, or a cancelled one, sends nothing', () => {
  const blank = monthAddon({ answers: [typed(''), typed('   ')] });
  blank.addon.reopenMonth();
  assert.deepEqual(routesCalled(blank.state), [MONTHS_ROUTE]);
  assert.deepEqual(blank.state.confirmations, []);
  assert.equal(blank.state.alerts[0].message,
    'A month is re-opened only with a reason. Nothing was changed.');

  const gaveUp = monthAddon({ answers: [typed(''), cancelled] });
  gaveUp.addon.reopenMonth();
  assert.deepEqual(routesCalled(gaveUp.state), [MONTHS_ROUTE]);
  assert.deepEqual([gaveUp.state.confirmations, gaveUp.state.alerts], [[], []]);
});

test('Mark month paid pre-fills suggested_paid, warns it is final and posts only the month', () => {
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/paid`]: done('2026-02 is paid.') },
    answers: [typed(''), 'YES'],
  });
  addon.markMonthPaid();
  assert.deepEqual(routesCalled(state), [MONTHS_ROUTE, `POST /v1/spreadsheets/${ID}/paid`]);
  assertServiceHeaders(state.fetches[1]);
  assert.deepEqual(JSON.parse(state.fetches[1].payload), { month: '2026-02' });
  assert.match(state.prompts[0].message, /Leave this blank to mark 2026-02\./);
  assert.equal(state.confirmations[0].message, 'Mark 2026-02 as paid? A paid month can never be re-opened.');
  assert.equal(state.toasts[0].message, '2026-02 is paid.');
});

test('without a message of its own, a success is still confirmed with the month', () => {
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/paid`]: { status: 200, body: { ok: true } } },
    answers: [typed(''), 'YES'],
  });
  addon.markMonthPaid();
  assert.equal(state.toasts[0].message, 'Marked 2026-02 as paid.');
});

test('What-if with a blank period posts only as_of: the service picks the last 12 months', () => {
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/whatif`]: done('What-if: the Scenario would cost 4.1 % more.') },
    answers: [typed('')],
  });
  addon.whatIf();
  assert.deepEqual(routesCalled(state), [`POST /v1/spreadsheets/${ID}/whatif`]);
  assertServiceHeaders(state.fetches[0]);
  assert.deepEqual(JSON.parse(state.fetches[0].payload), { as_of: TODAY_IN_MOSCOW });
  assert.equal(state.prompts[0].title, 'What-if');
  assert.deepEqual(state.confirmations, []);
  assert.equal(state.toasts[0].message, 'What-if: the Scenario would cost 4.1 % more.');
  assert.equal(state.lock.releases, 1);
});

test('What-if reads FROM..TO, open ends and a single month', () => {
  const periods = [
    ['2026-01..2026-12', { from: '2026-01', to: '2026-12' }],
    [' 2026-01 .. 2026-06 ', { from: '2026-01', to: '2026-06' }],
    ['2026-04..', { from: '2026-04' }],
    ['..2026-06', { to: '2026-06' }],
    ['2026-03', { from: '2026-03', to: '2026-03' }],
  ];
  for (const [text, months] of periods) {
    const { addon, state } = monthAddon({
      routes: { [`POST /v1/spreadsheets/${ID}/whatif`]: done('Done.') }, answers: [typed(text)],
    });
    addon.whatIf();
    assert.deepEqual(JSON.parse(state.fetches[0].payload), { ...months, as_of: TODAY_IN_MOSCOW }, text);
  }
});

test('What-if refuses a period it cannot read, or one that ends before it starts, and sends nothing', () => {
  const problems = [
    ['2026-01 - 2026-12', /^"2026-01 - 2026-12" is not a period: type it like 2026-01\.\.2026-12/],
    ['..', /is not a period/],
    ['2026-01..2026-02..2026-03', /is not a period/],
    ['2026-12..2026-01',
      /^The period ends before it starts \(2026-12\.\.2026-01\)\. Nothing was computed\.$/],
  ];
  for (const [text, expected] of problems) {
    const { addon, state } = monthAddon({ answers: [typed(text)] });
    addon.whatIf();
    assert.deepEqual(state.fetches, [], text);
    assert.match(state.alerts[0].message, expected, text);
  }
});

test('cancelling the What-if prompt calls nothing at all', () => {
  for (const answer of [cancelled, closed]) {
    const { addon, state } = monthAddon({ answers: [answer] });
    addon.whatIf();
    assert.deepEqual([state.fetches, state.alerts, state.toasts], [[], [], []]);
  }
});

test('a What-if refusal shows the service message', () => {
  const noScenario = { ok: false, error: { code: 'no_scenario', message: 'Add a Scenario tab first.' } };
  const { addon, state } = monthAddon({
    routes: { [`POST /v1/spreadsheets/${ID}/whatif`]: { status: 400, body: noScenario } },
    answers: [typed('')],
  });
  addon.whatIf();
  assert.deepEqual(state.alerts, [{ title: 'Premia', message: 'Add a Scenario tab first.' }]);
  assert.deepEqual(state.toasts, []);
});

test('a busy document lock stops a month item before any dialog', () => {
  const { addon, state } = monthAddon();
  state.lock.busy = true;
  addon.closeMonth();
  assert.deepEqual(state.fetches, []);
  assert.deepEqual(state.prompts, []);
  assert.match(state.alerts[0].message, /already running/);
});

test('the date sent as as_of is today in the spreadsheet time zone, not the script one', () => {
  const { addon, state } = monthAddon({
    spreadsheetTimeZone: 'America/New_York', // 19:30 on 1 April there
    routes: { [`POST /v1/spreadsheets/${ID}/close`]: done('Closed.') },
    answers: [typed(''), 'YES'],
  });
  addon.closeMonth();
  assert.equal(JSON.parse(state.fetches[1].payload).as_of, '2026-04-01');
});
