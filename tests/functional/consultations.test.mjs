// Consultation screening through the real program (issue 13, part A): the
// API POST /api/v1/consultations (role professional, session + CSRF), its
// pages under /pro/consultations (post-redirect-get, every error with its
// field), and the public FHIR R4 Questionnaire of the EPDS, validated
// against the schema HL7 publishes for R4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { writeFileSync } from 'node:fs';
import { demoDatabase, cli } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';
import { count } from '../support/db.mjs';
import { validateFhir } from '../support/fhir.mjs';

let srv;
let db;
let midwife;      // professional in Hauts-de-France
let normandy;     // professional in Normandie
let responder;    // another role of Hauts-de-France
before(async () => {
  db = demoDatabase();  // the demo directory: communes and resources
  // Two communes of the Nord sharing one postcode (59310).
  const shared = path.join(db.dir, 'shared-postcode.csv');
  writeFileSync(shared, 'insee_code,name,postcodes,department_code,region_code,latitude,longitude,population\n' +
    '59449,Orchies,59310,59,32,50.4744,3.2436,8500\n59071,Beuvry-la-Forêt,59310,59,32,50.4553,3.2606,3200\n');
  cli(db.database, ['import', 'communes', shared]);
  srv = await startServer({ database: db.database });
  const where = { dbPath: path.join(db.dir, 'parcours.db'), dir: db.dir };
  midwife = await login(srv, await addUser(where, { email: 'sf@example.org', role: 'professional', territory: 'hauts-de-france', name: 'Sage-femme HDF' }));
  normandy = await login(srv, await addUser(where, { email: 'sf.normandie@example.org', role: 'professional', territory: 'normandie' }));
  responder = await login(srv, await addUser(where, { email: 'resp@example.org', role: 'responder', territory: 'hauts-de-france' }));
});
after(async () => { await srv?.stop(); });

// 16 = probable for a mother, item 10 "never"; the same with item 10 "sometimes".
const PROBABLE = [1, 1, 1, 2, 1, 1, 1, 1, 1, 3];
const ITEM10 = [1, 1, 1, 2, 1, 1, 1, 1, 1, 1];

function body(extra = {}) {
  return {
    context: 'epnp', respondent: 'mother', period: 'postnatal', child_age_weeks: 6,
    postcode: '59000', answers: PROBABLE, vulnerability: ['isolation', 'violence'], ...extra,
  };
}

