'use strict';
/**
 * Loads the real add-on (every .gs file of templates/addon, Code.gs first) into a fresh `vm` context
 * whose globals are the Apps Script stubs of gas_stubs.js, as Apps Script runs all of a project's
 * files in one global scope. The HTML files become the templates HtmlService can find.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createGas } = require('./gas_stubs');

const ADDON_DIR = path.join(__dirname, '..', '..', 'templates', 'addon');

/** The add-on's script files in load order: Code.gs first, then the others by name. */
function scriptFiles() {
  const names = fs.readdirSync(ADDON_DIR).filter((name) => name.endsWith('.gs')).sort();
  return ['Code.gs', ...names.filter((name) => name !== 'Code.gs')];
}

/** The add-on's HTML files by the name HtmlService knows them by ("Sidebar" for Sidebar.html). */
function htmlTemplates() {
  const templates = {};
  for (const name of fs.readdirSync(ADDON_DIR).filter((n) => n.endsWith('.html'))) {
    templates[path.basename(name, '.html')] = fs.readFileSync(path.join(ADDON_DIR, name), 'utf8');
  }
  return templates;
}

/**
 * A loaded add-on: `addon` is its global scope (call addon.recalculate()), `state` the stubs'
 * record, and `evaluate(expression)` reads a top-level const such as PREMIA_SERVICE_URL.
 */
function loadAddon(options = {}) {
  const { globals, state } = createGas({ templates: htmlTemplates(), ...options });
  const addon = vm.createContext({ ...globals });
  for (const name of scriptFiles()) {
    vm.runInContext(fs.readFileSync(path.join(ADDON_DIR, name), 'utf8'), addon, { filename: name });
  }
  return { addon, state, evaluate: (expression) => vm.runInContext(expression, addon) };
}

module.exports = { loadAddon, ADDON_DIR };
