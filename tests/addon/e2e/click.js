'use strict';
/**
 * Clicks one menu item of the real add-on in a process of its own, with real, synchronous HTTP to
 * the service, and prints what the user saw as JSON on stdout. A test whose fake service runs in its
 * own event loop must click from another process: the synchronous fetch blocks the caller's loop.
 *
 *   node tests/addon/e2e/click.js '{"menuItem": "closeMonth", "url": "http://127.0.0.1:PORT",
 *     "spreadsheetId": "ID", "token": "TOKEN", "locale": "ru_RU", "answers": [...]}'
 *
 * `answers` are the user's answers to the dialogs, as gas_stubs.js takes them.
 */
const { loadAddon } = require('../load');
const { syncHttpTransport } = require('./sync_http');

/** Clicks `settings.menuItem` and answers what the user saw: alerts, toasts, prompts, confirmations. */
function click(settings) {
  const { addon, state } = loadAddon({
    scriptProperties: { PREMIA_SERVICE_URL: settings.url },
    spreadsheetId: settings.spreadsheetId,
    token: settings.token,
    locale: settings.locale,
    answers: settings.answers || [],
    transport: syncHttpTransport,
  });
  addon[settings.menuItem]();
  const { alerts, toasts, prompts, confirmations, lock } = state;
  return { alerts, toasts, prompts, confirmations, lockHeld: lock.held };
}

process.stdout.write(JSON.stringify(click(JSON.parse(process.argv[2]))));
