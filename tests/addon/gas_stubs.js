'use strict';
/**
 * Hand-written, stateful stand-ins for the Apps Script services the Premia add-on uses.
 *
 * createGas(options) answers {globals, state}: `globals` are the service objects to put into the
 * add-on's global scope, `state` records what the add-on did (menu, toasts, alerts, sidebars,
 * fetches, triggers, locks, properties, logs, prompts, confirmations) and holds the knobs a test
 * turns (transport, lock busy, token, locale, the user's answers to dialogs, a fixed clock). Services
 * behave like Apps Script where the add-on depends on it: in AuthMode.NONE only the UI menu works, a
 * run without a user interface cannot call getUi(), a fetch without muteHttpExceptions throws on
 * 4xx/5xx, Ui.prompt has no way to pre-fill its text box, and printing scriptlets HTML-escape.
 *
 * Dialogs take the user's answers from `state.answers`, in order: {button, text} for a prompt (see
 * `typed` and `cancelled` in fixtures.js), a Button name ('YES', 'NO', 'CLOSE') for a confirmation.
 * A dialog with no answer left throws, so a test notices a dialog it did not expect.
 */
const { renderTemplate } = require('./scriptlets');

const AuthMode = Object.freeze({
  NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL',
});
const ButtonSet = Object.freeze({
  OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL',
});
const Button = Object.freeze({ CLOSE: 'CLOSE', OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO' });
const NO_UI_MESSAGE = 'Exception: Cannot call SpreadsheetApp.getUi() from this context.';

/** A fresh, recording Apps Script world; see the module docstring for the options. */
function createGas(options = {}) {
  const state = newState(options);
  const need = (name) => requireAuth(state, name);
  const globals = {
    SpreadsheetApp: spreadsheetApp(state, need),
    UrlFetchApp: { fetch: (url, params) => { need('UrlFetchApp.fetch'); return fetch(state, url, params); } },
    ScriptApp: scriptApp(state, need),
    LockService: lockService(state, need),
    PropertiesService: propertiesService(state, need),
    HtmlService: htmlService(state, need),
    Session: { getScriptTimeZone: () => { need('Session.getScriptTimeZone'); return state.timeZone; } },
    Utilities: { formatDate },
    Logger: { log: (...args) => { state.logs.push({ level: 'log', text: args.map(String).join(' ') }); } },
    console: recordingConsole(state),
  };
  if (options.now !== undefined) globals.Date = fixedClock(options.now);
  return { globals, state };
}

/** The recorded state with its defaults; options override the knobs. */
function newState(options) {
  return {
    authMode: options.authMode || AuthMode.FULL,
    hasUi: options.hasUi !== false, // false in a time-driven trigger run
    hasDocument: options.hasDocument !== false, // false in a time-driven add-on run
    spreadsheetId: options.spreadsheetId || 'sheet-123',
    activeSheetName: options.activeSheetName || 'Summary',
    activeRange: options.activeRange === undefined ? 'B3' : options.activeRange,
    token: options.token || 'token-abc',
    timeZone: options.timeZone || 'Europe/Moscow',
    // The spreadsheet's own settings (File → Settings); an Error as locale makes reading it throw.
    locale: options.locale === undefined ? 'en_US' : options.locale,
    spreadsheetTimeZone: options.spreadsheetTimeZone || 'Europe/Moscow',
    templates: options.templates || {},
    transport: options.transport || (() => { throw new Error('Exception: no transport configured'); }),
    calls: [], menus: [], toasts: [], alerts: [], sidebars: [], fetches: [], logs: [],
    prompts: [], confirmations: [], answers: (options.answers || []).slice(),
    triggers: [], nextTriggerId: 1,
    lock: { busy: false, held: false, tryLockWaits: [], releases: 0 },
    scriptProperties: new Map(Object.entries(options.scriptProperties || {})),
    userProperties: new Map(Object.entries(options.userProperties || {})),
  };
}

/** Records a service call, and throws like Apps Script when AuthMode.NONE forbids it. */
function requireAuth(state, name) {
  state.calls.push(name);
  if (state.authMode === AuthMode.NONE) {
    throw new Error(`Exception: You do not have permission to call ${name} (AuthMode.NONE)`);
  }
}

function spreadsheetApp(state, need) {
  return {
    getUi() {
      state.calls.push('SpreadsheetApp.getUi');
      if (!state.hasUi) throw new Error(NO_UI_MESSAGE);
      return ui(state);
    },
    getActive() {
      need('SpreadsheetApp.getActive');
      return state.hasDocument ? spreadsheet(state) : null;
    },
  };
}

function ui(state) {
  return {
    ButtonSet,
    Button,
    createAddonMenu() { return menu(state); },
    alert(...args) {
      // Ui.alert(prompt), alert(prompt, buttons) or alert(title, prompt, buttons).
      const [title, message, buttons] = args.length >= 3 ? args : [null, ...args];
      if (buttons && buttons !== ButtonSet.OK) return confirmation(state, title, message, buttons);
      state.alerts.push({ title, message: String(message) });
      return Button.OK;
    },
    prompt(...args) {
      // Ui.prompt(prompt), prompt(prompt, buttons) or prompt(title, prompt, buttons); never pre-filled.
      const [title, message, buttons] = args.length >= 3 ? args : [null, ...args];
      state.prompts.push({ title, message: String(message), buttons, lockHeld: state.lock.held });
      const answer = nextAnswer(state, 'prompt', message);
      if (typeof answer !== 'object') throw new Error(`stub: a prompt got the answer ${answer}`);
      return { getSelectedButton: () => answer.button, getResponseText: () => answer.text || '' };
    },
    showSidebar(output) { state.sidebars.push({ title: output.getTitle(), html: output.getContent() }); },
  };
}

/** An alert that asks a question: recorded apart from plain alerts, answered from state.answers. */
function confirmation(state, title, message, buttons) {
  state.confirmations.push({ title, message: String(message), buttons, lockHeld: state.lock.held });
  const answer = nextAnswer(state, 'confirmation', message);
  if (!(answer in Button)) throw new Error(`stub: a confirmation got the answer ${JSON.stringify(answer)}`);
  return answer;
}

/** The user's next scripted answer; throws when the test scripted none for this dialog. */
function nextAnswer(state, kind, message) {
  if (state.answers.length === 0) throw new Error(`stub: no answer scripted for the ${kind} "${message}"`);
  return state.answers.shift();
}

function menu(state) {
  const items = [];
  const self = {
    addItem(caption, functionName) { items.push({ caption, functionName }); return self; },
    addSeparator() { items.push({ separator: true }); return self; },
    addToUi() { state.menus.push(items); },
  };
  return self;
}

function spreadsheet(state) {
  const sheet = { getName: () => state.activeSheetName };
  const range = (a1) => ({
    getA1Notation: () => a1,
    getSheet: () => sheet,
    getCell: (row, column) => {
      // Enough for the add-on: the top-left cell of "B3" or "B3:D9".
      if (row !== 1 || column !== 1) throw new Error('stub: only getCell(1, 1) is supported');
      return range(a1.split(':')[0]);
    },
  });
  return {
    getId: () => state.spreadsheetId,
    getSpreadsheetLocale() {
      if (state.locale instanceof Error) throw state.locale;
      return state.locale;
    },
    getSpreadsheetTimeZone: () => state.spreadsheetTimeZone,
    getActiveSheet: () => sheet,
    getActiveRange: () => (state.activeRange === null ? null : range(state.activeRange)),
    toast(message, title, timeoutSeconds) {
      state.toasts.push({ message: String(message), title, timeoutSeconds });
    },
  };
}

/** UrlFetchApp.fetch: hands a plain request to the test's transport and wraps its answer. */
function fetch(state, url, params = {}) {
  const request = JSON.parse(JSON.stringify({
    url,
    method: String(params.method || 'get').toUpperCase(),
    contentType: params.contentType,
    headers: params.headers || {},
    payload: params.payload,
    muteHttpExceptions: params.muteHttpExceptions,
  }));
  state.fetches.push(request);
  const answer = state.transport(request); // throws like UrlFetchApp on a network failure
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  if (answer.status >= 400 && !params.muteHttpExceptions) {
    throw new Error(`Exception: Request failed for ${url} returned code ${answer.status}. ` +
      `Truncated server response: ${text.slice(0, 100)} ` +
      '(use muteHttpExceptions option to examine full response)');
  }
  return {
    getResponseCode: () => answer.status,
    getContentText: () => text,
    getHeaders: () => answer.headers || {},
  };
}

function scriptApp(state, need) {
  return {
    AuthMode,
    EventType: Object.freeze({ CLOCK: 'CLOCK' }),
    getOAuthToken() {
      need('ScriptApp.getOAuthToken');
      if (state.token instanceof Error) throw state.token;
      return state.token;
    },
    newTrigger(handler) { need('ScriptApp.newTrigger'); return triggerBuilder(state, handler); },
    getProjectTriggers() { need('ScriptApp.getProjectTriggers'); return state.triggers.slice(); },
    deleteTrigger(trigger) {
      need('ScriptApp.deleteTrigger');
      const index = state.triggers.findIndex((t) => t.getUniqueId() === trigger.getUniqueId());
      if (index < 0) throw new Error('Exception: trigger not found');
      state.triggers.splice(index, 1);
    },
  };
}

/** ScriptApp.newTrigger(handler).timeBased().everyDays(n).atHour(h).create(). */
function triggerBuilder(state, handler) {
  const spec = { handler, type: null, everyDays: null, atHour: null };
  const clock = {
    everyDays(n) { spec.everyDays = n; return clock; },
    atHour(hour) {
      if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error('Exception: invalid hour');
      spec.atHour = hour;
      return clock;
    },
    create() {
      if (spec.everyDays === null) throw new Error('Exception: the clock trigger has no schedule');
      return addTrigger(state, spec);
    },
  };
  return { timeBased() { spec.type = 'CLOCK'; return clock; } };
}

/** Installs a trigger in the stub project (tests also use it to plant someone else's trigger). */
function addTrigger(state, spec) {
  const uid = String(state.nextTriggerId++);
  const trigger = {
    spec: { ...spec },
    getUniqueId: () => uid,
    getHandlerFunction: () => spec.handler,
    getEventType: () => spec.type,
  };
  state.triggers.push(trigger);
  return trigger;
}

function lockService(state, need) {
  const lock = {
    tryLock(timeoutMs) {
      state.lock.tryLockWaits.push(timeoutMs);
      if (state.lock.busy) return false; // another execution holds it for longer than we wait
      state.lock.held = true;
      return true;
    },
    hasLock: () => state.lock.held,
    releaseLock() { state.lock.held = false; state.lock.releases += 1; },
  };
  return {
    getDocumentLock() { need('LockService.getDocumentLock'); return state.hasDocument ? lock : null; },
    getUserLock() { need('LockService.getUserLock'); return lock; },
  };
}

function propertiesService(state, need) {
  const store = (map) => ({
    getProperty: (key) => (map.has(key) ? map.get(key) : null),
    setProperty(key, value) { map.set(key, String(value)); return this; },
    deleteProperty(key) { map.delete(key); return this; },
    getProperties: () => Object.fromEntries(map),
  });
  return {
    getScriptProperties() {
      need('PropertiesService.getScriptProperties');
      return store(state.scriptProperties);
    },
    getUserProperties() {
      need('PropertiesService.getUserProperties');
      return store(state.userProperties);
    },
  };
}

function htmlService(state, need) {
  return {
    createTemplateFromFile(name) {
      need('HtmlService.createTemplateFromFile');
      if (!(name in state.templates)) throw new Error(`Exception: No HTML file named ${name} was found.`);
      const source = state.templates[name];
      // The template's own properties are its variables, as in Apps Script; evaluate() is not one.
      const evaluate = { value() { return htmlOutput(renderTemplate(source, { ...this })); } };
      return Object.defineProperty({}, 'evaluate', evaluate);
    },
  };
}

function htmlOutput(content) {
  let title = '';
  const output = {
    getContent: () => content,
    getTitle: () => title,
    setTitle(value) { title = String(value); return output; },
  };
  return output;
}

/**
 * Utilities.formatDate for the patterns the add-on uses (yyyy, MM, dd, HH, mm, ss), in `timeZone`
 * as Apps Script does; an unknown time zone throws like Apps Script's.
 */
function formatDate(date, timeZone, pattern) {
  const parts = {};
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  for (const part of format.formatToParts(date)) parts[part.type] = part.value;
  const fields = { yyyy: parts.year, MM: parts.month, dd: parts.day, HH: parts.hour, mm: parts.minute,
    ss: parts.second };
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => fields[token]);
}

/**
 * A Date whose clock is stopped at `now` (new Date() and Date.now() answer it; dates built from
 * arguments are ordinary), so tests can say which day "today" is in the spreadsheet's time zone.
 */
function fixedClock(now) {
  const fixed = new Date(now).getTime();
  return class FixedDate extends Date {
    constructor(...args) { super(...(args.length ? args : [fixed])); }
    static now() { return fixed; }
  };
}

function recordingConsole(state) {
  const record = (level) => (...args) => {
    state.logs.push({ level, text: args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ') });
  };
  return { log: record('log'), info: record('info'), warn: record('warn'), error: record('error') };
}

module.exports = { createGas, addTrigger, AuthMode, Button };
