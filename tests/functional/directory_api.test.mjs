// GET /api/v1/resources against the real program over the demo directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import { cli, demoDatabase } from '../support/directory.mjs';

let srv;
let db;
let hidden;
before(async () => {
  db = demoDatabase();
  // A resource right at Lille's centre, unpublished: parents must not see it.
  const out = cli(db.database, ['resource', 'add', 'kind=adult_cmp', 'name=CMP caché',
    'commune=59350', 'postcode=59000', 'latitude=50.63108', 'longitude=3.04702']);
  hidden = Number(/resource (\d+)/.exec(out)[1]);
  cli(db.database, ['resource', 'unpublish', String(hidden)]);
  srv = await startServer({ database: db.database });
});
after(async () => {
  await srv?.stop();
  rmSync(db.dir, { recursive: true, force: true });
});

async function get(query) {
  const res = await fetch(`${srv.base}/api/v1/resources?${query}`);
  return { status: res.status, body: await res.json() };
}

test('nearest specialised resources around a postcode, nearest first, with distances', async () => {
  const { status, body } = await get('postcode=59000&level=specialised&limit=10');
  assert.equal(status, 200);
  assert.equal(body.origin, 'commune_centroid');
  assert.equal(body.fallback, null);
  assert.equal(body.commune.insee_code, '59350');
  assert.equal(body.items.length, 10);
  for (const key of ['id', 'name', 'kind', 'levels', 'commune', 'postcode', 'distance_km', 'phone']) {
    assert.ok(key in body.items[0], `item has ${key}`);
  }
  const d = body.items.map((i) => i.distance_km);
  assert.deepEqual(d, [...d].sort((a, b) => a - b), 'sorted by distance');
  for (const i of body.items) {
    assert.ok(i.levels.includes('specialised'), `${i.name} is specialised`);
    assert.notEqual(i.id, hidden, 'unpublished row hidden');
  }
  assert.ok(body.items[0].distance_km < 10);
  assert.match(body.items[0].name, /\(démo\)$/);
});

test('commune name typed without accents, kind and option filters', async () => {
  const { status, body } = await get(`q=${encodeURIComponent('evreux')}&kind=midwife&limit=3`);
  assert.equal(status, 200);
  assert.equal(body.commune.name, 'Évreux');
  assert.equal(body.items.length, 3);
  assert.ok(body.items.every((i) => i.kind === 'midwife'));
  const f = await get('postcode=97200&fathers=1&limit=20');
  assert.ok(f.body.items.length > 0);
  assert.ok(f.body.items.every((i) => i.accepts_fathers));
});

test('the parent\'s own position', async () => {
  const { body } = await get('lat=43.2965&lon=5.3698&level=first_line&limit=1');
  assert.equal(body.origin, 'position');
  assert.equal(body.items[0].commune, 'Marseille');
});

test('errors name the field and change nothing', async () => {
  for (const [q, field] of [['postcode=5900', 'postcode'], ['postcode=99999', 'postcode'],
    ['q=zzzyyyxxx', 'place'], ['postcode=59000&level=urgent', 'level'],
    ['postcode=59000&limit=1000', 'limit'], ['', 'postcode'], ['lat=91&lon=2', 'position'],
    ['postcode=59000&kind=wizard', 'kind']]) {
    const { status, body } = await get(q);
    assert.equal(status, 400, q);
    assert.equal(body.error.code, 'invalid_argument', q);
    assert.equal(body.error.field, field, q);
  }
});
