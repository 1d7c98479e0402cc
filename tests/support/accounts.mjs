// Professionals' accounts for the tests: `parcours user …` on the server's
// database, and TOTP codes computed here from the secret (RFC 6238, SHA-1,
// 6 digits, 30 s), as an authenticator app would.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN } from './server.mjs';

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

export function totp(secretBase32, atMs = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 1000 / 30)));
  const h = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}

// A code for a time step not used yet by this secret (a code is accepted once).
const lastStep = new Map();
export async function freshTotp(secretBase32) {
  for (;;) {
    const step = Math.floor(Date.now() / 30000);
    if (lastStep.get(secretBase32) !== step) {
      lastStep.set(secretBase32, step);
      return totp(secretBase32);
    }
    await new Promise((r) => setTimeout(r, 30000 - (Date.now() % 30000) + 50));
  }
}

// Runs `parcours ARGS` on the server's database; resolves to stdout, rejects
// with an Error carrying status and stderr. Asynchronous, so the test's
// HTTP connections keep being served meanwhile.
export function cli(srv, args) {
  return new Promise((resolve, reject) => {
    execFile(BIN, [...args, '--database', `sqlite:${srv.dbPath}`], { encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          reject(Object.assign(new Error(`parcours ${args.join(' ')}: ${stderr}`), { status: err.code, stderr }));
        } else {
          resolve(stdout);
        }
      });
  });
}

// Creates an account with `parcours user add`; returns its secret and password.
export async function addUser(srv, { email, name = 'Test', role, territory, subTerritory, phone, password = 'un mot de passe de test' }) {
  const file = path.join(srv.dir, `pw-${email}`);
  writeFileSync(file, password + '\n');
  const args = ['user', 'add', '--email', email, '--name', name, '--role', role, '--password-file', file];
  if (territory) args.push('--territory', territory);
  if (subTerritory) args.push('--sub-territory', subTerritory);
  if (phone) args.push('--phone', phone);
  const out = await cli(srv, args);
  const m = /^totp_uri=(otpauth:\/\/totp\/\S+)\n$/.exec(out);
  if (!m) throw new Error(`unexpected output: ${out}`);
  const secret = new URL(m[1]).searchParams.get('secret');
  return { email, password, secret, uri: m[1] };
}

export async function login(srv, user, extraHeaders = {}) {
  const res = await fetch(`${srv.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...extraHeaders },
    body: JSON.stringify({ email: user.email, password: user.password, totp: await freshTotp(user.secret) }),
  });
  const body = await res.json();
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  return { res, body, cookie, csrf: body.csrf_token };
}
