// Connection-level abuse against the real program: idle connections and a
// slowloris client at the connection cap, a full worker queue, a departed
// client's request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { startServer } from '../support/server.mjs';
import { request, postJson, screening } from './support.mjs';

function open(port, from) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: from });
    s.on('error', () => {});
    s.once('connect', () => { s.didConnect = true; resolve(s); });
    setTimeout(() => resolve(s), 3000);
  });
}

// The server's unlabelled series on /metrics, by name.
async function gauges(srv, from) {
  const r = await request(srv.base, {
    path: '/metrics', from, headers: { authorization: `Bearer ${srv.metricsToken}` },
  });
  assert.equal(r.status, 200, r.text);
  const out = {};
  for (const m of r.text.matchAll(/^(parcours_\w+) (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

test('1,100 idle connections and a slowloris client do not stop a normal client from being served within 1 s', async () => {
  const srv = await startServer({ args: ['--max-connections', '1000'] });
  const sockets = [];
  try {
    // Slowloris: a header that never ends, one byte at a time.
    const slow = await open(srv.port, '127.0.0.81');
    sockets.push(slow);
    slow.write('POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\n');
    const drip = setInterval(() => { if (!slow.destroyed) slow.write('X'); }, 200);
    for (let i = 0; i < 1100; i++) {
      sockets.push(await open(srv.port, `127.0.1.${1 + (i % 200)}`));
    }
    const t0 = Date.now();
    const r = await request(srv.base, { path: '/healthz', from: '127.0.0.82', timeout: 1000 });
    const ms = Date.now() - t0;
    clearInterval(drip);
    assert.equal(r.status, 200);
    assert.ok(ms < 1000, `served in ${ms} ms`);
    // The server closed the oldest idle ones, never the new client. Only
    // sockets that did connect count: past the cap, at least (connected + 1
    // for the new client) - 1000 must have been closed. Closing is
    // asynchronous, so wait for it (a sanitizer build under load is slow).
    const connected = sockets.filter((s) => s.didConnect).length;
    const needed = connected + 1 - 1000;
    let closed = 0;
    for (let waited = 0; waited <= 5000; waited += 100) {
      closed = sockets.filter((s) => s.destroyed || s.readableEnded).length;
      if (closed >= needed) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(needed >= 90, `${connected} of 1,101 connected: the test did not reach the cap`);
    assert.ok(closed >= needed, `${closed} idle connections closed at the cap, ${needed} expected`);
  } finally {
    for (const s of sockets) s.destroy();
    await srv.stop();
  }
});

test('a full worker queue answers 503 with Retry-After; nothing else fails', async () => {
  const srv = await startServer({ args: ['--worker-threads', '1', '--worker-queue', '2'] });
  try {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      postJson(srv.base, '/api/v1/screenings', screening(), { from: `127.0.2.${1 + (i % 50)}` })));
    const statuses = results.map((r) => r.status);
    const refused = results.filter((r) => r.status === 503);
    assert.ok(refused.length > 0, `some refused: ${statuses.join(',')}`);
    for (const r of refused) {
      assert.ok(Number(r.headers['retry-after']) >= 1);
      assert.match(r.headers['x-request-id'] ?? '', /\S/, 'a refusal carries its request id');
    }
    assert.ok(statuses.every((s) => s === 201 || s === 503), statuses.join(','));
    assert.ok(statuses.includes(201));
    assert.equal((await gauges(srv, '127.0.2.99')).parcours_http_queue_full_total, refused.length,
      'every refusal counted on /metrics');
  } finally {
    await srv.stop();
  }
});

test('a request whose client left while it waited for a worker is not run', async () => {
  const srv = await startServer({ args: ['--worker-threads', '1', '--worker-queue', '1000'] });
  try {
    const body = JSON.stringify(screening());
    // Fill the single worker, then send requests and leave at once.
    const busy = Array.from({ length: 20 }, () => postJson(srv.base, '/api/v1/screenings', screening()));
    const left = [];
    for (let i = 0; i < 20; i++) {
      const s = await open(srv.port, '127.0.0.91');
      s.write(`POST /api/v1/screenings HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      left.push(s);
    }
    await new Promise((res) => setTimeout(res, 20));
    for (const s of left) s.destroy();
    await Promise.all(busy);
    await new Promise((res) => setTimeout(res, 500));
    const lines = srv.logs.map((l) => { try { return JSON.parse(l); } catch { return null; } })
      .filter((o) => o && o.msg === 'request' && o.route === '/api/v1/screenings');
    assert.ok(lines.length >= 20, 'the waiting clients were served');
    assert.ok(lines.length < 40, `${lines.length - 20} requests of departed clients ran`);
    // Each request that did not run was dropped and counted, or never read.
    const dropped = (await gauges(srv, '127.0.0.92')).parcours_http_departed_total;
    assert.ok(dropped >= 1 && dropped <= 40 - lines.length, `${dropped} counted as departed`);
  } finally {
    await srv.stop();
  }
});

test('a rate-limit refusal needs no worker: answered 429 while every worker waits and the queue is full', async () => {
  const srv = await startServer({
    args: ['--worker-threads', '1', '--worker-queue', '1', '--screening-limit', '2', '--rate-window', '600'],
    productionLimits: true,
  });
  let holder;
  try {
    const flooder = '127.0.2.201';
    for (let i = 0; i < 2; i++) {
      assert.equal((await postJson(srv.base, '/api/v1/screenings', screening(), { from: flooder })).status, 201);
    }
    // Another process takes SQLite's write lock: the next screening waits in
    // the only worker (busy timeout 5 s), the one after it in the queue.
    holder = spawn('/usr/bin/python3', ['-c', [
      'import sqlite3, sys',
      'c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)',
      'c.execute("BEGIN EXCLUSIVE")',
      'print("locked", flush=True)',
      'sys.stdin.read()',
    ].join('\n'), srv.dbPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((resolve, reject) => {
      holder.stdout.once('data', resolve);
      holder.once('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
    });
    // Wait, on the server's own gauges (answered on the I/O thread), until
    // the first request runs and then until the second waits in the queue: a
    // slow machine may take longer than any fixed pause, and the second sent
    // before the worker took the first would find the queue full.
    const until = async (what, ok) => {
      let g = {};
      for (let i = 0; i < 100; i++) {
        g = await gauges(srv, `127.0.3.${1 + i}`);
        if (ok(g)) return;
        await new Promise((res) => setTimeout(res, 20));
      }
      assert.fail(`${what}: ${JSON.stringify(g)}`);
    };
    const waiting = [postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.2.127' })];
    await until('the only worker waits for the lock',
      (g) => g.parcours_http_workers_busy === 1 && g.parcours_http_worker_queue === 0);
    waiting.push(postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.2.128' }));
    await until('the second request waits in the queue', (g) => g.parcours_http_worker_queue === 1);
    const full = await postJson(srv.base, '/api/v1/screenings', screening(), { from: '127.0.2.129' });
    assert.equal(full.status, 503, 'the queue is full');
    assert.equal((await gauges(srv, '127.0.3.201')).parcours_http_queue_full_total, 1);
    const t0 = Date.now();
    const third = await postJson(srv.base, '/api/v1/screenings', screening(), { from: flooder });
    assert.equal(third.status, 429, `the flooder's third screening: ${third.status}`);
    assert.ok(Date.now() - t0 < 1000, `answered in ${Date.now() - t0} ms`);
    assert.ok(Number(third.headers['retry-after']) >= 1);
    holder.stdin.end();
    const done = await Promise.all(waiting);
    assert.deepEqual(done.map((r) => r.status), [201, 201]);
  } finally {
    if (holder && holder.exitCode === null) holder.kill();
    await srv.stop();
  }
});
