// Helpers of the hostile suite: HTTP from a chosen loopback source address
// (so per-address limits apply as they would to distinct clients), raw
// socket exchanges, and the screening / recontact bodies.
import http from 'node:http';
import net from 'node:net';

export function request(base, { method = 'GET', path = '/', headers = {}, body, from = '127.0.0.1', timeout = 10000 } = {}) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, method, path, headers, localAddress: from, agent: false, timeout,
    }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    req.end();
  });
}

export const postJson = (base, path, body, opts = {}) => request(base, {
  method: 'POST', path, body, ...opts, headers: { 'content-type': 'application/json', ...(opts.headers || {}) },
});

// Sends `text` (string or Buffer, or an array written one after the other)
// and collects what comes back until the server closes or `wait` ms pass.
export function raw(port, text, { wait = 3000, from = '127.0.0.1' } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress: from });
    let out = '';
    let error = null;
    sock.on('connect', () => {
      for (const part of Array.isArray(text) ? text : [text]) sock.write(part);
    });
    sock.on('data', (d) => { out += d.toString('latin1'); });
    sock.on('error', (e) => { error = e; });
    const done = () => { clearTimeout(timer); sock.destroy(); resolve({ out, error }); };
    const timer = setTimeout(done, wait);
    sock.on('close', done);
  });
}

export const screening = (over = {}) => ({
  instrument: 'epds', language: 'fr', respondent: 'mother', period: 'postnatal',
  child_age_weeks: 6, postcode: '76000', source: 'direct', answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 3], ...over,
});

export const recontact = (screeningId, over = {}) => ({
  screening_id: screeningId, name: 'Camille', phone: '', email: '', may_leave_message: true,
  caller_intro: 'neutral', consent: true, ...over,
});

let phoneCounter = 10000000;
export const uniquePhone = () => `06${String(phoneCounter++).padStart(8, '0')}`;

export const EMERGENCY = [/3114/, /\b15\b/, /\b112\b/, /114 (par SMS|by text)/];
