// The alert circuit in Chromium (issue 11, "Done when"): a parent in
// Hauts-de-France answers item 10 > 0 and asks to be called back; a
// responder of that territory, whose inbox is open, sees it arrive live,
// opens it, shows the contact, qualifies it, records a failed attempt then
// a contact, and closes it as oriented to a resource; the parent's status
// page shows each stage; a responder of Normandie never sees it (inbox,
// live notice, id → 404). axe on every page, screenshots saved; the inbox
// also works without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { serverAndBrowser, newContext, axeAnyPage, formatViolations, screenshot } from '../support/browser.mjs';
import { demoDatabase } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';
import { sqlite } from '../support/db.mjs';

const demo = demoDatabase();
const dbPath = path.join(demo.dir, 'parcours.db');
const h = serverAndBrowser({ before, after, startServer: () => startServer({ database: demo.database }) });

async function checkAxe(page, js, name) {
  const v = await axeAnyPage(h.browser, h.srv.base, page, js);
  await screenshot(page, name);
  assert.equal(v.length, 0, `${name}: ${formatViolations(v)}`);
}
async function pick(page, id) {
  await page.click(`label[for="${id}"]`);
  assert.ok(await page.isChecked(`#${id}`), `${id} checked`);
}
// Accounts are added with the CLI on the server's database (the demo one).
async function addResponder(opts) {
  h.srv.dbPath = dbPath;
  return addUser(h.srv, opts);
}
// A browser context signed in as `user` (session opened through the API).
async function proContext(user, { js = true } = {}) {
  const s = await login(h.srv, user);
  assert.equal(s.res.status, 201);
  const ctx = await newContext(h.browser, { javaScriptEnabled: js });
  const [name, value] = s.cookie.split('=');
  await ctx.addCookies([{ name, value, url: h.srv.base }]);
  return ctx;
}

test('journey: item 10 → live inbox → qualify → failed attempt → contact → oriented; stages; Normandie never sees it', async () => {
  const hdfUser = await addResponder({ email: 'rep.hdf@example.org', role: 'responder', territory: 'hauts-de-france' });
  const norUser = await addResponder({ email: 'rep.nor@example.org', role: 'responder', territory: 'normandie' });
  const hdfCtx = await proContext(hdfUser);
  const norCtx = await proContext(norUser);
  const inbox = await hdfCtx.newPage();
  await inbox.goto(`${h.srv.base}/pro/alertes`);
  await checkAxe(inbox, true, 'alerts-1-inbox-before');
  const norInbox = await norCtx.newPage();
  await norInbox.goto(`${h.srv.base}/pro/alertes`);
  // Let both EventSources connect before the parent writes.
  await inbox.waitForTimeout(1000);

  // The parent, in French, with JavaScript.
  const parentCtx = await newContext(h.browser);
  const parent = await parentCtx.newPage();
  await parent.goto(`${h.srv.base}/depistage`);
  await pick(parent, 'respondent-mother');
  await pick(parent, 'period-postnatal');
  await parent.fill('#child_age_weeks', '6');
  await parent.fill('#postcode', '59000');
  await parent.click('form button[type=submit]');
  await parent.waitForSelector('#q1');
  const answers = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2];  // item 10 > 0
  for (let i = 0; i < answers.length; i++) await pick(parent, `q${i + 1}-${answers[i]}`);
  await parent.click('form button[type=submit] >> nth=0');
  await parent.waitForSelector('#crise');
  // Not a first name of the demo practitioners (the close form lists them).
  await parent.fill('#name', 'Ysaline');
  await parent.fill('#phone', '06 98 76 54 32');
  await pick(parent, 'message-no');
  await pick(parent, 'consent-yes');
  await parent.click('#rappel button[type=submit]');
  await parent.waitForSelector('.fr-alert--success');
  const ref = (await parent.textContent('main')).match(/[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/)[0];
  const [row] = sqlite(dbPath, `SELECT id, urgency FROM alerts WHERE reference = '${ref}'`);
  assert.equal(row.urgency, 'immediate');
  const status = await parentCtx.newPage();
  const stage = async (name) => {
    await status.goto(`${h.srv.base}/demande/${ref}`);
    await checkAxe(status, true, `alerts-parent-${name}`);
    assert.match(await status.innerText('#etape'), /Étape/);
    assert.ok(await status.$('a[href="tel:3114"]'), 'the emergency numbers at every stage');
    return status.getAttribute('#etape', 'data-stage');
  };
  assert.equal(await stage('1-received'), 'received');

  // Live: the Hauts-de-France inbox is told, Normandie's is not.
  await inbox.waitForSelector('#direct:not([hidden])', { timeout: 10000 });
  assert.equal(await inbox.getAttribute('#direct', 'data-last-alert'), row.id);
  await checkAxe(inbox, true, 'alerts-2-inbox-live-notice');
  await norInbox.waitForTimeout(1500);
  assert.equal(await norInbox.isHidden('#direct'), true, 'no live notice in Normandie');
  await norInbox.reload();
  assert.doesNotMatch(await norInbox.content(), new RegExp(ref));
  const norDetail = await norInbox.goto(`${h.srv.base}/pro/alertes/${row.id}`);
  assert.equal(norDetail.status(), 404);

  // The responder reloads, opens the alert, shows the contact.
  await inbox.click('#direct a');
  await inbox.click(`a[href="/pro/alertes/${row.id}"]`);
  await checkAxe(inbox, true, 'alerts-3-detail');
  assert.match(await inbox.innerText('main'), /item 10/i);
  assert.doesNotMatch(await inbox.content(), /Ysaline/);
  await inbox.click('form[action$="/coordonnees#coordonnees"] button');
  assert.match(await inbox.innerText('#coordonnees + dl'), /Ysaline/);
  assert.match(await inbox.innerText('main'), /Ne pas laisser de message/);
  await checkAxe(inbox, true, 'alerts-4-contact-shown');

  // Qualify.
  await inbox.selectOption('#qualify-urgency', 'immediate');
  await inbox.selectOption('#qualify-level', 'specialised');
  await inbox.click('#form-qualify button[type=submit]');
  assert.match(inbox.url(), /\?fait=qualify#historique$/);
  assert.match(await inbox.innerText('#statut'), /Qualifiée/);
  await checkAxe(inbox, true, 'alerts-5-qualified');
  assert.equal(await stage('2-being-handled'), 'being_handled');

  // A failed attempt, then a contact.
  await inbox.selectOption('#attempt-outcome', 'no_answer');
  await inbox.fill('#attempt-note', 'Répondeur, pas de message (souhait du parent).');
  await inbox.click('#form-attempt button[type=submit]');
  assert.match(await inbox.innerText('#statut'), /Contact en cours/);
  assert.equal(await stage('3-tried'), 'tried_to_reach');
  await inbox.selectOption('#attempt-outcome', 'reached');
  await inbox.click('#form-attempt button[type=submit]');
  await checkAxe(inbox, true, 'alerts-6-in-contact');

  // A forbidden transition shows the reason, then closing as oriented.
  await inbox.selectOption('#close-outcome', 'oriented');
  await inbox.click('#form-close button[type=submit]');
  assert.match(await inbox.innerText('#erreurs'), /ressource/);
  await checkAxe(inbox, true, 'alerts-7-close-error');
  // The nearest resources of the parent's commune are offered in a list.
  await inbox.selectOption('#close-outcome', 'oriented');
  const options = inbox.locator('#close-resource option');
  assert.ok(await options.count() > 1, 'nearby resources offered');
  const chosen = await options.nth(1).getAttribute('value');
  assert.match(await options.nth(1).innerText(), /\d\u00a0km\)$/);
  await inbox.selectOption('#close-resource', chosen);
  await inbox.click('#form-close button[type=submit]');
  assert.match(await inbox.innerText('#statut'), /Clôturée/);
  const closedId = new URL(inbox.url()).pathname.split('/')[3];
  assert.equal(String(sqlite(dbPath, `SELECT resource_id AS r FROM alerts WHERE id = '${closedId}'`)[0].r), chosen);
  assert.match(await inbox.innerText('#historique + ol'), /Orienté vers une ressource/);
  await checkAxe(inbox, true, 'alerts-8-closed');
  assert.equal(await stage('4-closed'), 'closed');

  await hdfCtx.close();
  await norCtx.close();
  await parentCtx.close();
});