async function post(session, payload, headers = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (session) { h.cookie = session.cookie; h['x-csrf-token'] = session.csrf; }
  const res = await fetch(`${srv.base}/api/v1/consultations`, {
    method: 'POST', headers: h, body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { res, body: await res.json() };
}

test('an EPNP screening with two vulnerability factors is specialised, stored with its context', async () => {
  const before = count(path.join(db.dir, 'parcours.db'), 'consultations');
  const r = await post(midwife, body());
  assert.equal(r.res.status, 201, JSON.stringify(r.body));
  for (const key of ['id', 'score', 'band', 'crisis', 'level', 'follow_up_level', 'resources']) {
    assert.ok(key in r.body, key);
  }
  assert.match(r.body.id, /^[0-9a-z]{26}$/);
  assert.equal(r.body.score, 16);
  assert.equal(r.body.band, 'probable');
  assert.equal(r.body.crisis, false);
  assert.equal(r.body.level, 'specialised');
  assert.equal(r.body.follow_up_level, 'specialised');
  assert.equal(r.body.context, 'epnp');
  assert.deepEqual(r.body.vulnerability, ['isolation', 'violence']);
  assert.ok(Array.isArray(r.body.resources));
  assert.ok(r.body.resources.length > 0, 'the demo directory has specialised care near Lille');
  for (const res of r.body.resources) assert.ok(res.levels.includes('specialised'), JSON.stringify(res));
  assert.equal(count(path.join(db.dir, 'parcours.db'), 'consultations'), before + 1);

  // Without any factor: first line (the parents' rule).
  const plain = await post(midwife, body({ vulnerability: [] }));
  assert.equal(plain.res.status, 201);
  assert.equal(plain.body.level, 'first_line');

  // Read back: the same, audited.
  const back = await fetch(`${srv.base}/api/v1/consultations/${r.body.id}`, { headers: { cookie: midwife.cookie } });
  assert.equal(back.status, 200);
  assert.equal((await back.json()).level, 'specialised');
  // Another territory's professional gets 404, never 403.
  const hidden = await fetch(`${srv.base}/api/v1/consultations/${r.body.id}`, { headers: { cookie: normandy.cookie } });
  assert.equal(hidden.status, 404);
});

test('instrument defaults to epds and language to the session\'s; both may be given', async () => {
  const r = await post(midwife, body({ instrument: 'epds', language: 'fr' }));
  assert.equal(r.res.status, 201, JSON.stringify(r.body));
  const bad = await post(midwife, body({ instrument: 'phq9', language: 'xx' }));
  assert.equal(bad.res.status, 400);
  assert.equal(bad.body.error.field, 'instrument');
});

test('item 10 > 0: crisis, emergency first, then a follow-up level', async () => {
  const r = await post(midwife, body({ answers: ITEM10 }));
  assert.equal(r.res.status, 201);
  assert.equal(r.body.crisis, true);
  assert.equal(r.body.level, 'emergency');
  assert.equal(r.body.follow_up_level, 'specialised');
  assert.equal(r.body.within_hours, 24);
});

test('bad input is a 400 naming the field, every field at once, nothing stored', async () => {
  const file = path.join(db.dir, 'parcours.db');
  const before = count(file, 'screenings');
  const unknown = await post(midwife, body({ vulnerability: ['isolation', 'bad_luck'] }));
  assert.equal(unknown.res.status, 400);
  assert.equal(unknown.body.error.code, 'invalid_argument');
  assert.equal(unknown.body.error.field, 'vulnerability[1]');

  const many = await post(midwife, { context: 'home', respondent: 'aunt', period: 'postnatal',
    commune_code: '76540', answers: [0, 0, 0], vulnerability: 'isolation' });
  assert.equal(many.res.status, 400);
  assert.equal(many.body.error.field, 'context');
  const fields = many.body.errors.map((e) => e.field);
  for (const f of ['context', 'respondent', 'child_age_weeks', 'commune_code', 'answers', 'vulnerability']) {
    assert.ok(fields.includes(f), `${f} in ${fields}`);
  }
  const outside = await post(midwife, body({ commune_code: '76540', postcode: undefined }));  // Rouen, Normandie
  assert.equal(outside.res.status, 400);
  assert.equal(outside.body.error.field, 'commune_code');
  const outsidePostcode = await post(midwife, body({ postcode: '76000' }));  // Rouen, Normandie
  assert.equal(outsidePostcode.body.error.field, 'postcode');
  assert.match(outsidePostcode.body.error.message, /outside your territories/);
  for (const [postcode, reason] of [[undefined, /give the postcode/], ['5900', /5 digits/], ['59999', /no commune is known/]]) {
    const r = await post(midwife, body({ postcode }));
    assert.equal(r.res.status, 400, postcode);
    assert.equal(r.body.error.field, 'postcode');
    assert.match(r.body.error.message, reason);
  }

  const junk = await post(midwife, '{"context": ');
  assert.equal(junk.res.status, 400);
  assert.equal(count(file, 'screenings'), before);
});

test('a postcode shared by several communes asks which one; the commune must have that postcode', async () => {
  const file = path.join(db.dir, 'parcours.db');
  const before = count(file, 'screenings');
  const ambiguous = await post(midwife, body({ postcode: '59310' }));
  assert.equal(ambiguous.res.status, 400);
  assert.equal(ambiguous.body.error.field, 'commune_code');
  assert.match(ambiguous.body.error.message, /several communes share this postcode/);
  const mismatch = await post(midwife, body({ postcode: '59310', commune_code: '59350' }));  // Lille
  assert.equal(mismatch.res.status, 400);
  assert.equal(mismatch.body.error.field, 'commune_code');
  assert.equal(count(file, 'screenings'), before);
  const chosen = await post(midwife, body({ postcode: '59310', commune_code: '59449' }));
  assert.equal(chosen.res.status, 201, JSON.stringify(chosen.body));

  // The page: the postcode first, then a list of its communes.
  const fields = new URLSearchParams({ csrf_token: midwife.csrf, context: 'epnp', respondent: 'mother',
    period: 'postnatal', child_age_weeks: '6', postcode: '59310' });
  PROBABLE.forEach((a, i) => fields.append(`q${i + 1}`, String(a)));
  const send = (f) => fetch(`${srv.base}/pro/consultations`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: midwife.cookie },
    body: f.toString(),
  });
  const asked = await send(fields);
  assert.equal(asked.status, 400);
  const html = await asked.text();
  assert.match(html, /href="#commune">Plusieurs communes ont ce code postal : choisissez celle du parent\./);
  assert.match(html, /<select[^>]*id="commune" name="commune_code"/);
  assert.match(html, /<option value="59449">Orchies \(59449\)<\/option>/);
  assert.match(html, /<option value="59071">Beuvry-la-Forêt \(59071\)<\/option>/);
  assert.match(html, /name="postcode" value="59310"/);
  fields.set('commune_code', '59071');
  const done = await send(fields);
  assert.equal(done.status, 303);
});

