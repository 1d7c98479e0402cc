// A local SMS gateway for the tests and bench/outbox.sh: accepts POST
// requests like a French SMS provider's HTTP API, records each one as a JSON
// line of --log ({"idempotency_key", "authorization", "body", "duplicate"}),
// and answers 200, or — while the file --control exists — the status it
// holds (e.g. 503 or 400). A request whose Idempotency-Key was already
// accepted is answered 200 and recorded with "duplicate": true (a real
// gateway would not send it twice). Prints "listening PORT" once ready.
import { createServer } from 'node:http';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
    return acc;
  }, []),
);
const log = args.log;
const control = args.control || '';
const seen = new Set();

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (control && existsSync(control)) {
      const status = Number(readFileSync(control, 'utf8').trim()) || 503;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{"error":"told to fail"}');
      return;
    }
    const key = req.headers['idempotency-key'] || '';
    const duplicate = key !== '' && seen.has(key);
    seen.add(key);
    let body = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"not JSON"}');
      return;
    }
    appendFileSync(
      log,
      JSON.stringify({
        idempotency_key: key,
        authorization: req.headers.authorization || '',
        body,
        duplicate,
      }) + '\n',
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"queued"}');
  });
});
server.keepAliveTimeout = 30000;
server.listen(Number(args.port || 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
