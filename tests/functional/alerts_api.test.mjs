// The alert circuit's JSON API (issue 11): a parent's item-10 recontact
// request reaches the inbox of its territory only; responders move it
// through the state machine of tests/cases/alert_transitions.json (every
// allowed pair gives 201 with the new status, every forbidden one 409
// invalid_transition), including the unreachable floor; reads are audited.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { demoDatabase } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';
import { sqlite } from '../support/db.mjs';
import { openStream as openSse, until } from '../support/sse.mjs';

const cases = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../cases/alert_transitions.json'), 'utf8'));
const { database } = demoDatabase();
const srv = await startServer({ database });
after(() => srv.stop());
const dbPath = database.slice('sqlite:'.length);
// Accounts are added with the CLI on the server's database (the demo one).
srv.dbPath = dbPath;

const hdf = await addUser(srv, { email: 'rep.hdf@example.org', role: 'responder', territory: 'hauts-de-france' });
const hdf2 = await addUser(srv, { email: 'rep2.hdf@example.org', role: 'responder', territory: 'hauts-de-france' });
const nor = await addUser(srv, { email: 'rep.nor@example.org', role: 'responder', territory: 'normandie' });
const pro = await addUser(srv, { email: 'pro.hdf@example.org', role: 'professional', territory: 'hauts-de-france' });
const hdfSession = await login(srv, hdf);
const hdf2Session = await login(srv, hdf2);
const norSession = await login(srv, nor);
const proSession = await login(srv, pro);
const hdfUserId = sqlite(dbPath, "SELECT id FROM users WHERE email = 'rep.hdf@example.org'")[0].id;
const resourceId = sqlite(dbPath, 'SELECT id FROM resources ORDER BY id LIMIT 1')[0].id;

