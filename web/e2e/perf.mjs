// web/e2e/perf.mjs — measures the first screen (run by dev/web-perf, not a test): the home
// page until its first community card is drawn, cold and warm, plain and on an emulated
// phone. "first content" is when the first card exists (performance.now() from the
// navigation start); bytes are what the network carried (navigation + every resource,
// API calls included) as the Resource Timing API reports them.

import { launch, apiSignup, call, uniq, BASE } from './lib.mjs';

const runs = Number(process.argv[2] || 5);
const browser = await launch();
// Something to show: a community, so the first screen has a card.
const a = await apiSignup('측정');
await call('POST', '/communities', { name: uniq('측정모임'), description: '첫 화면', region: '서울', interest: 'hiking', max_members: 10 }, a.access_token);

async function load(page) {
  await page.goto(BASE + '/', { waitUntil: 'commit' });
  await page.locator('li.card').first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('load');
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const card = performance.getEntriesByName('first-card')[0];
    return { bytes: nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0),
      shellBytes: nav.transferSize + res.filter((e) => !new URL(e.name).pathname.startsWith('/api/')).reduce((s, e) => s + e.transferSize, 0),
      fcp: fcp ? fcp.startTime : null, content: card ? card.startTime : null, requests: res.length + 1 };
  });
}

const median = (xs) => { const s = xs.filter((x) => x != null).sort((p, q) => p - q); return s.length ? s[Math.floor(s.length / 2)] : null; };

async function measure(phone) {
  const cold = [], warm = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ko-KR' } : { locale: 'ko-KR' });
    // The moment the first card is in the page, as a performance mark.
    await ctx.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('li.card')) { performance.mark('first-card'); obs.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await ctx.newPage();
    if (phone) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    cold.push(await load(page));
    warm.push(await load(page));
    await ctx.close();
  }
  return { cold, warm };
}

const rows = [];
for (const phone of [false, true]) {
  const r = await measure(phone);
  for (const kind of ['cold', 'warm']) {
    const xs = r[kind];
    rows.push(`| ${phone ? 'phone (150 ms, 1.6 Mbit/s, CPU 4x)' : 'local'} | ${kind} | ${Math.round(median(xs.map((x) => x.content)))} | ${Math.round(median(xs.map((x) => x.fcp)) ?? 0)} | ${median(xs.map((x) => x.bytes))} | ${median(xs.map((x) => x.shellBytes))} | ${median(xs.map((x) => x.requests))} |`);
  }
}
console.log(`\nFirst screen of ${BASE}/ (logged out, home with one card), median of ${runs} runs, Chromium ${browser.version()}:\n`);
console.log('| network | cache | first content (ms) | FCP (ms) | bytes transferred | of which app shell | requests |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
await browser.close();
