// Driver of bench/alerts.sh: logs one responder in per territory, opens
// STREAMS server-sent-event streams spread over them, then creates recontact
// requests at RATE/s for SECONDS (open loop) and reports:
//   - the p50/p99 of the recontact request itself (to its 201);
//   - the p50/p99 from the 201 to the `created` event in each stream of the
//     request's territory (an event that arrives before the client has read
//     its 201 counts as 0 ms);
//   - deliveries missing, and events that reached another territory (must be 0).
// Prints "COOKIE <session cookie>" of the first territory last (the inbox run).
// Usage: node alerts_driver.mjs BASE PASSWORD_FILE STREAMS RATE SECONDS territory=otpauth-uri...
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';

const [base, pwFile, streamsArg, rateArg, secondsArg, ...userArgs] = process.argv.slice(2);
const password = readFileSync(pwFile, 'utf8').replace(/\n$/, '');
const STREAMS = Number(streamsArg), RATE = Number(rateArg), SECONDS = Number(secondsArg);
const POSTCODES = { 'hauts-de-france': '59000', normandie: '76000', martinique: '97200', occitanie: '34000',
  paca: '13001', 'centre-val-de-loire': '45000' };

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0; const out = [];
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c); bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}
function totp(secret) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const h = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1000000).padStart(6, '0');
}
function pct(values, p) {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

// Log in one responder per territory.
const sessions = {};
for (const arg of userArgs) {
  const [territory, uri] = arg.split(/=(.*)/s);
  const secret = new URL(uri).searchParams.get('secret');
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench.${territory}@example.org`, password, totp: totp(secret) }),
  });
  if (res.status !== 201) throw new Error(`login ${territory}: ${res.status} ${await res.text()}`);
  sessions[territory] = (res.headers.get('set-cookie') || '').split(';')[0];
}
const territories = Object.keys(sessions);

// Open the streams.
const created = new Map();  // reference -> { territory, t201 }
const arrivals = [];        // { reference, at }
let crossed = 0, opened = 0;
const perTerritoryStreams = Object.fromEntries(territories.map((t) => [t, 0]));
const controllers = [];
async function openStream(territory) {
  const controller = new AbortController();
  controllers.push(controller);
  const res = await fetch(`${base}/api/v1/alerts/stream`, { headers: { cookie: sessions[territory] }, signal: controller.signal });
  if (res.status !== 200) throw new Error(`stream ${territory}: ${res.status}`);
  perTerritoryStreams[territory]++;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '', first = true;
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (first) { first = false; opened++; }
        buffer += decoder.decode(value, { stream: true });
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (!block.includes('data:')) continue;
          const at = performance.now();
          // The event names its alert's territory: a stream is of one territory.
          // (Read with regular expressions: a full parse per stream would make
          // this client, not the server, the bottleneck.)
          const t = /"territory":"([^"]*)"/.exec(block)?.[1];
          if (t !== territory) crossed++;
          if (block.includes('"type":"created"')) {
            const ref = /"reference":"([^"]*)"/.exec(block)?.[1];
            if (ref) arrivals.push({ reference: ref, at, territory });
          }
        }
      }
    } catch { /* aborted at the end */ }
  })();
}
const opening = [];
for (let i = 0; i < STREAMS; i++) opening.push(openStream(territories[i % territories.length]));
await Promise.all(opening);
while (opened < STREAMS) await new Promise((r) => setTimeout(r, 50));

// Create recontact requests at RATE/s (open loop).
const requestMs = [];
let failures = 0, sent = 0, phone = 10000000;
const errors = {};
async function one(territory) {
  try {
    await oneRequest(territory);
  } catch (e) {
    // A connection the server closed under the client (eviction at the
    // connection cap, idle timeout): counted, not retried.
    failures++;
    const kind = e.cause?.code || e.name;
    errors[kind] = (errors[kind] || 0) + 1;
  }
}
async function oneRequest(territory) {
  const s = await fetch(`${base}/api/v1/screenings`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal',
      child_age_weeks: 6, postcode: POSTCODES[territory], source: 'direct', answers: [1, 1, 2, 1, 2, 2, 2, 2, 2, 3] }),
  });
  const sb = await s.json();
  if (s.status !== 201) { failures++; errors[`screening ${s.status}`] = (errors[`screening ${s.status}`] || 0) + 1; return; }
  const t0 = performance.now();
  const r = await fetch(`${base}/api/v1/recontact-requests`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ screening_id: sb.id, name: 'Mesure', phone: `06${phone++}`, may_leave_message: true,
      caller_intro: 'neutral', consent: true }),
  });
  const body = await r.json();
  const t1 = performance.now();
  if (r.status !== 201) { failures++; errors[`recontact ${r.status}`] = (errors[`recontact ${r.status}`] || 0) + 1; return; }
  requestMs.push(t1 - t0);
  created.set(body.reference, { territory, t201: t1 });
}
const inflight = [];
const start = performance.now();
const total = RATE * SECONDS;
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  inflight.push(one(territories[i % territories.length]));
  sent++;
}
await Promise.all(inflight);
const elapsed = (performance.now() - start) / 1000;
await new Promise((r) => setTimeout(r, 3000));  // stragglers
for (const c of controllers) c.abort();

const deliveryMs = [];
let delivered = 0;
for (const a of arrivals) {
  const c = created.get(a.reference);
  if (!c) continue;
  if (c.territory !== a.territory) continue;  // counted in `crossed`
  delivered++;
  deliveryMs.push(Math.max(0, a.at - c.t201));
}
let expected = 0;
for (const c of created.values()) expected += perTerritoryStreams[c.territory];
console.log(`streams open: ${STREAMS} (${territories.map((t) => `${t} ${perTerritoryStreams[t]}`).join(', ')})`);
console.log(`requests: ${sent} sent in ${elapsed.toFixed(1)} s (${(sent / elapsed).toFixed(0)}/s), ${created.size} created, ${failures} failed ${JSON.stringify(errors)}`);
console.log(`recontact request (to its 201): p50 ${fmt(pct(requestMs, 50))} ms, p99 ${fmt(pct(requestMs, 99))} ms`);
console.log(`201 -> event in the territory's streams: p50 ${fmt(pct(deliveryMs, 50))} ms, p99 ${fmt(pct(deliveryMs, 99))} ms, ratio to the request p99 ${fmt(pct(deliveryMs, 99) / pct(requestMs, 99))}`);
console.log(`deliveries: ${delivered} of ${expected} expected (${expected - delivered} missing); events in another territory's streams: ${crossed}`);
console.log(`COOKIE ${sessions[territories[0]]}`);
process.exit(0);
