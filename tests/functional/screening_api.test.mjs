// The parent-journey API against the real program: every validation error
// names its field and stores nothing; item 10 always means crisis; recontact
// requests become alerts with territory and deadline, contact sealed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { sqlite, count } from '../support/db.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const valid = () => ({
  instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal',
  child_age_weeks: 6, postcode: '59000', source: 'direct', answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 3],
});

async function post(url, body, raw = false) {
  const res = await fetch(srv.base + url, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: raw ? body : JSON.stringify(body),
  });
  return { res, body: await res.json() };
}

test('a valid screening is scored, banded, oriented and stored with its threshold version', async () => {
  const { res, body } = await post('/api/v1/screenings', valid());
  assert.equal(res.status, 201);
  assert.equal(body.score, 0);
  assert.equal(body.band, 'low');
  assert.equal(body.crisis, false);
  assert.equal(body.level, 'information');
  assert.equal(body.territory, 'hauts-de-france');
  assert.match(body.id, /^[0-9a-z]{26}$/);
  const [row] = sqlite(srv.dbPath, `SELECT * FROM screenings WHERE id = '${body.id}'`);
  assert.equal(row.score, 0);
  assert.equal(row.answers, '0,0,3,0,3,3,3,3,3,3');
  assert.equal(row.threshold_set_id, 'national-default');
  assert.equal(row.threshold_version, 1);
  assert.equal(row.territory_code, 'hauts-de-france');
});

test('answers are option indices in display order, scored by the published EPDS directions', async () => {
  // All first options: items 1, 2, 4 score 0, the seven reversed items score 3 → 21.
  const { body } = await post('/api/v1/screenings', { ...valid(), answers: Array(10).fill(0) });
  assert.equal(body.score, 21);
  assert.equal(body.band, 'probable');
  assert.equal(body.crisis, true, 'first option of item 10 is "Yes, quite often"');
  const last = await post('/api/v1/screenings', { ...valid(), answers: Array(10).fill(3) });
  assert.equal(last.body.score, 9);
  assert.equal(last.body.band, 'watch');
  assert.equal(last.body.crisis, false);
});

test('item 10 > 0 with a low total is a crisis: emergency level first', async () => {
  const answers = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2]; // item 10 "Hardly ever" → 1
  const { res, body } = await post('/api/v1/screenings', { ...valid(), answers });
  assert.equal(res.status, 201);
  assert.equal(body.score, 1);
  assert.equal(body.band, 'low');
  assert.equal(body.crisis, true);
  assert.equal(body.level, 'emergency');
  assert.equal(body.follow_up_level, 'first_line');
  const [row] = sqlite(srv.dbPath, `SELECT item10_positive FROM screenings WHERE id = '${body.id}'`);
  assert.equal(row.item10_positive, 1, 'the item-10 event is recorded');
});

test('fathers have their own cut-offs', async () => {
  // score 9: watch for a mother, possible for a father
  const answers = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]; // items 1,2,4 → 9
  const mother = await post('/api/v1/screenings', { ...valid(), answers });
  const father = await post('/api/v1/screenings', { ...valid(), respondent: 'father', answers });
  assert.equal(mother.body.score, 9);
  assert.equal(mother.body.band, 'watch');
  assert.equal(father.body.band, 'possible');
});

test('every validation error is a 400 naming its field, and nothing is stored', async () => {
  const before = count(srv.dbPath, 'screenings');
  const cases = [
    [{ instrument: 'phq9' }, 'instrument'],
    [{ instrument: 42 }, 'instrument'],
    [{ language: 'de' }, 'language'],
    [{ language: undefined }, 'language'],
    [{ respondent: 'grandmother' }, 'respondent'],
    [{ period: 'later' }, 'period'],
    [{ child_age_weeks: -1 }, 'child_age_weeks'],
    [{ child_age_weeks: 500 }, 'child_age_weeks'],
    [{ child_age_weeks: 'six' }, 'child_age_weeks'],
    [{ child_age_weeks: undefined }, 'child_age_weeks'],
    [{ period: 'prenatal', child_age_weeks: 3 }, 'child_age_weeks'],
    [{ postcode: '5900' }, 'postcode'],
    [{ postcode: 'ABCDE' }, 'postcode'],
    [{ postcode: 59000 }, 'postcode'],
    [{ commune_code: '59350', postcode: undefined }, 'commune_code'],
    [{ source: 7 }, 'source'],
    [{ answers: [0, 1, 2] }, 'answers'],
    [{ answers: 'all zero' }, 'answers'],
    [{ answers: [0, 0, 0, 0, 4, 0, 0, 0, 0, 0] }, 'answers[4]'],
    [{ answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, -1] }, 'answers[9]'],
    [{ answers: [0, 0, 0, 0, 0, 0, 0, 0, '1', 0] }, 'answers[8]'],
    [{ answers: [0, 0, 0, 0, 0, 0, 0, 0, 1.5, 0] }, 'answers[8]'],
    [{ extra: true }, 'extra'],
  ];
  for (const [patch, field] of cases) {
    const { res, body } = await post('/api/v1/screenings', { ...valid(), ...patch });
    assert.equal(res.status, 400, JSON.stringify(patch));
    assert.equal(body.error.code, 'invalid_argument', JSON.stringify(patch));
    assert.equal(body.error.field, field, JSON.stringify(patch));
    assert.ok(body.error.message.length > 0);
  }
  for (const raw of ['', 'not json', '[1,2]', '{"a":', '"x"']) {
    const { res, body } = await post('/api/v1/screenings', raw, true);
    assert.equal(res.status, 400, raw);
    assert.equal(body.error.field, 'body', raw);
  }
  assert.equal(count(srv.dbPath, 'screenings'), before, 'nothing stored on error');
});

