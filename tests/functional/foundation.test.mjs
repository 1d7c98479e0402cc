// Functional tests of the server foundation against the real program.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { startServer } from '../support/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, 'server exits 0 on SIGTERM');
});

function assertJsonError(res, body, status, code) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assert.ok(body.error, 'error object');
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok('field' in body.error);
}

test('healthz reports the database', async () => {
  const res = await fetch(`${srv.base}/healthz`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.database.backend, 'sqlite');
  assert.ok(body.database.schema_version >= 1);
});

test('unknown API path is a JSON 404', async () => {
  const res = await fetch(`${srv.base}/api/v1/nothing-here`);
  assertJsonError(res, await res.json(), 404, 'not_found');
});

test('wrong method on an API route is a JSON 405 with Allow', async () => {
  const res = await fetch(`${srv.base}/api/v1/screenings`, { method: 'DELETE' });
  assertJsonError(res, await res.json(), 405, 'method_not_allowed');
  assert.match(res.headers.get('allow'), /POST/);
});

test('oversized API body is a 413, not a dropped connection', async () => {
  const big = JSON.stringify({ pad: 'x'.repeat(300 * 1024) });
  const res = await fetch(`${srv.base}/api/v1/screenings`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: big,
  });
  const body = await res.json();
  assertJsonError(res, body, 413, 'payload_too_large');
});

test('100 000-deep nested JSON under the size limit is a 400, and the server lives on', async () => {
  const deep = '['.repeat(100000) + ']'.repeat(100000);
  const res = await fetch(`${srv.base}/api/v1/screenings`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: deep,
  });
  const body = await res.json();
  assertJsonError(res, body, 400, 'invalid_argument');
  assert.equal(body.error.field, 'body');
  const again = await fetch(`${srv.base}/healthz`);
  assert.equal(again.status, 200);
});

test('malformed HTTP gets a 400', async () => {
  const reply = await rawExchange(srv.port, 'GARBAGE\r\n\r\n');
  assert.match(reply, /^HTTP\/1\.1 400/);
});

test('pages carry strict security headers', async () => {
  for (const p of ['/', '/en', '/accessibilite', '/en/confidentialite']) {
    const res = await fetch(srv.base + p);
    assert.equal(res.status, 200, p);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/i, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=/i, 'no inline style');
  }
});

test('language is chosen by URL: French at /, English at /en', async () => {
  const fr = await (await fetch(`${srv.base}/`)).text();
  assert.match(fr, /<html lang="fr"/);
  const en = await (await fetch(`${srv.base}/en`)).text();
  assert.match(en, /<html lang="en"/);
  assert.match(en, /Becoming a parent/);
  const res = await fetch(`${srv.base}/xx/accessibilite`);
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.equal(res.headers.get('set-cookie'), null, 'no cookie');
});

test('HTML 404 page in the language of the URL', async () => {
  const res = await fetch(`${srv.base}/en/no/such/page`);
  assert.equal(res.status, 404);
  assert.match(await res.text(), /Page not found/);
  const fr = await fetch(`${srv.base}/pas/de/page`);
  assert.match(await fr.text(), /Page non trouvée/);
});

test('static assets: long cache, ETag, 304, gzip', async () => {
  const html = await (await fetch(`${srv.base}/`)).text();
  const css = html.match(/href="(\/static\/dsfr\/[^"]+\.css)"/)[1];
  const res = await fetch(srv.base + css, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('cache-control'), /max-age=31536000/);
  const etag = res.headers.get('etag');
  assert.ok(etag);
  const body = await res.text();
  assert.ok(body.includes('.fr-header'), 'DSFR header component shipped');
  const cached = await fetch(srv.base + css, { headers: { 'if-none-match': etag } });
  assert.equal(cached.status, 304);
  const gz = await rawExchange(srv.port,
    `GET ${css} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`);
  assert.match(gz, /content-encoding: gzip/i);
  const missing = await fetch(`${srv.base}/static/dsfr/1.15.3/nope.css`);
  assert.equal(missing.status, 404);
});

