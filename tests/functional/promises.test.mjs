// The promises the parent pages make, against the real program:
// - shipped territories are closed: no callback offered, the API answers 409;
// - `parcours demo load` opens three territories in the database only and
//   marks every page, /healthz and the API as a demo;
// - crisis_help is in POST /api/v1/screenings exactly when item 10 > 0, in
//   the requested language, with the nearest emergency services;
// - after item 10 > 0 the result page never gives a delay over 24 hours;
// - deadlines skip holidays in the territory's time zone (22 May in Martinique);
// - the calendar reminder and the request messages never carry a score.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import { count } from '../support/db.mjs';
import { cli, demoDatabase } from '../support/directory.mjs';

let plain; // shipped configuration, no demo data
let demo; // demo data loaded
let demoDb;
before(async () => {
  plain = await startServer();
  demoDb = demoDatabase();
  demo = await startServer({ database: demoDb.database });
});
after(async () => {
  await plain?.stop();
  await demo?.stop();
  rmSync(demoDb.dir, { recursive: true, force: true });
});

const screening = (o = {}) => ({
  instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal',
  child_age_weeks: 6, postcode: '59000', commune_code: '59350', source: 'direct',
  answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 3], ...o,
});
async function postJson(srv, url, body) {
  const res = await fetch(srv.base + url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { res, body: await res.json() };
}
async function postForm(srv, url, o) {
  const res = await fetch(srv.base + url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });
  return { res, html: await res.text() };
}
// Answers by option position; item 10 position 3 = "Never" (0), 2 → 1, 1 → 2, 0 → 3.
function answersFor(total, item10) {
  // Items 1, 2, 4 score 0..3 down the page; the others 3..0.
  const a = [0, 0, 3, 0, 3, 3, 3, 3, 3, 3 - item10];
  let left = total - item10;
  for (const i of [0, 1, 3]) { const s = Math.min(3, left); a[i] = s; left -= s; }
  for (const i of [2, 4, 5, 6, 7, 8]) { const s = Math.min(3, left); a[i] = 3 - s; left -= s; }
  assert.equal(left, 0, `score ${total} reachable`);
  return a;
}
async function resultPage(srv, prefix, total, item10, postcode = '59000') {
  const about = { respondent: 'mother', period: 'postnatal', child_age_weeks: '6', postcode, commune_code: '', source: '' };
  const q = await postForm(srv, `${prefix}/depistage`, { step: 'about', ...about });
  const id = q.html.match(/name="screening_id" value="([0-9a-z]{26})"/)[1];
  const commune = (q.html.match(/name="commune_code" value="(\d{5})"/) || [])[1] || '';
  const token = q.html.match(/name="form_token" value="([^"]+)"/)[1];
  const answers = Object.fromEntries(answersFor(total, item10).map((v, i) => [`q${i + 1}`, String(v)]));
  // The result comes by post-redirect-get (fetch follows the 303).
  const r = await postForm(srv, `${prefix}/depistage`, { step: 'questions', screening_id: id, form_token: token, ...about, commune_code: commune, ...answers });
  assert.equal(r.res.status, 200);
  return r.html;
}

