// Consultation screening in Chromium (issue 13, part A): a midwife
// (professional of Hauts-de-France) passes the EPDS with a parent at the
// EPNP, records two vulnerability factors and sees "specialised" with the
// nearest specialised resources; with item 10 > 0 the crisis protocol is
// the first thing on the result. Zero axe violations and a screenshot on
// every page; no script on any of them (they work without JavaScript).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { launch, newContext, axe, formatViolations, screenshot } from '../support/browser.mjs';
import { demoDatabase } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';

let srv;
let browser;
let midwife;
before(async () => {
  const db = demoDatabase();  // communes and resources near Lille
  srv = await startServer({ database: db.database });
  browser = await launch();
  const where = { dbPath: path.join(db.dir, 'parcours.db'), dir: db.dir };
  midwife = await login(srv, await addUser(where, {
    email: 'sage-femme@example.org', name: 'Solène Sage-femme', role: 'professional', territory: 'hauts-de-france',
  }));
  assert.equal(midwife.res.status, 201);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function checkAxe(page, name) {
  assert.equal(await page.locator('script').count(), 0, `${name}: no script`);
  const violations = await axe(page);
  await screenshot(page, name);
  assert.equal(violations.length, 0, `${name}\n${formatViolations(violations)}`);
}

async function signedInPage() {
  const ctx = await newContext(browser);
  const [name, value] = midwife.cookie.split('=');
  await ctx.addCookies([{ name, value, url: srv.base }]);
  return { ctx, page: await ctx.newPage() };
}

async function choose(page, id) {
  await page.click(`label[for="${id}"]`);
}

// Fills the form: EPNP, mother, 6 weeks, Lille, the answers given, factors.
async function fill(page, answers, factors) {
  await choose(page, 'contexte-epnp');
  await choose(page, 'repondant-mother');
  await choose(page, 'periode-postnatal');
  await page.fill('#age-enfant', '6');
  await page.fill('#code-postal', '59000');
  for (let i = 0; i < answers.length; i++) await choose(page, `q${i + 1}-${answers[i]}`);
  for (const f of factors) await choose(page, `vulnerabilite-${f}`);
}

test('a midwife runs an EPNP screening with two vulnerability factors and sees "specialised"', async () => {
  const { ctx, page } = await signedInPage();
  await page.goto(`${srv.base}/pro`);
  await page.click('main a[href="/pro/consultations"]');
  assert.match(page.url(), /\/pro\/consultations$/);
  await checkAxe(page, 'pro-consultation-form');

  // Nothing filled: every error at once, each linked to its field.
  await page.click('form[action="/pro/consultations"] button[type="submit"]');
  const errors = page.locator('#erreurs');
  assert.match(await errors.innerText(), /Choisissez le contexte de la consultation/);
  assert.match(await errors.innerText(), /Indiquez le code postal du parent/);
  assert.ok(await errors.locator('a').count() >= 14, 'context, respondent, period, commune and the 10 questions');
  await checkAxe(page, 'pro-consultation-errors');

  await fill(page, [1, 1, 1, 2, 1, 1, 1, 1, 1, 3], ['isolation', 'violence']);
  await page.click('form[action="/pro/consultations"] button[type="submit"]');
  assert.match(page.url(), /\/pro\/consultations\/[0-9a-z]{26}$/);  // post-redirect-get
  assert.equal(await page.locator('#crise').count(), 0);
  assert.equal(await page.locator('#score').innerText(), '16');
  assert.equal(await page.locator('#niveau').getAttribute('data-level'), 'specialised');
  assert.match(await page.locator('#niveau').innerText(), /Soins spécialisés/);
  const main = await page.locator('main').innerText();
  assert.match(main, /Isolement social/);
  assert.match(main, /Exposition à des violences/);
  assert.match(main, /prise en charge conjointe parent–bébé/);
  assert.ok(await page.locator('.parcours-results li').count() > 0, 'nearest specialised resources');
  await checkAxe(page, 'pro-consultation-result-specialised');
  // A reload shows the same result and stores nothing new.
  await page.reload();
  assert.equal(await page.locator('#score').innerText(), '16');
  await ctx.close();
});

test('item 10 > 0 in consultation shows the crisis protocol first', async () => {
  const { ctx, page } = await signedInPage();
  await page.goto(`${srv.base}/pro/consultations`);
  await fill(page, [0, 0, 3, 0, 3, 3, 3, 3, 3, 1], []);
  await page.click('form[action="/pro/consultations"] button[type="submit"]');
  const first = page.locator('main h1 + *');
  assert.equal(await first.getAttribute('id'), 'crise', 'the crisis protocol comes right after the title');
  const crisis = await page.locator('#crise').innerText();
  assert.match(crisis, /danger est imminent/);
  assert.match(crisis, /15/);
  assert.match(crisis, /3114/);
  assert.match(crisis, /événement « question 10 »/);
  const id = page.url().split('/').pop();
  assert.equal(await page.locator('#alerter').getAttribute('href'), `/pro/alertes/nouvelle?consultation=${id}`);
  assert.equal(await page.locator('#orienter-crise').getAttribute('href'), `/pro/orientations/nouvelle?screening=${id}`);
  assert.equal(await page.locator('#niveau').getAttribute('data-level'), 'emergency');
  assert.equal(await page.locator('#niveau-suite').getAttribute('data-level'), 'first_line');
  await checkAxe(page, 'pro-consultation-result-crisis');
  await ctx.close();
});

test('the form works without JavaScript', async () => {
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const [name, value] = midwife.cookie.split('=');
  await ctx.addCookies([{ name, value, url: srv.base }]);
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/pro/consultations`);
  await fill(page, [1, 1, 1, 2, 1, 1, 1, 1, 1, 3], ['young_parent']);
  await page.click('form[action="/pro/consultations"] button[type="submit"]');
  assert.match(page.url(), /\/pro\/consultations\/[0-9a-z]{26}$/);
  assert.equal(await page.locator('#niveau').getAttribute('data-level'), 'specialised');
  await ctx.close();
});
