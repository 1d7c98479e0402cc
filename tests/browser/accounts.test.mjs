// Professionals' pages in Chromium: the first login with the TOTP enrolment
// (QR code), then logout; a coordinator invites a responder, who sets a
// password and a second factor through the link. TOTP codes are computed
// here from the secret the page shows, as an authenticator app would. Zero
// axe violations on every page, and no script on any of them (they work
// without JavaScript).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext, axe, formatViolations, screenshot } from '../support/browser.mjs';
import { addUser, freshTotp } from '../support/accounts.mjs';

const h = serverAndBrowser({ before, after, startServer });

async function checkAxe(page, name) {
  assert.equal(await page.locator('script').count(), 0, `${name}: no script`);
  const violations = await axe(page);
  await screenshot(page, name);
  assert.equal(violations.length, 0, `${name}\n${formatViolations(violations)}`);
}

async function enrol(page, name) {
  assert.match(page.url(), /\/pro\/enrolement$/);
  assert.equal(await page.locator('main svg[role="img"] path').count(), 1, 'the QR code is inline SVG');
  await checkAxe(page, name);
  const secret = (await page.locator('#cle-secrete').innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  // A wrong code first: a clear error, still on the enrolment step.
  await page.fill('#code', '000000');
  await page.click('button[type="submit"]');
  assert.match(await page.locator('#erreurs').innerText(), /pas le bon/);
  await page.fill('#code', await freshTotp(secret));
  await page.click('button[type="submit"]');
  assert.match(page.url(), /\/pro$/);
  return secret;
}

test('first login enrols the second factor with a QR code, then logout', async () => {
  const u = await addUser(h.srv, { email: 'premiere@example.org', name: 'Prune Première', role: 'responder', territory: 'hauts-de-france' });
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/pro/connexion`);
  await checkAxe(page, 'pro-login');
  // A wrong password: an error, nothing else.
  await page.fill('#courriel', u.email);
  await page.fill('#mot-de-passe', 'pas le bon mot de passe');
  await page.click('button[type="submit"]');
  assert.match(await page.locator('#erreurs').innerText(), /incorrect/);
  await checkAxe(page, 'pro-login-error');

  await page.fill('#courriel', u.email);
  await page.fill('#mot-de-passe', u.password);
  await page.click('button[type="submit"]');
  await enrol(page, 'pro-enrolment');

  await checkAxe(page, 'pro-home-responder');
  const main = await page.locator('main').innerText();
  assert.match(main, /Répondant·e du territoire/);
  assert.match(main, /Hauts-de-France/);
  // Only what exists: a responder has no account or audit pages.
  assert.equal(await page.locator('a[href="/pro/comptes"]').count(), 0);
  assert.equal(await page.locator('a[href="/pro/journal"]').count(), 0);
  assert.equal((await page.goto(`${h.srv.base}/pro/comptes`)).status(), 403);

  await page.goto(`${h.srv.base}/pro`);
  await page.click('form[action="/pro/deconnexion"] button');
  assert.match(page.url(), /\/pro\/connexion\?deconnecte=1$/);
  assert.match(await page.locator('main').innerText(), /déconnecté/);
  await checkAxe(page, 'pro-logged-out');
  const after = await page.goto(`${h.srv.base}/pro`);
  assert.equal(after.status(), 401);
  await checkAxe(page, 'pro-unauthenticated');
  await ctx.close();
});

test('a coordinator invites a responder, who sets a password and a second factor through the link', async () => {
  const coord = await addUser(h.srv, { email: 'coordination@example.org', name: 'Colette Coordination', role: 'coordinator', territory: 'hauts-de-france' });
  const ctx = await newContext(h.browser);
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/pro/connexion`);
  await page.fill('#courriel', coord.email);
  await page.fill('#mot-de-passe', coord.password);
  await page.click('button[type="submit"]');
  await enrol(page, 'pro-enrolment-coordinator');
  await checkAxe(page, 'pro-home-coordinator');

  await page.click('nav a[href="/pro/comptes"]');
  await checkAxe(page, 'pro-accounts');
  await page.fill('#invitation-email', 'nouvelle.repondante@example.org');
  await page.fill('#invitation-name', 'Noémie Nouvelle');
  await page.selectOption('#invitation-role', 'responder');
  await page.check('#territoire-hauts-de-france');
  await page.click('form[action="/pro/comptes"] button[type="submit"]');
  await checkAxe(page, 'pro-invitation-link');
  const link = (await page.locator('#lien').innerText()).trim();
  assert.match(link, /\/pro\/lien\/[A-Za-z0-9_-]{43}$/);

  // The invited person, in another browser, without a session.
  const other = await newContext(h.browser);
  const p2 = await other.newPage();
  // Opening the link (as a mail scanner would) changes nothing.
  assert.equal((await p2.goto(link)).status(), 200);
  assert.equal((await p2.goto(link)).status(), 200);
  await checkAxe(p2, 'pro-link-form');
  assert.match(await p2.locator('main').innerText(), /Noémie Nouvelle/);
  await p2.fill('#mot-de-passe', 'trop court');
  await p2.fill('#confirmation', 'trop court');
  await p2.click('button[type="submit"]');
  assert.match(await p2.locator('#erreurs').innerText(), /12 caractères/);
  await checkAxe(p2, 'pro-link-error');
  await p2.fill('#mot-de-passe', 'une phrase assez longue');
  await p2.fill('#confirmation', 'une phrase assez longue');
  await p2.click('button[type="submit"]');
  await enrol(p2, 'pro-enrolment-invited');
  assert.match(await p2.locator('main').innerText(), /Répondant·e du territoire/);
  // The link works once.
  assert.equal((await p2.goto(link)).status(), 404);
  await checkAxe(p2, 'pro-link-gone');
  await other.close();

  // The coordinator sees the new account active, and the trail in the audit log.
  await page.goto(`${h.srv.base}/pro/comptes`);
  const row = page.locator('tr', { hasText: 'nouvelle.repondante@example.org' });
  assert.match(await row.innerText(), /Actif/);
  await page.goto(`${h.srv.base}/pro/journal?territoire=hauts-de-france`);
  await checkAxe(page, 'pro-audit');
  const journal = await page.locator('table').innerText();
  assert.match(journal, /set_password/);
  assert.match(journal, /invite/);
  await ctx.close();
});
