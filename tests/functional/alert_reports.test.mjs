// Other sources of alerts (issue 11): a third party's public report
// (/signaler, FR and EN: form token, origin rule, only where a team
// answers, says what happens next and when) reaches the inbox marked as
// such, with the reporter's identity sealed and the GDPR art. 14 reminder
// on the responder's page; a professional raises an alert about a parent
// seen in consultation and follows its stage and outcome in their own list.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { demoDatabase } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';
import { sqlite, count } from '../support/db.mjs';

const { database } = demoDatabase();
const srv = await startServer({ database });
after(() => srv.stop());
const dbPath = database.slice('sqlite:'.length);
// Accounts are added with the CLI on the server's database (the demo one).
srv.dbPath = dbPath;
const responder = await login(srv, await addUser(srv, { email: 'r.hdf@example.org', role: 'responder', territory: 'hauts-de-france' }));
const pro = await login(srv, await addUser(srv, { email: 'sf.hdf@example.org', role: 'professional', territory: 'hauts-de-france' }));

async function reportForm(lang = '') {
  const res = await fetch(`${srv.base}${lang}/signaler`);
  const html = await res.text();
  return { status: res.status, html, token: /name="form_token" value="([^"]+)"/.exec(html)?.[1] };
}
async function sendReport(fields, { lang = '', headers = {} } = {}) {
  const res = await fetch(`${srv.base}${lang}/signaler`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: srv.base, ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, html: await res.text() };
}
const valid = (token, postcode = '59000') => ({
  form_token: token, reporter_name: 'Jeanne Voisine', reporter_relation: 'sœur', reporter_phone: '06 11 22 33 44',
  postcode, name: 'Lou', phone: '06 55 66 77 88', may_leave_message: 'no', reason: 'Elle ne dort plus et pleure tout le temps.',
  consent: 'yes',
});

test('a third party reports a parent: the inbox shows it marked, with the art. 14 reminder', async () => {
  const form = await reportForm();
  assert.equal(form.status, 200);
  assert.match(form.html, /Ce qui se passe ensuite/);
  assert.match(form.html, /tel:15/);
  const before = count(dbPath, 'alerts');
  const r = await sendReport(valid(form.token));
  assert.equal(r.status, 201, r.html.slice(0, 500));
  assert.match(r.html, /Signalement reçu/);
  assert.match(r.html, /au plus tard le \d\d\/\d\d\/\d{4}/);
  assert.equal(count(dbPath, 'alerts'), before + 1);
  const [a] = sqlite(dbPath, "SELECT id, source, territory_code, hex(reporter_sealed) AS r FROM alerts ORDER BY created_at DESC LIMIT 1");
  assert.equal(a.source, 'third_party');
  assert.equal(a.territory_code, 'hauts-de-france');
  assert.ok(a.r.length > 0);
  assert.equal(sqlite(dbPath, `SELECT count(*) AS n FROM alerts WHERE id = '${a.id}' AND CAST(reporter_sealed AS TEXT) LIKE '%Jeanne%'`)[0].n, 0, 'sealed');
  const list = await (await fetch(`${srv.base}/api/v1/alerts`, { headers: { cookie: responder.cookie } })).json();
  assert.equal(list.items.find((x) => x.id === a.id)?.source, 'third_party');
  const detail = await (await fetch(`${srv.base}/api/v1/alerts/${a.id}`, { headers: { cookie: responder.cookie } })).json();
  assert.equal(detail.reporter.name, 'Jeanne Voisine');
  assert.equal(detail.reporter.relation, 'sœur');
  assert.equal(detail.events[0].note, 'Elle ne dort plus et pleure tout le temps.');
  const page = await (await fetch(`${srv.base}/pro/alertes/${a.id}`, { headers: { cookie: responder.cookie } })).text();
  assert.match(page, /id="art14"/);
  assert.match(page, /Signalement d’un tiers/);
});

test('the report form refuses a missing token, a foreign origin, bad fields; English too', async () => {
  const before = count(dbPath, 'alerts');
  const noToken = await sendReport({ ...valid(''), form_token: 'forged' });
  assert.equal(noToken.status, 400);
  assert.match(noToken.html, /expiré/);
  const form = await reportForm();
  const foreign = await sendReport(valid(form.token), { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  assert.equal(foreign.status, 403);
  const bad = await sendReport({ ...valid(form.token), postcode: '5900', reporter_relation: '', consent: '' });
  assert.equal(bad.status, 400);
  assert.match(bad.html, /code postal du parent/);
  assert.match(bad.html, /lien avec le parent/);
  assert.match(bad.html, /Cochez la case/);
  assert.equal(count(dbPath, 'alerts'), before);
  const en = await reportForm('/en');
  assert.equal(en.status, 200);
  assert.match(en.html, /What happens next/);
  const enBad = await sendReport({ ...valid(en.token), reason: '' }, { lang: '/en' });
  assert.equal(enBad.status, 400);
  assert.match(enBad.html, /Say why in a few words/);
});

test('where no team answers, the report is not stored and the page makes no promise', async () => {
  const form = await reportForm();
  const before = count(dbPath, 'alerts');
  const r = await sendReport(valid(form.token, '34000'));  // Occitanie: closed
  assert.equal(r.status, 409);
  assert.match(r.html, /Aucune équipe/);
  assert.match(r.html, /tel:3114/);
  assert.doesNotMatch(r.html, /essaiera de joindre/);
  assert.equal(count(dbPath, 'alerts'), before);
});

test('a professional raises an alert from a consultation and follows it in their own list', async () => {
  const get = await fetch(`${srv.base}/pro/alertes/nouvelle?consultation=c-42`, { headers: { cookie: pro.cookie } });
  assert.equal(get.status, 200);
  assert.match(await get.text(), /name="consultation" value="c-42"/);
  const res = await fetch(`${srv.base}/pro/alertes/nouvelle`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: pro.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: srv.base },
    body: new URLSearchParams({ csrf_token: pro.csrf, consultation: 'c-42', name: 'Sam', phone: '06 10 20 30 40',
      may_leave_message: 'yes', reason: 'EPDS 16, item 10 positif en consultation.', item10: 'yes' }),
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/pro/mes-signalements?fait=1');
  const [a] = sqlite(dbPath, "SELECT id, reference, source, urgency, crisis, consultation_id FROM alerts WHERE source = 'professional'");
  assert.equal(a.urgency, 'immediate');
  assert.equal(a.crisis, 1);
  assert.equal(a.consultation_id, 'c-42');
  let mine = await (await fetch(`${srv.base}/pro/mes-signalements`, { headers: { cookie: pro.cookie } })).text();
  assert.match(mine, new RegExp(`${a.reference}</td><td>[^<]+</td><td>Nouvelle</td><td>—`));
  const close = await fetch(`${srv.base}/api/v1/alerts/${a.id}/events`, {
    method: 'POST', headers: { cookie: responder.cookie, 'x-csrf-token': responder.csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'close', outcome: 'taken_in_charge' }),
  });
  assert.equal(close.status, 201);
  mine = await (await fetch(`${srv.base}/pro/mes-signalements`, { headers: { cookie: pro.cookie } })).text();
  assert.match(mine, /Clôturée<\/td><td>Pris en charge par l’équipe/);
  // A responder may not raise from this form; a professional may not read the inbox.
  assert.equal((await fetch(`${srv.base}/pro/alertes/nouvelle`, { headers: { cookie: responder.cookie } })).status, 403);
  assert.equal((await fetch(`${srv.base}/pro/alertes`, { headers: { cookie: pro.cookie } })).status, 403);
});
