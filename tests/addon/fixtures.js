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

/** The add-on loaded with the service URL set as a Script Property (trailing slash on purpose). */
function addonWith(options = {}) {
  return loadAddon({ scriptProperties: { PREMIA_SERVICE_URL: SERVICE + '/' }, ...options });
}

module.exports = { SERVICE, RECALCULATED, FORBIDDEN, answer, networkDown, addonWith };
