// Parents' reminders in Chromium without JavaScript (issue 12): the offer
// on the result page (French and English), the opt-in with its errors then
// done, the opt-out link (GET: a confirm page; the button stops it). Zero
// axe violations on every page, screenshots of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext, axeAnyPage, formatViolations, screenshot } from '../support/browser.mjs';
import { sqlite } from '../support/db.mjs';
import { optOutToken } from '../support/reminders.mjs';

const h = serverAndBrowser({
  before, after, startServer: () => startServer({ args: ['--public-url', 'https://dpp.example', '--smtp-url', 'smtp://127.0.0.1:9', '--smtp-from', 'dpp@example.org', '--sms-gateway-url', 'http://127.0.0.1:9/sms', '--no-scheduler'] }),
});

async function checkAxe(page, name) {
  // The pages are used without JavaScript: axe runs on their HTML in a context with it.
  const violations = await axeAnyPage(h.browser, h.srv.base, page, false);
  await screenshot(page, name);
  assert.equal(violations.length, 0, `${name}\n${formatViolations(violations)}`);
}

async function pick(page, id) {
  await page.click(`label[for="${id}"]`);
  assert.ok(await page.isChecked(`#${id}`), `${id} checked`);
}

async function resultWithOffer(page, prefix) {
  await page.goto(`${h.srv.base}${prefix}/depistage`);
  await pick(page, 'respondent-mother');
  await pick(page, 'period-postnatal');
  await page.fill('#child_age_weeks', '1');
  await page.fill('#postcode', '76000');
  await page.click('form button[type=submit]');
  await page.waitForSelector('#q1');
  for (let i = 1; i <= 10; i++) await pick(page, `q${i}-0`);
  await page.click('form button[type=submit] >> nth=0');
  await page.waitForSelector('#rappel-message-titre');
}

for (const [lang, prefix] of [['fr', ''], ['en', '/en']]) {
  test(`reminder opt-in and opt-out pages, without JavaScript, axe clean (${lang})`, async () => {
    const ctx = await newContext(h.browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await resultWithOffer(page, prefix);
    await checkAxe(page, `reminder-offer-${lang}`);

    // Sent empty: every error named, focusable from the summary.
    await page.click('#rappel-message button[type=submit]');
    await page.waitForSelector('#erreurs');
    assert.match(page.url(), /\/rappel\/inscription$/);
    await checkAxe(page, `reminder-errors-${lang}`);

    await pick(page, 'rm-by-email');
    await pick(page, 'rm-by-sms');
    await page.fill('#rm-email', 'parent@example.fr');
    await page.fill('#rm-phone', '06 12 34 56 78');
    await pick(page, 'rm-consent');
    await page.click('#rappel-message button[type=submit]');
    await page.waitForSelector('h1');
    assert.match(await page.locator('main').innerText(), lang === 'fr' ? /un seul message/ : /one single message/);
    await checkAxe(page, `reminder-done-${lang}`);

    const row = sqlite(h.srv.dbPath, "SELECT id, status FROM reminders ORDER BY created_at DESC LIMIT 1")[0];
    assert.equal(row.status, 'scheduled');
    await page.goto(`${h.srv.base}${prefix}/rappel/arret?t=${optOutToken(h.srv, row.id)}`);
    await checkAxe(page, `reminder-stop-confirm-${lang}`);
    assert.equal(sqlite(h.srv.dbPath, `SELECT status FROM reminders WHERE id = '${row.id}'`)[0].status, 'scheduled',
      'opening the link changes nothing');
    await page.click('main form button[type=submit]');
    await page.waitForSelector('h1');
    await checkAxe(page, `reminder-stop-done-${lang}`);
    assert.equal(sqlite(h.srv.dbPath, `SELECT status FROM reminders WHERE id = '${row.id}'`)[0].status, 'cancelled');
    await ctx.close();
  });
}
