// Server-sent event streams hold no worker thread (issue 11): with two
// worker threads, 60 open streams leave the server answering other requests
// at once; the server stops promptly with streams open (they are closed, not
// waited for).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { demoDatabase } from '../support/directory.mjs';
import { addUser, login } from '../support/accounts.mjs';

test('60 open streams with 2 worker threads: other requests still answered, prompt stop', async () => {
  const { database } = demoDatabase();
  const srv = await startServer({ database, args: ['--worker-threads', '2'] });
  srv.dbPath = database.slice('sqlite:'.length);
  const s = await login(srv, await addUser(srv, { email: 'flux@example.org', role: 'responder', territory: 'normandie' }));
  const controllers = [];
  const opened = [];
  for (let i = 0; i < 60; i++) {
    const c = new AbortController();
    controllers.push(c);
    opened.push(fetch(`${srv.base}/api/v1/alerts/stream`, { headers: { cookie: s.cookie }, signal: c.signal })
      .then(async (res) => {
        assert.equal(res.status, 200);
        const reader = res.body.getReader();
        const first = await reader.read();  // the opening comment
        assert.match(new TextDecoder().decode(first.value), /retry: 5000/);
        return reader;
      }));
  }
  const readers = await Promise.all(opened);
  assert.equal(readers.length, 60);
  const t0 = Date.now();
  const answers = await Promise.all([
    fetch(`${srv.base}/healthz`), fetch(`${srv.base}/api/v1/alerts`, { headers: { cookie: s.cookie } }),
    fetch(`${srv.base}/healthz`), fetch(`${srv.base}/`),
  ]);
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 200]);
  assert.ok(Date.now() - t0 < 5000, `answered in ${Date.now() - t0} ms`);
  const stopping = Date.now();
  const exit = await srv.stop();
  assert.equal(exit.code, 0);
  assert.ok(Date.now() - stopping < 10000, `stopped in ${Date.now() - stopping} ms (drain timeout 20 s)`);
  for (const c of controllers) c.abort();
});
