/**
 * Premia — what the user sees: toasts, alerts and the Explain sidebar.
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
    showError_('Premia could not finish: ' + describeError_(err));
  }
}

/** Shows a problem to the user in a modal alert (errors must not vanish like a toast). */
function showError_(message) {
  const ui = SpreadsheetApp.getUi();
  ui.alert(TOAST_TITLE, message, ui.ButtonSet.OK);
}

/** The toast text after "Set up tabs": the service's summary, else the list of created tabs. */
function setupSummary_(body) {
  if (typeof body.message === 'string' && body.message.trim()) return body.message.trim();
  const created = Array.isArray(body.created) ? body.created : [];
  return created.length ? 'Created tabs: ' + created.join(', ') + '.' : 'All Premia tabs are already here.';
}

/**
 * The toast (or log) text after a recalculation: the service's summary plus the input-issue count,
 * which is always spelled out because it is what the user must act on.
 */
function recalculationSummary_(body) {
  const summary = typeof body.message === 'string' && body.message.trim() ?
      body.message.trim() : 'Recalculated ' + (body.report_month || 'the report') + '.';
  const issues = Number(body.issues);
  if (!Number.isFinite(issues)) return summary;
  if (issues === 0) return summary + ' Input issues: 0.';
  return summary + ' Input issues: ' + issues + ' — see the Input issues tab.';
}

/** Renders the service's explanation of a cell into the Explain sidebar. */
function showExplanation_(body) {
  const template = HtmlService.createTemplateFromFile('Sidebar');
  template.view = explanationView_(body);
  const output = template.evaluate().setTitle('Premia — explain ' + template.view.place);
  SpreadsheetApp.getUi().showSidebar(output);
}

/**
 * Display strings for Sidebar.html. The sidebar prints them with escaping <?= ?> scriptlets: every
 * value here may be user text (a client name) and must never be trusted as HTML.
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
  return {
    place: displayValue_(body.sheet) + '!' + displayValue_(body.cell),
    title: displayValue_(body.title),
    formula: displayValue_(body.formula),
    rule: displayValue_(body.rule),
    rows: rows,
    hiddenRows: contributions.length - rows.length,
  };
}

/** A value as the sidebar shows it: missing values are blank, everything else is text. */
function displayValue_(value) {
  return value === null || value === undefined ? '' : String(value);
}
