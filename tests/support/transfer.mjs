// Bytes transferred by a page load, as Chromium counts them (CDP
// Network.loadingFinished encodedDataLength: headers + body as sent on the
// wire, i.e. gzip-compressed when the server compressed it).
export async function measureTransfer(context, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Caching disabled so that only a first visit can be measured: a fresh
  // context has an empty cache anyway, this also rules out the memory cache.
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = new Map();
  const sizes = new Map();
  const failed = [];
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  cdp.on('Network.loadingFailed', (e) => failed.push(urls.get(e.requestId)));
  const response = await page.goto(url, { waitUntil: 'load' });
  // Web fonts are requested once text is laid out: wait until they are in.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForLoadState('networkidle');
  // data: URLs (inline SVG in the CSS) cost nothing on the wire.
  const resources = [...sizes].filter(([id]) => !String(urls.get(id)).startsWith('data:'))
    .map(([id, bytes]) => ({ url: urls.get(id), bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  const total = resources.reduce((s, r) => s + r.bytes, 0);
  return { page, status: response.status(), total, resources, failed };
}

export function formatTransfer({ total, resources }) {
  const lines = resources.map((r) => `  ${String(r.bytes).padStart(8)} B  ${r.url.replace(/^https?:\/\/[^/]+/, '')}`);
  return `${(total / 1024).toFixed(1)} KiB (${total} B) in ${resources.length} responses\n${lines.join('\n')}`;
}
