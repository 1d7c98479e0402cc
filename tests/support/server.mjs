// Starts the real `parcours` program (PARCOURS_BIN) on a free port with a
// fresh SQLite database, for functional and browser tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const BIN = process.env.PARCOURS_BIN ||
  path.resolve(import.meta.dirname, '../../build-asan/parcours');

// Functional and browser tests send many requests from one address: they
// run with generous per-address limits unless `productionLimits` is set
// (tests/hostile checks the shipped defaults). /metrics gets a token.
const RELAXED_LIMITS = ['--screening-limit', '100000', '--recontact-limit', '100000',
  '--lookup-limit', '100000', '--flood-threshold', '100000'];

export async function startServer({ args = [], env = {}, database, productionLimits = false } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'parcours-test-'));
  const dbPath = path.join(dir, 'parcours.db');
  const db = database || `sqlite:${dbPath}`;
  const metricsToken = 'test-metrics-token';
  const limits = productionLimits ? [] : RELAXED_LIMITS;
  const child = spawn(BIN, ['serve', '--database', db, '--port', '0',
    '--metrics-token', metricsToken, ...limits, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stderr });
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + logs.join('\n'))), 30000);
    rl.on('line', (line) => {
      logs.push(line);
      try {
        const o = JSON.parse(line);
        if (o.msg === 'listening') { clearTimeout(timer); resolve(o.port); }
      } catch { /* not JSON: sanitizer output, kept in logs */ }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${logs.join('\n')}`)); });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base, port, dir, dbPath, child, logs, exited, metricsToken,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const r = await exited;
      rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
}
