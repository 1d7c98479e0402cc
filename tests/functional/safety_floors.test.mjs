// Safety floors: the real program refuses to start on each unsafe
// configuration of tests/cases/safety_floors.json (defaults or a territory
// file, open or closed), with a message naming the file and the field, and
// starts on the safe ones. A temporary copy of the share directory is edited;
// the shipped files are not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { shareCopy, tryServe } from '../support/share.mjs';

const cases = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../cases/safety_floors.json'), 'utf8')).cases;

test('the shipped configuration starts', async () => {
  const share = shareCopy();
  try {
    const r = await tryServe(share.dir);
    assert.ok(r.listening, r.stderr);
  } finally { share.remove(); }
});

for (const c of cases) {
  test(`${c.refused_field ? 'refused' : 'accepted'}: ${c.name}`, async () => {
    const share = shareCopy();
    try {
      let file;
      if (c.file === 'defaults') {
        file = 'data/pathway/defaults.json';
        share.write('pathway/defaults.json', { ...share.read('pathway/defaults.json'), ...c.patch });
      } else {
        file = 'territory file martinique.json';
        share.write('territories/martinique.json', { ...share.read('territories/martinique.json'), ...c.patch });
      }
      const r = await tryServe(share.dir);
      if (!c.refused_field) {
        assert.ok(r.listening, r.stderr);
        return;
      }
      assert.equal(r.listening, false, 'must not start');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`parcours: ${file}: ${c.refused_field.replace('.', '\\.')}: .*safety floor`));
    } finally { share.remove(); }
  });
}

test('an open territory file is checked too', async () => {
  const share = shareCopy();
  try {
    share.write('territories/hauts-de-france.json', {
      ...share.read('territories/hauts-de-france.json'),
      recontact: { open: true, team: { fr: 'une équipe' }, hours: [{ days: [1], from: '09:00', to: '10:00' }] },
      urgency: { item10: 'immediate', probable: '7d', possible: '72h', watch: '7d', low: '7d' },
    });
    const r = await tryServe(share.dir);
    assert.equal(r.listening, false);
    assert.match(r.stderr, /territory file hauts-de-france\.json: urgency\.probable: .*safety floor/);
  } finally { share.remove(); }
});

test('a closed territory naming a team or hours is refused: no promise without a team', async () => {
  const share = shareCopy();
  try {
    share.write('territories/normandie.json', {
      ...share.read('territories/normandie.json'),
      recontact: { open: false, hours: [{ days: [1], from: '09:00', to: '10:00' }] },
    });
    const r = await tryServe(share.dir);
    assert.equal(r.listening, false);
    assert.match(r.stderr, /territory file normandie\.json: recontact\.hours: /);
  } finally { share.remove(); }
});
