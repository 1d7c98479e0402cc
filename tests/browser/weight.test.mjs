// Page weight budget (issue 3): a parent's first visit to a page transfers at
// most 200 KB (200,000 bytes: HTML, CSS, fonts, icons, as served, gzip
// included), in a fresh browser context. The figures are printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext } from '../support/browser.mjs';
import { measureTransfer, formatTransfer } from '../support/transfer.mjs';

const BUDGET = 200_000;

const h = serverAndBrowser({ before, after, startServer });

// Every page a parent lands on first, the screening included. A page that is
// missing (404) or fails is a failure of the budget test, never a skip.
const pages = ['/', '/en', '/comprendre', '/comprendre/signes', '/en/comprendre/se-faire-aider',
  '/depistage', '/en/depistage', '/trouver-de-l-aide'];

for (const url of pages) {
  test(`${url}: first visit transfers at most ${BUDGET / 1000} KB`, async (t) => {
    const ctx = await newContext(h.browser);
    const m = await measureTransfer(ctx, h.srv.base + url);
    for (const line of `${url}: ${formatTransfer(m)}`.split('\n')) t.diagnostic(line);
    await ctx.close();
    assert.equal(m.status, 200, `${url} must exist`);
    assert.deepEqual(m.failed, [], 'no failed request');
    // The measure is real: the page, its CSS and at least one font came in.
    const kinds = m.resources.map((r) => r.url);
    assert.ok(kinds.some((u) => u.endsWith('.css')), 'CSS counted');
    assert.ok(kinds.some((u) => u.endsWith('.woff2')), 'fonts counted');
    assert.ok(m.total > 50_000, `implausibly small total ${m.total}`);
    // Only woff2 fonts, and only the two shipped weights.
    const fonts = kinds.filter((u) => /\/fonts\//.test(u));
    assert.ok(fonts.every((u) => u.endsWith('.woff2')), fonts.join(', '));
    assert.ok(fonts.length <= 2, fonts.join(', '));
    assert.ok(m.total <= BUDGET, `${m.total} B > ${BUDGET} B\n${formatTransfer(m)}`);
  });
}
