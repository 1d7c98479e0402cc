// Reads the test server's SQLite database with the sqlite3 command-line tool
// (Debian package sqlite3), to prove what was and was not stored.
import { execFileSync } from 'node:child_process';

export function sqlite(dbPath, sql) {
  const out = execFileSync('sqlite3', ['-json', `file:${dbPath}?mode=ro`, sql], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

export function count(dbPath, table) {
  return sqlite(dbPath, `SELECT count(*) AS n FROM ${table}`)[0].n;
}
