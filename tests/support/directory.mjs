// Prepares a database holding the demo directory (and optional CLI steps)
// before a server is started on it, for the directory tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from './server.mjs';

export function cli(database, args) {
  return execFileSync(BIN, [...args, '--database', database], { encoding: 'utf8' });
}

// A new SQLite database with the demo directory loaded.
export function demoDatabase() {
  const dir = mkdtempSync(path.join(tmpdir(), 'parcours-dir-'));
  const database = `sqlite:${path.join(dir, 'parcours.db')}`;
  cli(database, ['demo', 'load']);
  return { dir, database };
}
