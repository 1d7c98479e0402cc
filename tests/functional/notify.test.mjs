// Outgoing messages (issue 12) against the real program, a real SMTP
// server on loopback (python3-aiosmtpd) and a local SMS gateway:
// - an `immediate` (item 10) alert reaches the on-duty responder by e-mail
//   and SMS within a minute, with no health data, name or contact in either;
// - an overdue alert reaches the territory's coordinator (`parcours jobs run
//   --now` in the future);
// - a failing SMTP server: retries, then a recorded failure the coordinator
//   sees on /pro/messages, and a replay that sends it (audited).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { demoDatabase } from '../support/directory.mjs';
import { addUser, cli, login } from '../support/accounts.mjs';
import { sqlite } from '../support/db.mjs';
import { startSinks, waitFor } from '../support/outbox_sinks.mjs';

const sinks = await startSinks();
const { database } = demoDatabase();
const dbPath = database.slice('sqlite:'.length);
const srv = await startServer({
  database,
  args: [...sinks.args, '--public-url', 'https://parcours.test', '--scheduler-interval', '2',
    '--outbox-backoff', '1', '--outbox-backoff-cap', '1', '--outbox-max-attempts', '3'],
});
srv.dbPath = dbPath;
after(async () => { await srv.stop(); await sinks.stop(); });

const rep = await addUser(srv, {
  email: 'rep.notify@example.org', role: 'responder', territory: 'hauts-de-france', phone: '+33612345678',
});
const coord = await addUser(srv, {
  email: 'coord.notify@example.org', role: 'coordinator', territory: 'hauts-de-france',
});

