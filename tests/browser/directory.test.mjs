// The parents' search page: by postcode and by commune name typed without
// its accent, with and without JavaScript, FR and EN, zero axe violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import path from 'node:path';
import { cli, demoDatabase } from '../support/directory.mjs';
import { launch, newContext, axe, axeAnyPage, formatViolations, screenshot } from '../support/browser.mjs';

let srv;
let db;
let browser;
before(async () => {
  db = demoDatabase();
  // Béthune (62400) without a centroid, in a department with demo resources.
  cli(db.database, ['import', 'communes', '--format', 'etalab-json',
    path.resolve(import.meta.dirname, '../fixtures/directory/etalab_communes_sample.json')]);
  srv = await startServer({ database: db.database });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  rmSync(db.dir, { recursive: true, force: true });
});

async function search(page, where, level) {
  await page.fill('#q', where);
  if (level) await page.selectOption('#level', level);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

for (const js of [true, false]) {
  test(`search by postcode (${js ? 'with' : 'without'} JavaScript)`, async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: js });
    const page = await ctx.newPage();
    await page.goto(`${srv.base}/trouver-de-l-aide`);
    assert.equal(formatViolations(await axeAnyPage(browser, srv.base, page, js)), '');
    await search(page, '59000', 'specialised');
    assert.match(await page.locator('#resultats').innerText(), /Lille/);
    const items = page.locator('.parcours-results > li');
    assert.ok(await items.count() >= 3);
    assert.match(await items.first().innerText(), /\d+,\d\s?km/);
    assert.match(await items.first().innerText(), /Niveau : Soins spécialisés/);
    // Without JavaScript the page's own HTML is checked (axeAnyPage).
    const violations = await axeAnyPage(browser, srv.base, page, js);
    await screenshot(page, `directory-postcode-${js ? 'js' : 'nojs'}`);
    await ctx.close();
    assert.equal(violations.length, 0, formatViolations(violations));
  });
}

test('search by commune name typed without its accent, in English', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/en/trouver-de-l-aide`);
  await search(page, 'henin beaumont', 'first_line');
  assert.match(await page.locator('#resultats').innerText(), /Near Hénin-Beaumont/);
  const first = await page.locator('.parcours-results > li').first().innerText();
  assert.match(first, /Level: |Level : /);
  assert.match(first, /\d+\.\d\s?km/);
  const violations = await axe(page);
  await screenshot(page, 'directory-name-en');
  await ctx.close();
  assert.equal(violations.length, 0, formatViolations(violations));
});

test('an unknown place is an error on the field, announced and fixable', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const res = await page.goto(`${srv.base}/trouver-de-l-aide?q=Zzyzx`);
  assert.equal(res.status(), 400);
  assert.equal(await page.getAttribute('#q', 'aria-invalid'), 'true');
  assert.match(await page.locator('#q-error').innerText(), /Aucune commune/);
  const violations = await axe(page);
  await screenshot(page, 'directory-error');
  await ctx.close();
  assert.equal(violations.length, 0, formatViolations(violations));
});

test('a commune without known centroid says which fallback is shown', async () => {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const res = await page.goto(`${srv.base}/trouver-de-l-aide?q=62400`);
  assert.equal(res.status(), 200);
  assert.match(await page.locator('#resultats').innerText(), /Béthune/);
  assert.match(await page.locator('.fr-alert--warning').innerText(), /département/);
  const items = page.locator('.parcours-results > li');
  assert.ok(await items.count() > 0);
  assert.doesNotMatch(await items.first().innerText(), /km/, 'no distance without a centroid');
  const violations = await axe(page);
  await ctx.close();
  assert.equal(violations.length, 0, formatViolations(violations));
});
