'use strict';
/**
 * A tiny evaluator for Apps Script HTML templates, enough to render the add-on's Sidebar.html.
 *
 * Like HtmlService it supports standard scriptlets `<? code ?>`, printing scriptlets `<?= expr ?>`
 * (HTML-escaped) and force-printing scriptlets `<?!= expr ?>` (raw), with the template's variables
 * in scope. Apps Script escapes by context (HTML, attribute, JavaScript); plain HTML escaping of the
 * five special characters is what matters for text in table cells.
 */

const SCRIPTLET = /<\?(!=|=)?([\s\S]*?)\?>/g;
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `value` as text safe to place between HTML tags or inside a quoted attribute. */
function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/** The JavaScript function body that builds the page from `source`. */
function compile(source) {
  const parts = ["let __out = '';", 'with (__vars) {'];
  let last = 0;
  for (const match of source.matchAll(SCRIPTLET)) {
    parts.push(`__out += ${JSON.stringify(source.slice(last, match.index))};`);
    const [, kind, code] = match;
    if (kind === '=') parts.push(`__out += __escape(${code});`);
    else if (kind === '!=') parts.push(`__out += String(${code});`);
    else parts.push(code);
    last = match.index + match[0].length;
  }
  parts.push(`__out += ${JSON.stringify(source.slice(last))};`, '}', 'return __out;');
  return parts.join('\n');
}

/** Renders template `source` with `vars` (an object whose properties are the template's variables). */
function renderTemplate(source, vars) {
  // Sloppy-mode Function: `with` puts the variables in scope the way HtmlTemplate does.
  const build = new Function('__vars', '__escape', compile(source)); // eslint-disable-line no-new-func
  return build(vars, escapeHtml);
}

module.exports = { renderTemplate, escapeHtml };
