// The parent pages over plain HTTP: form errors in the page's language with
// nothing stored, answers never in a URL, calendar reminder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { count } from '../support/db.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const form = (o) => new URLSearchParams(o).toString();
async function postForm(path, o) {
  const res = await fetch(srv.base + path, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(o),
  });
  return { res, html: await res.text() };
}

test('step 1 errors are named in French at /depistage and in English at /en/depistage', async () => {
  const fr = await postForm('/depistage', { step: 'about', period: 'postnatal', child_age_weeks: 'abc', postcode: '123' });
  assert.equal(fr.res.status, 400);
  assert.match(fr.html, /Indiquez qui répond au questionnaire/);
  assert.match(fr.html, /Indiquez l’âge du bébé en semaines/);
  assert.match(fr.html, /Le code postal doit comporter 5 chiffres/);
  const en = await postForm('/en/depistage', { step: 'about', respondent: 'father', period: 'prenatal', child_age_weeks: '4' });
  assert.equal(en.res.status, 400);
  assert.match(en.html, /During pregnancy, leave the baby’s age empty/);
  assert.match(en.html, /<html lang="en"/);
});

test('missing answers keep the page, store nothing, and never put answers in a URL', async () => {
  const about = { respondent: 'mother', period: 'postnatal', child_age_weeks: '6', postcode: '59000', commune_code: '', source: '' };
  const q = await postForm('/depistage', { step: 'about', ...about });
  assert.equal(q.res.status, 200);
  const id = q.html.match(/name="screening_id" value="([0-9a-z]{26})"/)[1];
  const token = q.html.match(/name="form_token" value="([^"]+)"/)[1];
  assert.doesNotMatch(q.html, /<form method="get"/, 'questionnaire posts');
  const before = count(srv.dbPath, 'screenings');
  const partial = await postForm('/depistage', { step: 'questions', screening_id: id, form_token: token, ...about, q1: '0', q2: '1' });
  assert.equal(partial.res.status, 400);
  assert.match(partial.html, /Choisissez une réponse à la question 3/);
  assert.equal(count(srv.dbPath, 'screenings'), before);
  const answers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, '3']));
  const unsigned = await postForm('/depistage', { step: 'questions', screening_id: id, ...about, ...answers });
  assert.equal(unsigned.res.status, 403, 'a form without its token is refused');
  assert.equal(count(srv.dbPath, 'screenings'), before);
  const done = await postForm('/depistage', { step: 'questions', screening_id: id, form_token: token, ...about, ...answers });
  assert.equal(done.res.status, 200);
  assert.equal(done.res.redirected, true, 'post-redirect-get');
  assert.match(done.res.url, /\/depistage\/resultat\?r=/);
  assert.match(done.html, /Score : 9 sur 30/);
  // Sent twice (reload): the same screening, not a second one.
  const again = await postForm('/depistage', { step: 'questions', screening_id: id, form_token: token, ...about, ...answers });
  assert.equal(again.res.status, 200);
  assert.equal(count(srv.dbPath, 'screenings'), before + 1);
  assert.doesNotMatch(done.html, /href="[^"]*q1=/, 'no answer in any link');
});

test('the calendar reminder is a discreet all-day event and stores nothing', async () => {
  const before = count(srv.dbPath, 'screenings');
  const res = await fetch(`${srv.base}/rappel.ics?jours=14`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/calendar/);
  const ics = await res.text();
  assert.match(ics, /BEGIN:VEVENT/);
  assert.match(ics, /SUMMARY:Prendre un moment pour moi/);
  assert.doesNotMatch(ics, /d[ée]pression|EPDS/i, 'nothing names depression');
  const day = new Date(Date.now() + 14 * 86400e3).toISOString().slice(0, 10).replaceAll('-', '');
  assert.match(ics, new RegExp(`DTSTART;VALUE=DATE:${day}`));
  const en = await (await fetch(`${srv.base}/en/rappel.ics?jours=7`)).text();
  assert.match(en, /SUMMARY:Take a moment for me/);
  for (const bad of ['0', '400', 'x', '']) {
    assert.equal((await fetch(`${srv.base}/rappel.ics?jours=${bad}`)).status, 400, bad);
  }
  assert.equal(count(srv.dbPath, 'screenings'), before);
});

test('request status page: unknown reference is a kind 404 page', async () => {
  const res = await fetch(`${srv.base}/demande/ZZZZ-ZZZZ`);
  assert.equal(res.status, 404);
  assert.match(await res.text(), /Aucune demande ne correspond/);
  const lookup = await fetch(`${srv.base}/demande`);
  assert.equal(lookup.status, 200);
});

test('a malformed form body is a 400 page, not a crash', async () => {
  const res = await fetch(`${srv.base}/depistage`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'a=%ZZ&' + 'x=1&'.repeat(300),
  });
  assert.equal(res.status, 400);
  assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
});