async function postJson(url, body, session) {
  const headers = { 'content-type': 'application/json' };
  if (session) Object.assign(headers, { cookie: session.cookie, 'x-csrf-token': session.csrf });
  const res = await fetch(srv.base + url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
async function getJson(url, session) {
  const res = await fetch(srv.base + url, { headers: { cookie: session.cookie } });
  return { status: res.status, body: await res.json() };
}

let phoneCounter = 10000000;
// A screening in Hauts-de-France (or Normandie) and its recontact request;
// item 10 > 0 when crisis (answer index 0 of item 10 scores 3).
async function raise({ postcode = '59000', crisis = true } = {}) {
  const answers = [1, 1, 2, 1, 2, 2, 2, 2, 2, crisis ? 0 : 3];
  const s = await postJson('/api/v1/screenings', {
    instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal', child_age_weeks: 6,
    postcode, source: 'direct', answers,
  });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  const r = await postJson('/api/v1/recontact-requests', {
    screening_id: s.body.id, name: 'Léa', phone: `06${phoneCounter++}`, may_leave_message: true,
    caller_intro: 'neutral', consent: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = sqlite(dbPath, `SELECT id FROM alerts WHERE reference = '${r.body.reference}'`)[0].id;
  return { id, reference: r.body.reference, screening: s.body.id };
}

function command(type) {
  switch (type) {
    case 'qualify': return { type, urgency: '24h', level: 'first_line' };
    case 'assign': return { type };
    case 'attempt': return { type, channel: 'phone', outcome: 'no_answer' };
    case 'close': return { type, outcome: 'duplicate' };
    case 'reopen': return { type, reason: 'le parent a rappelé' };
    default: return { type };
  }
}

// Brings a new alert to `status` through allowed commands.
const pathTo = {
  new: [],
  qualified: ['qualify'],
  assigned: ['qualify', 'assign'],
  in_contact: ['qualify', 'attempt'],
  closed: ['close'],
};
async function alertIn(status) {
  const a = await raise({ crisis: false });
  for (const type of pathTo[status]) {
    const r = await postJson(`/api/v1/alerts/${a.id}/events`, command(type), hdfSession);
    assert.equal(r.status, 201, `${type}: ${JSON.stringify(r.body)}`);
  }
  return a;
}

test('the list of a territory holds its alerts, the documented keys, no contact', async () => {
  const a = await raise();
  const list = await getJson('/api/v1/alerts', hdfSession);
  assert.equal(list.status, 200);
  const item = list.body.items.find((x) => x.id === a.id);
  assert.ok(item, 'the alert is in the Hauts-de-France inbox');
  assert.deepEqual(Object.keys(item).sort(), ['created_at', 'deadline_at', 'id', 'overdue', 'reference', 'source',
    'status', 'sub_territory', 'territory', 'urgency'].sort());
  assert.equal(item.status, 'new');
  assert.equal(item.urgency, 'immediate');
  assert.equal(item.source, 'parent');
  assert.equal(item.territory, 'hauts-de-france');
  assert.doesNotMatch(JSON.stringify(list.body), /Léa|06\d{8}/);
  const closed = await getJson('/api/v1/alerts?status=closed', hdfSession);
  assert.ok(!closed.body.items.some((x) => x.id === a.id));
  const bad = await getJson('/api/v1/alerts?status=everything', hdfSession);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'status');
});

test('a Normandie responder never sees a Hauts-de-France alert: list, id, command → 404', async () => {
  const a = await raise();
  const list = await getJson('/api/v1/alerts?status=all', norSession);
  assert.equal(list.status, 200);
  assert.ok(!list.body.items.some((x) => x.id === a.id));
  assert.ok(list.body.items.every((x) => x.territory === 'normandie'));
  const one = await getJson(`/api/v1/alerts/${a.id}`, norSession);
  assert.equal(one.status, 404);
  const cmd = await postJson(`/api/v1/alerts/${a.id}/events`, command('qualify'), norSession);
  assert.equal(cmd.status, 404);
  const unknown = await getJson('/api/v1/alerts/01jzzzzzzzzzzzzzzzzzzzzzzz', hdfSession);
  assert.equal(unknown.status, 404);
});

test('a professional, or no session, or no CSRF token, may not use the inbox', async () => {
  const a = await raise();
  assert.equal((await getJson('/api/v1/alerts', proSession)).status, 403);
  const anon = await fetch(`${srv.base}/api/v1/alerts`);
  assert.equal(anon.status, 401);
  const noCsrf = await fetch(`${srv.base}/api/v1/alerts/${a.id}/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: hdfSession.cookie },
    body: JSON.stringify(command('qualify')),
  });
  assert.equal(noCsrf.status, 403);
  assert.equal(sqlite(dbPath, `SELECT status FROM alerts WHERE id = '${a.id}'`)[0].status, 'new');
});

test('the detail has screening, contact and events, and each read is audited', async () => {
  const a = await raise();
  const d = await getJson(`/api/v1/alerts/${a.id}`, hdfSession);
  assert.equal(d.status, 200);
  assert.equal(d.body.screening.item10_positive, true);
  assert.equal(d.body.screening.respondent, 'mother');
  assert.equal(d.body.screening.child_age_weeks, 6);
  assert.equal(d.body.contact.name, 'Léa');
  assert.equal(d.body.contact.caller_intro, 'neutral');
  assert.deepEqual(d.body.events.map((e) => e.type), ['created']);
  const audit = sqlite(dbPath, `SELECT action, actor FROM audit_log WHERE subject_id = '${a.id}' ORDER BY id`);
  assert.deepEqual(audit.map((x) => x.action), ['create', 'read_contact', 'read']);
});

test('every (status, command) pair of the table: allowed → 201 and the new status, forbidden → 409', async () => {
  let checked = 0;
  for (const c of cases.transitions) {
    if (c.event === 'escalated') continue;  // recorded by the system only (next test)
    const a = await alertIn(c.from);
    const r = await postJson(`/api/v1/alerts/${a.id}/events`, command(c.event), hdfSession);
    if (c.to === null) {
      assert.equal(r.status, 409, `${c.name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, 'invalid_transition', c.name);
      assert.equal(sqlite(dbPath, `SELECT status FROM alerts WHERE id = '${a.id}'`)[0].status, c.from);
    } else {
      assert.equal(r.status, 201, `${c.name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.status, c.to, c.name);
      assert.equal(r.body.event.type, c.event);
      assert.equal(sqlite(dbPath, `SELECT status FROM alerts WHERE id = '${a.id}'`)[0].status, c.to);
    }
    checked++;
  }
  assert.equal(checked, 25);
});

test('system events and unknown values are bad input, not transitions', async () => {
  const a = await raise();
  const r = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'escalated' }, hdfSession);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'type');
  const q = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'qualify', urgency: 'soon' }, hdfSession);
  assert.equal(q.status, 400);
  assert.equal(q.body.error.field, 'urgency');
  const c = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'close', outcome: 'oriented' }, hdfSession);
  assert.equal(c.status, 400);
  assert.equal(c.body.error.field, 'resource_id');
});

test('the journey: qualify, a failed attempt assigns the caller, contact, close as oriented', async () => {
  const a = await raise();
  let r = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'qualify', urgency: 'immediate', level: 'specialised' }, hdfSession);
  assert.equal(r.status, 201);
  assert.equal(r.body.status, 'qualified');
  assert.equal(r.body.urgency, 'immediate');
  assert.equal(r.body.level, 'specialised');
  assert.ok(r.body.deadline_at > Date.now() - 1000);
  r = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'attempt', channel: 'phone', outcome: 'no_answer', note: 'messagerie pleine' }, hdfSession);
  assert.equal(r.status, 201);
  assert.equal(r.body.status, 'in_contact');
  assert.equal(r.body.assigned_user_id, hdfUserId);
  r = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'attempt', channel: 'phone', outcome: 'reached' }, hdfSession);
  assert.equal(r.status, 201);
  r = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'close', outcome: 'oriented', resource_id: resourceId, note: 'RDV CMP' }, hdfSession);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'closed');
  assert.equal(r.body.closed_outcome, 'oriented');
  assert.equal(r.body.resource_id, String(resourceId));
  const d = await getJson(`/api/v1/alerts/${a.id}`, hdfSession);
  assert.deepEqual(d.body.events.map((e) => e.type), ['created', 'qualify', 'attempt', 'attempt', 'close']);
  assert.equal(d.body.events[2].note, 'messagerie pleine');
  // Notes are health data: sealed at rest, never in clear in the database.
  const raw = sqlite(dbPath, `SELECT hex(note_sealed) AS h, fields FROM alert_events WHERE alert_id = '${a.id}'`);
  assert.ok(raw.every((x) => !/messagerie|RDV/.test(x.fields)));
  assert.ok(raw.some((x) => x.h && x.h.length > 0));
  const audit = sqlite(dbPath, `SELECT count(*) AS n FROM audit_log WHERE subject_id = '${a.id}' AND action = 'update'`);
  assert.equal(audit[0].n, 4);
});

test('an item-10 alert is unreachable only after 3 attempts over 2 half-days', async () => {
  const a = await raise({ crisis: true });
  await postJson(`/api/v1/alerts/${a.id}/events`, command('qualify'), hdfSession);
  for (let i = 0; i < 3; i++) {
    const r = await postJson(`/api/v1/alerts/${a.id}/events`, command('attempt'), hdfSession);
    assert.equal(r.status, 201);
  }
  // Three attempts, but within one half-day (this test runs in seconds).
  const r = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'close', outcome: 'unreachable' }, hdfSession);
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'invalid_transition');
  assert.equal(r.body.error.field, 'outcome');
  // Move one attempt to the previous day: the floor is met.
  sqlite(dbPath, 'SELECT 1');  // (read-only helper; the write goes through the CLI below)
  const { execFileSync } = await import('node:child_process');
  execFileSync('sqlite3', [dbPath, `UPDATE alert_events SET at = at - 86400000 WHERE id = (SELECT id FROM alert_events WHERE alert_id = '${a.id}' AND type = 'attempt' ORDER BY seq LIMIT 1)`]);
  const ok = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'close', outcome: 'unreachable' }, hdfSession);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.closed_outcome, 'unreachable');
  // An ordinary alert: one attempt is enough, none is not.
  const b = await raise({ crisis: false });
  await postJson(`/api/v1/alerts/${b.id}/events`, command('qualify'), hdfSession);
  const none = await postJson(`/api/v1/alerts/${b.id}/events`, { type: 'close', outcome: 'unreachable' }, hdfSession);
  assert.equal(none.status, 409);
  await postJson(`/api/v1/alerts/${b.id}/events`, command('attempt'), hdfSession);
  const one = await postJson(`/api/v1/alerts/${b.id}/events`, { type: 'close', outcome: 'unreachable' }, hdfSession);
  assert.equal(one.status, 201);
});

test('two responders acting on one version: one wins, the other gets a conflict', async () => {
  const a = await raise();
  const both = await Promise.all([
    postJson(`/api/v1/alerts/${a.id}/events`, { ...command('qualify'), version: 0 }, hdfSession),
    postJson(`/api/v1/alerts/${a.id}/events`, { type: 'close', outcome: 'duplicate', version: 0 }, hdf2Session),
  ]);
  const statuses = both.map((r) => r.status).sort();
  assert.ok(statuses[0] === 201, JSON.stringify(both.map((r) => r.body)));
  assert.ok(statuses[1] === 409, JSON.stringify(both.map((r) => r.body)));
  const stale = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'reopen', reason: 'x', version: 0 }, hdfSession);
  assert.equal(stale.status, 409);
  assert.equal(sqlite(dbPath, `SELECT version FROM alerts WHERE id = '${a.id}'`)[0].version, 1);
});

test('assigning to someone outside the territory is refused', async () => {
  const a = await alertIn('qualified');
  const norId = sqlite(dbPath, "SELECT id FROM users WHERE email = 'rep.nor@example.org'")[0].id;
  const r = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'assign', user_id: norId }, hdfSession);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'user_id');
  const self = await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'assign' }, hdfSession);
  assert.equal(self.body.assigned_user_id, hdfUserId);
});

const openStream = (session, lastEventId) => openSse(srv.base, session, lastEventId);

test('the live stream carries a territory\'s events to its responders only', async () => {
  const hdfStream = openStream(hdfSession);
  const norStream = openStream(norSession);
  const proStream = openStream(proSession);
  await Promise.all([hdfStream.ready, norStream.ready, proStream.ready]);
  assert.equal(hdfStream.status, 200);
  assert.match(hdfStream.type, /^text\/event-stream/);
  assert.equal(proStream.status, 403);
  assert.ok(await until(() => hdfStream.comments > 0), 'the stream opens with a comment');
  const a = await raise();
  assert.ok(await until(() => hdfStream.events.some((e) => e.data.alert_id === a.id && e.data.type === 'created')),
    'the Hauts-de-France responder sees the new alert live');
  const q = await postJson(`/api/v1/alerts/${a.id}/events`, command('qualify'), hdfSession);
  assert.equal(q.status, 201);
  assert.ok(await until(() => hdfStream.events.some((e) => e.data.alert_id === a.id && e.data.type === 'qualify')));
  const seqs = hdfStream.events.map((e) => Number(e.id));
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'in seq order');
  // Give the other stream time to (wrongly) receive it.
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(norStream.events.every((e) => e.data.territory !== 'hauts-de-france' && e.data.alert_id !== a.id),
    'no Hauts-de-France event reaches Normandie');
  assert.doesNotMatch(JSON.stringify(hdfStream.events), /Léa|06\d{8}/, 'no contact detail in the stream');
  hdfStream.close();
  norStream.close();
});

test('an event written by another process reaches the stream through the cursor', async () => {
  const s = openStream(hdfSession);
  await s.ready;
  assert.ok(await until(() => s.comments > 0));
  const a = await raise();
  await until(() => s.events.some((e) => e.data.alert_id === a.id));
  const before = s.events.length;
  // Another instance of the program is another writer on the same database:
  // here the sqlite3 tool appends an event, with no in-process nudge.
  const { execFileSync } = await import('node:child_process');
  execFileSync('sqlite3', [dbPath, `INSERT INTO alert_events (id, alert_id, territory_code, at, actor, type, status_after, fields) VALUES ('ext-${a.id}', '${a.id}', 'hauts-de-france', ${Date.now()}, 'system', 'escalated', 'new', '{"level":1}')`]);
  assert.ok(await until(() => s.events.length > before && s.events.some((e) => e.data.id === `ext-${a.id}`), 5000),
    'the poll of the events cursor found it');
  s.close();
});

test('a stream reopened with Last-Event-ID first gets what it missed, in order, once', async () => {
  const s = openStream(hdfSession);
  await s.ready;
  assert.ok(await until(() => s.comments > 0));
  const a = await raise();
  assert.ok(await until(() => s.events.some((e) => e.data.alert_id === a.id)));
  const last = Number(s.events[s.events.length - 1].id);
  s.close();
  // While disconnected: a qualification here and an alert in Normandie.
  assert.equal((await postJson(`/api/v1/alerts/${a.id}/events`, command('qualify'), hdfSession)).status, 201);
  const b = await raise();
  await raise({ postcode: '76000' });
  const again = openStream(hdfSession, last);
  await again.ready;
  assert.ok(await until(() => again.events.some((e) => e.data.alert_id === b.id)), 'the missed events arrive');
  const c = await raise();
  assert.ok(await until(() => again.events.some((e) => e.data.alert_id === c.id)), 'then the live ones');
  const seqs = again.events.map((e) => Number(e.id));
  assert.ok(seqs.every((n) => n > last), `nothing already seen: ${seqs}`);
  assert.deepEqual(seqs, [...new Set(seqs)].sort((x, y) => x - y), 'in seq order, each once');
  assert.ok(again.events.some((e) => e.data.alert_id === a.id && e.data.type === 'qualify'), 'the missed qualification');
  assert.ok(again.events.every((e) => e.data.territory === 'hauts-de-france'), 'only its territory');
  const junk = openStream(hdfSession, 'x1; drop');
  await junk.ready;
  assert.equal(junk.status, 200, 'a malformed Last-Event-ID is ignored');
  junk.close();
  again.close();
});

test('the parent sees the stage, never the urgency, and always the emergency numbers', async () => {
  const a = await raise({ crisis: true });
  const stage = async () => {
    const res = await fetch(`${srv.base}/api/v1/recontact-requests/${a.reference}`);
    const body = await res.json();
    assert.equal(body.urgency, undefined);
    assert.equal(body.sub_territory, undefined);
    assert.deepEqual(body.help.numbers, ['3114', '15', '112', '114']);
    const page = await (await fetch(`${srv.base}/demande/${a.reference}`)).text();
    assert.match(page, /tel:3114/);
    assert.doesNotMatch(page, /Immédiate \(1 h|item 10|item-10/i);
    return { api: body.stage, page: /data-stage="([a-z_]+)"/.exec(page)[1] };
  };
  assert.deepEqual(await stage(), { api: 'received', page: 'received' });
  await postJson(`/api/v1/alerts/${a.id}/events`, command('qualify'), hdfSession);
  assert.deepEqual(await stage(), { api: 'being_handled', page: 'being_handled' });
  await postJson(`/api/v1/alerts/${a.id}/events`, command('attempt'), hdfSession);
  assert.deepEqual(await stage(), { api: 'tried_to_reach', page: 'tried_to_reach' });
  await postJson(`/api/v1/alerts/${a.id}/events`, { type: 'close', outcome: 'refused' }, hdfSession);
  assert.deepEqual(await stage(), { api: 'closed', page: 'closed' });
  const en = await (await fetch(`${srv.base}/en/demande/${a.reference}`)).text();
  assert.match(en, /Stage: closed/);
  assert.match(en, /take the questionnaire again/);
});
