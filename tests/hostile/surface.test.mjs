// Hostile requests against the real program (issue 8): bounded metrics,
// HTTP framing (Host, Transfer-Encoding, chunked limits, Expect), origin
// rules, per-address limits, private receipts, files created private.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { sqlite } from '../support/db.mjs';
import { cli } from '../support/directory.mjs';
import { request, postJson, raw, screening, recontact, uniquePhone, EMERGENCY } from './support.mjs';

let srv;
before(async () => {
  srv = await startServer({ productionLimits: true });
  // Recontact needs a territory that takes requests: the shipped ones are
  // closed, so demo mode opens Normandie (76000) with a demo responder
  // account; the server reads demo mode again within a second.
  cli(`sqlite:${srv.dbPath}`, ['demo', 'load']);
  await new Promise((resolve) => setTimeout(resolve, 1200));
});
after(async () => { await srv.stop(); });

const metrics = async () => (await request(srv.base, {
  path: '/metrics', headers: { authorization: `Bearer ${srv.metricsToken}` },
})).text;

test('/metrics is not public: 404 without the token, or with a wrong one', async () => {
  assert.equal((await request(srv.base, { path: '/metrics' })).status, 404);
  assert.equal((await request(srv.base, { path: '/metrics', headers: { authorization: 'Bearer nope' } })).status, 404);
  assert.match(await metrics(), /parcours_http_requests_total/);
});

test('20,000 random methods add no metrics series and /metrics stays the same size', async () => {
  // Its own server, so the pipelined backlog never delays the other tests.
  const own = await startServer({ productionLimits: true });
  const metrics = async () => (await request(own.base, {
    path: '/metrics', headers: { authorization: `Bearer ${own.metricsToken}` },
  })).text;
  try {
  const randomMethod = () => {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let m = '';
    for (let i = 0; i < 2000; i++) m += abc[Math.floor(Math.random() * 26)];
    return m;
  };
  const send = async (n, conns) => {
    await Promise.all(Array.from({ length: conns }, async () => {
      // Pipelined on one keep-alive connection.
      const parts = [];
      for (let i = 0; i < n / conns; i++) parts.push(`${randomMethod()} /api/v1/x HTTP/1.1\r\nHost: h\r\n\r\n`);
      parts.push('GET /healthz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
      const { out } = await raw(own.port, parts.join(''), { wait: 400000 });
      assert.match(out, /"status":"ok"/, 'the last request of the pipeline was answered');
    }));
  };
  await send(200, 4);
  await metrics();  // the /metrics route's own series exist from here on
  const before = await metrics();
  const series = (t) => t.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/ [^ ]+$/, ''));
  await send(20000, 20);
  const afterText = await metrics();
  assert.deepEqual(series(afterText).sort(), series(before).sort(), 'same series before and after');
  assert.ok(afterText.length < before.length + 512, `size ${before.length} → ${afterText.length}`);
  assert.match(afterText, /method="other",status="4xx"/);
  assert.doesNotMatch(afterText, /method="[A-Z]{20,}"/);
  } finally {
    await own.stop();
  }
});

