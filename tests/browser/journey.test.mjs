// The parent journey in headless Chromium, with and without JavaScript, in
// French and English, for a mother and a father: about you → 10 questions →
// result (crisis block first when item 10 > 0) → recontact request → status.
// Every page visited passes axe (WCAG 2.1 A/AA); screenshots are saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext, axeAnyPage, formatViolations, screenshot } from '../support/browser.mjs';
import { sqlite } from '../support/db.mjs';
import { demoDatabase } from '../support/directory.mjs';
import path from 'node:path';

// The demo directory, so the result page lists help nearby.
const demo = demoDatabase();
const dbPath = path.join(demo.dir, 'parcours.db');
const h = serverAndBrowser({ before, after, startServer: () => startServer({ database: demo.database }) });

// axe needs JavaScript: a page from a context without it is checked by
// serving its HTML, at the same origin, to a context with JavaScript.
async function checkAxe(page, js, name) {
  const v = await axeAnyPage(h.browser, h.srv.base, page, js);
  await screenshot(page, name);
  assert.equal(v.length, 0, `${name}: ${formatViolations(v)}`);
}

// DSFR radios and checkboxes are styled labels over hidden inputs: pick by
// the label, as a person does.
async function pick(page, id) {
  await page.click(`label[for="${id}"]`);
  assert.ok(await page.isChecked(`#${id}`), `${id} checked`);
}

// Answers by option position (0 = first option shown).
async function answer(page, positions) {
  for (let i = 0; i < positions.length; i++) {
    await pick(page, `q${i + 1}-${positions[i]}`);
  }
}

const journeys = [
  { name: 'fr-mother-js', lang: '', js: true, respondent: 'mother', postcode: '59000',
    answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 2], crisis: true, recontact: true },
  { name: 'en-father-nojs', lang: '/en', js: false, respondent: 'father', postcode: '76000',
    answers: [1, 1, 2, 1, 2, 2, 2, 2, 2, 3], crisis: false, recontact: true },
  { name: 'fr-father-nojs', lang: '', js: false, respondent: 'father', postcode: '34000',
    answers: [3, 3, 0, 3, 0, 0, 0, 0, 0, 3], crisis: false, recontact: false },
  { name: 'en-mother-js', lang: '/en', js: true, respondent: 'mother', postcode: '97200',
    answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 3], crisis: false, recontact: true },
];

