'use strict';
/**
 * Unit tests of the add-on's languages: the English and Russian tables of Text.gs, the menu and
 * messages chosen by the spreadsheet's locale, and the rule that no other file holds user-visible text.
 * Run: node --test tests/addon/
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ADDON_DIR } = require('./load');
const { AuthMode } = require('./gas_stubs');
const { MENU_EN, MENU_RU, menuItems } = require('./menu');
const {
  RECALCULATED, MONTHS, answer, byRoute, typed, addonWith,
} = require('./fixtures');

/** The TEXT and LOG_TEXT tables as the add-on defines them. */
function tables() {
  const { evaluate } = addonWith();
  return { TEXT: evaluate('TEXT'), LOG_TEXT: evaluate('LOG_TEXT') };
}

/** The sorted {placeholder} names of a text. */
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The code of one add-on script, comments removed (they may quote anything). */
function codeOf(name) {
  return fs.readFileSync(path.join(ADDON_DIR, name), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** Every add-on script except Text.gs, as {name, code}. */
function otherScripts() {
  return fs.readdirSync(ADDON_DIR).filter((name) => name.endsWith('.gs') && name !== 'Text.gs')
    .map((name) => ({ name, code: codeOf(name) }));
}

test('the English and Russian tables have exactly the same keys', () => {
  const { TEXT } = tables();
  assert.deepEqual(Object.keys(TEXT).sort(), ['en', 'ru']);
  const en = Object.keys(TEXT.en).sort();
  const ru = Object.keys(TEXT.ru).sort();
  assert.deepEqual(en.filter((key) => !ru.includes(key)), [], 'keys missing from ru');
  assert.deepEqual(ru.filter((key) => !en.includes(key)), [], 'keys missing from en');
});

test('each text has the same placeholders in both languages, and none is empty', () => {
  const { TEXT } = tables();
  for (const key of Object.keys(TEXT.en)) {
    assert.deepEqual(placeholders(TEXT.ru[key]), placeholders(TEXT.en[key]), key);
    assert.ok(TEXT.en[key].trim() && TEXT.ru[key].trim(), key);
  }
});

test('the Russian table is Russian: every text with words has Cyrillic letters', () => {
  const { TEXT } = tables();
  for (const [key, text] of Object.entries(TEXT.ru)) {
    if (key === 'title') continue; // the product's name
    assert.match(text, /[а-яё]/i, key);
  }
});

test('every key the code asks for exists, and every key is used somewhere', () => {
  const { TEXT } = tables();
  // The functions of Text.gs ask for texts too; its tables are what is checked against.
  const textFunctions = codeOf('Text.gs').split('const DEFAULT_LANGUAGE')[1];
  const code = otherScripts().map((file) => file.code).join('\n') + textFunctions;
  const asked = [...code.matchAll(/\btext_\(\s*'(\w+)'|\btextIn_\(\s*\w+\s*,\s*'(\w+)'/g)]
    .map((m) => m[1] || m[2]);
  assert.ok(asked.length > 20, 'the scan finds the text_ calls');
  assert.deepEqual(asked.filter((key) => !(key in TEXT.en)), []);
  const quoted = new Set([...code.matchAll(/'(\w+)'/g)].map((m) => m[1]));
  assert.deepEqual(Object.keys(TEXT.en).filter((key) => !quoted.has(key)), [], 'unused texts');
  const logQuoted = [...code.matchAll(/\blogText_\(\s*'(\w+)'/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(logQuoted)].sort(), Object.keys(tables().LOG_TEXT).sort());
});

test('no other script holds a sentence or Cyrillic text of its own', () => {
  for (const { name, code } of otherScripts()) {
    const literals = [...code.matchAll(/'(?:[^'\\\n]|\\.)*'/g)].map((m) => m[0]);
    assert.ok(literals.length > 0, name);
    for (const literal of literals) {
      assert.doesNotMatch(literal, /[А-Яа-яЁё]/, `${name}: ${literal}`);
      assert.doesNotMatch(literal, /[A-Za-z]+ [a-z]+ [a-z]+/, `${name}: ${literal}`);
    }
  }
});

test('Sidebar.html shows no text of its own: every word comes from the view', () => {
  const visible = fs.readFileSync(path.join(ADDON_DIR, 'Sidebar.html'), 'utf8')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<[^>]*>/g, '');
  assert.match(visible, /^\s*$/);
});

test('a Russian spreadsheet gets the Russian menu', () => {
  for (const locale of ['ru_RU', 'ru', 'RU_ru']) {
    const { addon, state } = addonWith({ locale });
    addon.onOpen({ authMode: AuthMode.LIMITED });
    assert.deepEqual(menuItems(state), MENU_RU, locale);
  }
});

test('other locales get the English menu', () => {
  for (const locale of ['en_US', 'en_GB', 'de_DE', 'bg_BG', 'uk_UA', '']) {
    const { addon, state } = addonWith({ locale });
    addon.onOpen({ authMode: AuthMode.FULL });
    assert.deepEqual(menuItems(state), MENU_EN, locale);
  }
});

test('in AuthMode.NONE the menu is English and the spreadsheet is not even read', () => {
  const { addon, state } = addonWith({ authMode: AuthMode.NONE, locale: 'ru_RU' });
  addon.onOpen({ authMode: AuthMode.NONE });
  assert.deepEqual(menuItems(state), MENU_EN);
  assert.deepEqual(state.calls, ['SpreadsheetApp.getUi']);
});

test('a locale that cannot be read falls back to English without breaking the menu', () => {
  const refused = new Error('Exception: You do not have permission to call getSpreadsheetLocale');
  const { addon, state } = addonWith({ locale: refused });
  addon.onOpen({});
  assert.deepEqual(menuItems(state), MENU_EN);

  const noAuth = addonWith({ authMode: AuthMode.NONE, locale: 'ru_RU' });
  noAuth.addon.onOpen(undefined); // no event, and getActive() itself throws
  assert.deepEqual(menuItems(noAuth.state), MENU_EN);
});

test('a Russian spreadsheet gets Russian toasts and alerts, and asks the service for Russian', () => {
  const body = { ...RECALCULATED, message: '' };
  const { addon, state } = addonWith({ locale: 'ru_RU', transport: answer(200, body) });
  addon.recalculate();
  assert.equal(state.fetches[0].headers['Accept-Language'], 'ru');
  assert.deepEqual(state.toasts.map((t) => [t.title, t.message]),
    [['Premia', 'Пересчитан месяц 2024-05. Ошибок ввода: 3 — см. лист «Ошибки ввода».']]);

  state.lock.busy = true;
  addon.recalculate();
  assert.deepEqual(state.alerts, [{ title: 'Premia', message: 'Premia уже пересчитывает эту таблицу. ' +
    'Попробуйте через минуту.' }]);

  const down = addonWith({ locale: 'ru_RU', transport: answer(502, '<html></html>') });
  down.addon.recalculate();
  assert.equal(down.state.alerts[0].message,
    'У сервиса Premia возникла проблема (HTTP 502). Попробуйте через несколько минут.');
});

test('the service message is shown as the service wrote it, whatever the locale', () => {
  const russian = { ok: true, message: 'Пересчитано: март 2026, 4 менеджера.', issues: 0 };
  const { addon, state } = addonWith({ locale: 'ru_RU', transport: answer(200, russian) });
  addon.recalculate();
  assert.equal(state.toasts[0].message, 'Пересчитано: март 2026, 4 менеджера. Ошибок ввода: 0.');
});

test('Close month in Russian: Russian prompt and confirmation, Accept-Language ru', () => {
  const transport = byRoute({
    'GET /v1/spreadsheets/sheet-123/months': { status: 200, body: MONTHS },
    'POST /v1/spreadsheets/sheet-123/close': { status: 200, body: { ok: true } },
  });
  const { addon, state } = addonWith({ locale: 'ru_RU', transport, answers: [typed(''), 'YES'] });
  addon.closeMonth();
  assert.deepEqual(state.fetches.map((r) => r.headers['Accept-Language']), ['ru', 'ru']);
  assert.equal(state.prompts[0].title, 'Закрыть месяц');
  assert.match(state.prompts[0].message, /Оставьте поле пустым, чтобы закрыть 2026-03/);
  assert.equal(state.confirmations[0].message,
    'Закрыть 2026-03? Начисления за этот месяц будут заморожены; ' +
    'последующие исправления появятся как корректировки в первом открытом месяце.');
  assert.equal(state.toasts[0].message, 'Месяц 2026-03 закрыт.');
});

test('the Explain sidebar speaks Russian in a Russian spreadsheet', () => {
  const contributions = Array.from({ length: 201 }, (_, i) => ({ source: `Сделки!${i + 2}`, amount: i }));
  const body = { ok: true, sheet: 'Сводка', cell: 'F4', contributions };
  const { addon, state } = addonWith({ locale: 'ru_RU', transport: answer(200, body) });
  addon.explainCell();
  const { html, title } = state.sidebars[0];
  assert.equal(title, 'Premia — пояснение Сводка!F4');
  for (const label of ['Формула', 'Правило', 'Из чего складывается', 'Источник', 'Сумма']) {
    assert.ok(html.includes(label), label);
  }
  assert.ok(html.includes('… и ещё строк: 1, см. лист «Детализация».'));
});

test('the daily run, with no spreadsheet open, logs in English and asks for English', () => {
  const { addon, state } = addonWith({
    hasUi: false, hasDocument: false, locale: 'ru_RU',
    transport: answer(200, { ...RECALCULATED, message: '' }),
    userProperties: { PREMIA_DAILY_SPREADSHEETS: JSON.stringify(['sheet-a']) },
  });
  addon.dailyRecalculation({});
  assert.equal(state.fetches[0].headers['Accept-Language'], 'en');
  assert.equal(state.logs[0].text,
    'Premia daily recalculation of sheet-a: Recalculated 2024-05. ' +
    'Input issues: 3 — see the Input issues tab.');
});
