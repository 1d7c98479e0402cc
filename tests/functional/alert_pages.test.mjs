// The inbox pages (issue 11): /pro/alertes lists the territory's alerts,
// overdue first and marked, with GET filters; the alert page opens the
// contact only on an explicit (audited) POST; one form per allowed command,
// post-redirect-get on success, the field and the reason on failure.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../support/server.mjs';
import { demoDatabase } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';
import { sqlite } from '../support/db.mjs';

const { database } = demoDatabase();
const srv = await startServer({ database });
after(() => srv.stop());
const dbPath = database.slice('sqlite:'.length);
// Accounts are added with the CLI on the server's database (the demo one).
srv.dbPath = dbPath;
const hdf = await login(srv, await addUser(srv, { email: 'p.hdf@example.org', role: 'responder', territory: 'hauts-de-france' }));
const coord = await login(srv, await addUser(srv, { email: 'c.hdf@example.org', role: 'coordinator', territory: 'hauts-de-france' }));
const nor = await login(srv, await addUser(srv, { email: 'p.nor@example.org', role: 'responder', territory: 'normandie' }));

async function postJson(url, body) {
  const res = await fetch(srv.base + url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
let n = 20000000;
async function raise(crisis = true) {
  const s = await postJson('/api/v1/screenings', {
    instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal', child_age_weeks: 6,
    postcode: '59000', source: 'direct', answers: [1, 1, 2, 1, 2, 2, 2, 2, 2, crisis ? 0 : 3],
  });
  const r = await postJson('/api/v1/recontact-requests', {
    screening_id: s.body.id, name: 'Ondine', phone: `07${n++}`, may_leave_message: false, caller_intro: 'service', consent: true,
  });
  assert.equal(r.status, 201);
  const id = sqlite(dbPath, `SELECT id FROM alerts WHERE reference = '${r.body.reference}'`)[0].id;
  return { id, reference: r.body.reference };
}
async function page(url, session) {
  const res = await fetch(srv.base + url, { headers: { cookie: session.cookie }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}
async function post(url, session, fields, { csrf = true } = {}) {
  const body = new URLSearchParams({ ...(csrf ? { csrf_token: session.csrf } : {}), ...fields });
  const res = await fetch(srv.base + url, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: srv.base },
    body,
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

test('the inbox lists the territory\'s alerts, overdue first and marked, with filters', async () => {
  const fresh = await raise();
  const late = await raise(false);
  execFileSync('sqlite3', [dbPath, `UPDATE alerts SET deadline_at = 1000 WHERE id = '${late.id}'`]);
  const inbox = await page('/pro/alertes', hdf);
  assert.equal(inbox.status, 200);
  assert.ok(inbox.html.includes(fresh.reference) && inbox.html.includes(late.reference));
  assert.ok(inbox.html.indexOf(late.reference) < inbox.html.indexOf(fresh.reference), 'overdue first');
  assert.match(inbox.html, /En retard/);
  assert.match(inbox.html, /Demande du parent/);
  assert.match(inbox.html, /alert-inbox\.js/);
  assert.doesNotMatch(inbox.html, /Ondine|07\d{8}/);
  const overdue = await page('/pro/alertes?overdue=1', hdf);
  assert.ok(overdue.html.includes(late.reference) && !overdue.html.includes(fresh.reference));
  const closed = await page('/pro/alertes?status=closed', hdf);
  assert.ok(!closed.html.includes(fresh.reference));
  const bad = await page('/pro/alertes?urgency=bientot', hdf);
  assert.equal(bad.status, 200);
  assert.match(bad.html, /Un filtre n’est pas valide/);
  const other = await page('/pro/alertes', nor);
  assert.ok(!other.html.includes(fresh.reference));
  const coordinator = await page('/pro/alertes', coord);
  assert.match(coordinator.html, /afflux suspect/);
});

test('the alert page: contact on an explicit audited action, a form per allowed command, PRG', async () => {
  const a = await raise();
  const p = await page(`/pro/alertes/${a.id}`, hdf);
  assert.equal(p.status, 200);
  assert.match(p.html, /id="form-qualify"/);
  assert.match(p.html, /id="form-close"/);
  assert.doesNotMatch(p.html, /id="form-attempt"|id="form-reopen"/);
  assert.doesNotMatch(p.html, /Ondine/);
  assert.match(p.html, /Score EPDS/);
  const before = sqlite(dbPath, `SELECT count(*) AS n FROM audit_log WHERE subject_id = '${a.id}' AND action = 'read_contact'`)[0].n;
  const shown = await post(`/pro/alertes/${a.id}/coordonnees`, hdf, {});
  assert.equal(shown.status, 200);
  assert.match(shown.html, /Ondine/);
  assert.match(shown.html, /Ne pas laisser de message/);
  assert.match(shown.html, /En nommant le service/);
  const afterCount = sqlite(dbPath, `SELECT count(*) AS n FROM audit_log WHERE subject_id = '${a.id}' AND action = 'read_contact'`)[0].n;
  assert.equal(afterCount, before + 1);

  const noCsrf = await post(`/pro/alertes/${a.id}/evenements`, hdf, { type: 'qualify', urgency: '24h' }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  const q = await post(`/pro/alertes/${a.id}/evenements`, hdf, { type: 'qualify', urgency: '24h', level: '', version: '0' });
  assert.equal(q.status, 303, q.html.slice(0, 300));
  assert.equal(q.location, `/pro/alertes/${a.id}?fait=qualify#historique`);
  const after = await page(q.location.replace(/#.*/, ''), hdf);
  assert.match(after.html, /L’alerte est qualifiée/);
  assert.match(after.html, /id="form-attempt"/);
  const again = await post(`/pro/alertes/${a.id}/evenements`, hdf, { type: 'qualify', urgency: '24h' });
  assert.equal(again.status, 409);
  assert.match(again.html, /pas possible au statut actuel/);
  const stale = await post(`/pro/alertes/${a.id}/evenements`, hdf, { type: 'close', outcome: 'duplicate', version: '0' });
  assert.equal(stale.status, 409);
  assert.match(stale.html, /Un collègue a modifié l’alerte/);
  const missing = await post(`/pro/alertes/${a.id}/evenements`, hdf, { type: 'close', outcome: 'oriented' });
  assert.equal(missing.status, 400);
  assert.match(missing.html, /numéro d’une ressource/);
  const floor = await post(`/pro/alertes/${a.id}/evenements`, hdf, { type: 'close', outcome: 'unreachable' });
  assert.equal(floor.status, 409);
  assert.match(floor.html, /3 tentatives sur 2 demi-journées/);
  assert.equal((await page(`/pro/alertes/${a.id}`, nor)).status, 404);
});
