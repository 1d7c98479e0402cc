// Accounts, sessions, CSRF, lockout and the audit log through the real
// program: `parcours user …` on its database, the session API over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import { addUser, cli, freshTotp, login, totp } from '../support/accounts.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

test('user add prints one totp_uri line; the session API opens, reads and closes a session', async () => {
  const u = await addUser(srv, { email: 'Coord.HDF@example.org', role: 'coordinator', territory: 'hauts-de-france' });
  assert.match(u.uri, /^otpauth:\/\/totp\/Parcours%20DPP:coord\.hdf@example\.org\?secret=[A-Z2-7]{32}&issuer=Parcours%20DPP&algorithm=SHA1&digits=6&period=30$/);
  u.email = 'coord.hdf@example.org';

  const bad = await fetch(`${srv.base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: u.email, password: u.password, totp: String((Number(totp(u.secret)) + 1) % 1000000).padStart(6, '0') }),
  });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).error.code, 'unauthenticated');
  assert.equal(bad.headers.get('set-cookie'), null);

  const s = await login(srv, u);
  assert.equal(s.res.status, 201);
  assert.deepEqual(Object.keys(s.body).sort(), ['csrf_token', 'user']);
  assert.equal(s.body.user.role, 'coordinator');
  assert.deepEqual(s.body.user.territories, ['hauts-de-france']);
  assert.match(s.body.user.id, /^[0-9a-z]{26}$/);
  const setCookie = s.res.headers.get('set-cookie');
  assert.match(setCookie, /^parcours_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);

  const me = await fetch(`${srv.base}/api/v1/session`, { headers: { cookie: s.cookie } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).user.id, s.body.user.id);

  // DELETE authenticated by the cookie needs the CSRF token.
  const noCsrf = await fetch(`${srv.base}/api/v1/session`, { method: 'DELETE', headers: { cookie: s.cookie } });
  assert.equal(noCsrf.status, 403);
  assert.equal((await noCsrf.json()).error.code, 'csrf');
  const out = await fetch(`${srv.base}/api/v1/session`, { method: 'DELETE', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  const gone = await fetch(`${srv.base}/api/v1/session`, { headers: { cookie: s.cookie } });
  assert.equal(gone.status, 401);
  const anonymous = await fetch(`${srv.base}/api/v1/session`);
  assert.equal(anonymous.status, 401);
});

test('the cookie is Secure when the request came over TLS', async () => {
  const u = await addUser(srv, { email: 'tls@example.org', role: 'responder', territory: 'normandie' });
  const s = await login(srv, u, { 'x-forwarded-proto': 'https' });
  assert.equal(s.res.status, 201);
  assert.match(s.res.headers.get('set-cookie'), /; Secure$/);
});

test('five failures lock the account (429 + Retry-After) even with the right password', async () => {
  const u = await addUser(srv, { email: 'locked@example.org', role: 'responder', territory: 'martinique' });
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${srv.base}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: 'pas le bon mot de passe', totp: '123456' }),
    });
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  const r = await fetch(`${srv.base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: u.email, password: u.password, totp: await freshTotp(u.secret) }),
  });
  assert.equal(r.status, 429);
  assert.equal((await r.json()).error.code, 'too_many_requests');
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(retry >= 55 && retry <= 60, `Retry-After ${retry}`);
});

