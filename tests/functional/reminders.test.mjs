// Parents' reminders (issue 12) through the real program: the offer on the
// result page only where a date can be computed and a public address is
// set, the exact message quoted, every field error at once with nothing
// stored, the contact sealed, one reminder per screening, the API twin, and
// an opt-out link whose GET changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { count, sqlite } from '../support/db.mjs';
import { optOutToken } from '../support/reminders.mjs';

// The channels a reminder can go by (nothing listens there: no reminder
// comes due in these tests, and the sender is off).
const CHANNELS = ['--smtp-url', 'smtp://127.0.0.1:9', '--smtp-from', 'dpp@example.org', '--sms-gateway-url', 'http://127.0.0.1:9/sms', '--no-scheduler'];
let srv;
before(async () => { srv = await startServer({ args: ['--public-url', 'https://dpp.example', ...CHANNELS] }); });
after(async () => { await srv?.stop(); });

const form = (o) => new URLSearchParams(o).toString();
async function postForm(base, path, o, headers = {}) {
  const res = await fetch(base + path, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form(o),
  });
  return { res, html: await res.text() };
}

// A screening through the pages; returns the result page's HTML.
async function resultPage(base, lang, about) {
  const prefix = lang === 'fr' ? '' : `/${lang}`;
  const q = await postForm(base, `${prefix}/depistage`, { step: 'about', ...about });
  assert.equal(q.res.status, 200, q.html);
  const id = q.html.match(/name="screening_id" value="([0-9a-z]{26})"/)[1];
  const token = q.html.match(/name="form_token" value="([^"]+)"/)[1];
  const answers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, i === 9 ? '3' : '0']));
  const done = await postForm(base, `${prefix}/depistage`, { step: 'questions', screening_id: id, form_token: token, ...about, ...answers });
  assert.equal(done.res.status, 200);
  return { id, html: done.html, token: done.html.match(/name="form_token" value="([^"]+)"/)[1] };
}

const week1 = { respondent: 'mother', period: 'postnatal', child_age_weeks: '1', postcode: '76000', commune_code: '', source: '' };
const prenatal = { respondent: 'mother', period: 'prenatal', child_age_weeks: '', postcode: '76000', commune_code: '', source: '' };

test('the result page offers the reminder in French and English, quoting the message, only where a date exists', async () => {
  const fr = await resultPage(srv.base, 'fr', week1);
  assert.match(fr.html, /Recevoir un message pour refaire le point/);
  assert.match(fr.html, /action="\/rappel\/inscription"/);
  assert.match(fr.html, /Un petit rappel, comme convenu : \[adresse de ce site\] Pour ne plus en recevoir : \[lien pour arrêter\]/);
  assert.match(fr.html, /chaque message contient un lien/);
  // Week 6 of a child aged 1 week: 35 days ahead, shown in the territory's time.
  const m = fr.html.match(/un seul message, le \S+ (\d\d)\/(\d\d)\/(\d{4}) à (\d\d)h\d\d/);
  assert.ok(m, 'the send date and time are stated');
  const days = (Date.UTC(+m[3], +m[2] - 1, +m[1]) - Date.now()) / 86400000;
  assert.ok(days > 33 && days < 38, `${days} days ahead`);
  assert.ok(+m[4] >= 10 && +m[4] < 19, 'a decent hour');
  const en = await resultPage(srv.base, 'en', week1);
  assert.match(en.html, /Get a message to check in again/);
  assert.match(en.html, /action="\/en\/rappel\/inscription"/);
  assert.match(en.html, /A little reminder, as agreed: \[address of this site\] To stop these: \[link to stop\]/);
  const pre = await resultPage(srv.base, 'fr', prenatal);
  assert.doesNotMatch(pre.html, /rappel\/inscription/, 'no date, no offer');
});

