/**
 * Premia — the one place that talks to the Premia service, and the lock around each call.
 *
 * Every call answers a plain object, {ok: true, body} or {ok: false, message}, where message is a
 * sentence for a person: HTTP errors, unreadable answers and network failures never escape as
 * exceptions or stack traces.
 */

/** The service URL without a trailing slash, or '' while it is still the placeholder. */
function serviceUrl_() {
  const configured = PropertiesService.getScriptProperties().getProperty('PREMIA_SERVICE_URL');
  const url = String(configured || PREMIA_SERVICE_URL).trim().replace(/\/+$/, '');
  return /^https?:\/\/[^/]*\.invalid(:\d+)?(\/|$)/i.test(url) ? '' : url;
}

/** The API path of one spreadsheet's `action`, e.g. /v1/spreadsheets/ID/recalculate. */
function spreadsheetPath_(spreadsheetId, action) {
  return '/v1/spreadsheets/' + encodeURIComponent(spreadsheetId) + '/' + action;
}

/**
 * Calls the service with the user's OAuth token and answers {ok, body} or {ok: false, message}.
 * `payload`, when given, is sent as a JSON body (GET requests carry none).
 */
function callService_(method, path, payload) {
  const url = serviceUrl_();
  if (!url) return {ok: false, message: NOT_CONFIGURED_MESSAGE};
  const options = {
    method: method,
    contentType: 'application/json',
    headers: {Authorization: 'Bearer ' + ScriptApp.getOAuthToken()},
    // Read 4xx/5xx answers ourselves: they carry the service's readable error message.
    muteHttpExceptions: true,
  };
  if (payload !== undefined) options.payload = JSON.stringify(payload);
  let response;
  try {
    response = UrlFetchApp.fetch(url + path, options);
  } catch (err) {
    // UrlFetchApp throws only when no HTTP answer came back at all (DNS, refused, timed out).
    return {ok: false, message: 'Could not reach the Premia service (' + describeError_(err) + '). ' +
        'Check your connection and try again; if it keeps failing, ask your administrator to check ' +
        'the PREMIA_SERVICE_URL setting.'};
  }
  return readAnswer_(response.getResponseCode(), response.getContentText());
}

/** Turns an HTTP status and body into {ok: true, body} or {ok: false, message}. */
function readAnswer_(status, text) {
  const body = parseJson_(text);
  if (status >= 200 && status < 300 && body && body.ok === true) return {ok: true, body: body};
  return {ok: false, message: serviceErrorMessage_(status, body)};
}

// What to tell the user when an error answer carries no message of the service's own.
const STATUS_MESSAGES = {
  401: 'Premia could not confirm your Google sign-in. Reload the spreadsheet and try again.',
  403: 'Premia may not work on this spreadsheet with your Google account.',
  404: 'The Premia service does not know this request (HTTP 404): check PREMIA_SERVICE_URL.',
  429: 'The Premia service is busy. Wait a minute and try again.',
};

/** The service's own error message when it sent one, else a sentence chosen by the HTTP status. */
function serviceErrorMessage_(status, body) {
  const error = body && typeof body === 'object' ? body.error : null;
  if (error && typeof error.message === 'string' && error.message.trim()) {
    return clip_(error.message.trim(), 500);
  }
  if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status];
  if (status >= 500) {
    return 'The Premia service had a problem (HTTP ' + status + '). Try again in a few minutes.';
  }
  if (status >= 200 && status < 300) return 'The Premia service sent an answer the add-on cannot read.';
  return 'The Premia service refused the request (HTTP ' + status + ').';
}

/** JSON.parse that answers null instead of throwing (an HTML error page is not JSON). */
function parseJson_(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    return null;
  }
}

/**
 * Runs `work` holding `lock`, or answers the busy message when another run holds it. The lock is
 * released in every case, exceptions included. It serialises Apps Script runs only, not the service.
 */
function withLock_(lock, work) {
  if (!lock.tryLock(LOCK_WAIT_MS)) return {ok: false, message: BUSY_MESSAGE};
  try {
    return work();
  } finally {
    lock.releaseLock();
  }
}

/** A one-line, readable description of an exception: its message, never its stack. */
function describeError_(err) {
  const text = err && err.message ? err.message : String(err);
  return clip_(text.split('\n')[0].replace(/^Exception:\s*/, '').trim(), 300);
}

/** `text` cut to at most `limit` characters, with an ellipsis when cut. */
function clip_(text, limit) {
  return text.length <= limit ? text : text.slice(0, limit - 1) + '…';
}
