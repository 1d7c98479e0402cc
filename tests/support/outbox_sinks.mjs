// The real SMTP server (tests/support/smtp_sink.py, python3-aiosmtpd) and
// the local SMS gateway (tests/support/sms_gateway.mjs) on loopback, started
// for a test and stopped after it. Each records what it accepted as JSON
// lines; `fail(answer)` makes it refuse until `recover()`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

function startChild(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const errors = [];
  child.stderr.on('data', (d) => errors.push(String(d)));
  const port = new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${errors.join('')}`)), 20000);
    rl.on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited ${code}: ${errors.join('')}`)); });
  });
  return { child, port };
}

function readLines(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function started(dir, name, cmd, args) {
  const log = path.join(dir, `${name}.jsonl`);
  const control = path.join(dir, `${name}.fail`);
  const { child, port } = startChild(cmd, [...args, '--log', log, '--control', control]);
  return {
    port: await port,
    child,
    records: () => readLines(log),
    fail: (answer) => writeFileSync(control, String(answer)),
    recover: () => rmSync(control, { force: true }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.on('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
    },
  };
}

export async function startSinks() {
  const dir = mkdtempSync(path.join(tmpdir(), 'parcours-sinks-'));
  // Debian's interpreter: python3-aiosmtpd is a Debian package (a python3
  // earlier on PATH, e.g. pyenv's, does not see it).
  const smtp = await started(dir, 'smtp', '/usr/bin/python3',
    [path.resolve(import.meta.dirname, 'smtp_sink.py')]);
  const sms = await started(dir, 'sms', process.execPath,
    [path.resolve(import.meta.dirname, 'sms_gateway.mjs')]);
  return {
    smtp,
    sms,
    // The settings pointing `parcours` at both.
    args: ['--smtp-url', `smtp://127.0.0.1:${smtp.port}`,
      '--smtp-from', 'Parcours DPP <ne-pas-repondre@parcours.test>',
      '--sms-gateway-url', `http://127.0.0.1:${sms.port}/sms`,
      '--sms-gateway-auth', 'Authorization: Bearer gateway-test-token'],
    async stop() {
      await smtp.stop();
      await sms.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Polls `probe` until it returns a truthy value or `ms` pass.
export async function waitFor(probe, ms = 60000, what = 'condition') {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