test('a closed territory offers no callback on the result page, and the API answers 409 recontact', async () => {
  for (const postcode of ['59000', '76000', '97200', '13001']) {
    const html = await resultPage(plain, '', 15, 0, postcode);
    assert.doesNotMatch(html, /id="rappel"/, postcode);
    assert.doesNotMatch(html, /peut vous rappeler/, postcode);
    assert.match(html, /aucune équipe ne rappelle encore les parents/, postcode);
  }
  // No commune list in this database: the postcode alone gives the territory.
  const s = await postJson(plain, '/api/v1/screenings', screening({ commune_code: undefined, answers: answersFor(2, 1) }));
  assert.equal(s.res.status, 201);
  assert.equal(s.body.territory, 'hauts-de-france');
  assert.equal(s.body.recontact_offered, false);
  const r = await postJson(plain, '/api/v1/recontact-requests', {
    screening_id: s.body.id, name: 'Léa', phone: '0612345678', may_leave_message: true, caller_intro: 'neutral', consent: true,
  });
  assert.equal(r.res.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  assert.equal(r.body.error.field, 'recontact');
  assert.equal(count(plain.dbPath, 'alerts'), 0, 'nothing stored');
});

test('demo data opens territories in the database only, and says so everywhere', async () => {
  const health = await (await fetch(`${demo.base}/healthz`)).json();
  assert.equal(health.demo.loaded, true);
  assert.deepEqual(health.demo.recontact_territories, ['hauts-de-france', 'martinique', 'normandie']);
  const plainHealth = await (await fetch(`${plain.base}/healthz`)).json();
  assert.equal(plainHealth.demo.loaded, false);
  assert.deepEqual(plainHealth.demo.recontact_territories, []);

  const s = await postJson(demo, '/api/v1/screenings', screening());
  assert.equal(s.body.recontact_offered, true);
  assert.equal(s.res.headers.get('parcours-demo'), 'true');
  const q = await fetch(`${demo.base}/api/v1/questionnaires/epds`);
  assert.equal(q.headers.get('parcours-demo'), 'true');
  const plainApi = await postJson(plain, '/api/v1/screenings', screening());
  assert.equal(plainApi.res.headers.get('parcours-demo'), null);
  // Occitanie stays closed even in the demo.
  const occ = await postJson(demo, '/api/v1/screenings', screening({ postcode: '34000', commune_code: undefined }));
  assert.equal(occ.body.recontact_offered, false);
});

test('loading the demo again (a second ./run) succeeds and changes nothing', () => {
  const again = demoDatabase();
  try {
    const file = again.database.replace(/^sqlite:/, '');
    const tables = ['users', 'user_territories', 'resources', 'settings', 'communes'];
    const before = tables.map((t) => count(file, t));
    const out = cli(again.database, ['demo', 'load']);  // throws on a non-zero exit
    assert.match(out, /resources already there/);
    assert.match(out, /demo responder of normandie: demo\.repondant\.normandie@demo\.invalid/);
    assert.deepEqual(tables.map((t) => count(file, t)), before);
  } finally {
    rmSync(again.dir, { recursive: true, force: true });
  }
});

test('the demo notice appears on every page while demo data is loaded, and on none otherwise', async () => {
  const pages = ['/', '/en', '/comprendre', '/comprendre/baby-blues-ou-depression', '/comprendre/signes',
    '/comprendre/se-faire-aider', '/comprendre/ressources', '/en/comprendre/ressources', '/depistage',
    '/en/depistage', '/trouver-de-l-aide', '/en/trouver-de-l-aide', '/accessibilite', '/en/confidentialite',
    '/demande', '/demande/ZZZZ-ZZZZ', '/integration', '/integration/depistage', '/pas-de-page', '/en/no-page'];
  for (const p of pages) {
    const html = await (await fetch(demo.base + p)).text();
    const en = p.startsWith('/en');
    assert.match(html, en ? /<span class="fr-notice__title">Demo<\/span>/ : /<span class="fr-notice__title">Démonstration<\/span>/, p);
    assert.match(html, en ? /are fictional/ : /sont fictifs/, p);
    const clean = await (await fetch(plain.base + p)).text();
    assert.doesNotMatch(clean, /id="demonstration"/, p);
  }
  // The POST pages too (result page).
  const result = await resultPage(demo, '/en', 5, 0);
  assert.match(result, /id="demonstration"/);
});

test('crisis_help is present exactly when item 10 > 0, in the requested language', async () => {
  for (const [total, item10] of [[0, 0], [1, 1], [9, 0], [10, 2], [14, 0], [20, 3], [30, 3]]) {
    const { res, body } = await postJson(plain, '/api/v1/screenings', screening({ commune_code: undefined, answers: answersFor(total, item10) }));
    assert.equal(res.status, 201);
    assert.equal(body.score, total);
    assert.equal(body.crisis, item10 > 0);
    assert.equal('crisis_help' in body, item10 > 0, `score ${total}, item 10 = ${item10}`);
    if (item10 > 0) {
      // Whatever the band: a professional assessment within 24 hours at most.
      assert.ok(body.within_hours <= 24, `score ${total}: within_hours ${body.within_hours}`);
      assert.equal(body.within_days, undefined, `score ${total}`);
    }
  }
  const fr = (await postJson(plain, '/api/v1/screenings', screening({ commune_code: undefined, answers: answersFor(1, 1) }))).body.crisis_help;
  assert.equal(fr.language, 'fr');
  assert.deepEqual(fr.contacts.map((c) => [c.number, c.channel, c.href]),
    [['3114', 'phone', 'tel:3114'], ['15', 'phone', 'tel:15'], ['112', 'phone', 'tel:112'], ['114', 'sms', 'sms:114']]);
  assert.match(fr.contacts[0].label, /prévention du suicide/);
  assert.match(fr.puerperal_psychosis.text, /psychose puerpérale/);
  assert.match(fr.puerperal_psychosis.text, /15/);
  assert.ok(!JSON.stringify(fr).includes('"score"'), 'no score in the crisis block');
  const en = (await postJson(plain, '/api/v1/screenings', screening({ language: 'en', commune_code: undefined, answers: answersFor(1, 1) }))).body.crisis_help;
  assert.equal(en.language, 'en');
  assert.match(en.contacts[0].label, /suicide prevention/i);
  assert.match(en.puerperal_psychosis.text, /puerperal/);
  // No directory data: an empty list, never an invented place.
  assert.deepEqual(en.nearest_emergency_services, []);
});

test('crisis_help lists the nearest emergency services of the parent\'s commune', async () => {
  for (const [postcode, commune] of [['59000', '59350'], ['76000', '76540'], ['97200', '97209']]) {
    const { body } = await postJson(demo, '/api/v1/screenings', screening({ postcode, commune_code: commune, answers: answersFor(3, 2) }));
    const got = body.crisis_help.nearest_emergency_services;
    assert.ok(got.length > 0, `${postcode}: emergency services listed`);
    const ref = await (await fetch(`${demo.base}/api/v1/resources?postcode=${postcode}&commune_code=${commune}&level=emergency&limit=2`)).json();
    assert.deepEqual(got.map((x) => x.id), ref.items.map((x) => x.id), postcode);
    const all = await (await fetch(`${demo.base}/api/v1/resources?postcode=${postcode}&commune_code=${commune}&level=emergency&limit=100`)).json();
    const nearest = Math.min(...all.items.map((x) => x.distance_km));
    assert.equal(got[0].distance_km, nearest, `${postcode}: the first one is the nearest`);
    for (let i = 1; i < got.length; i++) assert.ok(got[i].distance_km >= got[i - 1].distance_km);
  }
});

test('after item 10 > 0 the result page never gives a follow-up delay longer than 24 hours', async () => {
  for (const prefix of ['', '/en']) {
    for (const [total, item10] of [[1, 1], [9, 1], [11, 2], [12, 3], [15, 1], [25, 3]]) {
      const html = await resultPage(plain, prefix, total, item10);
      assert.match(html, /id="crise"/);
      const delays = [...html.matchAll(/<strong>([^<]*)<\/strong>/g)].map((m) => m[1]).join(' | ');
      assert.match(delays, prefix ? /within 24 hours/ : /dans les 24 heures/, `score ${total}: ${delays}`);
      assert.doesNotMatch(html, /72 heures|72 hours|dans les 7 jours|within 7 days|dans les 3 jours|within 3 days/, `score ${total}`);
    }
  }
  // Without item 10, the probable band keeps its 72 hours, said once.
  const probable = await resultPage(plain, '', 15, 0);
  assert.match(probable, /<strong>dans les 72 heures<\/strong>/);
  assert.doesNotMatch(probable, /dans les 3 jours/, 'no second delay in the band text');
});

test('the watch band never says it is not depression', async () => {
  const fr = await resultPage(plain, '', 9, 0);
  assert.match(fr, /ne peut pas écarter une dépression/);
  assert.doesNotMatch(fr, /n’est pas une dépression|pas de dépression/);
  const en = await resultPage(plain, '/en', 10, 0);
  assert.match(en, /cannot rule depression out/);
  assert.doesNotMatch(en, /not depression/);
});

test('a deadline falling on 22 May in Martinique moves to the next opening hour', () => {
  // Holidays of the shipped data, as the program computes them.
  const holidays = cli(demoDb.database, ['territory', 'holidays', 'martinique', '2026']);
  assert.match(holidays, /^2026-05-22\tAbolition de l’esclavage$/m);
  assert.match(holidays, /^2026-05-25\tLundi de Pentecôte$/m);
  assert.doesNotMatch(cli(demoDb.database, ['territory', 'holidays', 'normandie', '2026']), /2026-05-22/);
  // Demo team of Martinique: weekdays 08:00–16:00 local. Raised Thursday 21 May
  // 10:00: +24 h is Friday 22 May (holiday), then the weekend and Whit Monday.
  const out = cli(demoDb.database, ['territory', 'deadline', 'martinique', '24h', '2026-05-21T10:00']);
  assert.match(out, /^due\t2026-05-26T08:00 America\/Martinique$/m);
  assert.match(out, /^recontact\topen$/m);
  assert.match(out, new RegExp(`^due_utc_ms\\t${Date.UTC(2026, 4, 26, 12, 0)}$`, 'm'), 'UTC−4');
  // Immediate at 15:30 on Thursday: 30 minutes that day, 30 on Tuesday.
  const now = cli(demoDb.database, ['territory', 'deadline', 'martinique', 'immediate', '2026-05-21T15:30']);
  assert.match(now, /^due\t2026-05-26T08:30 America\/Martinique$/m);
  // The same request in Normandy (no 22 May holiday, Paris time, summer) is due Friday.
  const normandie = cli(demoDb.database, ['territory', 'deadline', 'normandie', '24h', '2026-05-21T10:00']);
  assert.match(normandie, /^due\t2026-05-22T10:00 Europe\/Paris$/m);
});

test('the calendar reminder and the request messages never carry a score', async () => {
  const html = await resultPage(demo, '', 17, 2);
  const href = html.match(/href="(\/rappel\.ics\?[^"]*)"/)[1];
  assert.match(href, /^\/rappel\.ics\?jours=\d+$/, 'only a number of days in the link');
  const ics = await (await fetch(demo.base + href.replaceAll('&amp;', '&'))).text();
  assert.doesNotMatch(ics, /score|EPDS|d[ée]pression|crise|crisis|sur 30/i);
  const s = await postJson(demo, '/api/v1/screenings', screening({ answers: answersFor(17, 2) }));
  assert.equal(s.body.score, 17);
  const r = await postJson(demo, '/api/v1/recontact-requests', {
    screening_id: s.body.id, name: 'Léa', phone: '0612345678', may_leave_message: true, caller_intro: 'neutral', consent: true,
  });
  assert.equal(r.res.status, 201, JSON.stringify(r.body));
  for (const k of ['score', 'band', 'answers', 'crisis']) assert.ok(!(k in r.body), k);
  const status = await (await fetch(`${demo.base}/api/v1/recontact-requests/${r.body.reference}`)).json();
  for (const k of ['score', 'band', 'answers']) assert.ok(!(k in status), k);
  const page = await (await fetch(`${demo.base}/demande/${r.body.reference}`)).text();
  assert.doesNotMatch(page, /Score|17 sur 30/);
});