test('without public-url no reminder is offered (its links could not work)', async () => {
  const bare = await startServer({ args: CHANNELS });
  try {
    const r = await resultPage(bare.base, 'fr', week1);
    assert.doesNotMatch(r.html, /rappel\/inscription/);
    const res = await fetch(`${bare.base}/api/v1/screenings/${r.id}/reminders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channels: ['email'], email: 'p@example.fr', consent: true }),
    });
    assert.equal(res.status, 409);
    assert.equal((await res.json()).error.field, 'reminder');
  } finally {
    await bare.stop();
  }
});

test('only the channels this installation sends by are offered; none configured, no offer', async () => {
  const none = await startServer({ args: ['--public-url', 'https://dpp.example'] });
  try {
    const r = await resultPage(none.base, 'fr', week1);
    assert.doesNotMatch(r.html, /rappel\/inscription/, 'no e-mail, no SMS: no reminder promised');
  } finally {
    await none.stop();
  }
  const mailOnly = await startServer({ args: ['--public-url', 'https://dpp.example', '--smtp-url', 'smtp://127.0.0.1:9', '--smtp-from', 'dpp@example.org', '--no-scheduler'] });
  try {
    const r = await resultPage(mailOnly.base, 'fr', week1);
    assert.match(r.html, /id="rm-by-email"/);
    assert.doesNotMatch(r.html, /id="rm-by-sms"|id="rm-phone"/);
    const res = await fetch(`${mailOnly.base}/api/v1/screenings/${r.id}/reminders`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channels: ['sms'], phone: '06 12 34 56 78', consent: true }),
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.field, 'channels');
    assert.match(body.error.message, /e-mail only/);
    assert.equal(count(mailOnly.dbPath, 'reminders'), 0);
  } finally {
    await mailOnly.stop();
  }
});

test('opt-in: every error at once, nothing stored; then stored sealed, once per screening', async () => {
  const r = await resultPage(srv.base, 'fr', week1);
  const before = count(srv.dbPath, 'reminders');
  const bad = await postForm(srv.base, '/rappel/inscription', {
    screening_id: r.id, form_token: r.token, channels: 'sms', phone: '01 23 45 67 89',
  });
  assert.equal(bad.res.status, 400);
  assert.match(bad.html, /Indiquez un numéro de portable valide/);
  assert.match(bad.html, /Votre accord est nécessaire/);
  assert.match(bad.html, /value="01 23 45 67 89"/, 'typed values kept');
  assert.equal(count(srv.dbPath, 'reminders'), before);
  const unsigned = await postForm(srv.base, '/rappel/inscription', {
    screening_id: r.id, channels: 'email', email: 'parent@example.fr', consent: 'yes',
  });
  assert.equal(unsigned.res.status, 403, 'the form token is required');
  const cross = await postForm(srv.base, '/rappel/inscription', {
    screening_id: r.id, form_token: r.token, channels: 'email', email: 'parent@example.fr', consent: 'yes',
  }, { origin: 'https://evil.example' });
  assert.equal(cross.res.status, 403, 'origin rules apply to the opt-in');
  assert.equal(count(srv.dbPath, 'reminders'), before);

  const ok = await postForm(srv.base, '/rappel/inscription', new URLSearchParams([
    ['screening_id', r.id], ['form_token', r.token], ['channels', 'email'], ['channels', 'sms'],
    ['email', 'parent@example.fr'], ['phone', '06 12 34 56 78'], ['consent', 'yes']]));
  assert.equal(ok.res.status, 201, ok.html);
  assert.match(ok.html, /Nous vous enverrons un seul message/);
  const rows = sqlite(srv.dbPath, `SELECT channels, status, language, territory_code, hex(contact_sealed) AS c FROM reminders WHERE screening_id = '${r.id}'`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].channels, 'email,sms');
  assert.equal(rows[0].status, 'scheduled');
  assert.equal(rows[0].territory_code, 'normandie');
  assert.ok(!Buffer.from(rows[0].c, 'hex').toString('latin1').includes('parent@example.fr'), 'contact sealed');
  const audit = sqlite(srv.dbPath, `SELECT count(*) AS n FROM audit_log WHERE subject_type = 'reminder' AND action = 'create'`);
  assert.ok(audit[0].n >= 1);

  const api = await fetch(`${srv.base}/api/v1/screenings/${r.id}/reminders`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channels: ['email'], email: 'other@example.fr', consent: true }),
  });
  assert.equal(api.status, 200, 'the first reminder stands');
  const body = await api.json();
  assert.equal(body.already_requested, true);
  assert.deepEqual(body.channels, ['email', 'sms']);
  assert.equal(count(srv.dbPath, 'reminders'), before + 1);
});

test('API: 201 with the send time, 400 naming every field, 409 where no date exists', async () => {
  const post = (id, o) => fetch(`${srv.base}/api/v1/screenings/${id}/reminders`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(o),
  });
  const s = await fetch(`${srv.base}/api/v1/screenings`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instrument: 'epds', language: 'en', respondent: 'mother', period: 'postnatal',
      child_age_weeks: 1, postcode: '76000', source: 'direct', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 3] }),
  });
  const id = (await s.json()).id;
  const bad = await post(id, { channels: ['pigeon'], consent: 'yes' });
  assert.equal(bad.status, 400);
  const errors = (await bad.json()).errors.map((e) => e.field);
  assert.deepEqual(errors, ['channels', 'consent']);
  const ok = await post(id, { channels: ['sms'], phone: '+33 6 12 34 56 78', consent: true });
  assert.equal(ok.status, 201);
  const r = await ok.json();
  assert.equal(r.status, 'scheduled');
  assert.equal(r.language, 'en');
  assert.ok(r.send_at > Date.now() + 34 * 86400000 && r.send_at < Date.now() + 37 * 86400000);
  const p = await fetch(`${srv.base}/api/v1/screenings`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instrument: 'epds', language: 'fr', respondent: 'mother', period: 'prenatal',
      postcode: '76000', source: 'direct', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 3] }),
  });
  const none = await post((await p.json()).id, { channels: ['email'], email: 'p@example.fr', consent: true });
  assert.equal(none.status, 409);
  assert.equal((await post('01jzzzzzzzzzzzzzzzzzzzzzzz', { channels: ['email'], email: 'p@example.fr', consent: true })).status, 400);
});

test('an unknown opt-out link changes nothing, by GET or POST, and says so', async () => {
  const before = sqlite(srv.dbPath, 'SELECT id, status FROM reminders ORDER BY id');
  const get = await fetch(`${srv.base}/rappel/arret?t=0123456789abcdef0123456789abcdef`);
  assert.equal(get.status, 404);
  assert.match(await get.text(), /Ce lien ne correspond à aucun rappel/);
  const post = await fetch(`${srv.base}/en/rappel/arret?t=0123456789abcdef0123456789abcdef`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(post.status, 404, 'not refused by the origin rule: the token decides');
  assert.match(await post.text(), /This link matches no reminder/);
  assert.deepEqual(sqlite(srv.dbPath, 'SELECT id, status FROM reminders ORDER BY id'), before);
});

test('the privacy page states the retention periods in force', async () => {
  const custom = await startServer({ args: ['--retention-alert-contact-days', '45', '--retention-reminder-days', '7'] });
  try {
    const html = await (await fetch(`${custom.base}/confidentialite`)).text();
    assert.match(html, /effacées 45 jours après sa clôture/);
    assert.match(html, /supprimé 7 jours plus tard/);
    const en = await (await fetch(`${custom.base}/en/confidentialite`)).text();
    assert.match(en, /erased 45 days after it is closed/);
  } finally {
    await custom.stop();
  }
});

test('an opt-out link followed by a GET alone changes nothing; the one-click POST stops it, once', async () => {
  const r = await resultPage(srv.base, 'en', week1);
  const ok = await postForm(srv.base, '/en/rappel/inscription', {
    screening_id: r.id, form_token: r.token, channels: 'email', email: 'parent@example.fr', consent: 'yes',
  });
  assert.equal(ok.res.status, 201, ok.html);
  const row = () => sqlite(srv.dbPath, `SELECT id, status, cancelled_at, length(contact_sealed) AS sealed FROM reminders WHERE screening_id = '${r.id}'`)[0];
  const before = row();
  assert.equal(before.status, 'scheduled');
  const link = `/en/rappel/arret?t=${optOutToken(srv, before.id)}`;
  // A mail scanner, or the parent opening the link: GET and HEAD only show the page.
  for (let i = 0; i < 3; i++) {
    const get = await fetch(srv.base + link);
    assert.equal(get.status, 200);
    const html = await get.text();
    assert.match(html, /You no longer want this message\?/);
    assert.match(html, /<form method="post"/);
  }
  assert.equal((await fetch(srv.base + link, { method: 'HEAD' })).status, 200);
  assert.deepEqual(row(), before, 'nothing changed');
  // RFC 8058: the mail client's POST, no form token, from another origin.
  const post = await fetch(srv.base + link, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(post.status, 200);
  assert.match(await post.text(), /you will not receive this message/);
  const after = row();
  assert.equal(after.status, 'cancelled');
  assert.equal(after.sealed, null, 'contact erased');
  const again = await fetch(srv.base + link, { method: 'POST', body: '' });
  assert.equal(again.status, 200, 'idempotent');
  assert.deepEqual(row(), after);
  assert.match(await (await fetch(srv.base + link)).text(), /already stopped or already sent/);
  const audit = sqlite(srv.dbPath, `SELECT count(*) AS n FROM audit_log WHERE subject_id = '${before.id}' AND action = 'cancel'`);
  assert.equal(audit[0].n, 1);
});
