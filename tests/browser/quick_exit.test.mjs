// The quick exit on a shared phone (issue 8): after it, Back, reload or
// resubmitting the questions shows neither the score nor the crisis block,
// with and without JavaScript, in Chromium. The neutral site is served by
// the test (no network).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext, screenshot } from '../support/browser.mjs';
import { demoDatabase } from '../support/directory.mjs';

// The demo communes, so the postcode resolves to one commune.
const demo = demoDatabase();
const h = serverAndBrowser({ before, after, startServer: () => startServer({ database: demo.database }) });

async function pick(page, id) {
  await page.click(`label[for="${id}"]`);
}

// Shows nothing of the result: no score, no crisis block, no band.
async function assertNoResult(page, what) {
  const html = await page.content();
  assert.doesNotMatch(html, /Score\s*:/, `${what}: no score`);
  assert.equal(await page.$('#crise'), null, `${what}: no crisis block`);
}

for (const js of [true, false]) {
  test(`after the quick exit, Back, reload and resubmitting show no result (${js ? 'with' : 'without'} JavaScript)`, async () => {
    const ctx = await newContext(h.browser, { javaScriptEnabled: js });
    await ctx.route('https://www.meteo.fr/**', (route) => route.fulfill({
      status: 200, contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="fr"><title>Météo</title><h1>Météo</h1></html>',
    }));
    const page = await ctx.newPage();
    await page.goto(`${h.srv.base}/depistage`);
    await pick(page, 'respondent-mother');
    await pick(page, 'period-postnatal');
    await page.fill('#child_age_weeks', '6');
    await page.fill('#postcode', '59000');
    await page.click('form button[type=submit]');
    await page.waitForSelector('#q1');
    const answers = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2];
    for (let i = 0; i < 10; i++) await pick(page, `q${i + 1}-${answers[i]}`);
    await page.click('form button[type=submit] >> nth=0');
    await page.waitForSelector('#crise');
    assert.match(page.url(), /\/depistage\/resultat\?r=/, 'the result is a GET after a redirect');
    assert.match(await page.content(), /Score\s*:/);
    const resultUrl = page.url();

    await page.click('#sortie-rapide');
    await page.waitForURL(/meteo\.fr/);
    await screenshot(page, `quick-exit-${js ? 'js' : 'nojs'}-1-exit`);

    // Back: with JavaScript the result page was replaced in the history,
    // so Back reaches the questions (a POST: not shown again without
    // consent); without, Back reaches the result URL, now gone.
    try { await page.goBack(); } catch { /* an unresendable POST entry */ }
    await assertNoResult(page, 'Back');
    await screenshot(page, `quick-exit-${js ? 'js' : 'nojs'}-2-back`);
    if (!js) assert.equal(page.url(), resultUrl);
    try { await page.reload(); } catch { /* idem */ }
    await assertNoResult(page, 'reload');
    // Going back further, then resubmitting the questions form.
    for (let i = 0; i < 3; i++) {
      try { await page.goBack(); } catch { /* idem */ }
      try { await page.reload(); } catch { /* idem */ }
      await assertNoResult(page, `Back ${i + 2} and reload`);
    }
    // The result URL itself, typed again.
    const again = await page.goto(resultUrl);
    assert.equal(again.status(), 410);
    await assertNoResult(page, 'the result URL');
    await ctx.close();
  });
}
