// A temporary copy of the share directory (templates/, data/, static/ and
// node_modules/ linked, data/ copied) whose data files a test may edit, to
// start the real program on a configuration that differs from the shipped one.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from './server.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function shareCopy() {
  const dir = mkdtempSync(path.join(tmpdir(), 'parcours-share-'));
  for (const d of ['templates', 'static', 'node_modules']) symlinkSync(path.join(ROOT, d), path.join(dir, d));
  cpSync(path.join(ROOT, 'data'), path.join(dir, 'data'), { recursive: true });
  return {
    dir,
    read(rel) { return JSON.parse(readFileSync(path.join(dir, 'data', rel), 'utf8')); },
    write(rel, obj) { writeFileSync(path.join(dir, 'data', rel), JSON.stringify(obj, null, 1)); },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}

// Runs `parcours serve` on a fresh database with --share-dir and returns how
// it ended: { code, stderr, listening } (stopped at once if it did start).
export function tryServe(shareDir) {
  const db = mkdtempSync(path.join(tmpdir(), 'parcours-db-'));
  return new Promise((resolve) => {
    const child = spawn(BIN, ['serve', '--database', `sqlite:${path.join(db, 'p.db')}`, '--port', '0',
      '--share-dir', shareDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let listening = false;
    child.stderr.on('data', (d) => {
      stderr += d.toString();
      if (!listening && /"msg":"listening"/.test(stderr)) { listening = true; child.kill('SIGTERM'); }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(db, { recursive: true, force: true });
      resolve({ code, stderr, listening });
    });
  });
}