test('401 without a session, 403 for another role, 403 without the CSRF token', async () => {
  const anonymous = await post(null, body());
  assert.equal(anonymous.res.status, 401);
  const wrongRole = await post(responder, body());
  assert.equal(wrongRole.res.status, 403);
  const res = await fetch(`${srv.base}/api/v1/consultations`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: midwife.cookie },
    body: JSON.stringify(body()),
  });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'csrf');
  const page = await fetch(`${srv.base}/pro/consultations`);
  assert.equal(page.status, 401);
  const forbidden = await fetch(`${srv.base}/pro/consultations`, { headers: { cookie: responder.cookie } });
  assert.equal(forbidden.status, 403);
});

test('the page posts, redirects to the result (PRG), and shows every error with its field', async () => {
  const form = await fetch(`${srv.base}/pro/consultations`, { headers: { cookie: midwife.cookie } });
  assert.equal(form.status, 200);
  const html = await form.text();
  for (let i = 1; i <= 10; i++) assert.match(html, new RegExp(`name="q${i}"`));
  assert.match(html, /name="vulnerability" value="premature_or_hospitalised_baby"/);
  assert.match(html, /Entretien postnatal précoce \(EPNP\)/);

  const fields = new URLSearchParams({ csrf_token: midwife.csrf, context: 'epnp', respondent: 'mother',
    period: 'postnatal', child_age_weeks: '6', postcode: '59000' });
  PROBABLE.forEach((a, i) => fields.append(`q${i + 1}`, String(a)));
  fields.append('vulnerability', 'isolation');
  fields.append('vulnerability', 'violence');
  const posted = await fetch(`${srv.base}/pro/consultations`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: midwife.cookie },
    body: fields.toString(),
  });
  assert.equal(posted.status, 303);
  const location = posted.headers.get('location');
  assert.match(location, /^\/pro\/consultations\/[0-9a-z]{26}$/);
  const result = await fetch(srv.base + location, { headers: { cookie: midwife.cookie } });
  assert.equal(result.status, 200);
  const page = await result.text();
  assert.match(page, /data-level="specialised"/);
  assert.match(page, /Soins spécialisés/);
  assert.doesNotMatch(page, /id="crise"/);
  assert.doesNotMatch(page, /id="deja-envoye"/);

  // The same form sent again (Back, then Send): the first result, no second screening.
  const submission = /name="submission_id" value="([0-9a-z]{26})"/.exec(html)[1];
  fields.set('submission_id', submission);
  const file = path.join(db.dir, 'parcours.db');
  const send = () => fetch(`${srv.base}/pro/consultations`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: midwife.cookie },
    body: fields.toString(),
  });
  const firstSend = await send();
  assert.equal(firstSend.status, 303);
  const firstLocation = firstSend.headers.get('location');
  assert.equal(firstLocation, `/pro/consultations/${submission}`);
  const rows = count(file, 'screenings');
  const [again, twice] = await Promise.all([send(), send()]);
  for (const r of [again, twice]) {
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `${firstLocation}?deja=1`);
  }
  assert.equal(count(file, 'screenings'), rows, 'no second screening');
  const repeatedPage = await (await fetch(srv.base + again.headers.get('location'), { headers: { cookie: midwife.cookie } })).text();
  assert.match(repeatedPage, /id="deja-envoye"/);
  assert.match(repeatedPage, /Aucun second dépistage n’a été créé/);

  const bad = new URLSearchParams({ csrf_token: midwife.csrf, respondent: 'mother', period: 'prenatal',
    child_age_weeks: '6', postcode: '' });
  const refused = await fetch(`${srv.base}/pro/consultations`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: midwife.cookie },
    body: bad.toString(),
  });
  assert.equal(refused.status, 400);
  const errors = await refused.text();
  assert.match(errors, /href="#contexte">Choisissez le contexte de la consultation\./);
  assert.match(errors, /href="#age-enfant">Pendant la grossesse, laissez l’âge de l’enfant vide\./);
  assert.match(errors, /href="#code-postal">Indiquez le code postal du parent\./);
  assert.match(errors, /href="#q1">Cochez une réponse à cette question\./);
  assert.match(errors, /value="mother" checked/);

  const noCsrf = await fetch(`${srv.base}/pro/consultations`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: midwife.cookie },
    body: 'context=epnp',
  });
  assert.equal(noCsrf.status, 403);
});

