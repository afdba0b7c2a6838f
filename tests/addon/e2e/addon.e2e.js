'use strict';
/**
 * End-to-end test of the real add-on code against a running Premia service: the stubbed
 * UrlFetchApp.fetch makes real, synchronous HTTP requests. The Python suite starts the service and a
 * fake Sheets API on loopback and runs:
 *
 *   PREMIA_E2E_URL=http://127.0.0.1:PORT PREMIA_E2E_SPREADSHEET=ID PREMIA_E2E_TOKEN=TOKEN \
 *     node --test tests/addon/e2e/addon.e2e.js
 *
 * Without those variables it fails (it never skips): a silently skipped end-to-end test proves nothing.
 * Its name keeps it out of `node --test tests/addon/`.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('../load');
const { syncHttpTransport } = require('./sync_http');

const REQUIRED = ['PREMIA_E2E_URL', 'PREMIA_E2E_SPREADSHEET', 'PREMIA_E2E_TOKEN'];

/** The environment this test needs; fails with what is missing and how to provide it. */
function e2eSettings() {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length) {
    assert.fail(`The add-on end-to-end test needs ${missing.join(', ')}: the URL of a running Premia ` +
      'service, a spreadsheet id it can reach and an OAuth token it accepts. The Python end-to-end ' +
      'suite sets them; to run it by hand, start the service and set them yourself.');
  }
  return {
    url: process.env.PREMIA_E2E_URL,
    spreadsheetId: process.env.PREMIA_E2E_SPREADSHEET,
    token: process.env.PREMIA_E2E_TOKEN,
  };
}

/** The add-on wired to the real service; `answers` records every HTTP answer it got. */
function liveAddon(settings) {
  const answers = [];
  const transport = (request) => {
    const answer = syncHttpTransport(request);
    answers.push({ request, answer });
    return answer;
  };
  const loaded = loadAddon({
    scriptProperties: { PREMIA_SERVICE_URL: settings.url },
    spreadsheetId: settings.spreadsheetId,
    token: settings.token,
    transport,
  });
  return { ...loaded, answers };
}

/** A readable account of what went wrong, for assertion messages. */
function transcript(state, answers) {
  return JSON.stringify({ alerts: state.alerts, toasts: state.toasts, answers: answers.map((a) => ({
    url: a.request.url, status: a.answer.status, body: a.answer.body.slice(0, 500),
  })) }, null, 2);
}

test('Set up tabs, then Recalculate, against the running Premia service', () => {
  const settings = e2eSettings();
  const { addon, state, answers } = liveAddon(settings);

  addon.setupTabs();
  assert.deepEqual(state.alerts, [], transcript(state, answers));
  assert.equal(state.toasts.length, 1, transcript(state, answers));
  const base = settings.url.replace(/\/+$/, '');
  assert.equal(answers[0].request.url, `${base}/v1/spreadsheets/${settings.spreadsheetId}/setup`);
  assert.equal(answers[0].answer.status, 200);

  addon.recalculate();
  assert.deepEqual(state.alerts, [], transcript(state, answers));
  assert.equal(state.toasts.length, 2, transcript(state, answers));
  const recalculated = answers[1];
  assert.equal(recalculated.request.method, 'POST');
  assert.equal(recalculated.answer.status, 200, transcript(state, answers));
  const body = JSON.parse(recalculated.answer.body);
  assert.equal(body.ok, true);
  assert.ok(Number.isInteger(body.issues), `issues must be an integer: ${recalculated.answer.body}`);
  assert.ok(state.toasts[1].message.includes(`Input issues: ${body.issues}`), state.toasts[1].message);
  assert.equal(state.lock.held, false);
});