test('a 400 lists every field at fault, in API order, beside the first one', async () => {
  const before = count(srv.dbPath, 'screenings');
  const { res, body } = await post('/api/v1/screenings', {
    ...valid(), respondent: 'uncle', postcode: '59', answers: [0, 0, 0, 0, 9, 0, 0, 0, 0, 'x'],
  });
  assert.equal(res.status, 400);
  assert.equal(body.error.code, 'invalid_argument');
  assert.equal(body.error.field, 'respondent');
  assert.deepEqual(body.errors.map((e) => e.field), ['respondent', 'postcode', 'answers[4]', 'answers[9]']);
  assert.ok(body.errors.every((e) => e.message.length > 0));
  const r = await post('/api/v1/recontact-requests', { screening_id: 'nope', name: '', phone: 'x', consent: 'yes' });
  assert.equal(r.res.status, 400);
  assert.deepEqual(r.body.errors.map((e) => e.field),
    ['screening_id', 'name', 'phone', 'may_leave_message', 'caller_intro', 'consent']);
  assert.equal(count(srv.dbPath, 'screenings'), before);
});

test('outside the six territories: outside queue, no recontact offered', async () => {
  const { body } = await post('/api/v1/screenings', { ...valid(), postcode: '75011' });
  assert.equal(body.territory, '');
  assert.equal(body.recontact_offered, false);
  const r = await post('/api/v1/recontact-requests', {
    screening_id: body.id, name: 'Léa', phone: '0612345678', may_leave_message: true,
    caller_intro: 'neutral', consent: true,
  });
  assert.equal(r.res.status, 409);
  assert.equal(r.body.error.field, 'recontact');
  assert.equal(count(srv.dbPath, 'alerts'), 0);
});

test('the questionnaire endpoint gives items and options in display order, worded for the respondent', async () => {
  const res = await fetch(`${srv.base}/api/v1/questionnaires/epds?language=fr&respondent=father`);
  assert.equal(res.status, 200);
  const q = await res.json();
  assert.equal(q.items.length, 10);
  assert.equal(q.items[2].text, 'Je me suis reproché, sans raison, d’être responsable quand les choses allaient mal');
  assert.deepEqual(q.items[9].options.map((o) => o.index), [0, 1, 2, 3]);
  assert.match(q.citation, /Guedeney/);
  const en = await (await fetch(`${srv.base}/api/v1/questionnaires/epds?language=en`)).json();
  assert.equal(en.items[0].options[0].text, 'As much as I always could');
  const bad = await fetch(`${srv.base}/api/v1/questionnaires/epds?language=en&respondent=uncle`);
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.field, 'respondent');
  const none = await fetch(`${srv.base}/api/v1/questionnaires/phq9`);
  assert.equal(none.status, 404);
});

