// Follow-up records, share codes and referrals in Chromium: a parent takes
// the self-screening twice and asks for share codes; a midwife creates a
// record, attaches both screenings (a second use of a code fails), reads
// the score chart and its table (same values), refers the parent to a
// specialised team with the joint-care question answered; a team member
// accepts and records the first appointment, and the midwife sees it; a
// professional neither on the record nor in its territory gets 404. Zero
// axe violations on every page, screenshots of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext, axe, formatViolations, screenshot } from '../support/browser.mjs';
import { addUser, freshTotp } from '../support/accounts.mjs';

const h = serverAndBrowser({ before, after, startServer });

async function checkAxe(page, name) {
  const violations = await axe(page);
  await screenshot(page, name);
  assert.equal(violations.length, 0, `${name}\n${formatViolations(violations)}`);
}

async function pick(page, id) {
  await page.click(`label[for="${id}"]`);
  assert.ok(await page.isChecked(`#${id}`), `${id} checked`);
}

async function signIn(browser, user) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/pro/connexion`);
  await page.fill('#courriel', user.email);
  await page.fill('#mot-de-passe', user.password);
  await page.click('button[type="submit"]');
  if (/\/pro\/enrolement$/.test(page.url())) {
    const secret = (await page.locator('#cle-secrete').innerText()).trim();
    await page.fill('#code', await freshTotp(secret));
    await page.click('button[type="submit"]');
  }
  assert.match(page.url(), /\/pro$/);
  return { ctx, page };
}

// The parent: a self-screening, then a share code from the result page.
async function selfScreeningCode(browser, answers, name) {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/depistage`);
  await pick(page, 'respondent-mother');
  await pick(page, 'period-postnatal');
  await page.fill('#child_age_weeks', '6');
  await page.fill('#postcode', '76000');
  await page.click('form button[type=submit]');
  await page.waitForSelector('#q1');
  for (let i = 0; i < answers.length; i++) await pick(page, `q${i + 1}-${answers[i]}`);
  await page.click('form button[type=submit] >> nth=0');
  await page.waitForSelector('#partage-titre');
  const score = /Score : (\d+) sur 30/.exec(await page.locator('main').innerText())[1];
  // The offer says what the professional will see, before anything is shared.
  assert.match(await page.locator('main').innerText(), /verra : la date de ce questionnaire, vos dix réponses/);
  await page.click('form[action="/partage"] button');
  const code = (await page.locator('#code-partage').innerText()).trim();
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  assert.match(await page.locator('main').innerText(), /ne verra ni votre code postal/);
  await screenshot(page, name);
  // axe needs JavaScript: the same HTML checked in a context that has it.
  const html = await page.content();
  const probeCtx = await newContext(browser);
  const probe = await probeCtx.newPage();
  await probe.route(`${h.srv.base}/__axe`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await probe.goto(`${h.srv.base}/__axe`);
  const v = await axe(probe);
  assert.equal(v.length, 0, `${name}\n${formatViolations(v)}`);
  await probeCtx.close();
  await ctx.close();
  return { code, score };
}

