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
 * callService_ under this document's lock: every menu item that talks to the service runs this way,
 * so two people clicking at once do not start two runs on one spreadsheet.
 */
function callServiceLocked_(method, path, payload) {
  return withLock_(LockService.getDocumentLock(), function () {
    return callService_(method, path, payload);
  });
}

/**
 * Calls the service with the user's OAuth token and answers {ok, body} or {ok: false, message}.
 * `payload`, when given, is sent as a JSON body (GET requests carry none). Accept-Language tells the
 * service which language to answer in, the one the add-on itself speaks in this spreadsheet.
 */
function callService_(method, path, payload) {
  const url = serviceUrl_();
  if (!url) return {ok: false, message: text_('notConfigured')};
  const options = {
    method: method,
    contentType: 'application/json',
    headers: {Authorization: 'Bearer ' + ScriptApp.getOAuthToken(), 'Accept-Language': uiLanguage_()},
    // Read 4xx/5xx answers ourselves: they carry the service's readable error message.
    muteHttpExceptions: true,
  };
  if (payload !== undefined) options.payload = JSON.stringify(payload);
  let response;
  try {
    response = UrlFetchApp.fetch(url + path, options);
  } catch (err) {
    // UrlFetchApp throws only when no HTTP answer came back at all (DNS, refused, timed out).
    return {ok: false, message: text_('unreachable', {error: describeError_(err)})};
  }
  return readAnswer_(response.getResponseCode(), response.getContentText());
}

/** Turns an HTTP status and body into {ok: true, body} or {ok: false, message}. */
function readAnswer_(status, text) {
  const body = parseJson_(text);
  if (status >= 200 && status < 300 && body && body.ok === true) return {ok: true, body: body};
  return {ok: false, message: serviceErrorMessage_(status, body)};
}

// The Text.gs key of what to tell the user when an error answer carries no message of the service's own.
const STATUS_TEXT_KEYS = {401: 'status401', 403: 'status403', 404: 'status404', 429: 'status429'};

/** The service's own error message when it sent one, else a sentence chosen by the HTTP status. */
function serviceErrorMessage_(status, body) {
  const error = body && typeof body === 'object' ? body.error : null;
  if (error && typeof error.message === 'string' && error.message.trim()) {
    return clip_(error.message.trim(), 500);
  }
  if (STATUS_TEXT_KEYS[status]) return text_(STATUS_TEXT_KEYS[status]);
  if (status >= 500) return text_('status5xx', {status: status});
  if (status >= 200 && status < 300) return text_('unreadableAnswer');
  return text_('refused', {status: status});
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
  if (!lock.tryLock(LOCK_WAIT_MS)) return {ok: false, message: text_('busy')};
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
