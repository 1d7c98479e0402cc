// Reads the alert inbox's server-sent events (/api/v1/alerts/stream) in the
// background: `events` ({id, event, data}) and `comments` (": …" lines:
// the opening comment and the heartbeats) grow until close().
export function openStream(base, session, lastEventId) {
  const controller = new AbortController();
  const state = { events: [], comments: 0, status: 0, type: '', closed: false };
  const headers = { cookie: session.cookie, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  state.ready = fetch(`${base}/api/v1/alerts/stream`, {
    headers, signal: controller.signal,
  }).then(async (res) => {
    state.status = res.status;
    state.type = res.headers.get('content-type') || '';
    if (res.status !== 200) { state.closed = true; return; }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let i;
          while ((i = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const ev = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) { state.comments++; continue; }
              const c = line.indexOf(':');
              if (c > 0) ev[line.slice(0, c)] = line.slice(c + 1).trim();
            }
            if (ev.event) state.events.push({ ...ev, data: JSON.parse(ev.data) });
          }
        }
      } catch { /* aborted */ }
      state.closed = true;
    })();
  });
  state.close = () => controller.abort();
  return state;
}

// Polls `predicate` every 50 ms for up to `ms`; its last value.
export async function until(predicate, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}
