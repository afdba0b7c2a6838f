/**
 * Premia — the Google Sheets editor add-on.
 *
 * The add-on is a thin remote control: every menu item calls the Premia service, which reads the
 * spreadsheet, computes and writes the result tabs back in one step. Each call carries the user's own
 * OAuth token, so the service acts only with the user's own Google authorization (PRODUCT.md §7).
 *
 * Names ending in "_" are private to Apps Script: menus and google.script.run cannot call them.
 */

/**
 * Where the Premia service runs: the one place to configure it. The Script Property of the same name
 * (Project settings → Script properties) overrides it without a code change. The ".invalid" host is a
 * placeholder that can never resolve (RFC 2606), so a forgotten setting gets a clear message.
 * The manifest's urlFetchWhitelist must list the same URL with a trailing "/".
 */
const PREMIA_SERVICE_URL = 'https://premia-service.invalid';

const TOAST_SECONDS = 15;
// Long enough to queue behind a short call, short enough that the user is told quickly.
const LOCK_WAIT_MS = 5000;
const DAILY_HANDLER = 'dailyRecalculation';
const DAILY_HOUR = 6;
// User Property listing the spreadsheets this user recalculates daily (a JSON array of ids).
const DAILY_LIST_PROPERTY = 'PREMIA_DAILY_SPREADSHEETS';
// Apps Script stops a run after 6 minutes: start no new daily recalculation after this much time.
const DAILY_BUDGET_MS = 4.5 * 60 * 1000;
const SIDEBAR_MAX_ROWS = 200;

/** Adds the Premia menu when the add-on is installed, so the user need not reload. */
function onInstall(e) {
  onOpen(e);
}

/**
 * Builds the Premia menu, in the spreadsheet's language (Text.gs). In AuthMode.NONE (add-on installed
 * but not yet used in this document) a simple trigger may not touch anything that needs authorization,
 * so the menu is then English and nothing else is read; otherwise only the locale is read.
 */
function onOpen(e) {
  const language = menuLanguage_(e);
  SpreadsheetApp.getUi().createAddonMenu()
      .addItem(textIn_(language, 'menuSetup'), 'setupTabs')
      .addItem(textIn_(language, 'menuRecalculate'), 'recalculate')
      .addItem(textIn_(language, 'menuExplain'), 'explainCell')
      .addSeparator()
      .addItem(textIn_(language, 'menuClose'), 'closeMonth')
      .addItem(textIn_(language, 'menuReopen'), 'reopenMonth')
      .addItem(textIn_(language, 'menuPaid'), 'markMonthPaid')
      .addSeparator()
      .addItem(textIn_(language, 'menuWhatIf'), 'whatIf')
      .addSeparator()
      .addItem(textIn_(language, 'menuDailyOn'), 'enableDailyRecalculation')
      .addItem(textIn_(language, 'menuDailyOff'), 'disableDailyRecalculation')
      .addToUi();
}

/** Menu: creates the missing input tabs (with their headers) in this spreadsheet. */
function setupTabs() {
  runMenuAction_(function () {
    const spreadsheet = SpreadsheetApp.getActive();
    const result = callServiceLocked_('post', spreadsheetPath_(spreadsheet.getId(), 'setup'), {});
    if (!result.ok) return showError_(result.message);
    toast_(spreadsheet, setupSummary_(result.body));
  });
}

/** Menu: recalculates every result tab of this spreadsheet now. */
function recalculate() {
  runMenuAction_(function () {
    const spreadsheet = SpreadsheetApp.getActive();
    const result = recalculateSpreadsheet_(spreadsheet.getId(), LockService.getDocumentLock());
    if (!result.ok) return showError_(result.message);
    toast_(spreadsheet, recalculationSummary_(result.body));
  });
}

/** Menu: shows, in a sidebar, how the selected cell of a result tab was computed. */
function explainCell() {
  runMenuAction_(function () {
    const spreadsheet = SpreadsheetApp.getActive();
    const range = spreadsheet.getActiveRange();
    if (!range) return showError_(text_('explainSelectCell'));
    // A multi-cell selection is explained by its top-left cell, the one the user started from.
    const cell = range.getCell(1, 1).getA1Notation();
    const query = '?sheet=' + encodeURIComponent(spreadsheet.getActiveSheet().getName()) +
        '&cell=' + encodeURIComponent(cell);
    const result = callServiceLocked_('get', spreadsheetPath_(spreadsheet.getId(), 'explain') + query);
    if (!result.ok) return showError_(result.message);
    showExplanation_(result.body);
  });
}

/**
 * Menu: recalculates this spreadsheet every morning. One daily trigger per user serves all of the
 * user's spreadsheets: add-on time-driven triggers belong to the script, not to a document, and run
 * with no active spreadsheet, so the ids to recalculate are kept in a User Property.
 */
function enableDailyRecalculation() {
  runMenuAction_(function () {
    const spreadsheet = SpreadsheetApp.getActive();
    // The user lock guards this user's trigger and id list, which span all their documents.
    const result = withLock_(LockService.getUserLock(), function () {
      const ids = dailySpreadsheetIds_();
      if (ids.indexOf(spreadsheet.getId()) < 0) ids.push(spreadsheet.getId());
      saveDailySpreadsheetIds_(ids);
      ensureDailyTrigger_();
      return {ok: true};
    });
    if (!result.ok) return showError_(result.message);
    toast_(spreadsheet, text_('dailyOn',
        {from: DAILY_HOUR, to: DAILY_HOUR + 1, timeZone: Session.getScriptTimeZone()}));
  });
}

/** Menu: stops the daily recalculation of this spreadsheet; other triggers are left alone. */
function disableDailyRecalculation() {
  runMenuAction_(function () {
    const spreadsheet = SpreadsheetApp.getActive();
    const result = withLock_(LockService.getUserLock(), function () {
      const ids = dailySpreadsheetIds_().filter(function (id) { return id !== spreadsheet.getId(); });
      saveDailySpreadsheetIds_(ids);
      // The trigger still serves the user's other spreadsheets while any remain.
      if (ids.length === 0) premiaTriggers_().forEach(function (t) { ScriptApp.deleteTrigger(t); });
      return {ok: true};
    });
    if (!result.ok) return showError_(result.message);
    toast_(spreadsheet, text_('dailyOff'));
  });
}

/**
 * The time-driven trigger handler. It has no user interface (getUi would throw here), so it logs
 * every outcome to the execution log / Cloud Logging instead of alerting.
 */
function dailyRecalculation(e) {
  const started = Date.now();
  dailySpreadsheetIds_().forEach(function (id) {
    if (Date.now() - started > DAILY_BUDGET_MS) {
      console.error(logText_('dailySkipped', {id: id}));
      return;
    }
    try {
      // No document is open in a timer run, so getDocumentLock() may be null; the user lock still
      // keeps this user's runs apart. The service itself must cope with concurrent runs anyway.
      const lock = LockService.getDocumentLock() || LockService.getUserLock();
      const result = recalculateSpreadsheet_(id, lock);
      if (!result.ok) console.error(logText_('dailyFailed', {id: id, message: result.message}));
      else console.log(logText_('dailyDone', {id: id, summary: recalculationSummary_(result.body)}));
    } catch (err) {
      console.error(logText_('dailyFailed', {id: id, message: describeError_(err)}));
    }
  });
}

/** Asks the service to recalculate one spreadsheet under `lock`; the add-on sends no as_of date. */
function recalculateSpreadsheet_(spreadsheetId, lock) {
  return withLock_(lock, function () {
    return callService_('post', spreadsheetPath_(spreadsheetId, 'recalculate'), {});
  });
}
