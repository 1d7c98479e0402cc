// No callback without a team (issue 7): a territory whose file opens it for
// recontact takes requests only while it has at least one active account
// with the role responder or coordinator, checked at request time. Without
// one (none yet, only other roles, or disabled) the parent is offered no
// callback and the API answers 409 `recontact`, as in a closed territory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { shareCopy } from '../support/share.mjs';
import { cli } from '../support/directory.mjs';
import { count } from '../support/db.mjs';

const share = shareCopy();
share.write('territories/hauts-de-france.json', {
  ...share.read('territories/hauts-de-france.json'),
  recontact: {
    open: true,
    team: { fr: 'Plateforme périnatale (test)', en: 'Perinatal platform (test)' },
    hours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '23:59' }],
  },
});
const srv = await startServer({ args: ['--share-dir', share.dir] });
const database = `sqlite:${srv.dbPath}`;
after(async () => {
  await srv.stop();
  share.remove();
});

async function postJson(url, body) {
  const res = await fetch(srv.base + url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { res, body: await res.json() };
}

// A screening in Hauts-de-France (postcode alone: no commune list here),
// then a recontact request for it.
async function screenThenAsk(phone) {
  const s = await postJson('/api/v1/screenings', {
    instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal', child_age_weeks: 6,
    postcode: '59000', source: 'direct', answers: [1, 1, 2, 1, 2, 2, 2, 2, 2, 3],
  });
  assert.equal(s.res.status, 201, JSON.stringify(s.body));
  assert.equal(s.body.territory, 'hauts-de-france');
  const r = await postJson('/api/v1/recontact-requests', {
    screening_id: s.body.id, name: 'Léa', phone, may_leave_message: true, caller_intro: 'neutral', consent: true,
  });
  return { offered: s.body.recontact_offered, status: r.res.status, error: r.body.error };
}

function user(...args) {
  return cli(database, ['user', ...args, '--share-dir', share.dir]);
}

test('an open territory without a responder or coordinator account behaves as closed', async () => {
  const r = await screenThenAsk('0611111111');
  assert.equal(r.offered, false);
  assert.equal(r.status, 409);
  assert.equal(r.error.field, 'recontact');
  assert.equal(count(srv.dbPath, 'alerts'), 0);
});

test('a professional account, or a responder of another territory, is no team', async () => {
  user('add', '--email', 'sage-femme@example.org', '--name', 'Sage-femme', '--role', 'professional',
    '--territory', 'hauts-de-france');
  user('add', '--email', 'repondant-normandie@example.org', '--name', 'Répondant', '--role', 'responder',
    '--territory', 'normandie');
  const r = await screenThenAsk('0622222222');
  assert.equal(r.offered, false);
  assert.equal(r.status, 409);
});

test('a responder account opens it at once, even before its first login; disabling it closes it again', async () => {
  user('add', '--email', 'repondant@example.org', '--name', 'Répondant', '--role', 'responder',
    '--territory', 'hauts-de-france');
  const open = await screenThenAsk('0633333333');
  assert.equal(open.offered, true);
  assert.equal(open.status, 201);
  assert.equal(count(srv.dbPath, 'alerts'), 1);

  user('disable', 'repondant@example.org');
  const closed = await screenThenAsk('0644444444');
  assert.equal(closed.offered, false);
  assert.equal(closed.status, 409);

  user('add', '--email', 'coordinatrice@example.org', '--name', 'Coordinatrice', '--role', 'coordinator',
    '--territory', 'hauts-de-france');
  const again = await screenThenAsk('0655555555');
  assert.equal(again.offered, true);
  assert.equal(again.status, 201);
});
