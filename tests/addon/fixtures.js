'use strict';
/**
 * Shared inputs of the add-on unit tests: the service URL, canned service answers and transports,
 * and the add-on loaded with its Script Property set.
 */
const { loadAddon } = require('./load');

const SERVICE = 'https://premia.test';
const RECALCULATED = {
  ok: true, message: 'Recalculated 2024-05 for 4 managers.', issues: 3, managers: 4, report_month: '2024-05',
};
const FORBIDDEN = { ok: false, error: { code: 'forbidden', message: 'You cannot edit this spreadsheet.' } };

/** A transport that answers every request with `status` and `body`. */
const answer = (status, body) => () => ({ status, body });

/** A transport that fails as UrlFetchApp does when the host cannot be reached. */
function networkDown(request) {
  throw new Error(`Exception: Address unavailable: ${request.url}`);
}

/**
 * A transport that answers by route: `table` maps "METHOD /path" (the path after the service URL,
 * query included) to {status, body}; any other request gets the service's JSON 404.
 */
function byRoute(table) {
  return (request) => {
    const route = `${request.method} ${request.url.slice(SERVICE.length)}`;
    const notFound = { ok: false, error: { code: 'not_found', message: 'No such endpoint.' } };
    return table[route] || { status: 404, body: notFound };
  };
}

/** The user's answer to a prompt: `text` typed, then OK. */
const typed = (text) => ({ button: 'OK', text });
/** The user's answer to a prompt: Cancel pressed (whatever was typed). */
const cancelled = { button: 'CANCEL', text: '2026-03' };
/** The user's answer to a prompt: the dialog closed with its × button. */
const closed = { button: 'CLOSE', text: '' };

/** GET /months as the service answers it (the contract the add-on is written against). */
const MONTHS = {
  ok: true,
  months: [
    { month: '2026-01', state: 'paid', ended: true },
    { month: '2026-02', state: 'closed', ended: true },
    { month: '2026-03', state: 'open', ended: true },
    { month: '2026-04', state: 'open', ended: false },
  ],
  suggested_close: '2026-03',
  suggested_reopen: '2026-02',
  suggested_paid: '2026-02',
};

/** The add-on loaded with the service URL set as a Script Property (trailing slash on purpose). */
function addonWith(options = {}) {
  return loadAddon({ scriptProperties: { PREMIA_SERVICE_URL: SERVICE + '/' }, ...options });
}

module.exports = {
  SERVICE, RECALCULATED, FORBIDDEN, MONTHS, answer, networkDown, byRoute, typed, cancelled, closed, addonWith,
};
