// Parents' reminders and the responders' digest end to end (issue 12): the
// real program, `parcours jobs run --now` as a simulated clock, the real
// SMTP server on loopback (python3-aiosmtpd) and the local SMS gateway.
// - A parent who opted in for both channels at a postnatal screening with a
//   1-week-old child receives exactly one e-mail and one SMS at week 6, at
//   a decent local hour (Normandie, and Martinique at UTC−4), worded so
//   that nothing on a lock screen reveals health, screening or child; the
//   e-mail carries List-Unsubscribe with List-Unsubscribe-Post (RFC 8058);
//   following its link with a GET changes nothing.
// - The digest is sent at the local digest hour, once, never as a catch-up.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { addUser, cli } from '../support/accounts.mjs';
import { sqlite } from '../support/db.mjs';
import { startSinks, waitFor } from '../support/outbox_sinks.mjs';

const sinks = await startSinks();
const PUBLIC = 'https://dpp.example';
// The server's own scheduler is off: only `jobs run --now` decides what is due.
const srv = await startServer({ args: [...sinks.args, '--public-url', PUBLIC, '--no-scheduler'] });
after(async () => { await srv.stop(); await sinks.stop(); });

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const jobsRun = (ms) => cli(srv, ['jobs', 'run', '--now', iso(ms), ...sinks.args, '--public-url', PUBLIC]);

async function postJson(url, body) {
  const res = await fetch(srv.base + url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

function local(ms, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { weekday: parts.weekday, hour: Number(parts.hour) };
}

const DISCREET = /d[ée]pist|d[ée]press|epds|score|questionnaire|b[ée]b[ée]|baby|enfant|child|santé|health|parcours dpp/i;

for (const place of [
  { name: 'Normandie', postcode: '76000', timeZone: 'Europe/Paris', phone: '06 12 34 56 78', e164: '+33612345678' },
  { name: 'Martinique', postcode: '97200', timeZone: 'America/Martinique', phone: '0696 12 34 56', e164: '+596696123456' },
]) {
  test(`both channels at week 1: one e-mail and one SMS at week 6, at a decent local hour (${place.name})`, async () => {
    const email = `parent.${place.postcode}@example.fr`;
    const s = await postJson('/api/v1/screenings', {
      instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal', child_age_weeks: 1,
      postcode: place.postcode, source: 'direct', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 3],
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    const r = await postJson(`/api/v1/screenings/${s.body.id}/reminders`, {
      channels: ['email', 'sms'], email, phone: place.phone, consent: true,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const sendAt = r.body.send_at;
    const weeks = (sendAt - Date.now()) / (7 * 86400000);
    assert.ok(weeks > 4.9 && weeks < 5.4, `week 6 of a 1-week-old child: ${weeks} weeks ahead`);
    const when = local(sendAt, place.timeZone);
    assert.ok(when.hour >= 10 && when.hour < 19, `decent local hour: ${when.hour}h`);
    assert.notEqual(when.weekday, 'Sun');

    const mails = () => sinks.smtp.records().filter((m) => m.to.includes(email));
    const texts = () => sinks.sms.records().filter((m) => JSON.stringify(m.body).includes(place.e164));
    await jobsRun(sendAt - 60000);
    assert.equal(mails().length, 0, 'nothing before the send time');
    assert.equal(texts().length, 0);

    await jobsRun(sendAt);
    const mail = await waitFor(() => mails()[0], 30000, 'the reminder e-mail');
    const sms = await waitFor(() => texts()[0], 30000, 'the reminder SMS');
    assert.equal(mail.subject, 'Un petit rappel, comme convenu');
    for (const text of [mail.subject, mail.text, JSON.stringify(sms.body)]) {
      assert.doesNotMatch(text, DISCREET, text);
    }
    const row = sqlite(srv.dbPath, `SELECT id, status FROM reminders WHERE screening_id = '${s.body.id}'`)[0];
    assert.equal(row.status, 'sent');
    const link = mail.text.match(/https:\/\/dpp\.example\/rappel\/arret\?t=[0-9a-f]{32}/)[0];
    assert.ok(mail.text.includes(`${PUBLIC}/\n`) || mail.text.includes(`${PUBLIC}/ `), 'the site link');
    assert.ok(JSON.stringify(sms.body).includes(link), 'the SMS carries the same opt-out link');
    assert.match(mail.list_unsubscribe, new RegExp(link.replace(/[?.]/g, '\\$&')));
    assert.equal(mail.list_unsubscribe_post, 'List-Unsubscribe=One-Click');

    // Later runs (another instance, the next tick) send nothing more.
    await jobsRun(sendAt + 3600000);
    await new Promise((res) => setTimeout(res, 1000));
    assert.equal(mails().length, 1, 'exactly one e-mail');
    assert.equal(texts().length, 1, 'exactly one SMS');

    // The link, followed by a GET (a mail scanner), changes nothing.
    const path = link.slice(PUBLIC.length);
    const before = sqlite(srv.dbPath, `SELECT * FROM reminders WHERE id = '${row.id}'`);
    const page = await fetch(srv.base + path);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /déjà arrêté ou déjà envoyé/);
    assert.deepEqual(sqlite(srv.dbPath, `SELECT * FROM reminders WHERE id = '${row.id}'`), before);
  });
}

test('the digest is sent at the local digest hour, once per day, never as a catch-up', async () => {
  const rep = await addUser(srv, { email: 'rep.digest@example.org', role: 'responder', territory: 'normandie' });
  const digests = () => sinks.smtp.records().filter((m) => m.to.includes(rep.email));
  // A Monday in winter: Paris is UTC+1, so 08:00 local is 07:00 UTC.
  const monday = Date.UTC(2031, 0, 6);
  await jobsRun(monday + 9 * 3600000);  // 10:00 local: a scheduler starting late
  await new Promise((res) => setTimeout(res, 1000));
  assert.equal(digests().length, 0, 'no catch-up after the hour');
  await jobsRun(monday + 7 * 3600000 + 10 * 60000);  // 08:10 local
  const mail = await waitFor(() => digests()[0], 30000, 'the digest');
  assert.equal(mail.subject, 'Parcours DPP : les demandes ouvertes ce matin');
  assert.match(mail.text, /https:\/\/dpp\.example\/pro\/alertes/);
  await jobsRun(monday + 7 * 3600000 + 40 * 60000);  // 08:40, another run in the hour
  await new Promise((res) => setTimeout(res, 1000));
  assert.equal(digests().length, 1, 'one per responder and local date');
  await jobsRun(monday + 86400000 + 7 * 3600000 + 5 * 60000);  // the next morning
  await waitFor(() => digests().length === 2, 30000, 'the next day\'s digest');
});
