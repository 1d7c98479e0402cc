// The CSS bundle ships the DSFR core and only the components the pages use
// (src/http/static_assets.cpp). This fails when a template uses a DSFR class
// that the shipped CSS does not define, i.e. when a component was left out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
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
  // Accordions are not used by any page, so their CSS is not shipped.
  assert.ok(!/\.fr-accordion(?![\w-])/.test(css));
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

// Static files up to 64 KB are sent with sendfile(2) (server.cpp); larger
// ones are copied. Both must give the exact bytes, on reused connections,
// and a client leaving mid-response must not hurt the server.
function get(url, headers, agent) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('static files: exact bytes, gzip or not, on one keep-alive connection', async () => {
  const css = (await (await fetch(`${srv.base}/`)).text()).match(/href="(\/static\/dsfr\/[^"]*\/dsfr\.css)"/)[1];
  const html = await (await fetch(`${srv.base}/`)).text();
  const base = html.match(/href="(\/static\/dsfr\/[\d.]+\/)favicon/)[1];
  const font = `${base}fonts/Marianne-Bold.woff2`;
  const onDisk = readFileSync(path.resolve(import.meta.dirname,
    '../../node_modules/@gouvfr/dsfr/dist/fonts/Marianne-Bold.woff2'));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const plain = await get(srv.base + css, {}, agent);
  assert.ok(plain.body.length > 64 * 1024, 'the uncompressed bundle takes the copying path');
  for (let i = 0; i < 20; i++) {
    const gz = await get(srv.base + css, { 'accept-encoding': 'gzip' }, agent);
    assert.equal(gz.res.headers['content-encoding'], 'gzip');
    assert.ok(gz.body.length <= 64 * 1024, 'the gzip bundle takes the sendfile path');
    assert.ok(zlib.gunzipSync(gz.body).equals(plain.body), `gzip body ${i}`);
    const f = await get(srv.base + font, {}, agent);
    assert.equal(f.res.statusCode, 200);
    assert.ok(f.body.equals(onDisk), `font body ${i}`);
    assert.equal(Number(f.res.headers['content-length']), onDisk.length);
  }
  const head = await new Promise((resolve, reject) => {
    http.request(srv.base + font, { method: 'HEAD', agent }, resolve).on('error', reject).end();
  });
  assert.equal(Number(head.headers['content-length']), onDisk.length);
  agent.destroy();
});

test('static files: clients leaving mid-response do not hurt the server', async () => {
  const html = await (await fetch(`${srv.base}/`)).text();
  const font = `${html.match(/href="(\/static\/dsfr\/[\d.]+\/)favicon/)[1]}fonts/Marianne-Regular.woff2`;
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => {
      const sock = net.connect(srv.port, '127.0.0.1', () => {
        sock.write(`GET ${font} HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(3));
      });
      sock.once('data', () => { sock.resetAndDestroy(); resolve(); });
      sock.on('error', resolve);
    });
  }
  const res = await fetch(`${srv.base}/healthz`);
  assert.equal(res.status, 200);
  assert.equal(srv.child.exitCode, null);
});