async function postJson(url, body) {
  const res = await fetch(srv.base + url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

let serial = 20000000;
// A parent's screening in Hauts-de-France and its recontact request.
async function raise({ crisis }) {
  const answers = [1, 1, 2, 1, 2, 2, 2, 2, 2, crisis ? 0 : 3];
  const s = await postJson('/api/v1/screenings', {
    instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal', child_age_weeks: 6,
    postcode: '59000', source: 'direct', answers,
  });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  const phone = `06${serial++}`;
  const r = await postJson('/api/v1/recontact-requests', {
    screening_id: s.body.id, name: 'Léa Martin-Dupuis', phone, email: `lea.${serial}@parent.example`,
    may_leave_message: true, caller_intro: 'neutral', consent: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = sqlite(dbPath, `SELECT id FROM alerts WHERE reference = '${r.body.reference}'`)[0].id;
  return { id, phone, email: `lea.${serial}@parent.example`, score: s.body.score, band: s.body.band };
}

// What a bystander must not learn from a message: the parent, the answers.
function assertDiscreet(text, alert, { html = false } = {}) {
  const lower = text.toLowerCase();
  for (const word of ['léa', 'martin', alert.phone, alert.phone.slice(1), alert.email, 'parent.example',
    'score', 'epds', alert.band, 'probable', 'possible', 'item', 'suicid', 'crise', 'urgen', 'immédiat']) {
    assert.ok(!lower.includes(String(word).toLowerCase()), `message reveals "${word}": ${text}`);
  }
  // (HTML markup has numbers of its own: charset=utf-8.)
  if (!html) assert.ok(!new RegExp(`\\b${alert.score}\\b`).test(text), `message carries the score: ${text}`);
}

test('an immediate alert reaches the on-duty responder by e-mail and SMS within a minute, discreetly', async () => {
  const t0 = Date.now();
  const alert = await raise({ crisis: true });
  const mail = await waitFor(() => sinks.smtp.records().find((m) => m.to.includes('rep.notify@example.org')),
    60000, 'the responder\'s e-mail');
  const sms = await waitFor(() => sinks.sms.records().find((m) => m.body.to === '+33612345678'),
    60000, 'the responder\'s SMS');
  assert.ok(Date.now() - t0 < 60000);
  assert.equal(mail.subject, 'Parcours DPP : une demande à traiter');
  assert.match(mail.message_id, /^<[0-9a-z]{26}@parcours\.test>$/);
  assert.match(mail.text, /https:\/\/parcours\.test\/pro\/alertes/);
  assert.match(mail.html, /href="https:\/\/parcours\.test\/pro\/alertes"/);
  assert.equal(mail.list_unsubscribe, '');  // a professional's notice: no opt-out page
  assertDiscreet(mail.subject + '\n' + mail.text, alert);
  assertDiscreet(mail.html, alert, { html: true });
  assertDiscreet(sms.body.text, alert);
  assert.match(sms.body.text, /^Parcours DPP : une demande à traiter\. https:\/\/parcours\.test\/pro\/alertes$/);
  assert.equal(sms.authorization, 'Bearer gateway-test-token');
  assert.match(sms.idempotency_key, /^[0-9a-z]{26}$/);
  assert.equal(sms.body.idempotency_key, sms.idempotency_key);
  // One row per channel and recipient, written with the alert.
  const rows = sqlite(dbPath, "SELECT channel, status, dedupe_key FROM outbox_messages WHERE dedupe_key LIKE " +
    `'alert/${alert.id}/created/%' ORDER BY channel`);
  assert.ok(rows.some((r) => r.channel === 'sms'));
  assert.ok(rows.every((r) => r.status === 'sent' || r.status === 'pending'), JSON.stringify(rows));
  // The sealed payload is not readable in the database.
  const raw = sqlite(dbPath, 'SELECT hex(payload_sealed) AS h FROM outbox_messages LIMIT 1')[0].h;
  assert.ok(!Buffer.from(raw, 'hex').toString('latin1').includes('rep.notify'));
});

test('an overdue alert reaches the coordinator (jobs run --now in the future)', async () => {
  await raise({ crisis: false });
  const out = await cli(srv, ['jobs', 'run', '--now', '2031-01-06T10:00:00Z', ...sinks.args,
    '--public-url', 'https://parcours.test']);
  assert.match(out, /jobs run at 2031-01-06T10:00:00Z/);
  const mail = await waitFor(() => sinks.smtp.records().find((m) => m.to.includes('coord.notify@example.org')),
    30000, 'the coordinator\'s e-mail');
  assert.equal(mail.subject, 'Parcours DPP : une demande a dépassé son délai');
  assert.match(mail.text, /https:\/\/parcours\.test\/pro\/alertes/);
  // Once per alert and level, however many runs.
  const before = sinks.smtp.records().filter((m) => m.to.includes('coord.notify@example.org')).length;
  await cli(srv, ['jobs', 'run', '--now', '2031-01-06T10:05:00Z', ...sinks.args]);
  assert.equal(sinks.smtp.records().filter((m) => m.to.includes('coord.notify@example.org')).length, before);
});

test('a failing SMTP server: retries, a failure the coordinator sees, and a replay', async () => {
  sinks.smtp.fail('451 4.3.0 try again later');
  const alert = await raise({ crisis: false });
  const failed = await waitFor(() => sqlite(dbPath,
    `SELECT id, attempts, last_error FROM outbox_messages WHERE dedupe_key LIKE 'alert/${alert.id}/created/%' ` +
    "AND channel = 'email' AND status = 'failed'")
    .find((r) => r), 60000, 'a failed message');
  assert.equal(failed.attempts, 3);
  assert.match(failed.last_error, /^SMTP 451/);
  const attempts = sqlite(dbPath, `SELECT outcome FROM outbox_attempts WHERE message_id = '${failed.id}' ORDER BY seq`);
  assert.deepEqual(attempts.map((a) => a.outcome), ['retry', 'retry', 'failed']);

  const session = await login(srv, coord);
  const page = await fetch(`${srv.base}/pro/messages`, { headers: { cookie: session.cookie } });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, new RegExp(`/pro/messages/${failed.id}/renvoi`));
  assert.match(html, /SMTP 451/);
  assert.ok(!html.includes('rep.notify@example.org'), 'the recipient is not shown');

  // The operator's view says the same, without recipient or text.
  const listed = await cli(srv, ['outbox', 'list', '--status', 'failed']);
  assert.match(listed, new RegExp(failed.id));
  assert.ok(!listed.includes('@example.org'));

  sinks.smtp.recover();
  const before = sinks.smtp.records().length;
  const replay = await fetch(`${srv.base}/pro/messages/${failed.id}/renvoi`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: `csrf_token=${encodeURIComponent(session.csrf)}`,
  });
  assert.equal(replay.status, 303);
  assert.equal(replay.headers.get('location'), '/pro/messages?renvoye=1');
  const sent = await waitFor(() => sinks.smtp.records().slice(before)
    .find((m) => m.message_id === `<${failed.id}@parcours.test>`), 30000, 'the replayed e-mail');
  assert.ok(sent.to.length === 1);
  const audit = sqlite(dbPath, `SELECT actor, action FROM audit_log WHERE subject_id = '${failed.id}'`);
  assert.deepEqual(audit.map((a) => a.action), ['replay']);
  // A replay of a message that is not failed is refused.
  const again = await fetch(`${srv.base}/pro/messages/${failed.id}/renvoi`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: `csrf_token=${encodeURIComponent(session.csrf)}`,
  });
  assert.equal(again.status, 409);
});
