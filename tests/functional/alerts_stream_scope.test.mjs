// The live inbox stream of a responder narrowed to a sub-territory carries
// the events of that sub-territory's alerts only, as the inbox list does
// (issue 11): an event names its territory, the feed looks up the alert's
// sub-territory for narrowed subscribers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { demoDatabase, cli } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';
import { sqlite } from '../support/db.mjs';
import { openStream, until } from '../support/sse.mjs';

const { database } = demoDatabase();
cli(database, ['subterritory', 'set', 'hdf-59', 'territory=hauts-de-france', 'name=Nord', 'kind=department', 'members=59']);
cli(database, ['subterritory', 'set', 'hdf-ptsm-lille', 'territory=hauts-de-france', 'name=PTSM Lille', 'kind=ptsm', 'members=59350']);
const srv = await startServer({ database });
after(() => srv.stop());
const dbPath = database.slice('sqlite:'.length);
srv.dbPath = dbPath;

const wide = await addUser(srv, { email: 'rep.nord@example.org', role: 'responder', territory: 'hauts-de-france' });
const lille = await addUser(srv, { email: 'rep.lille@example.org', role: 'responder', territory: 'hauts-de-france', subTerritory: 'hdf-ptsm-lille' });
const wideSession = await login(srv, wide);
const lilleSession = await login(srv, lille);

let phone = 20000000;
async function raise(postcode, communeCode) {
  const post = async (url, body) => {
    const res = await fetch(srv.base + url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const s = await post('/api/v1/screenings', {
    instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal', child_age_weeks: 6,
    postcode, commune_code: communeCode, source: 'direct', answers: [1, 1, 2, 1, 2, 2, 2, 2, 2, 3],
  });
  assert.equal(s.status, 201, JSON.stringify(s.body));
  const r = await post('/api/v1/recontact-requests', {
    screening_id: s.body.id, name: 'Léa', phone: `06${phone++}`, may_leave_message: true,
    caller_intro: 'neutral', consent: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return sqlite(dbPath, `SELECT id FROM alerts WHERE reference = '${r.body.reference}'`)[0].id;
}

const ids = (stream) => stream.events.map((e) => e.data.alert_id);

test('an account is narrowed only to sub-territories of its own territories', async () => {
  for (const subTerritory of ['hdf-ptsm-lile', 'hdf-59,nowhere']) {
    await assert.rejects(addUser(srv, { email: `x${subTerritory.length}@example.org`, role: 'responder', territory: 'hauts-de-france', subTerritory }),
      /no sub-territory '(hdf-ptsm-lile|nowhere)'/);
  }
  await assert.rejects(addUser(srv, { email: 'y@example.org', role: 'responder', territory: 'normandie', subTerritory: 'hdf-59' }),
    /no sub-territory 'hdf-59'/);
  assert.equal(sqlite(dbPath, "SELECT count(*) AS n FROM users WHERE email IN ('x13@example.org', 'x14@example.org', 'y@example.org')")[0].n, 0);
  assert.equal(sqlite(dbPath, "SELECT sub_territories AS s FROM users WHERE email = 'rep.lille@example.org'")[0].s, 'hdf-ptsm-lille');
});

test('a responder narrowed to a sub-territory hears only of its alerts', async () => {
  const all = openStream(srv.base, wideSession);
  const mine = openStream(srv.base, lilleSession);
  await Promise.all([all.ready, mine.ready]);
  assert.ok(await until(() => all.comments > 0 && mine.comments > 0));
  const roubaix = await raise('59100', '59512');  // hdf-59, outside the PTSM of Lille
  const lilleAlert = await raise('59000', '59350');  // hdf-ptsm-lille
  assert.ok(await until(() => ids(all).includes(roubaix) && ids(all).includes(lilleAlert)), 'the whole territory hears of both');
  assert.ok(await until(() => ids(mine).includes(lilleAlert)), 'the narrowed responder hears of Lille');
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(!ids(mine).includes(roubaix), 'but not of Roubaix');
  // The inbox list agrees.
  const list = await (await fetch(`${srv.base}/api/v1/alerts`, { headers: { cookie: lilleSession.cookie } })).json();
  assert.deepEqual(list.items.map((a) => a.id), [lilleAlert]);
  all.close();
  mine.close();
});
