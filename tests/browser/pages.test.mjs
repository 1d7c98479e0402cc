// Information pages in FR and EN: zero axe violations, keyboard, no JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext, axe, formatViolations, screenshot } from '../support/browser.mjs';

const h = serverAndBrowser({ before, after, startServer });

const pages = [
  ['home-fr', '/'], ['home-en', '/en'],
  ['accessibility-fr', '/accessibilite'], ['accessibility-en', '/en/accessibilite'],
  ['privacy-fr', '/confidentialite'], ['privacy-en', '/en/confidentialite'],
  ['not-found-fr', '/pas-de-page/ici'], ['not-found-en', '/en/no-page/here'],
];

for (const [name, url] of pages) {
  test(`${name}: zero axe violations (WCAG 2.1 A/AA)`, async () => {
    const ctx = await newContext(h.browser);
    const page = await ctx.newPage();
    const res = await page.goto(h.srv.base + url);
    // An unknown page is a 404 (never a 200 that would hide a missing route).
    assert.equal(res.status(), name.startsWith('not-found') ? 404 : 200, url);
    if (name.startsWith('not-found')) {
      assert.match(await page.locator('h1').innerText(), name.endsWith('fr') ? /Page non trouvée/ : /Page not found/);
    }
    const violations = await axe(page);
    await screenshot(page, name);
    await ctx.close();
    assert.equal(violations.length, 0, formatViolations(violations));
  });
}

test('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.textContent.trim());
  assert.equal(first, 'Contenu');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
  assert.ok(inMain, 'focus continues inside <main>');
  await ctx.close();
});

test('without JavaScript the pages and the language switch work', async () => {
  const ctx = await newContext(h.browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/accessibilite`);
  await page.click('a[hreflang="en"]');
  assert.match(page.url(), /\/en\/accessibilite$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await screenshot(page, 'accessibility-en-nojs');
  await page.click('a[hreflang="fr"]');
  assert.match(page.url(), /\/accessibilite$/);
  await ctx.close();
});

test('no request leaves the site (no third-party tracker)', async () => {
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(h.srv.base)) foreign.push(r.url()); });
  await page.goto(`${h.srv.base}/`, { waitUntil: 'networkidle' });
  assert.deepEqual(foreign, []);
  await ctx.close();
});

test('the axe harness does report violations (guards against a check that cannot fail)', async () => {
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.setContent('<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><a href="#"></a></body></html>');
  const violations = await axe(page);
  const ids = violations.map((v) => v.id);
  assert.ok(ids.includes('image-alt'), ids.join(','));
  assert.ok(ids.includes('html-has-lang'), ids.join(','));
  await ctx.close();
});
