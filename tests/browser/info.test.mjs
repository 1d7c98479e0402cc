// Information pages for parents ("Comprendre") in FR and EN, and the main
// navigation: zero axe violations, crisis numbers and sources on every page,
// aria-current on the current entry, keyboard use, no JavaScript needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serverAndBrowser, newContext, axe, formatViolations, screenshot } from '../support/browser.mjs';

// The annex-1A pages, as the operator's data file gives them.
const officialPages = JSON.parse(readFileSync(
  path.resolve(import.meta.dirname, '../../data/content/official_pages.json'), 'utf8')).pages;

const h = serverAndBrowser({ before, after, startServer });

const slugs = ['comprendre', 'comprendre/baby-blues-ou-depression', 'comprendre/signes',
  'comprendre/se-faire-aider', 'comprendre/ressources'];
const langs = [
  { lang: 'fr', prefix: '', nav: ['Accueil', 'Comprendre', 'Faire le point', 'Trouver de l’aide'] },
  { lang: 'en', prefix: '/en', nav: ['Home', 'Understanding', 'Check how you feel', 'Find help'] },
];

async function navState(page) {
  return page.$$eval('nav.fr-nav a.fr-nav__link', (as) => as.map((a) => ({
    text: a.textContent.trim(), href: a.getAttribute('href'), current: a.getAttribute('aria-current'),
  })));
}

