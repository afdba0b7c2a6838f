'use strict';
/**
 * The Premia menu as users must see it, in English and in Russian, and a reader of the menu the
 * stubs recorded. Shared by code.test.js and text.test.js.
 */
const assert = require('node:assert/strict');

/** [caption, function] of every item, separators left out, in menu order. */
const MENU_EN = [
  ['Set up tabs', 'setupTabs'],
  ['Recalculate', 'recalculate'],
  ['Explain this cell', 'explainCell'],
  ['Close month…', 'closeMonth'],
  ['Re-open month…', 'reopenMonth'],
  ['Mark month paid…', 'markMonthPaid'],
  ['What-if…', 'whatIf'],
  ['Daily recalculation on', 'enableDailyRecalculation'],
  ['Daily recalculation off', 'disableDailyRecalculation'],
];

const MENU_RU = [
  ['Создать листы', 'setupTabs'],
  ['Пересчитать', 'recalculate'],
  ['Объяснить ячейку', 'explainCell'],
  ['Закрыть месяц…', 'closeMonth'],
  ['Открыть месяц заново…', 'reopenMonth'],
  ['Отметить месяц выплаченным…', 'markMonthPaid'],
  ['Что если…', 'whatIf'],
  ['Включить ежедневный пересчёт', 'enableDailyRecalculation'],
  ['Выключить ежедневный пересчёт', 'disableDailyRecalculation'],
];

/** The one menu built, as [caption, function] pairs, separators left out. */
function menuItems(state) {
  assert.equal(state.menus.length, 1);
  return state.menus[0].filter((item) => !item.separator).map((item) => [item.caption, item.functionName]);
}

module.exports = { MENU_EN, MENU_RU, menuItems };
