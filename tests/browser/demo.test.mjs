// Demo mode and the safety content of the result page in the browser, FR and
// EN: the "Démonstration / Demo" notice on every kind of page, the crisis
// block (numbers, puerperal psychosis, nearest emergency services) and the
// watch band's wording; zero axe violations, screenshots saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import { launch, newContext, axe, formatViolations, screenshot } from '../support/browser.mjs';
import { demoDatabase } from '../support/directory.mjs';

let srv;
let db;
let browser;
before(async () => {
  db = demoDatabase();
  srv = await startServer({ database: db.database });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  rmSync(db.dir, { recursive: true, force: true });
});

const pages = [
  ['demo-home-fr', '/', 200], ['demo-home-en', '/en', 200],
  ['demo-signs-fr', '/comprendre/signes', 200], ['demo-resources-en', '/en/comprendre/ressources', 200],
  ['demo-help-fr', '/trouver-de-l-aide?q=59000', 200], ['demo-not-found-en', '/en/nothing-here', 404],
];

for (const [name, url, status] of pages) {
  test(`${url}: the demo notice, zero axe violations`, async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const res = await page.goto(srv.base + url);
    assert.equal(res.status(), status);
    const notice = await page.locator('main #demonstration').innerText();
    assert.match(notice, url.startsWith('/en') ? /^Demo\b.*fictional/s : /^Démonstration\b.*fictifs/s);
    const violations = await axe(page);
    await screenshot(page, name);
    await ctx.close();
    assert.equal(violations.length, 0, formatViolations(violations));
  });
}

async function pick(page, id) { await page.click(`label[for="${id}"]`); }

async function screen(page, lang, postcode, answers) {
  await page.goto(`${srv.base}${lang}/depistage`);
  await pick(page, 'respondent-mother');
  await pick(page, 'period-postnatal');
  await page.fill('#child_age_weeks', '5');
  await page.fill('#postcode', postcode);
  await page.click('form button[type=submit]');
  await page.waitForSelector('#q1');
  for (let i = 0; i < 10; i++) await pick(page, `q${i + 1}-${answers[i]}`);
  await page.click('form button[type=submit] >> nth=0');
  await page.waitForSelector('.fr-callout');
}

for (const lang of ['', '/en']) {
  test(`crisis result${lang ? ' (EN)' : ' (FR)'}: numbers, puerperal psychosis, nearest emergency services, 24 hours`, async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    // Score 2, item 10 "Hardly ever".
    await screen(page, lang, '59000', [1, 0, 3, 0, 3, 3, 3, 3, 3, 2]);
    const crisis = page.locator('#crise');
    for (const href of ['tel:3114', 'tel:15', 'tel:112', 'sms:114']) {
      assert.equal(await crisis.locator(`a[href="${href}"]`).count(), 1, href);
    }
    assert.match(await crisis.innerText(), lang ? /puerperal.*15/s : /psychose puerpérale.*15/s);
    assert.ok(await crisis.locator('.parcours-results li').count() > 0, 'nearest emergency services');
    const strong = await page.locator('main p > strong').allInnerTexts();
    assert.ok(strong.includes(lang ? 'within 24 hours' : 'dans les 24 heures'), strong.join(' | '));
    assert.doesNotMatch(await page.locator('main').innerText(), /72 (heures|hours)|dans les [37] jours|within [37] days/);
    const violations = await axe(page);
    await screenshot(page, `demo-result-crisis-${lang ? 'en' : 'fr'}`);
    await ctx.close();
    assert.equal(violations.length, 0, formatViolations(violations));
  });

  test(`watch result${lang ? ' (EN)' : ' (FR)'}: a screening cannot rule depression out`, async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    // Items 1, 2, 4 at 3 → score 9 (watch), item 10 "Never".
    await screen(page, lang, '76000', [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    const text = await page.locator('.fr-callout').innerText();
    assert.match(text, lang ? /cannot rule depression out/ : /ne peut pas écarter une dépression/);
    assert.doesNotMatch(text, /not depression|n’est pas une dépression/);
    assert.equal(await page.locator('#crise').count(), 0);
    const violations = await axe(page);
    await screenshot(page, `demo-result-watch-${lang ? 'en' : 'fr'}`);
    await ctx.close();
    assert.equal(violations.length, 0, formatViolations(violations));
  });
}
