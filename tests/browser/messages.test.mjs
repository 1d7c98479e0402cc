// The failed-messages page (/pro/messages, issue 12) in Chromium, without
// JavaScript: a message that could not leave (no smtp-url here: e-mail is
// off, so the sender fails it at once) is listed with its channel, kind,
// attempts and answer — never its recipient — and replayed with the button
// (POST); the page then says so. Zero axe violations, no script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { launch, newContext, axeAnyPage, formatViolations, screenshot } from '../support/browser.mjs';
import { addUser, cli, freshTotp } from '../support/accounts.mjs';

const h = { srv: null, browser: null };
before(async () => {
  h.srv = await startServer({ args: ['--scheduler-interval', '1'] });
  h.browser = await launch();
});
after(async () => {
  await h.browser?.close();
  await h.srv?.stop();
});

async function checkAxe(page, name) {
  assert.equal(await page.locator('script').count(), 0, `${name}: no script`);
  const violations = await axeAnyPage(h.browser, h.srv.base, page, false);
  await screenshot(page, name);
  assert.equal(violations.length, 0, `${name}\n${formatViolations(violations)}`);
}

test('an admin sees a failed message and replays it, keyboard and no JavaScript', async () => {
  const admin = await addUser(h.srv, { email: 'admin.messages@example.org', name: 'Ada Admin', role: 'admin' });
  await cli(h.srv, ['outbox', 'test', '--email', 'destinataire.secret@example.org']);
  const ctx = await newContext(h.browser, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/pro/connexion`);
  await page.fill('#courriel', admin.email);
  await page.fill('#mot-de-passe', admin.password);
  await page.click('button[type="submit"]');
  const secret = (await page.locator('#cle-secrete').innerText()).trim();
  await page.fill('#code', await freshTotp(secret));
  await page.click('button[type="submit"]');
  assert.match(page.url(), /\/pro$/);

  // The navigation leads there; the scheduler fails the message within seconds.
  await page.click('nav >> text=Messages en échec');
  for (let i = 0; i < 40 && (await page.locator('tbody tr').count()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
  const row = page.locator('tbody tr').first();
  assert.match(await row.innerText(), /Message de test\s+Courriel\s+—\s+En échec\s+1\s+e-mail off/);
  assert.ok(!(await page.content()).includes('destinataire.secret'), 'the recipient is not shown');
  await checkAxe(page, 'pro-messages');

  // Keyboard: the replay button is reachable and works with Enter.
  await page.focus('tbody tr button');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/pro\/messages\?renvoye=1$/);
  assert.match(await page.locator('main').innerText(), /de nouveau en attente d’envoi/);
  await checkAxe(page, 'pro-messages-replayed');
  await page.goto(`${h.srv.base}/pro/messages?tous=1`);
  await checkAxe(page, 'pro-messages-all');
  await ctx.close();
});
