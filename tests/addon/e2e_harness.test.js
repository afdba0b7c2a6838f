'use strict';
/**
 * Tests of the end-to-end harness itself (tests/addon/e2e/): it runs addon.e2e.js in a child
 * process against a tiny fake Premia service on loopback, so the synchronous HTTP fetch is exercised
 * here without Python. It also checks that the e2e test fails, with a clear message, when its
 * environment is missing or the service refuses the token, and it clicks the month menu items over
 * real HTTP (e2e/click.js) to show that their bodies and headers reach a service intact.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { loadAddon } = require('./load');
const { syncHttpTransport } = require('./e2e/sync_http');

const { typed } = require('./fixtures');

const E2E_FILE = path.join(__dirname, 'e2e', 'addon.e2e.js');
const CLICK_FILE = path.join(__dirname, 'e2e', 'click.js');
const TOKEN = 'e2e-token';
const SPREADSHEET = 'sheet-e2e';

/** A fake Premia service that follows the API contract and records the requests it got. */
function fakePremia() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => { chunks.push(chunk); });
    req.on('end', () => {
      // Decoded once, whole: a Russian letter may straddle two chunks.
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const reply = (status, payload) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        const error = { code: 'forbidden', message: 'This token may not edit the spreadsheet.' };
        return reply(403, { ok: false, error });
      }
      if (req.method === 'POST' && req.url === `/v1/spreadsheets/${SPREADSHEET}/setup`) {
        const created = ['Team', 'Plans', 'Deals', 'Payments', 'Funnel', 'Rules'];
        return reply(200, { ok: true, message: 'Created 6 tabs.', created });
      }
      if (req.method === 'POST' && req.url === `/v1/spreadsheets/${SPREADSHEET}/recalculate`) {
        return reply(200, { ok: true, message: 'Done.', issues: 2, managers: 3, report_month: '2024-05' });
      }
      return monthRoutes(req, body, reply);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, requests, url: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

/** The month routes of the fake: GET /months, a refused close, and a re-open that answers in Russian. */
function monthRoutes(req, body, reply) {
  const base = `/v1/spreadsheets/${SPREADSHEET}`;
  if (req.method === 'GET' && req.url === `${base}/months`) {
    return reply(200, { ok: true, months: [], suggested_close: '2026-03', suggested_reopen: '2026-02',
      suggested_paid: '2026-02' });
  }
  if (req.method === 'POST' && req.url === `${base}/close`) {
    return reply(409, { ok: false, error: { code: 'month_refused', message: 'Close 2026-02 first.' } });
  }
  if (req.method === 'POST' && req.url === `${base}/reopen`) {
    const { month, reason } = JSON.parse(body);
    const russian = (req.headers['accept-language'] || '').startsWith('ru');
    const message = russian ? `Месяц ${month} открыт: ${reason}` : `Re-opened ${month}.`;
    return reply(200, { ok: true, message });
  }
  return reply(404, { ok: false, error: { code: 'not_found', message: 'No such route.' } });
}

/** Clicks `menuItem` in a child process (e2e/click.js) and answers what the user saw. */
function clickInChild(url, menuItem, extra) {
  const settings = { url, menuItem, spreadsheetId: SPREADSHEET, token: TOKEN, ...extra };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLICK_FILE, JSON.stringify(settings)], (error, stdout, stderr) => {
      if (error) return reject(new Error(`click.js failed: ${stderr}`));
      return resolve(JSON.parse(stdout));
    });
  });
}

/** The variables the e2e test reads. */
function e2eEnv(url, token) {
  return { PREMIA_E2E_URL: url, PREMIA_E2E_SPREADSHEET: SPREADSHEET, PREMIA_E2E_TOKEN: token };
}

/** Runs the e2e file under `node --test` with `env` and answers {code, output}. */
function runE2e(env) {
  const childEnv = { ...process.env, ...env };
  // The runner marks its children with NODE_TEST_CONTEXT; a nested run must report on its own.
  delete childEnv.NODE_TEST_CONTEXT;
  for (const name of ['PREMIA_E2E_URL', 'PREMIA_E2E_SPREADSHEET', 'PREMIA_E2E_TOKEN']) {
    if (!(name in env)) delete childEnv[name];
  }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--test', E2E_FILE], { env: childEnv }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, output: stdout + stderr });
    });
  });
}