test('the inbox works without JavaScript: list, filters, the alert page', async () => {
  const user = await addResponder({ email: 'nojs.hdf@example.org', role: 'coordinator', territory: 'hauts-de-france' });
  const ctx = await proContext(user, { js: false });
  const page = await ctx.newPage();
  await page.goto(`${h.srv.base}/pro/alertes?status=all`);
  await checkAxe(page, false, 'alerts-nojs-inbox');
  assert.ok(await page.$('#alertes tbody tr'), 'the list is there');
  assert.ok(await page.$('#afflux'), 'the coordinator sees the flood list');
  await page.click('#alertes tbody tr a');
  await checkAxe(page, false, 'alerts-nojs-detail');
  await ctx.close();
});

for (const lang of ['', '/en']) {
  test(`a third-party report${lang ? ' (English)' : ''} reaches the inbox marked as such`, async () => {
    const ctx = await newContext(h.browser, { javaScriptEnabled: lang === '' });
    const page = await ctx.newPage();
    await page.goto(`${h.srv.base}${lang}/signaler`);
    await checkAxe(page, lang === '', `alerts-report${lang ? '-en' : ''}-1-form`);
    await page.click('#signalement button[type=submit]');
    assert.ok(await page.isVisible('#erreurs'));
    await checkAxe(page, lang === '', `alerts-report${lang ? '-en' : ''}-2-errors`);
    await page.fill('#reporter_name', 'Jeanne Voisine');
    await page.fill('#reporter_relation', lang ? 'sister' : 'sœur');
    await page.fill('#reporter_phone', '06 11 22 33 44');
    await page.fill('#postcode', '59000');
    await page.fill('#name', 'Lou');
    await page.fill('#phone', lang ? '06 55 66 77 89' : '06 55 66 77 88');
    await pick(page, 'message-no');
    await page.fill('#reason', 'Elle ne dort plus.');
    await page.click('label[for="consent"]');
    await page.click('#signalement button[type=submit]');
    await page.waitForSelector('#signalement-recu');
    await checkAxe(page, lang === '', `alerts-report${lang ? '-en' : ''}-3-done`);
    await ctx.close();
    const user = await addResponder({ email: `tiers${lang ? '-en' : ''}@example.org`, role: 'responder', territory: 'hauts-de-france' });
    const pro = await proContext(user, { js: false });
    const inbox = await pro.newPage();
    await inbox.goto(`${h.srv.base}/pro/alertes?status=all`);
    assert.match(await inbox.innerText('#alertes'), /Signalement d’un tiers/);
    await pro.close();
  });
}
