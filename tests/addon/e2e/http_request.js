'use strict';
/**
 * One HTTP request, run as a child process so that the caller can wait for it synchronously, as
 * Apps Script's UrlFetchApp.fetch does. Reads {url, method, contentType, headers, payload} as JSON on
 * stdin and prints {status, headers, body} — or {error} when no HTTP answer came back — on stdout.
 */
const http = require('node:http');
const https = require('node:https');

const TIMEOUT_MS = 60000; // UrlFetchApp gives up after about a minute too

/** Sends `request` and calls `done` with the JSON-ready outcome. */
function send(request, done) {
  const url = new URL(request.url);
  const headers = { ...request.headers };
  if (request.contentType) headers['Content-Type'] = request.contentType;
  const body = typeof request.payload === 'string' ? Buffer.from(request.payload, 'utf8') : null;
  if (body) headers['Content-Length'] = String(body.length);
  const client = url.protocol === 'https:' ? https : http;
  const options = { method: request.method, headers, timeout: TIMEOUT_MS };
  const outgoing = client.request(url, options, (response) => {
    const chunks = [];
    response.on('data', (chunk) => chunks.push(chunk));
    response.on('end', () => done({
      status: response.statusCode,
      headers: response.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    }));
  });
  outgoing.on('timeout', () => outgoing.destroy(new Error(`Timeout: ${request.url}`)));
  outgoing.on('error', (err) => done({ error: `${err.message} (${request.url})` }));
  if (body) outgoing.write(body);
  outgoing.end();
}

const input = [];
process.stdin.on('data', (chunk) => input.push(chunk));
process.stdin.on('end', () => {
  send(JSON.parse(Buffer.concat(input).toString('utf8')), (outcome) => {
    process.stdout.write(JSON.stringify(outcome));
  });
});
