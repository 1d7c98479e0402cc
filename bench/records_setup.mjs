// bench/records.sh helper: through the running server at BASE, signs the
// bench account in (password + TOTP computed from its secret), stores 10
// self-screenings by the API, asks a share code for each, creates one
// follow-up record and attaches the 10 screenings with their codes.
// Prints one JSON line: {"record","cookie"}.
// Usage: node bench/records_setup.mjs BASE EMAIL PASSWORD TOTP_SECRET
import { totp } from '../tests/support/accounts.mjs';

const [base, email, password, secret] = process.argv.slice(2);

async function json(path, body, headers = {}) {
  const res = await fetch(base + path, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return { res, body: await res.json() };
}

const login = await json('/api/v1/session', { email, password, totp: totp(secret) });
const cookie = (login.res.headers.get('set-cookie') || '').split(';')[0];
const csrf = login.body.csrf_token;

async function form(path, fields) {
  const res = await fetch(base + path, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf_token: csrf, ...fields }).toString(),
  });
  if (res.status !== 303) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.headers.get('location');
}

const location = await form('/pro/dossiers', {
  respondent: 'mother', name: 'Bench', birth_year: '1990', birth_date_kind: 'actual',
  child_birth_date: new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10),
});
const record = location.split('/').pop();
for (let i = 0; i < 10; i++) {
  const answers = Array.from({ length: 10 }, (_, k) => (i + k) % 4);
  const s = await json('/api/v1/screenings', {
    instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal',
    child_age_weeks: 4 + i, postcode: '76000', source: 'bench', answers,
  });
  const code = await json(`/api/v1/screenings/${s.body.id}/share-code`, {});
  await form(`/pro/dossiers/${record}/code`, { code: code.body.code });
}
console.log(JSON.stringify({ record, cookie }));
