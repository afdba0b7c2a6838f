'use strict';
/**
 * Unit tests of the Premia add-on (templates/addon/*.gs) against hand-written Apps Script stubs:
 * the menu, the service calls, error reporting, the lock and the manifest.
 * Run: node --test tests/addon/
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { loadAddon, ADDON_DIR } = require('./load');
const { AuthMode } = require('./gas_stubs');
const { SERVICE, RECALCULATED, FORBIDDEN, answer, networkDown, addonWith } = require('./fixtures');

const { MENU_EN: MENU, menuItems } = require('./menu');

function assertNoStackTrace(text) {
  assert.doesNotMatch(text, /\n\s+at |\.gs:\d+|Error:/);
}

test('onOpen in AuthMode.NONE builds the menu and touches nothing that needs authorization', () => {
  const { addon, state } = addonWith({ authMode: AuthMode.NONE });
  addon.onOpen({ authMode: AuthMode.NONE });
  assert.deepEqual(menuItems(state), MENU);
  assert.deepEqual(state.calls, ['SpreadsheetApp.getUi']);
});

test('onOpen in AuthMode.FULL and onInstall build the same menu of existing functions', () => {
  const { addon, state } = addonWith();
  addon.onInstall({ authMode: AuthMode.FULL });
  assert.deepEqual(menuItems(state), MENU);
  for (const [, name] of MENU) assert.equal(typeof addon[name], 'function', name);
});

test('Recalculate posts to the service with the bearer token and toasts the summary', () => {
  const { addon, state } = addonWith({ transport: answer(200, RECALCULATED) });
  addon.recalculate();
  assert.equal(state.fetches.length, 1);
  const request = state.fetches[0];
  assert.equal(request.method, 'POST');
  assert.equal(request.url, `${SERVICE}/v1/spreadsheets/sheet-123/recalculate`);
  assert.equal(request.contentType, 'application/json');
  assert.deepEqual(request.headers, { Authorization: 'Bearer token-abc', 'Accept-Language': 'en' });
  assert.deepEqual(JSON.parse(request.payload), {}); // no as_of: the service picks today
  assert.equal(request.muteHttpExceptions, true);
  assert.deepEqual(state.alerts, []);
  assert.equal(state.toasts.length, 1);
  assert.equal(state.toasts[0].message,
    'Recalculated 2024-05 for 4 managers. Input issues: 3 — see the Input issues tab.');
  assert.equal(state.toasts[0].title, 'Premia');
});

test('Recalculate without a service message still names the month and the issue count', () => {
  const body = { ok: true, issues: 0, managers: 2, report_month: '2024-06' };
  const { addon, state } = addonWith({ transport: answer(200, body) });
  addon.recalculate();
  assert.equal(state.toasts[0].message, 'Recalculated 2024-06. Input issues: 0.');
});

test('Set up tabs posts to /setup and toasts the created tabs', () => {
  const body = { ok: true, message: '', created: ['Team', 'Deals'] };
  const { addon, state } = addonWith({ transport: answer(200, body) });
  addon.setupTabs();
  const request = state.fetches[0];
  assert.equal(request.method, 'POST');
  assert.equal(request.url, `${SERVICE}/v1/spreadsheets/sheet-123/setup`);
  assert.equal(request.headers.Authorization, 'Bearer token-abc');
  assert.equal(request.contentType, 'application/json');
  assert.deepEqual(JSON.parse(request.payload), {});
  assert.equal(state.toasts[0].message, 'Created tabs: Team, Deals.');
});

test('Set up tabs prefers the service message', () => {
  const body = { ok: true, message: 'Created 2 tabs.', created: ['Team', 'Deals'] };
  const { addon, state } = addonWith({ transport: answer(200, body) });
  addon.setupTabs();
  assert.equal(state.toasts[0].message, 'Created 2 tabs.');
});

test('a 403 answer shows the service message in an alert, and no toast', () => {
  for (const action of ['recalculate', 'setupTabs', 'explainCell']) {
    const { addon, state } = addonWith({ transport: answer(403, FORBIDDEN) });
    addon[action]();
    assert.deepEqual(state.toasts, [], action);
    const alert = { title: 'Premia', message: 'You cannot edit this spreadsheet.' };
    assert.deepEqual(state.alerts, [alert], action);
    assert.equal(state.lock.releases, 1, action);
  }
});

test('an error answer that is not JSON becomes a sentence with the status, not the page', () => {
  const page = '<html><body>Traceback (most recent call last)</body></html>';
  const { addon, state } = addonWith({ transport: answer(502, page) });
  addon.recalculate();
  const { message } = state.alerts[0];
  assert.equal(message, 'The Premia service had a problem (HTTP 502). Try again in a few minutes.');
});

test('a 200 answer that is not ok is reported, not toasted', () => {
  const { addon, state } = addonWith({ transport: answer(200, 'OK') });
  addon.recalculate();
  assert.deepEqual(state.toasts, []);
  assert.equal(state.alerts[0].message, 'The Premia service sent an answer the add-on cannot read.');
});

test('a network failure becomes a readable alert', () => {
  const { addon, state } = addonWith({ transport: networkDown });
  addon.recalculate();
  const { message } = state.alerts[0];
  assert.ok(message.startsWith(`Could not reach the Premia service (Address unavailable: ${SERVICE}/`), message);
  assert.match(message, /PREMIA_SERVICE_URL/);
  assertNoStackTrace(message);
  assert.equal(state.lock.held, false);
});

test('a busy lock tells the user a recalculation is running and sends nothing', () => {
  const { addon, state } = addonWith({ transport: answer(200, RECALCULATED) });
  state.lock.busy = true;
  addon.recalculate();
  assert.deepEqual(state.fetches, []);
  assert.deepEqual(state.toasts, []);
  assert.match(state.alerts[0].message, /recalculation is already running/);
  assert.ok(state.lock.tryLockWaits[0] > 0, 'tryLock waits a little before giving up');
  assert.equal(state.lock.releases, 0, 'a lock never taken is not released');
});

test('the document lock is held during the call and released after success', () => {
  let heldDuringFetch = null;
  const { addon, state } = addonWith({
    transport: () => { heldDuringFetch = state.lock.held; return { status: 200, body: RECALCULATED }; },
  });
  addon.recalculate();
  assert.equal(heldDuringFetch, true);
  assert.equal(state.lock.held, false);
  assert.equal(state.lock.releases, 1);
  assert.ok(state.calls.includes('LockService.getDocumentLock'));
});

test('the lock is released after an exception, which becomes a readable alert', () => {
  const token = new Error('Exception: Authorization is required to perform that action.');
  const { addon, state } = addonWith({ token });
  addon.recalculate();
  assert.equal(state.lock.held, false);
  assert.equal(state.lock.releases, 1);
  assert.deepEqual(state.fetches, []);
  const { message } = state.alerts[0];
  assert.equal(message, 'Premia could not finish: Authorization is required to perform that action.');
  assert.ok(state.logs.some((entry) => entry.level === 'error'), 'the details go to the execution log');
});

test('with the placeholder URL and no Script Property the user is told to configure it', () => {
  const { addon, state, evaluate } = loadAddon({ transport: answer(200, RECALCULATED) });
  assert.match(evaluate('PREMIA_SERVICE_URL'), /\.invalid$/);
  addon.recalculate();
  assert.deepEqual(state.fetches, []);
  assert.match(state.alerts[0].message, /PREMIA_SERVICE_URL script property/);
});

test('the manifest asks for the documented scopes and allows fetching the configured URL', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ADDON_DIR, 'appsscript.json'), 'utf8'));
  assert.equal(manifest.runtimeVersion, 'V8');
  assert.equal(manifest.exceptionLogging, 'STACKDRIVER');
  assert.ok(manifest.timeZone);
  assert.deepEqual([...manifest.oauthScopes].sort(), [
    'https://www.googleapis.com/auth/script.container.ui',
    'https://www.googleapis.com/auth/script.external_request',
    'https://www.googleapis.com/auth/script.scriptapp',
    'https://www.googleapis.com/auth/spreadsheets',
    'https://www.googleapis.com/auth/userinfo.email',
    'openid',
  ]);
  const { evaluate } = loadAddon();
  assert.deepEqual(manifest.urlFetchWhitelist, [evaluate('PREMIA_SERVICE_URL') + '/']);
});