test('a request without Host, or with two, gets 400; an unknown Transfer-Encoding 501', async () => {
  const none = await raw(srv.port, 'GET /healthz HTTP/1.1\r\n\r\n');
  assert.match(none.out, /^HTTP\/1\.1 400 /);
  const two = await raw(srv.port, 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n');
  assert.match(two.out, /^HTTP\/1\.1 400 /);
  const gzip = await raw(srv.port, 'POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n');
  assert.match(gzip.out, /^HTTP\/1\.1 501 /);
  const both = await raw(srv.port, 'POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n');
  assert.match(both.out, /^HTTP\/1\.1 400 /);
});

test('a chunked body over the limit gets 413, extensions and trailers included, and the client reads it', async () => {
  const head = 'POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
  const chunk = `${(4096).toString(16)}\r\n${'x'.repeat(4096)}\r\n`;
  const big = await raw(srv.port, [head, chunk.repeat(70), '0\r\n\r\n']);
  assert.match(big.out, /^HTTP\/1\.1 413 /);
  assert.equal(big.error?.code === 'ECONNRESET' && big.out === '', false, 'answer read before any reset');
  // Tiny data, huge chunk extensions: counted too.
  const ext = `1;${'e'.repeat(3000)}=v\r\nx\r\n`;
  const exts = await raw(srv.port, [head, ext.repeat(120), '0\r\n\r\n']);
  assert.match(exts.out, /^HTTP\/1\.1 (413|431) /);
  // Trailers past the limit.
  const trailers = await raw(srv.port, [head, '1\r\nx\r\n0\r\n', `X-T: ${'t'.repeat(40000)}\r\n`.repeat(10), '\r\n']);
  assert.match(trailers.out, /^HTTP\/1\.1 (413|431) /);
  // A Content-Length over the limit with data behind it: 413 read in full, no reset first.
  const cl = await raw(srv.port, [`POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n`, 'y'.repeat(300000)]);
  assert.match(cl.out, /^HTTP\/1\.1 413 [\s\S]*payload_too_large/);
  assert.match(cl.out, /\r\nx-request-id: \S+\r\n/i, 'the refusal carries its request id');
});

test('Expect: 100-continue is answered at once, after the limit check', async () => {
  const body = JSON.stringify(screening());
  const t0 = Date.now();
  const sock = await import('node:net').then((net) => net.connect(srv.port, '127.0.0.1'));
  let out = '';
  sock.on('data', (d) => { out += d; });
  sock.write(`POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  while (!out.includes('100 Continue') && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 5));
  assert.match(out, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
  assert.ok(Date.now() - t0 < 500, `100 Continue after ${Date.now() - t0} ms`);
  sock.write(body);
  while (!out.includes('201 Created') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 5));
  assert.match(out, /HTTP\/1\.1 201 /);
  sock.destroy();
  const over = await raw(srv.port, 'POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n');
  assert.match(over.out, /^HTTP\/1\.1 413 /, 'no 100 Continue for a body over the limit');
});

test('cross-site POSTs get 403; a server-to-server POST without Origin works', async () => {
  const from = '127.0.0.21';
  const foreign = await postJson(srv.base, '/api/v1/screenings', screening(), { from, headers: { origin: 'https://evil.example' } });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.json.error.code, 'forbidden');
  const fetchSite = await postJson(srv.base, '/api/v1/screenings', screening(), { from, headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(fetchSite.status, 403);
  const nullOrigin = await request(srv.base, { method: 'POST', path: '/rappel', from, headers: { origin: 'null', 'content-type': 'text/plain' }, body: 'a=b' });
  assert.equal(nullOrigin.status, 403);
  for (const re of EMERGENCY) assert.match(nullOrigin.text, re, 'refusal page shows the emergency numbers');
  const textPlain = await request(srv.base, { method: 'POST', path: '/api/v1/recontact-requests', from, headers: { origin: 'http://attacker.test', 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(textPlain.status, 403);
  const server = await postJson(srv.base, '/api/v1/screenings', screening(), { from });
  assert.equal(server.status, 201, 'no Origin: a partner back end');
  const same = await postJson(srv.base, '/api/v1/screenings', screening(), { from, headers: { origin: srv.base } });
  assert.equal(same.status, 201, 'own origin');
});

test('the 6th recontact request from one address within the window gets 429 with the emergency numbers', async () => {
  const from = '127.0.0.31';
  const ids = [];
  for (let i = 0; i < 6; i++) {
    const s = await postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.0.32' });
    assert.equal(s.status, 201);
    ids.push(s.json.id);
  }
  for (let i = 0; i < 5; i++) {
    const r = await postJson(srv.base, '/api/v1/recontact-requests', recontact(ids[i], { phone: uniquePhone() }), { from });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const sixth = await postJson(srv.base, '/api/v1/recontact-requests', recontact(ids[5], { phone: uniquePhone() }), { from });
  assert.equal(sixth.status, 429);
  assert.ok(Number(sixth.headers['retry-after']) >= 1);
  assert.equal(sixth.json.error.code, 'rate_limited');
  // The page form of the same address: a 429 page in the page's language with the numbers.
  for (const [url, lang] of [['/rappel', 'fr'], ['/en/rappel', 'en']]) {
    const page = await request(srv.base, { method: 'POST', path: url, from, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `screening_id=${ids[5]}` });
    assert.equal(page.status, 429);
    assert.ok(Number(page.headers['retry-after']) >= 1);
    assert.match(page.text, lang === 'fr' ? /Trop de demandes/ : /Too many requests/);
    for (const re of EMERGENCY) assert.match(page.text, re);
  }
  // Another address is not affected.
  const other = await postJson(srv.base, '/api/v1/recontact-requests', recontact(ids[5], { phone: uniquePhone() }), { from: '127.0.0.33' });
  assert.equal(other.status, 201);
});

test('X-Forwarded-For is ignored from an untrusted peer', async () => {
  const from = '127.0.0.41';
  const s = await postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.0.42' });
  let last;
  for (let i = 0; i < 7; i++) {
    last = await postJson(srv.base, '/api/v1/recontact-requests', recontact(s.json.id, { phone: uniquePhone() }),
      { from, headers: { 'x-forwarded-for': `10.9.9.${i}` } });
  }
  assert.equal(last.status, 429, 'spoofed X-Forwarded-For does not give a fresh budget');
});

test('receipts and status carry no urgency, sub-territory or time; references are 75 random bits, lookups limited', async () => {
  const s = await postJson(srv.base, '/api/v1/screenings', screening({ answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 1] }), { from: '127.0.0.51' });
  assert.equal(s.json.crisis, true);
  const r = await postJson(srv.base, '/api/v1/recontact-requests', recontact(s.json.id, { phone: uniquePhone() }), { from: '127.0.0.51' });
  assert.equal(r.status, 201);
  const ref = r.json.reference;
  assert.match(ref, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/, '15 Crockford symbols');
  const status = await request(srv.base, { path: `/api/v1/recontact-requests/${ref.toLowerCase()}`, from: '127.0.0.52' });
  assert.equal(status.status, 200, 'typed in lower case still found');
  for (const body of [r.json, status.json]) {
    for (const key of ['urgency', 'sub_territory', 'deadline_at_ms', 'created_at_ms']) assert.equal(key in body, false, key);
    assert.match(body.created_on, /^\d{4}-\d{2}-\d{2}$/);
  }
  const page = await request(srv.base, { path: `/demande/${ref}`, from: '127.0.0.52' });
  assert.doesNotMatch(page.text, /\d{1,2}h\d{2}/, 'no hour on the status page');
  // Guessing: the lookup limit stops an address after 20 tries per hour;
  // with 2^75 references a guess hits one of a million requests with
  // probability 20 × 1e6 / 2^75 < 1e-15 per address and hour.
  let refused = 0;
  for (let i = 0; i < 25; i++) {
    const g = await request(srv.base, { path: `/api/v1/recontact-requests/AAAAA-AAAAA-${String(i).padStart(5, '0')}`, from: '127.0.0.53' });
    if (g.status === 429) refused++;
    else assert.equal(g.status, 404);
  }
  assert.ok(refused >= 4, `lookups refused after the limit (${refused})`);
  assert.ok((20 * 1e6) / 2 ** 75 < 1e-15);
});

test('one open request per contact and territory: a repeat returns the existing request', async () => {
  const phone = uniquePhone();
  const a = await postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.0.61' });
  const b = await postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.0.61' });
  const first = await postJson(srv.base, '/api/v1/recontact-requests', recontact(a.json.id, { phone }), { from: '127.0.0.62' });
  assert.equal(first.status, 201);
  const repeat = await postJson(srv.base, '/api/v1/recontact-requests', recontact(b.json.id, { phone: phone.replace(/(..)(..)/, '$1 $2 ') }), { from: '127.0.0.63' });
  assert.equal(repeat.status, 200);
  assert.equal(repeat.json.reference, first.json.reference);
  assert.equal(repeat.json.already_requested, true);
  const rows = sqlite(srv.dbPath, `SELECT contact_key FROM alerts WHERE reference = '${first.json.reference}'`);
  assert.match(rows[0].contact_key, /^p:[0-9a-f]{32}$/);
  assert.ok(!rows[0].contact_key.includes(phone), 'a keyed hash, not the number');
  // A more urgent request (item 10) of the same contact is always recorded.
  const c = await postJson(srv.base, '/api/v1/screenings', screening({ answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 1] }), { from: '127.0.0.61' });
  const crisis = await postJson(srv.base, '/api/v1/recontact-requests', recontact(c.json.id, { phone }), { from: '127.0.0.64' });
  assert.equal(crisis.status, 201);
  assert.notEqual(crisis.json.reference, first.json.reference);
});

test('invalid UTF-8 in a text field is a 400 naming the field', async () => {
  const body = Buffer.concat([Buffer.from('{"instrument":"epds","language":"fr","respondent":"mother","period":"postnatal","postcode":"76'),
    Buffer.from([0xc3, 0x28]), Buffer.from('","answers":[0,0,0,0,0,0,0,0,0,0]}')]);
  const r = await request(srv.base, { method: 'POST', path: '/api/v1/screenings', body, from: '127.0.0.71', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'postcode');
  const s = await postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.0.71' });
  const name = Buffer.concat([Buffer.from(`{"screening_id":"${s.json.id}","name":"Ca`), Buffer.from([0xff]), Buffer.from('","phone":"0611111111","may_leave_message":true,"caller_intro":"neutral","consent":true}')]);
  const r2 = await request(srv.base, { method: 'POST', path: '/api/v1/recontact-requests', body: name, from: '127.0.0.72', headers: { 'content-type': 'application/json' } });
  assert.equal(r2.status, 400);
  assert.equal(r2.json.error.field, 'name');
});

test('database and key files are private (0600, directories 0700)', async () => {
  for (const f of [srv.dbPath, path.join(srv.dir, 'contact.key')]) {
    assert.equal(statSync(f).mode & 0o077, 0, `${f} ${(statSync(f).mode & 0o777).toString(8)}`);
  }
});

test('HSTS is a setting, off by default', async () => {
  assert.equal((await request(srv.base, { path: '/healthz' })).headers['strict-transport-security'], undefined);
  const s = await startServer({ args: ['--hsts-max-age', '31536000'] });
  try {
    const r = await request(s.base, { path: '/' });
    assert.match(r.headers['strict-transport-security'], /max-age=31536000/);
  } finally {
    await s.stop();
  }
});
