// Open-loop load for bench/abuse.sh: RATE requests/s spread over CLIENTS
// distinct loopback source addresses (FIRST_ADDRESS, then the next ones),
// each with its own keep-alive connections, for SECONDS. Prints one JSON
// line: sent, status counts, latency percentiles (ms) of the answered ones.
// Usage: node abuse_driver.mjs URL RATE CLIENTS FIRST_ADDRESS SECONDS KIND
//   KIND: screening (POST /api/v1/screenings) | methods (random 2,000-char
//   methods, COUNT=RATE×SECONDS requests as fast as answered) | capacity
//   (closed loop: screenings with RATE requests always in flight, for
//   SECONDS; the rate this client and the server reach together on the
//   machine, in "rps")
import http from 'node:http';

const [url, rateS, clientsS, first, secondsS, kind = 'screening'] = process.argv.slice(2);
const base = new URL(url);
const rate = Number(rateS);
const clients = Number(clientsS);
const seconds = Number(secondsS);
const [a, b, c, d] = first.split('.').map(Number);
const address = (i) => {
  const n = (b << 16) + (c << 8) + d + i;
  return `${a}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};
const agents = Array.from({ length: clients }, (_, i) => new http.Agent({
  keepAlive: true, maxSockets: kind === 'capacity' ? Math.max(16, Math.ceil(rate / clients)) : 16,
  localAddress: address(i),
}));
const postcodes = ['59000', '76000', '97200', '13001', '34000', '45000', '75011', '62100'];
const body = () => JSON.stringify({
  instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal',
  child_age_weeks: Math.floor(Math.random() * 52), source: 'bench',
  postcode: postcodes[Math.floor(Math.random() * postcodes.length)],
  answers: Array.from({ length: 10 }, () => Math.floor(Math.random() * 4)),
});
const randomMethod = () => {
  let m = '';
  for (let i = 0; i < 2000; i++) m += String.fromCharCode(65 + Math.floor(Math.random() * 26));
  return m;
};

const statuses = {};
const latencies = [];
let sent = 0;
let pending = 0;
let maxBurst = 0;
function fire(i) {
  const t0 = process.hrtime.bigint();
  sent++;
  pending++;
  const screening = kind !== 'methods';
  const payload = screening ? body() : undefined;
  const req = http.request({
    host: base.hostname, port: base.port, agent: agents[i % clients],
    method: screening ? 'POST' : randomMethod(), path: screening ? '/api/v1/screenings' : '/api/v1/x',
    headers: screening ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
  }, (res) => {
    res.resume();
    res.on('end', () => {
      pending--;
      statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  });
  req.on('error', (e) => { pending--; statuses[e.code || 'error'] = (statuses[e.code || 'error'] || 0) + 1; });
  req.end(payload);
}

const start = Date.now();
if (kind === 'methods') {
  const total = rate * seconds;
  let next = 0;
  await new Promise((resolve) => {
    const pump = () => {
      while (pending < 64 && next < total) fire(next++);
      if (next >= total && pending === 0) return resolve();
      setTimeout(pump, 1);
    };
    pump();
  });
} else if (kind === 'capacity') {
  let next = 0;
  await new Promise((resolve) => {
    const pump = () => {
      const open = (Date.now() - start) / 1000 < seconds;
      while (open && pending < rate) fire(next++);
      if (!open && pending === 0) return resolve();
      setTimeout(pump, 1);
    };
    pump();
  });
} else {
  // Ticks of 10 ms: send what the schedule owes, whatever came back.
  let i = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (Date.now() - start) / 1000;
      if (elapsed >= seconds) { clearInterval(timer); return resolve(); }
      const owed = Math.floor(elapsed * rate) - sent;
      // A late tick (this process descheduled, or collecting garbage) sends
      // what it owes at once: the largest such burst is reported.
      maxBurst = Math.max(maxBurst, owed);
      for (let k = 0; k < owed; k++) fire(i++);
    }, 10);
  });
  const drainUntil = Date.now() + 10000;
  while (pending > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
}
latencies.sort((x, y) => x - y);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null);
const elapsed = (Date.now() - start) / 1000;
console.log(JSON.stringify({
  sent, seconds: elapsed, statuses, unanswered: pending,
  rps: Math.round(((statuses[201] || 0) / elapsed) * 100) / 100,
  p50_ms: pct(0.5), p99_ms: pct(0.99), max_ms: latencies[latencies.length - 1] ?? null,
  max_burst: maxBurst,
}));
for (const ag of agents) ag.destroy();
