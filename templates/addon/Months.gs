/**
 * Premia — the month menu items (close, re-open, mark paid; PRODUCT.md §3a) and What-if (§3c).
 *
 * The service decides everything: which months may change state, and what a what-if computes. The
 * add-on only asks the user which month (pre-filled from the service's suggestion), asks for
 * confirmation, sends the request, and shows the service's answer — or its refusal — as it is.
 */

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const PERIOD_SEPARATOR = '..';

/**
 * What each month menu item asks, says and sends. `suggestion` names the field of GET /months that
 * pre-fills its prompt; the other names are Text.gs keys; `body` builds the request from the choice.
 */
const MONTH_ACTIONS = {
  close: {
    route: 'close', suggestion: 'suggested_close', title: 'closeTitle', prompt: 'closePrompt',
    promptSuggested: 'closePromptSuggested', confirm: 'closeConfirm', done: 'closeDone',
    body: function (choice, spreadsheet) {
      return {month: choice.month, as_of: todayInSpreadsheet_(spreadsheet)};
    },
  },
  reopen: {
    route: 'reopen', suggestion: 'suggested_reopen', title: 'reopenTitle', prompt: 'reopenPrompt',
    promptSuggested: 'reopenPromptSuggested', confirm: 'reopenConfirm', done: 'reopenDone',
    asksReason: true,
    body: function (choice) { return {month: choice.month, reason: choice.reason}; },
  },
  paid: {
    route: 'paid', suggestion: 'suggested_paid', title: 'paidTitle', prompt: 'paidPrompt',
    promptSuggested: 'paidPromptSuggested', confirm: 'paidConfirm', done: 'paidDone',
    body: function (choice) { return {month: choice.month}; },
  },
};

/** Menu: freezes a month's statements (later corrections become adjustments in an open month). */
function closeMonth() {
  changeMonthState_(MONTH_ACTIONS.close);
}

/** Menu: re-opens the latest closed month that is not paid, with a reason the service records. */
function reopenMonth() {
  changeMonthState_(MONTH_ACTIONS.reopen);
}

/** Menu: marks a closed month as paid, after which it can never be re-opened. */
function markMonthPaid() {
  changeMonthState_(MONTH_ACTIONS.paid);
}

/**
 * Menu: recomputes a period under the Scenario tab's rules beside the current ones and writes the
 * What-if tab. It changes no statement and no month, so it asks for no confirmation.
 */
function whatIf() {
  runMenuAction_(function () {
    const spreadsheet = SpreadsheetApp.getActive();
    const answer = askText_(text_('whatIfTitle'), text_('whatIfPrompt'));
    if (answer === null) return;
    const period = readPeriod_(answer);
    if (period.problem) return showError_(period.problem);
    const body = Object.assign({}, period.months, {as_of: todayInSpreadsheet_(spreadsheet)});
    const result = callServiceLocked_('post', spreadsheetPath_(spreadsheet.getId(), 'whatif'), body);
    if (!result.ok) return showError_(result.message);
    toast_(spreadsheet, serviceMessage_(result.body) || text_('whatIfDone'));
  });
}

/**
 * Runs one month menu item: asks the service which month it suggests, asks the user (and for a
 * reason when needed), confirms, then sends the change. Cancelling any dialog sends nothing more.
 * The document lock is held only while the service works, never while a dialog waits for a person:
 * an open prompt must not make everyone else's Recalculate say "already running".
 */
function changeMonthState_(action) {
  runMenuAction_(function () {
    const spreadsheet = SpreadsheetApp.getActive();
    const id = spreadsheet.getId();
    const months = callServiceLocked_('get', spreadsheetPath_(id, 'months'));
    if (!months.ok) return showError_(months.message);
    const choice = askMonthChoice_(action, suggestedMonth_(months.body, action.suggestion));
    if (!choice) return;
    if (!confirm_(text_(action.title), text_(action.confirm, choice))) return;
    const body = action.body(choice, spreadsheet);
    const result = callServiceLocked_('post', spreadsheetPath_(id, action.route), body);
    if (!result.ok) return showError_(result.message);
    toast_(spreadsheet, serviceMessage_(result.body) || text_(action.done, choice));
  });
}

/** The month the service suggests in field `name` of its /months answer, or null for none or junk. */
function suggestedMonth_(body, name) {
  const month = body ? body[name] : null;
  return typeof month === 'string' && MONTH_PATTERN.test(month) ? month : null;
}

/** {month} (and {reason} when the action needs one) from the user, or null when they gave up. */
function askMonthChoice_(action, suggestion) {
  const month = askMonth_(action, suggestion);
  if (!month) return null;
  if (!action.asksReason) return {month: month};
  const reason = askReason_(action, month);
  return reason ? {month: month, reason: reason} : null;
}

/**
 * Asks for a month; a blank answer takes the suggestion. Answers null when the user cancelled or
 * typed something that is not a month (then they are told so and nothing is sent).
 */
function askMonth_(action, suggestion) {
  const question = suggestion ?
      text_(action.promptSuggested, {month: suggestion}) : text_(action.prompt);
  const answer = askText_(text_(action.title), question);
  if (answer === null) return null;
  const month = answer || suggestion;
  if (!month) {
    showError_(text_('monthNeeded'));
    return null;
  }
  if (!MONTH_PATTERN.test(month)) {
    showError_(text_('monthFormat', {value: answer}));
    return null;
  }
  return month;
}

/** Asks why the month is re-opened; the reason is required, so a blank one stops here. */
function askReason_(action, month) {
  const reason = askText_(text_(action.title), text_('reasonPrompt', {month: month}));
  if (reason === null) return null;
  if (!reason) {
    showError_(text_('reasonRequired'));
    return null;
  }
  return reason;
}

/**
 * Reads a what-if period: blank (the service's default, the last 12 months), one month, or
 * FROM..TO where either end may be left out. Answers {months: {from?, to?}} or {problem: message}.
 */
function readPeriod_(text) {
  if (!text) return {months: {}};
  const ends = text.indexOf(PERIOD_SEPARATOR) >= 0 ?
      text.split(PERIOD_SEPARATOR).map(function (end) { return end.trim(); }) : [text, text];
  const isEnd = function (end) { return end === '' || MONTH_PATTERN.test(end); };
  if (ends.length !== 2 || !ends.every(isEnd) || (!ends[0] && !ends[1])) {
    return {problem: text_('periodFormat', {value: text})};
  }
  if (ends[0] && ends[1] && ends[0] > ends[1]) {
    return {problem: text_('periodOrder', {from: ends[0], to: ends[1]})};
  }
  const months = {};
  if (ends[0]) months.from = ends[0];
  if (ends[1]) months.to = ends[1];
  return {months: months};
}

/**
 * Today as YYYY-MM-DD in the spreadsheet's own time zone: the date its users live by, which decides
 * whether a month has ended (PRODUCT.md §6), not the date where Google's servers run.
 */
function todayInSpreadsheet_(spreadsheet) {
  return Utilities.formatDate(new Date(), spreadsheet.getSpreadsheetTimeZone(), 'yyyy-MM-dd');
}