test('the e2e test passes against a service that follows the contract', async () => {
  const { server, requests, url } = await fakePremia();
  try {
    const { code, output } = await runE2e(e2eEnv(url, TOKEN));
    assert.equal(code, 0, output);
    assert.deepEqual(requests.map((r) => [r.method, r.url]), [
      ['POST', `/v1/spreadsheets/${SPREADSHEET}/setup`],
      ['POST', `/v1/spreadsheets/${SPREADSHEET}/recalculate`],
    ]);
    assert.equal(requests[1].headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(requests[1].body), {});
  } finally {
    server.close();
  }
});

test('the e2e test fails when the service refuses the token', async () => {
  const { server, url } = await fakePremia();
  try {
    const { code, output } = await runE2e(e2eEnv(url, 'wrong'));
    assert.notEqual(code, 0);
    assert.match(output, /This token may not edit the spreadsheet\./);
  } finally {
    server.close();
  }
});

test('the e2e test fails, not skips, without its environment', async () => {
  const { code, output } = await runE2e({});
  assert.notEqual(code, 0);
  assert.match(output, /needs PREMIA_E2E_URL, PREMIA_E2E_SPREADSHEET, PREMIA_E2E_TOKEN/);
  assert.match(output, /# skipped 0/);
});

test('the synchronous transport turns a refused connection into a readable alert', async () => {
  // Find a loopback port nobody listens on: open one, then close it.
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  await new Promise((resolve) => server.close(resolve));
  const { addon, state } = loadAddon({
    scriptProperties: { PREMIA_SERVICE_URL: url }, transport: syncHttpTransport,
  });
  addon.recalculate();
  assert.deepEqual(state.toasts, []);
  assert.match(state.alerts[0].message, /^Could not reach the Premia service \(connect ECONNREFUSED 127\.0\.0\.1:/);
  assert.equal(state.lock.held, false);
});

test('Re-open month over HTTP: a Russian reason and Accept-Language arrive intact', async () => {
  const { server, requests, url } = await fakePremia();
  try {
    const reason = 'Сделка D-7 подписана в марте, а не в феврале';
    const seen = await clickInChild(url, 'reopenMonth',
      { locale: 'ru_RU', answers: [typed(''), typed(reason), 'YES'] });
    assert.deepEqual(requests.map((r) => [r.method, r.url, r.headers['accept-language']]), [
      ['GET', `/v1/spreadsheets/${SPREADSHEET}/months`, 'ru'],
      ['POST', `/v1/spreadsheets/${SPREADSHEET}/reopen`, 'ru'],
    ]);
    const reopen = requests[1];
    assert.equal(reopen.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(reopen.headers['content-type'], 'application/json');
    assert.equal(Number(reopen.headers['content-length']), Buffer.byteLength(reopen.body, 'utf8'));
    assert.deepEqual(JSON.parse(reopen.body), { month: '2026-02', reason });
    assert.deepEqual(seen.alerts, []);
    assert.deepEqual(seen.toasts.map((t) => t.message), [`Месяц 2026-02 открыт: ${reason}`]);
    assert.equal(seen.lockHeld, false);
  } finally {
    server.close();
  }
});

test('Close month over real HTTP: a 409 refusal is shown as the service wrote it', async () => {
  const { server, requests, url } = await fakePremia();
  try {
    const seen = await clickInChild(url, 'closeMonth', { answers: [typed('2026-03'), 'YES'] });
    assert.deepEqual(requests.map((r) => [r.method, r.url]), [
      ['GET', `/v1/spreadsheets/${SPREADSHEET}/months`],
      ['POST', `/v1/spreadsheets/${SPREADSHEET}/close`],
    ]);
    const body = JSON.parse(requests[1].body);
    assert.equal(body.month, '2026-03');
    assert.match(body.as_of, /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(seen.toasts, []);
    assert.deepEqual(seen.alerts, [{ title: 'Premia', message: 'Close 2026-02 first.' }]);
  } finally {
    server.close();
  }
});
