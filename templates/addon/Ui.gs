/**
 * Premia — what the user sees: toasts, alerts, prompts, confirmations and the Explain sidebar.
 * Every sentence comes from Text.gs, in the spreadsheet's language.
 */

/**
 * Runs a menu action; an unexpected exception (a revoked authorization, a Google outage) becomes a
 * readable alert instead of Apps Script's red error bar, and its details go to the execution log.
 */
function runMenuAction_(action) {
  try {
    action();
  } catch (err) {
    console.error(err);
    showError_(text_('couldNotFinish', {error: describeError_(err)}));
  }
}

/** Shows a problem to the user in a modal alert (errors must not vanish like a toast). */
function showError_(message) {
  const ui = SpreadsheetApp.getUi();
  ui.alert(text_('title'), message, ui.ButtonSet.OK);
}

/** Shows a success in a toast: it informs without stopping the user's work. */
function toast_(spreadsheet, message) {
  spreadsheet.toast(message, text_('title'), TOAST_SECONDS);
}

/**
 * Asks a question with a text box; answers the trimmed text, or null when the user pressed Cancel
 * or closed the dialog. Apps Script's prompt cannot pre-fill its box, so callers say in `question`
 * what a blank answer means.
 */
function askText_(title, question) {
  const ui = SpreadsheetApp.getUi();
  const response = ui.prompt(title, question, ui.ButtonSet.OK_CANCEL);
  if (response.getSelectedButton() !== ui.Button.OK) return null;
  return String(response.getResponseText() || '').trim();
}

/** Asks the user to confirm `question`; true only for an explicit Yes (closing the dialog is a No). */
function confirm_(title, question) {
  const ui = SpreadsheetApp.getUi();
  return ui.alert(title, question, ui.ButtonSet.YES_NO) === ui.Button.YES;
}

/** The service's own summary from a successful answer, or '' when it sent none. */
function serviceMessage_(body) {
  return typeof body.message === 'string' ? body.message.trim() : '';
}

/** The toast text after "Set up tabs": the service's summary, else the list of created tabs. */
function setupSummary_(body) {
  const message = serviceMessage_(body);
  if (message) return message;
  const created = Array.isArray(body.created) ? body.created : [];
  return created.length ? text_('setupCreated', {tabs: created.join(', ')}) : text_('setupNothing');
}

/**
 * The toast (or log) text after a recalculation: the service's summary plus the input-issue count,
 * which is always spelled out because it is what the user must act on.
 */
function recalculationSummary_(body) {
  const summary = serviceMessage_(body) || (body.report_month ?
      text_('recalculatedMonth', {month: body.report_month}) : text_('recalculatedReport'));
  const issues = Number(body.issues);
  if (!Number.isFinite(issues)) return summary;
  if (issues === 0) return summary + ' ' + text_('issuesNone');
  return summary + ' ' + text_('issuesSome', {count: issues});
}

/** Renders the service's explanation of a cell into the Explain sidebar. */
function showExplanation_(body) {
  const template = HtmlService.createTemplateFromFile('Sidebar');
  template.view = explanationView_(body);
  const output = template.evaluate().setTitle(text_('sidebarTitle', {place: template.view.place}));
  SpreadsheetApp.getUi().showSidebar(output);
}

/**
 * Display strings for Sidebar.html, its labels included. The sidebar prints them with escaping <?= ?>
 * scriptlets: every value here may be user text (a client name) and must never be trusted as HTML.
 */
function explanationView_(body) {
  const contributions = Array.isArray(body.contributions) ? body.contributions : [];
  const rows = contributions.slice(0, SIDEBAR_MAX_ROWS).map(function (c) {
    return {
      source: displayValue_(c.source),
      dealId: displayValue_(c.deal_id),
      client: displayValue_(c.client),
      base: displayValue_(c.base),
      rate: displayValue_(c.rate),
      amount: displayValue_(c.amount),
    };
  });
  const hiddenRows = contributions.length - rows.length;
  return {
    place: displayValue_(body.sheet) + '!' + displayValue_(body.cell),
    title: displayValue_(body.title),
    formula: displayValue_(body.formula),
    rule: displayValue_(body.rule),
    rows: rows,
    moreRows: hiddenRows > 0 ? text_('sidebarMoreRows', {count: hiddenRows}) : '',
    labels: sidebarLabels_(),
  };
}

/** The sidebar's fixed labels in the spreadsheet's language. */
function sidebarLabels_() {
  return {
    formula: text_('sidebarFormula'),
    rule: text_('sidebarRule'),
    contributions: text_('sidebarContributions'),
    noRows: text_('sidebarNoRows'),
    source: text_('columnSource'),
    deal: text_('columnDeal'),
    client: text_('columnClient'),
    base: text_('columnBase'),
    rate: text_('columnRate'),
    amount: text_('columnAmount'),
  };
}

/** A value as the sidebar shows it: missing values are blank, everything else is text. */
function displayValue_(value) {
  return value === null || value === undefined ? '' : String(value);
}