test('metrics in Prometheus format', async () => {
  await fetch(`${srv.base}/healthz`);
  assert.equal((await fetch(`${srv.base}/metrics`)).status, 404, 'not public without a token');
  const text = await (await fetch(`${srv.base}/metrics`, { headers: { authorization: `Bearer ${srv.metricsToken}` } })).text();
  assert.match(text, /parcours_http_requests_total\{route="\/healthz",method="GET",status="2xx"\} \d+/);
  assert.match(text, /parcours_http_request_duration_seconds_bucket/);
  assert.match(text, /parcours_db_pool_connections \d+/);
  assert.match(text, /parcours_db_commits_total \d+/);
  // The server's own gauges: this request's connection is open and in flight.
  assert.ok(Number(text.match(/^parcours_http_connections (\d+)$/m)[1]) >= 1);
  assert.ok(Number(text.match(/^parcours_http_in_flight (\d+)$/m)[1]) >= 1);
  assert.match(text, /^parcours_http_workers [1-9]\d*$/m);
  assert.match(text, /^parcours_http_worker_queue_limit [1-9]\d*$/m);
  for (const name of ['worker_queue', 'workers_busy', 'queue_full_total', 'departed_total', 'evicted_total', 'accept_errors_total']) {
    assert.match(text, new RegExp(`^parcours_http_${name} \\d+$`, 'm'), name);
  }
});

test('access log lines are JSON with request id, route, status, duration', async () => {
  await fetch(`${srv.base}/healthz`);
  await new Promise((r) => setTimeout(r, 100));
  const line = srv.logs.map((l) => { try { return JSON.parse(l); } catch { return null; } })
    .find((o) => o && o.msg === 'request' && o.route === '/healthz');
  assert.ok(line, 'request log line');
  for (const k of ['time', 'level', 'request_id', 'route', 'status', 'duration_ms']) assert.ok(k in line, k);
});

test('healthz turns unhealthy when the database is gone', async () => {
  const s = await startServer();
  try {
    assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
    for (const suffix of ['', '-wal', '-shm']) rmSync(s.dbPath + suffix, { force: true });
    const res = await fetch(`${s.base}/healthz`);
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.equal(body.status, 'unavailable');
  } finally {
    await s.stop();
  }
});

test('graceful shutdown: a request in flight on SIGTERM is answered, then exit 0', async () => {
  const s = await startServer();
  const body = JSON.stringify({ instrument: 'epds' });
  const sock = net.connect(s.port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  let reply = '';
  sock.on('data', (d) => { reply += d.toString(); });
  const closed = new Promise((r) => sock.once('close', r));
  // Headers and half of the body: the request is in flight.
  sock.write(`POST /api/v1/screenings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
  sock.write(body.slice(0, 5));
  await new Promise((r) => setTimeout(r, 200));
  // Before the signal a new connection is served (the check below can fail).
  assert.match((await lateConnection(s.port)).data, /^HTTP\/1\.1 200 /);
  s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  // While draining, a new connection is refused, or closed without being served.
  const late = await lateConnection(s.port);
  assert.ok(!late.timedOut, 'a new connection is not left hanging');
  assert.ok(late.refused || !/^HTTP\/1\.1 2\d\d /.test(late.data),
    `new connection served while draining: ${late.data.slice(0, 80)}`);
  sock.write(body.slice(5));
  await closed;
  assert.match(reply, /^HTTP\/1\.1 (201|400) /, 'in-flight request answered');
  assert.match(reply, /connection: close/i);
  const r = await s.exited;
  assert.equal(r.code, 0);
  await s.stop();
});

// Opens a new connection and asks for /healthz: { refused } when the
// connection is refused, else what came back before the server closed it.
function lateConnection(port) {
  return new Promise((resolve) => {
    let data = '';
    const c = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => { c.destroy(); resolve({ timedOut: true, data }); }, 3000);
    c.on('error', () => { clearTimeout(timer); resolve({ refused: true, data }); });
    c.on('connect', () => c.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    c.on('data', (d) => { data += d.toString('latin1'); });
    c.on('close', () => { clearTimeout(timer); resolve({ refused: false, data }); });
  });
}

function rawExchange(port, text) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(text));
    let out = '';
    sock.on('data', (d) => { out += d.toString('latin1'); });
    sock.on('end', () => resolve(out));
    sock.on('error', reject);
    setTimeout(() => { sock.destroy(); resolve(out); }, 3000);
  });
}