test('disable ends sessions and refuses logins; enable restores; list and reset-password', async () => {
  const u = await addUser(srv, { email: 'resp@example.org', role: 'responder', territory: 'occitanie', name: 'Rémi Répondant' });
  const s = await login(srv, u);
  assert.equal(s.res.status, 201);
  assert.equal(await cli(srv, ['user', 'disable', u.email]), 'resp@example.org disabled\n');
  assert.equal((await fetch(`${srv.base}/api/v1/session`, { headers: { cookie: s.cookie } })).status, 401);
  const refused = await fetch(`${srv.base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: u.email, password: u.password, totp: totp(u.secret) }),
  });
  assert.equal(refused.status, 401);
  await cli(srv, ['user', 'enable', u.email]);
  assert.equal((await login(srv, u)).res.status, 201);

  const list = await cli(srv, ['user', 'list']);
  assert.match(list, /\tresp@example\.org\tresponder\toccitanie\tactive\tRémi Répondant\n/);
  const reset = await cli(srv, ['user', 'reset-password', u.email, '--public-url', 'https://parcours.example.fr/']);
  assert.match(reset, /^reset_url=https:\/\/parcours\.example\.fr\/pro\/lien\/[A-Za-z0-9_-]{43}\n$/);

  // A bad role or territory is a clear error, exit 2, nothing written.
  await assert.rejects(cli(srv, ['user', 'add', '--email', 'x@example.org', '--name', 'X', '--role', 'boss', '--territory', 'normandie']),
    (e) => e.status === 2 && /role/.test(e.stderr));
  await assert.rejects(cli(srv, ['user', 'add', '--email', 'x@example.org', '--name', 'X', '--role', 'responder', '--territory', 'bretagne']),
    (e) => e.status === 2 && /territory: unknown territory 'bretagne'/.test(e.stderr));
  assert.doesNotMatch(await cli(srv, ['user', 'list']), /x@example\.org/);
});

test('another territory\'s account id answers 404, and reads are audited', async () => {
  const coord = await addUser(srv, { email: 'coord.norm@example.org', role: 'coordinator', territory: 'normandie' });
  const other = await addUser(srv, { email: 'prof.occ@example.org', role: 'professional', territory: 'occitanie' });
  const mine = await addUser(srv, { email: 'prof.norm@example.org', role: 'professional', territory: 'normandie' });
  const s = await login(srv, coord);
  const users = await (await fetch(`${srv.base}/api/v1/users`, { headers: { cookie: s.cookie } })).json();
  const emails = users.items.map((x) => x.email);
  assert.ok(emails.includes('prof.norm@example.org'));
  assert.ok(!emails.includes('prof.occ@example.org'));
  const ids = Object.fromEntries((await cli(srv, ['user', 'list'])).trim().split('\n').map((l) => l.split('\t')).map((f) => [f[1], f[0]]));
  const r404 = await fetch(`${srv.base}/api/v1/users/${ids[other.email]}`, { headers: { cookie: s.cookie } });
  assert.equal(r404.status, 404);
  const r200 = await fetch(`${srv.base}/api/v1/users/${ids[mine.email]}`, { headers: { cookie: s.cookie } });
  assert.equal(r200.status, 200);

  const audit = await (await fetch(`${srv.base}/api/v1/audit?subject_id=${ids[mine.email]}`, { headers: { cookie: s.cookie } })).json();
  assert.ok(audit.items.some((e) => e.action === 'read' && e.actor === s.body.user.id && e.territory === 'normandie'),
    JSON.stringify(audit.items));

  const file = `${srv.dir}/audit.jsonl`;
  await cli(srv, ['audit', 'export', '--output', file]);
  const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(rows.some((e) => e.action === 'create' && e.subject_id === ids[mine.email]));
  assert.ok(rows.some((e) => e.action === 'login' && e.actor === s.body.user.id));
  assert.ok(rows.every((e, i) => i === 0 || e.id > rows[i - 1].id));
});

test('a login flood is answered without a crash and within the memory bound', async () => {
  const status = (p) => readFileSync(`/proc/${srv.child.pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status())[1]);
  const before = kb('VmRSS');
  const results = await Promise.all(Array.from({ length: 48 }, (_, i) => fetch(`${srv.base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `flood${i}@example.org`, password: 'une tentative au hasard', totp: '000000' }),
  }).then((r) => r.status)));
  assert.ok(results.every((s) => s === 401 || s === 503), results.join(','));
  const growthMiB = (kb('VmHWM') - before) / 1024;
  // 2 hashes × 64 MiB at once (password-hash-concurrency), plus slack.
  assert.ok(growthMiB < 2 * 64 + 64, `peak RSS grew by ${growthMiB.toFixed(0)} MiB`);
});
