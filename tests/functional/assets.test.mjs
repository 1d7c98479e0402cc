// The CSS bundle ships the DSFR core and only the components the pages use
// (src/http/static_assets.cpp). This fails when a template uses a DSFR class
// that the shipped CSS does not define, i.e. when a component was left out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../support/server.mjs';

const TEMPLATES = path.resolve(import.meta.dirname, '../../templates');

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

// Classes of the DSFR markup that its CSS does not style (structure only).
const UNSTYLED = new Set(['fr-footer__content-item']);

function dsfrClassesInTemplates() {
  const used = new Map();  // class -> first template using it
  for (const f of readdirSync(TEMPLATES).filter((n) => n.endsWith('.mustache'))) {
    const src = readFileSync(path.join(TEMPLATES, f), 'utf8');
    for (const m of src.matchAll(/class="([^"]*)"/g)) {
      for (const c of m[1].split(/\s+/)) {
        if (c.startsWith('fr-') && !c.includes('{') && !UNSTYLED.has(c) && !used.has(c)) used.set(c, f);
      }
    }
  }
  return used;
}

async function bundleCss() {
  const html = await (await fetch(`${srv.base}/`)).text();
  const href = html.match(/href="(\/static\/dsfr\/[^"]*\/dsfr\.css)"/)?.[1];
  assert.ok(href, 'the layout links the DSFR bundle');
  const res = await fetch(srv.base + href);
  assert.equal(res.status, 200);
  return res.text();
}

test('every DSFR class used by a template is defined by the shipped CSS', async () => {
  const css = await bundleCss();
  const used = dsfrClassesInTemplates();
  assert.ok(used.size > 20, `found ${used.size} classes`);
  const missing = [...used].filter(([c]) => !new RegExp(`\\.${c}(?![\\w-])`).test(css))
    .map(([c, f]) => `${c} (${f})`);
  assert.deepEqual(missing, [], `add their component to kDsfrComponents: ${missing.join(', ')}`);
});

test('the check does catch a class the bundle lacks', async () => {
  const css = await bundleCss();
  // Tables are not used by any page, so their CSS is not shipped.
  assert.ok(!/\.fr-table(?![\w-])/.test(css));
  assert.ok(/\.fr-nav__link(?![\w-])/.test(css));
});

test('only the regular and bold Marianne faces are declared and served', async () => {
  const css = await bundleCss();
  const faces = [...css.matchAll(/@font-face\{[^}]*\}/g)].map((m) => m[0]);
  const files = faces.map((f) => f.match(/fonts\/([\w-]+)\.woff2/)?.[1]).sort();
  assert.deepEqual(files, ['Marianne-Bold', 'Marianne-Regular']);
  const html = await (await fetch(`${srv.base}/`)).text();
  const base = html.match(/href="(\/static\/dsfr\/[\d.]+\/)favicon/)[1];
  assert.equal((await fetch(`${srv.base}${base}fonts/Marianne-Regular.woff2`)).status, 200);
  assert.equal((await fetch(`${srv.base}${base}fonts/Marianne-Medium.woff2`)).status, 404);
});