test('item 10 > 0: the result page opens with the crisis protocol, alert and referral links', async () => {
  const r = await post(midwife, body({ answers: ITEM10 }));
  const res = await fetch(`${srv.base}/pro/consultations/${r.body.id}`, { headers: { cookie: midwife.cookie } });
  const page = await res.text();
  const crisis = page.indexOf('id="crise"');
  assert.ok(crisis > 0, 'crisis block');
  assert.ok(crisis < page.indexOf('id="resultat"'), 'crisis protocol before the score');
  assert.match(page, /href="tel:15"/);
  assert.match(page, /href="tel:3114"/);
  assert.match(page, new RegExp(`href="/pro/alertes/nouvelle\\?consultation=${r.body.id}"`));
  assert.match(page, new RegExp(`href="/pro/orientations/nouvelle\\?screening=${r.body.id}"`));
});

test('GET /fhir/Questionnaire/epds: public FHIR R4, LOINC 71354-5, 10 choice items, valid against the R4 schema', async () => {
  const res = await fetch(`${srv.base}/fhir/Questionnaire/epds`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/fhir\+json/);
  const q = await res.json();
  assert.equal(q.resourceType, 'Questionnaire');
  // The canonical URL the QuestionnaireResponses of a record point at.
  assert.equal(q.url, `${srv.base}/fhir/Questionnaire/epds`);
  assert.deepEqual(q.code, [{ system: 'http://loinc.org', code: '71354-5', display: 'Edinburgh Postnatal Depression Scale [EPDS]' }]);
  assert.match(q.copyright, /Royal College of Psychiatrists/);
  assert.equal(q.item.length, 10);
  for (const item of q.item) {
    assert.equal(item.type, 'choice');
    assert.equal(item.answerOption.length, 4);
    // No LOINC item or answer code is shipped: none may appear.
    assert.equal(item.code, undefined);
    for (const o of item.answerOption) assert.equal(o.valueCoding, undefined);
  }
  assert.equal(q.item[0].text, 'J’ai pu rire et prendre les choses du bon côté');
  assert.equal(q.item[9].answerOption[0].extension[0].valueDecimal, 3);  // item 10 is reversed
  assert.deepEqual(validateFhir(q), []);

  const en = await (await fetch(`${srv.base}/fhir/Questionnaire/epds?language=en`)).json();
  assert.equal(en.language, 'en');
  assert.deepEqual(validateFhir(en), []);
  const none = await fetch(`${srv.base}/fhir/Questionnaire/epds?language=xx`);
  assert.equal(none.status, 404);
  assert.equal((await none.json()).resourceType, 'OperationOutcome');
});

test('the FHIR validator rejects what is not valid R4', () => {
  assert.notDeepEqual(validateFhir({ resourceType: 'Questionnaire', status: 'finished' }), []);
  assert.notDeepEqual(validateFhir({ resourceType: 'Questionnaire', status: 'active', item: [{ linkId: '1', type: 'choice', answerOption: [{ valueString: 3 }] }] }), []);
  assert.throws(() => validateFhir({ resourceType: 'Questionnaire', status: 'active' }, '/nonexistent/schema.json'), /unavailable/);
});
