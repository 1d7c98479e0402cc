// Follow-up records, share codes and the FHIR QuestionnaireResponse search
// through the real program: a parent's screening reaches a record only with
// its share code (once, with attempts limited per account), and the FHIR
// Bundle of a record is valid FHIR R4 (tests/support/fhir_validate.py, the
// schema HL7 publishes) and empty for anyone who may not read the record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { addUser, login } from '../support/accounts.mjs';
import { sqlite } from '../support/db.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const VALIDATOR = path.resolve(import.meta.dirname, '../support/fhir_validate.py');

function fhirErrors(resource) {
  try {
    execFileSync('python3', [VALIDATOR], { input: JSON.stringify(resource), encoding: 'utf8' });
    return '';
  } catch (e) {
    return e.stderr || e.stdout || String(e);
  }
}

async function screening(answers) {
  const res = await fetch(`${srv.base}/api/v1/screenings`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal',
      child_age_weeks: 6, postcode: '76000', source: 'direct', answers }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).id;
}

async function shareCode(id) {
  const res = await fetch(`${srv.base}/api/v1/screenings/${id}/share-code`, { method: 'POST' });
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.match(body.code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  return body;
}

function form(session, fields) {
  return {
    method: 'POST', redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: session.csrf, ...fields }).toString(),
  };
}

async function newRecord(session) {
  const res = await fetch(`${srv.base}/pro/dossiers`, form(session, {
    respondent: 'mother', name: 'C.', birth_year: '1993', birth_date_kind: 'expected',
    child_birth_date: new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10),
  }));
  assert.equal(res.status, 303);
  const m = /^\/pro\/dossiers\/([0-9a-z]{26})$/.exec(res.headers.get('location'));
  assert.ok(m, res.headers.get('location'));
  return m[1];
}

test('share codes: once, hashed, attempts limited; FHIR Bundle valid and scoped', async () => {
  const sf = await login(srv, await addUser(srv, { email: 'sf@example.org', name: 'Sage Femme', role: 'professional', territory: 'normandie' }));
  const far = await login(srv, await addUser(srv, { email: 'loin@example.org', name: 'Loin', role: 'professional', territory: 'paca' }));
  const recordId = await newRecord(sf);

  const first = await screening([1, 1, 2, 1, 2, 2, 2, 2, 2, 3]);
  const second = await screening([2, 2, 1, 2, 1, 1, 1, 1, 1, 3]);
  const c1 = await shareCode(first);
  const c2 = await shareCode(second);
  assert.ok(Math.abs(c1.expires_at - (Date.now() + 30 * 86400000)) < 60000, 'valid 30 days');
  // Kept hashed: the code itself is not in the database.
  assert.equal(sqlite(srv.dbPath, `SELECT count(*) AS n FROM share_codes WHERE code_hash = '${c1.code}'`)[0].n, 0);

  // Nothing of the screening is on the record before the code is used.
  const empty = await fetch(`${srv.base}/fhir/QuestionnaireResponse?subject=${recordId}`, { headers: { cookie: sf.cookie } });
  assert.equal(empty.status, 200);
  assert.equal((await empty.json()).total, 0);

  const attach = (session, code) => fetch(`${srv.base}/pro/dossiers/${recordId}/code`, form(session, { code }));
  assert.equal((await attach(sf, c1.code.toLowerCase().replace('-', ' '))).status, 303);
  const again = await attach(sf, c1.code);
  assert.equal(again.status, 409);
  assert.match(await again.text(), /déjà été utilisé/);
  assert.equal((await attach(sf, c2.code)).status, 303);

  // The FHIR searchset of the record: both screenings, valid FHIR R4.
  const res = await fetch(`${srv.base}/fhir/QuestionnaireResponse?subject=${recordId}`, { headers: { cookie: sf.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/fhir\+json/);
  const bundle = await res.json();
  assert.equal(fhirErrors(bundle), '');
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'searchset');
  assert.equal(bundle.total, 2);
  assert.deepEqual(bundle.entry.map((e) => e.resource.id), [first, second]);
  for (const e of bundle.entry) {
    assert.equal(e.resource.questionnaire, `${srv.base}/fhir/Questionnaire/epds`);
    assert.equal(e.resource.subject.reference, `Patient/${recordId}`);
    assert.equal(e.resource.item.length, 10);
    assert.equal(fhirErrors(e.resource), '');
  }
  // The validator does reject what is not FHIR.
  assert.notEqual(fhirErrors({ ...bundle, type: 'list-of-things' }), '');

  // Another territory: the same empty searchset as an unknown subject.
  const other = await fetch(`${srv.base}/fhir/QuestionnaireResponse?subject=${recordId}`, { headers: { cookie: far.cookie } });
  assert.equal(other.status, 200);
  const otherBundle = await other.json();
  assert.equal(otherBundle.total, 0);
  assert.equal(fhirErrors(otherBundle), '');
  assert.equal((await fetch(`${srv.base}/pro/dossiers/${recordId}`, { headers: { cookie: far.cookie } })).status, 404);
  // No session: 401, as an OperationOutcome (a FHIR client reads no page).
  const anonymous = await fetch(`${srv.base}/fhir/QuestionnaireResponse?subject=${recordId}`);
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('content-type'), /^application\/fhir\+json/);
  const outcome = await anonymous.json();
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.equal(fhirErrors(outcome), '');
  // Every read is audited.
  const reads = sqlite(srv.dbPath, `SELECT count(*) AS n FROM audit_log WHERE subject_id = '${recordId}' AND action = 'read'`)[0].n;
  assert.ok(reads >= 2, `reads audited: ${reads}`);

  // From a screening without a record (a consultation's result links here):
  // the caller chooses one of their records first.
  const choose = await fetch(`${srv.base}/pro/orientations/nouvelle?screening=${second}`, { headers: { cookie: sf.cookie } });
  assert.equal(choose.status, 200);
  assert.match(await choose.text(), new RegExp(`href="/pro/orientations/nouvelle\\?dossier=${recordId}&amp;screening=${second}"`));
  const form2 = await fetch(`${srv.base}/pro/orientations/nouvelle?dossier=${recordId}&screening=${second}`, { headers: { cookie: sf.cookie } });
  assert.equal(form2.status, 200);
  assert.match(await form2.text(), new RegExp(`name="screening" value="${second}"`));

  // Attempts are limited per account: 10 failures in the hour (the second
  // use above was one), then even a right code is refused.
  const c3 = await shareCode(first);
  for (let i = 0; i < 9; i++) {
    const r = await attach(sf, i % 2 ? 'ZZZZZ-ZZZZZ' : 'pas un code');
    assert.ok(r.status === 400 || r.status === 404, `attempt ${i}: ${r.status}`);
  }
  const limited = await attach(sf, c3.code);
  assert.equal(limited.status, 429);
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) AS n FROM audit_log WHERE action = 'share_code_failed'")[0].n, 10);
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) AS n FROM audit_log WHERE action = 'share_code_refused'")[0].n, 1);
});
