// Headless Chromium (Debian package) driven by playwright-core, with axe-core
// injected for WCAG 2.1 A/AA checks. The strict CSP would block the injected
// axe script, hence bypassCSP in the test context only.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../browser/screenshots');

export async function launch() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

export async function newContext(browser, { javaScriptEnabled = true } = {}) {
  return browser.newContext({ bypassCSP: true, javaScriptEnabled, viewport: { width: 1280, height: 900 } });
}

// Runs axe on the page; returns the violations (empty = pass).
export async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

// axe needs JavaScript: for a page opened in a context without it, its HTML
// is served, at the same origin, to a context with JavaScript and checked
// there. Returns the violations (empty = pass) in both cases.
export async function axeAnyPage(browser, base, page, js) {
  if (js) return axe(page);
  const html = await page.content();
  const ctx = await newContext(browser);
  try {
    const probe = await ctx.newPage();
    await probe.route(`${base}/__axe`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await probe.goto(`${base}/__axe`);
    return await axe(probe);
  } finally {
    await ctx.close();
  }
}

export function formatViolations(v) {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.join(', ')}`).join('\n');
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// Starts the program and Chromium before the tests of a file and stops them
// after; returns a handle whose srv and browser are set once started.
export function serverAndBrowser({ before, after, startServer }) {
  const h = { srv: null, browser: null };
  before(async () => {
    h.srv = await startServer();
    h.browser = await launch();
  });
  after(async () => {
    await h.browser?.close();
    await h.srv?.stop();
  });
  return h;
}