test('recontact after an item-10 screening: an immediate alert routed to the territory, contact sealed, audited', async () => {
  const s = await post('/api/v1/screenings', { ...valid(), postcode: '76000', answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 1] });
  assert.equal(s.body.territory, 'normandie');
  assert.equal(s.body.recontact_offered, true);
  const alertsBefore = count(srv.dbPath, 'alerts');
  const bad = [
    [{ screening_id: 'nope' }, 'screening_id'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(61) }, 'name'],
    [{ phone: 'call me' }, 'phone'],
    [{ phone: '', email: 'not-an-email' }, 'email'],
    [{ phone: '', email: '' }, 'contact'],
    [{ slots: ['midnight'] }, 'slots'],
    [{ may_leave_message: undefined }, 'may_leave_message'],
    [{ caller_intro: 'loud' }, 'caller_intro'],
    [{ consent: false }, 'consent'],
    [{ consent: 'yes' }, 'consent'],
  ];
  const good = {
    screening_id: s.body.id, name: 'Camille', phone: '06 12 34 56 78', email: '',
    slots: ['morning', 'evening'], may_leave_message: false, caller_intro: 'neutral', consent: true,
  };
  for (const [patch, field] of bad) {
    const r = await post('/api/v1/recontact-requests', { ...good, ...patch });
    assert.equal(r.res.status, 400, JSON.stringify(patch));
    assert.equal(r.body.error.field, field, JSON.stringify(patch));
  }
  assert.equal(count(srv.dbPath, 'alerts'), alertsBefore, 'nothing stored on error');

  const t0 = Date.now();
  const r = await post('/api/v1/recontact-requests', good);
  assert.equal(r.res.status, 201);
  assert.match(r.body.reference, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.equal(r.body.urgency, 'immediate');
  assert.equal(r.body.territory, 'normandie');
  assert.ok(r.body.deadline_at_ms > t0, 'deadline in the future');
  assert.ok(r.body.deadline_at_ms <= t0 + 4 * 24 * 3600e3, 'within the next opening hours');

  const [alert] = sqlite(srv.dbPath, `SELECT kind, crisis, territory_code, hex(contact_sealed) AS sealed FROM alerts WHERE reference = '${r.body.reference}'`);
  assert.equal(alert.kind, 'item10');
  assert.equal(alert.crisis, 1);
  assert.equal(alert.territory_code, 'normandie');
  const sealed = Buffer.from(alert.sealed, 'hex');
  assert.ok(sealed.length > 40);
  assert.ok(!sealed.includes(Buffer.from('0612345678')), 'phone not in clear');
  assert.ok(!sealed.includes(Buffer.from('Camille')), 'name not in clear');
  const audit = sqlite(srv.dbPath, `SELECT actor, action, subject_type FROM audit_log`);
  assert.ok(audit.some((a) => a.actor === 'parent' && a.action === 'create' && a.subject_type === 'alert'));

  const again = await post('/api/v1/recontact-requests', good);
  assert.equal(again.res.status, 200);
  assert.equal(again.body.reference, r.body.reference);
  assert.equal(again.body.already_requested, true);

  const status = await (await fetch(`${srv.base}/api/v1/recontact-requests/${r.body.reference}`)).json();
  assert.equal(status.status, 'new');
  assert.equal(JSON.stringify(status).includes('0612345678'), false, 'no contact details in the status');
  const missing = await fetch(`${srv.base}/api/v1/recontact-requests/AAAA-AAAA`);
  assert.equal(missing.status, 404);
});

test('the database never holds the contact key; the key file sits beside it', async () => {
  const settings = sqlite(srv.dbPath, 'SELECT name, value FROM settings');
  const fp = settings.find((s) => s.name === 'contact_key_fingerprint');
  assert.ok(fp);
  const key = readFileSync(path.join(srv.dir, 'contact.key'), 'utf8').trim();
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.notEqual(fp.value, key);
});

test('a recontact alert is routed to the most specific sub-territory of the parent\'s commune', async () => {
  const { demoDatabase, cli } = await import('../support/directory.mjs');
  const demo = demoDatabase();
  cli(demo.database, ['subterritory', 'set', 'hdf-59', 'territory=hauts-de-france', 'name=Nord', 'kind=department', 'members=59']);
  cli(demo.database, ['subterritory', 'set', 'hdf-ptsm-lille', 'territory=hauts-de-france', 'name=PTSM Lille', 'kind=ptsm', 'members=59350']);
  const s2 = await startServer({ database: demo.database });
  try {
    const post2 = async (url, body) => {
      const res = await fetch(s2.base + url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { res, body: await res.json() };
    };
    const s = await post2('/api/v1/screenings', { ...valid(), postcode: '59000', commune_code: '59350' });
    assert.equal(s.res.status, 201, JSON.stringify(s.body));
    const r = await post2('/api/v1/recontact-requests', {
      screening_id: s.body.id, name: 'Sam', email: 'sam@exemple.fr', may_leave_message: true,
      caller_intro: 'service', consent: true,
    });
    assert.equal(r.res.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.territory, 'hauts-de-france');
    assert.equal(r.body.sub_territory, 'hdf-ptsm-lille');
    // A commune of the department outside the PTSM area: the department's sub-territory.
    const roubaix = await post2('/api/v1/screenings', { ...valid(), postcode: '59100', commune_code: '59512' });
    assert.equal(roubaix.res.status, 201, JSON.stringify(roubaix.body));
    const r2 = await post2('/api/v1/recontact-requests', {
      screening_id: roubaix.body.id, name: 'Sam', phone: '0612345678', may_leave_message: false,
      caller_intro: 'neutral', consent: true,
    });
    assert.equal(r2.body.sub_territory, 'hdf-59');
  } finally {
    await s2.stop();
  }
});
