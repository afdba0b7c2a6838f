'use strict';
/**
 * Unit tests of "Explain this cell": the request it sends and the escaped sidebar it renders.
 * Run: node --test tests/addon/
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ADDON_DIR } = require('./load');
const { SERVICE, answer, addonWith } = require('./fixtures');

test('Explain this cell asks about the active sheet and cell and renders an escaped sidebar', () => {
  const client = '<script>alert(1)</script>';
  const explanation = {
    ok: true, sheet: 'Сводка Q2', cell: 'F4', title: 'Total pay of Anna <b>', formula: 'base + bonus',
    rule: 'Rules!3: 5% over plan',
    contributions: [{ source: 'Deals!12', deal_id: 'D-7', client, base: 150000, rate: 0.05, amount: 7500 }],
  };
  const { addon, state } = addonWith({
    activeSheetName: 'Сводка Q2', activeRange: 'F4:G9', transport: answer(200, explanation),
  });
  addon.explainCell();
  const request = state.fetches[0];
  assert.equal(request.method, 'GET');
  assert.equal(request.url,
    `${SERVICE}/v1/spreadsheets/sheet-123/explain?sheet=${encodeURIComponent('Сводка Q2')}&cell=F4`);
  assert.equal(request.headers.Authorization, 'Bearer token-abc');
  assert.equal(request.payload, undefined);
  assert.deepEqual(state.alerts, []);
  assert.equal(state.sidebars.length, 1);
  const { html, title } = state.sidebars[0];
  assert.equal(title, 'Premia — explain Сводка Q2!F4');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(!html.includes(client));
  assert.ok(html.includes('Total pay of Anna &lt;b&gt;'));
  for (const text of ['base + bonus', 'Rules!3: 5% over plan', 'Deals!12', 'D-7', '150000', '0.05', '7500']) {
    assert.ok(html.includes(text), text);
  }
  assert.equal(state.lock.releases, 1);
});

test('Explain caps a long list of contributions and says how many are left out', () => {
  const contributions = Array.from({ length: 205 }, (_, i) => ({ source: `Deals!${i + 2}`, amount: i }));
  const body = { ok: true, sheet: 'Summary', cell: 'B3', contributions };
  const { addon, state } = addonWith({ transport: answer(200, body) });
  addon.explainCell();
  const { html } = state.sidebars[0];
  assert.equal((html.match(/<tr>/g) || []).length, 1 + 200);
  assert.match(html, /and 5 more rows/);
});

test('Explain without a selection asks the user to select a cell', () => {
  const { addon, state } = addonWith({ activeRange: null, transport: answer(200, { ok: true }) });
  addon.explainCell();
  assert.deepEqual(state.fetches, []);
  assert.match(state.alerts[0].message, /^Select a cell/);
});

test('Sidebar.html prints data only with escaping scriptlets', () => {
  const source = fs.readFileSync(path.join(ADDON_DIR, 'Sidebar.html'), 'utf8');
  assert.ok(!source.includes('<?!='));
  assert.match(source, /<\?= row\.client \?>/);
});