test('record, share codes, chart and table, referral to a team and its answer, 404 elsewhere', async () => {
  const midwife = await addUser(h.srv, { email: 'sage-femme@example.org', name: 'Sophie Sage-Femme', role: 'professional', territory: 'normandie' });
  const teamUser = await addUser(h.srv, { email: 'perinat@example.org', name: 'Équipe périnatale Rouen', role: 'specialised_team', territory: 'normandie' });
  const far = await addUser(h.srv, { email: 'loin@example.org', name: 'Paul Loin', role: 'professional', territory: 'paca' });

  // Two self-screenings (item 10 answered "never" both times), two codes.
  const { code: code1, score: score1 } = await selfScreeningCode(h.browser, [1, 1, 2, 1, 2, 2, 2, 2, 2, 3], 'records-parent-share-code');
  const { code: code2, score: score2 } = await selfScreeningCode(h.browser, [3, 3, 0, 3, 0, 0, 0, 0, 1, 3], 'records-parent-share-code-2');
  assert.notEqual(score1, score2);

  const m = await signIn(h.browser, midwife);
  const page = m.page;
  await page.click('a[href="/pro/dossiers"]');
  await checkAxe(page, 'records-list-empty');
  // Sent empty: every field at fault, named.
  await page.click('form[action="/pro/dossiers"] button[type=submit]');
  assert.equal(await page.locator('.fr-alert--error li').count(), 4);
  await checkAxe(page, 'records-create-errors');
  await pick(page, 'dossier-respondent-mother');
  await page.fill('#dossier-name', 'Camille');
  await page.fill('#dossier-birth_year', '1994');
  await pick(page, 'dossier-kind-actual');
  await page.fill('#dossier-child_birth_date', new Date(Date.now() - 20 * 86400000).toISOString().slice(0, 10));
  await page.click('form[action="/pro/dossiers"] button[type=submit]');
  assert.match(page.url(), /\/pro\/dossiers\/[0-9a-z]{26}$/);
  const recordUrl = page.url();
  assert.match(await page.locator('h1').innerText(), /Camille/);
  assert.match(await page.locator('#prochains + ul').innerText(), /Second pic/);
  await checkAxe(page, 'records-record-new');

  // The share codes: the first attaches, its second use fails.
  await page.fill('#code-code', code1.toLowerCase());
  await page.click('form[action$="/code"] button');
  assert.equal(await page.locator('#tableau-scores tbody tr').count(), 1);
  await page.fill('#code-code', code1);
  await page.click('form[action$="/code"] button');
  assert.match(await page.locator('.fr-alert--error').innerText(), /déjà été utilisé/);
  await checkAxe(page, 'records-code-used');
  await page.fill('#code-code', code2);
  await page.click('form[action$="/code"] button');

  // The chart shows both screenings, and its table reads the same values.
  const svg = page.locator('svg.score-chart');
  assert.equal(await svg.getAttribute('role'), 'img');
  const chartScores = await svg.locator('g.points text[text-anchor="middle"]:not([fill])').allTextContents();
  const tableScores = await page.locator('#tableau-scores tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(chartScores, [score1, score2], 'the scores the parent saw, oldest first');
  assert.deepEqual(tableScores, chartScores);
  // The circles' heights say the same as their labels (30 at the top).
  const heights = await svg.locator('g.points circle').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
  assert.equal(heights.length, 2);
  assert.equal(heights[0] > heights[1], Number(score1) < Number(score2));
  assert.match(await svg.locator('desc').textContent(), new RegExp(`: ${score1}\\..*: ${score2}\\.`));
  await page.fill('#note-note', 'Entretien postnatal prévu ; fatigue importante.');
  await page.click('form[action$="/notes"] button');
  assert.match(await page.locator('#notes + ul').innerText(), /fatigue importante/);
  await checkAxe(page, 'records-record-two-screenings');

  // The referral: the joint-care question must be answered.
  await page.click('a[href^="/pro/orientations/nouvelle?dossier="]');
  await checkAxe(page, 'records-referral-form');
  await page.selectOption('#orientation-team', { label: 'Équipe périnatale Rouen' });
  await page.click('button[name="action"][value="send"]');
  assert.match(await page.locator('.fr-alert--error').innerText(), /prise en charge conjointe/);
  await checkAxe(page, 'records-referral-form-errors');
  await pick(page, 'orientation-joint-yes');
  await page.click('button[name="action"][value="send"]');
  assert.match(page.url(), /\/pro\/orientations#orientation-/);
  assert.match(await page.locator('main').innerText(), /envoyée/);
  await checkAxe(page, 'records-referrals-sent');

  // The team accepts and records the first appointment.
  const t = await signIn(h.browser, teamUser);
  await t.page.click('a[href="/pro/orientations/recues"]');
  assert.match(await t.page.locator('main').innerText(), /Camille → Équipe périnatale Rouen/);
  assert.match(await t.page.locator('main').innerText(), /Prise en charge conjointe parent–bébé : oui/);
  await checkAxe(t.page, 'records-team-inbox');
  await t.page.click('form input[value="accept"] ~ button');
  await t.page.fill('input[name="appointment_date"]', '2026-12-14');
  await t.page.click('form input[value="first_appointment"] ~ button');
  assert.match(await t.page.locator('main').innerText(), /Premier rendez-vous : 2026-12-14/);
  await checkAxe(t.page, 'records-team-inbox-answered');
  // The team now reads the record it received.
  assert.equal((await t.page.goto(recordUrl)).status(), 200);

  // The midwife sees every change.
  await page.goto(`${h.srv.base}/pro/orientations`);
  const mine = await page.locator('main').innerText();
  assert.match(mine, /premier rendez-vous fixé/);
  assert.match(mine, /2026-12-14/);
  assert.match(mine, /acceptée/);
  await checkAxe(page, 'records-referrals-answered');

  // Neither on the record nor in its territory: 404.
  const f = await signIn(h.browser, far);
  const resp = await f.page.goto(recordUrl);
  assert.equal(resp.status(), 404);
  await checkAxe(f.page, 'records-not-found');
  for (const c of [m.ctx, t.ctx, f.ctx]) await c.close();
});