for (const j of journeys) {
  test(`journey ${j.name}: about → questions → result${j.recontact ? ' → recontact' : ''}`, async () => {
    const ctx = await newContext(h.browser, { javaScriptEnabled: j.js });
    const page = await ctx.newPage();
    await page.goto(`${h.srv.base}${j.lang}/depistage`);
    await checkAxe(page, j.js, `journey-${j.name}-1-about`);
    // Demo data is loaded in this database: the notice says so.
    assert.match(await page.locator('#demonstration').innerText(), j.lang ? /Demo/ : /Démonstration/);

    // Submitting empty shows the errors, named, in the page's language.
    await page.click('form button[type=submit]');
    assert.ok(await page.isVisible('#erreurs'), 'error summary shown');
    await checkAxe(page, j.js, `journey-${j.name}-1-about-errors`);

    await pick(page, `respondent-${j.respondent}`);
    await pick(page, 'period-postnatal');
    await page.fill('#child_age_weeks', '6');
    await page.fill('#postcode', j.postcode);
    await page.click('form button[type=submit]');
    await page.waitForSelector('#q1');
    await checkAxe(page, j.js, `journey-${j.name}-2-questions`);
    const legend = await page.textContent('#q3-legend');
    if (j.lang === '' && j.respondent === 'father') assert.match(legend, /reproché,/);
    if (j.lang === '' && j.respondent === 'mother') assert.match(legend, /reprochée/);

    // Missing answers are reported; chosen ones are kept.
    await answer(page, j.answers.slice(0, 5));
    await page.click('form button[type=submit] >> nth=0');
    assert.ok(await page.isVisible('#erreurs'));
    assert.ok(await page.isChecked(`#q1-${j.answers[0]}`), 'answers kept');
    await checkAxe(page, j.js, `journey-${j.name}-2-questions-errors`);

    await answer(page, j.answers);
    await page.click('form button[type=submit] >> nth=0');
    await page.waitForSelector('.fr-callout');
    await checkAxe(page, j.js, `journey-${j.name}-3-result`);
    const html = await page.content();
    if (j.crisis) {
      // The crisis block comes first in the page, before the result heading.
      const first = await page.evaluate(() => {
        const main = document.querySelector('main');
        const crisis = main.querySelector('#crise');
        const h1 = main.querySelector('h1');
        return crisis && (crisis.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      });
      assert.ok(first, 'crisis block before the result');
      assert.match(html, /href="tel:3114"/);
      assert.match(html, /href="sms:114"/);
      // Urgent help for puerperal psychosis inside the crisis block.
      assert.match(await page.locator('#crise').innerText(), /psychose puerpérale|puerperal/);
      if (j.postcode === '59000') {
        assert.ok(await page.$('#crise .parcours-results li'), 'nearest emergency services in the crisis block');
      }
    } else {
      assert.equal(await page.$('#crise'), null, 'no crisis block');
    }
    if (j.postcode === '59000' || j.postcode === '76000') {
      assert.ok((await page.$$('main > div .parcours-results > li')).length > 0, 'help nearby listed');
    }
    assert.equal(!!(await page.$('#rappel')), j.recontact, 'recontact offered only where a team answers');

    if (j.recontact) {
      // Without consent: refused, nothing stored.
      await page.fill('#name', 'Alex');
      await page.fill('#phone', '06 12 34 56 78');
      await pick(page, 'message-no');
      await page.click('#rappel button[type=submit]');
      assert.ok(await page.isVisible('#erreurs'));
      await checkAxe(page, j.js, `journey-${j.name}-4-recontact-errors`);
      await pick(page, 'consent-yes');
      assert.ok(await page.isChecked('#message-no'), 'choices kept after an error');
      await page.click('#rappel button[type=submit]');
      await page.waitForSelector('.fr-alert--success');
      await checkAxe(page, j.js, `journey-${j.name}-5-recontact-done`);
      const text = await page.textContent('main');
      const ref = text.match(/[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/)[0];
      const [alert] = sqlite(dbPath, `SELECT kind, urgency, territory_code FROM alerts WHERE reference = '${ref}'`);
      assert.ok(alert, 'alert stored');
      if (j.crisis) {
        assert.equal(alert.kind, 'item10');
        assert.equal(alert.urgency, 'immediate');
      }
      await page.click(`a[href$="/demande/${ref}"]`);
      await checkAxe(page, j.js, `journey-${j.name}-6-status`);
      assert.match(await page.textContent('h1'), new RegExp(ref));
    }
    await ctx.close();
  });
}

test('keyboard only: the questionnaire can be filled and sent without a mouse', async () => {
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/depistage`);
  await page.focus('#respondent-mother');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space'); // first period option: prenatal
  await page.keyboard.press('Tab'); // age (left empty in pregnancy)
  await page.keyboard.press('Tab'); // postcode
  await page.keyboard.type('13001');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#q1');
  for (let i = 1; i <= 10; i++) {
    await page.focus(`#q${i}-0`);
    await page.keyboard.press('ArrowDown'); // second option
    await page.keyboard.press('ArrowUp'); // back to the first
  }
  await page.focus('#q10-0');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.fr-callout');
  assert.ok(await page.$('#crise'), 'first option of item 10 → crisis block');
  await ctx.close();
});

test('the embeddable page may be framed by registered partners only', async () => {
  const res = await fetch(`${h.srv.base}/integration/depistage?source=demo-maternite`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /frame-ancestors http:\/\/127\.0\.0\.1:8081/);
  assert.equal(res.headers.get('x-frame-options'), null);
  const normal = await fetch(`${h.srv.base}/depistage`);
  assert.match(normal.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/integration`);
  await checkAxe(page, true, 'integration-fr');
  assert.match(await page.textContent('pre'), /<a href=.*depistage\?source=IDENTIFIANT/);
  await ctx.close();
});