const h1s = new Map();
for (const { lang, prefix, nav } of langs) {
  for (const slug of slugs) {
    const url = `${prefix}/${slug}`;
    const name = `info-${slug.replace(/\//g, '-')}-${lang}`;
    test(`${url}: zero axe violations, crisis numbers, sources, navigation`, async () => {
      const ctx = await newContext(h.browser);
      const page = await ctx.newPage();
      const res = await page.goto(h.srv.base + url);
      assert.equal(res.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      const violations = await axe(page);
      await screenshot(page, name);
      assert.equal(violations.length, 0, formatViolations(violations));

      // Crisis numbers on every information page.
      for (const href of ['tel:3114', 'tel:15', 'tel:112', 'sms:114']) {
        assert.equal(await page.locator(`main a[href="${href}"]`).count(), 1, href);
      }
      // Puerperal psychosis: urgent help on every information page, with its source.
      const psychosis = await page.locator('main #psychose-puerperale + p').innerText();
      assert.match(psychosis, lang === 'fr' ? /psychose puerpérale.*hallucinations.*15.*urgences/s
        : /puerperal.*hallucinations.*15.*emergency department/s);
      assert.match(await page.locator('main').innerText(), /ameli\.fr/);
      if (slug === 'comprendre/signes') {
        const calm = await page.locator('#pensees-effrayantes').innerText();
        assert.match(calm, lang === 'fr' ? /fréquent.*urgence/s : /common.*emergency/s);
      }
      if (slug === 'comprendre/ressources') {
        assert.match(await page.locator('#numero-3919').innerText(), /3919/);
        assert.match(await page.locator('#numero-119').innerText(), /119/);
        assert.equal(await page.locator('main a[href="tel:3919"]').count(), 1);
        assert.equal(await page.locator('main a[href="tel:119"]').count(), 1);
      }
      if (slug === 'comprendre/ressources' || slug === 'comprendre/baby-blues-ou-depression') {
        // Link text = the page's own title, URL from the data file.
        for (const p of officialPages) {
          const link = page.locator(`main .parcours-official-pages a[href="${p.url}"]`);
          assert.equal(await link.innerText(), p.title);
          assert.equal(await link.getAttribute('lang'), p.language);
        }
      }
      // Sources cited.
      const main = await page.locator('main').innerText();
      assert.match(main, /Haute Autorité de santé/);
      assert.match(main, /2021/);
      assert.match(main, /16[,.]7/);
      // Main navigation: the four entries in the page's language; "Comprendre"
      // is the current page on the index, the current section below it.
      const entries = await navState(page);
      assert.deepEqual(entries.map((e) => e.text), nav);
      assert.deepEqual(entries.map((e) => e.href),
        [prefix || '/', `${prefix}/comprendre`, `${prefix}/depistage`, `${prefix}/trouver-de-l-aide`]);
      const expected = slug === 'comprendre' ? 'page' : 'true';
      assert.deepEqual(entries.map((e) => e.current), [null, expected, null, null]);
      h1s.set(url, await page.locator('h1').innerText());
      await ctx.close();
    });
  }
}

test('English pages are translated, not French fallbacks', () => {
  for (const slug of slugs) {
    const fr = h1s.get(`/${slug}`);
    const en = h1s.get(`/en/${slug}`);
    assert.ok(fr && en, `both pages rendered: ${slug}`);
    assert.notEqual(fr, en, slug);
  }
});

test('the index links to every topic, and every topic back to the others', async () => {
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/comprendre`);
  const cards = await page.$$eval('main .fr-card__title a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(cards, slugs.slice(1).map((s) => `/${s}`));
  for (const href of cards) {
    await page.goto(h.srv.base + href);
    const links = await page.$$eval('main a.fr-link', (as) => as.map((a) => a.getAttribute('href')));
    for (const other of cards.filter((c) => c !== href)) assert.ok(links.includes(other), `${href} → ${other}`);
    assert.ok(links.includes('/comprendre'), `${href} → index`);
  }
  await ctx.close();
});

test('the current entry of the navigation follows the page', async () => {
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  const cases = [
    ['/', [ 'page', null, null, null ]],
    ['/en', [ 'page', null, null, null ]],
    ['/accessibilite', [ null, null, null, null ]],
    ['/en/confidentialite', [ null, null, null, null ]],
  ];
  for (const [url, current] of cases) {
    await page.goto(h.srv.base + url);
    assert.deepEqual((await navState(page)).map((e) => e.current), current, url);
    // The quick exit stays in the header next to the navigation.
    assert.equal(await page.locator('header #sortie-rapide').count(), 1, url);
  }
  await ctx.close();
});

test('keyboard: navigation entries and topic cards are reached with Tab and followed with Enter', async () => {
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/comprendre`);
  const seen = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => ({
      text: document.activeElement.textContent.trim(),
      nav: !!document.activeElement.closest('nav.fr-nav'),
      visible: document.activeElement.getBoundingClientRect().height > 0,
    }));
    assert.ok(el.visible, `focused element is visible: ${el.text}`);
    seen.push(el);
    if (el.text === 'Baby blues ou dépression ?') break;
  }
  const navOrder = seen.filter((e) => e.nav).map((e) => e.text);
  assert.deepEqual(navOrder, langs[0].nav);
  assert.equal(seen.at(-1).text, 'Baby blues ou dépression ?');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/comprendre\/baby-blues-ou-depression$/);
  await ctx.close();
});

test('without JavaScript: no script at all, navigation and links work, on a phone too', async () => {
  const ctx = await h.browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/`);
  // The one script is the quick exit's progressive enhancement (location.replace).
  assert.equal(await page.locator('script:not([src*="/quick-exit.js"])').count(), 0);
  // On a small screen the navigation and the quick exit are shown, not
  // hidden behind a menu button that would need JavaScript.
  assert.ok(await page.locator('#sortie-rapide').isVisible(), 'quick exit visible');
  await page.click('nav.fr-nav >> text=Comprendre');
  assert.match(page.url(), /\/comprendre$/);
  await screenshot(page, 'info-comprendre-fr-phone-nojs');
  await page.click('main .fr-card__title a >> nth=1');
  assert.match(page.url(), /\/comprendre\/signes$/);
  await page.click('a[hreflang="en"]');
  assert.match(page.url(), /\/en\/comprendre\/signes$/);
  // The one script is the quick exit's progressive enhancement (location.replace).
  assert.equal(await page.locator('script:not([src*="/quick-exit.js"])').count(), 0);
  await screenshot(page, 'info-comprendre-signes-en-phone-nojs');
  await page.click('nav.fr-nav >> text=Home');
  assert.match(page.url(), /\/en$/);
  await ctx.close();
});
