// The outbox under several instances on one PostgreSQL (issue 12), run by
// ./test through scripts/with-postgres.sh (PARCOURS_TEST_PG_URL):
// - two `parcours jobs run` workers drain 10,000 messages (5,000 e-mails and
//   5,000 SMS) to the real SMTP server and the gateway: each exactly once;
// - SIGKILL of one of two workers mid-drain: nothing lost; an SMS resent
//   only with its idempotency key; an e-mail at most once more (same
//   Message-ID), and only for the sends the killed worker had begun.
// Jobs runs rather than full servers keep ./test short; they share the
// claiming code with `serve`'s scheduler.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from '../support/server.mjs';
import { startSinks, waitFor } from '../support/outbox_sinks.mjs';

const pgUrl = process.env.PARCOURS_TEST_PG_URL;
if (!pgUrl) throw new Error('run through scripts/with-postgres.sh (PARCOURS_TEST_PG_URL is not set)');

const dir = mkdtempSync(path.join(tmpdir(), 'parcours-reliability-'));
const keyFile = path.join(dir, 'contact.key');
let sinks;
// Each test gets its own schema, so counts start from zero.
let schema = 0;
let database;

function psql(sql) {
  return execFileSync('psql', ['-X', '-q', '-t', '-A', '-d', pgUrl, '-c', sql], { encoding: 'utf8' }).trim();
}

function run(args) {
  return execFileSync(BIN, [...args, '--database', database, '--key-file', keyFile], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function worker(extra = []) {
  const child = spawn(BIN, ['jobs', 'run', '--database', database, '--key-file', keyFile,
    ...sinks.args, '--outbox-workers', '2', '--outbox-lease', '4', ...extra],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => stderr.push(String(d)));
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr: stderr.join('') })));
  return { child, done };
}

function newSchema() {
  schema += 1;
  const name = `rel_${process.pid}_${schema}`;
  psql(`CREATE SCHEMA ${name}`);
  database = `${pgUrl}?options=-csearch_path%3D${name}`;
  run(['migrate']);
}

function tally() {
  const mails = new Map();
  for (const m of sinks.smtp.records()) mails.set(m.message_id, (mails.get(m.message_id) || 0) + 1);
  const keys = new Map();
  let duplicates = 0;
  for (const s of sinks.sms.records()) {
    keys.set(s.idempotency_key, (keys.get(s.idempotency_key) || 0) + 1);
    if (s.duplicate) duplicates += 1;
  }
  return { mails, keys, duplicates };
}

before(async () => {
  sinks = await startSinks();
  // A key for the database (created on first use by `migrate` for SQLite;
  // given for PostgreSQL).
  execFileSync('sh', ['-c', `head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > ${keyFile}; chmod 600 ${keyFile}`]);
});
after(async () => {
  await sinks?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('two instances send each of 10,000 messages exactly once', { timeout: 20 * 60 * 1000 }, async () => {
  newSchema();
  const mailsBefore = sinks.smtp.records().length;
  const smsBefore = sinks.sms.records().length;
  run(['outbox', 'test', '--email', 'sink@parcours.test', '--phone', '+33600000001', '--count', '5000']);
  assert.equal(Number(psql(`SELECT count(*) FROM ${`rel_${process.pid}_${schema}`}.outbox_messages`)), 10000);
  const a = worker();
  const b = worker();
  const [ra, rb] = await Promise.all([a.done, b.done]);
  assert.equal(ra.code, 0, ra.stderr.slice(-2000));
  assert.equal(rb.code, 0, rb.stderr.slice(-2000));
  const s = `rel_${process.pid}_${schema}`;
  assert.equal(psql(`SELECT string_agg(status || ':' || n, ',') FROM (SELECT status, count(*) AS n FROM ${s}.outbox_messages GROUP BY status) x`), 'sent:10000');
  const mails = sinks.smtp.records().slice(mailsBefore);
  const sms = sinks.sms.records().slice(smsBefore);
  assert.equal(mails.length, 5000);
  assert.equal(new Set(mails.map((m) => m.message_id)).size, 5000);
  assert.equal(sms.length, 5000);
  assert.equal(new Set(sms.map((m) => m.idempotency_key)).size, 5000);
  // Both instances took part.
  const owners = psql(`SELECT count(DISTINCT lease_owner) FROM ${s}.outbox_messages`);
  assert.equal(owners, '0');  // leases are released when a message is done
  assert.ok(ra.stderr.includes('"job":"outbox"') && rb.stderr.includes('"job":"outbox"'),
    'both workers sent messages');
});

test('SIGKILL of an instance mid-drain loses nothing and duplicates only within the rules', { timeout: 10 * 60 * 1000 }, async () => {
  newSchema();
  const s = `rel_${process.pid}_${schema}`;
  const mailsBefore = sinks.smtp.records().length;
  const smsBefore = sinks.sms.records().length;
  run(['outbox', 'test', '--email', 'sink@parcours.test', '--phone', '+33600000002', '--count', '1500']);
  const victim = worker();
  const other = worker();
  // Kill one once sending is well under way.
  await waitFor(() => sinks.smtp.records().length - mailsBefore > 300, 120000, 'sending to start');
  victim.child.kill('SIGKILL');
  const killed = await victim.done;
  assert.equal(killed.signal, 'SIGKILL');
  const begun = psql(`SELECT count(*) FROM ${s}.outbox_messages WHERE channel = 'email' AND status = 'pending' AND starts > attempts`);
  await other.done;
  // What the killed instance held comes back once its lease (4 s) expires.
  await new Promise((r) => setTimeout(r, 4500));
  const last = worker();
  assert.equal((await last.done).code, 0);
  assert.equal(psql(`SELECT string_agg(status || ':' || n, ',') FROM (SELECT status, count(*) AS n FROM ${s}.outbox_messages GROUP BY status) x`), 'sent:3000');
  const mails = sinks.smtp.records().slice(mailsBefore);
  const sms = sinks.sms.records().slice(smsBefore);
  const perMail = new Map();
  for (const m of mails) perMail.set(m.message_id, (perMail.get(m.message_id) || 0) + 1);
  assert.equal(perMail.size, 1500, 'every e-mail arrived');
  const twice = [...perMail.values()].filter((n) => n === 2).length;
  assert.ok([...perMail.values()].every((n) => n <= 2), 'an e-mail arrives at most twice');
  // Only a send the killed worker had begun (2 workers: at most 2 at once).
  assert.ok(twice <= Math.max(2, Number(begun)), `${twice} e-mails twice, ${begun} begun at the kill`);
  const keys = new Set(sms.map((m) => m.idempotency_key));
  assert.equal(keys.size, 1500, 'every SMS arrived');
  // Any SMS posted again carried its key: the gateway sent it once.
  const reposted = sms.filter((m) => m.duplicate).length;
  assert.equal(sms.length - reposted, 1500);
});
