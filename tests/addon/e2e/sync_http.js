'use strict';
/**
 * A transport for the UrlFetchApp stub that makes a real HTTP request and waits for it synchronously
 * (Apps Script's fetch blocks), by running http_request.js in a child process with spawnSync.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const HELPER = path.join(__dirname, 'http_request.js');

/**
 * Sends the stub's plain request over HTTP and answers {status, headers, body}. Throws, as
 * UrlFetchApp does, when no HTTP answer came back (refused, DNS, timeout).
 */
function syncHttpTransport(request) {
  const child = spawnSync(process.execPath, [HELPER], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: 70000,
  });
  if (child.error) throw new Error(`Exception: ${child.error.message}`);
  if (child.status !== 0) throw new Error(`Exception: the HTTP helper failed: ${child.stderr.trim()}`);
  const outcome = JSON.parse(child.stdout);
  if (outcome.error) throw new Error(`Exception: ${outcome.error}`);
  return outcome;
}

module.exports = { syncHttpTransport };
