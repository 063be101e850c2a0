// web/e2e/chat.test.mjs — 채팅 in the browser: the history opens on the newest messages and
// older ones load when scrolled to the top; a message sent by A in the page appears live in
// B's page (EventSource) with no reload; after B's network drops and comes back, B's page
// reconnects and shows what was said meanwhile. Runs once the chat API answers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, loggedInContext, assertClean, axe, apiSignup, call, uniq, eventually, BASE, join, callUntil } from './lib.mjs';

let browser, A, B, a, cid;

before(async () => {
  browser = await launch();
  let b;
  [a, b] = await Promise.all([apiSignup('말하는이'), apiSignup('듣는이')]);
  const c = await call('POST', '/communities', { name: uniq('수다방'), description: '채팅', region: '대전', interest: 'social', max_members: 10 }, a.access_token);
  assert.equal(c.status, 201);
  cid = c.json.id;
  assert.equal((await join(cid, b.access_token)).status, 201);
  for (let i = 1; i <= 35; i++) {
    const r = await callUntil('POST', `/communities/${cid}/chat/messages`, { text: `기록 ${String(i).padStart(2, '0')}번` }, a.access_token, 201);
    assert.equal(r.status, 201, 'seed message ' + i);
  }
  [A, B] = await Promise.all([loggedInContext(browser, a), loggedInContext(browser, b)]);
});
after(async () => { for (const u of [A, B]) await u?.context.close(); await browser?.close(); });

const log = (p) => p.locator('ol.chat-log');

test('history: the newest messages first, older ones on scrolling up', { timeout: 40_000 }, async () => {
  const p = B.page;
  await p.goto(`${BASE}/c/${cid}/chat`);
  await log(p).getByText('기록 35번').waitFor();
  assert.equal(await log(p).getByText('기록 01번').count(), 0, 'the oldest is not loaded yet');
  await axe(p, 'chat');
  await eventually(async () => {
    await p.locator('.chat-scroll').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    return (await log(p).getByText('기록 01번').count()) === 1;
  });
  const texts = await log(p).locator('.text').allTextContents();
  assert.deepEqual(texts.slice(0, 3), ['기록 01번', '기록 02번', '기록 03번'], 'in time order');
  assert.equal(texts.length, 35, 'each message once');
});

test('a message A sends appears live in B\'s page', { timeout: 40_000 }, async () => {
  await A.page.goto(`${BASE}/c/${cid}/chat`);
  await A.page.locator('.chat-state[data-state="open"]').waitFor();
  await B.page.locator('.chat-state[data-state="open"]').waitFor();
  const text = '실시간 <i>안녕</i> ' + uniq('m');
  await A.page.getByLabel('메시지를 입력하세요').fill(text);
  await A.page.getByRole('button', { name: '보내기' }).click();
  await log(A.page).getByText(text).waitFor();
  await log(B.page).getByText(text, { exact: true }).waitFor({ timeout: 10_000 });
  assert.equal(await log(B.page).locator('i').count(), 0, 'text stays text');
  assert.equal(await log(A.page).getByText(text).count(), 1, 'the sender sees it once (POST answer and stream)');
});

test('B reconnects after the network drops and sees what was missed', { timeout: 60_000 }, async () => {
  await B.context.setOffline(true);
  await B.page.locator('.chat-state[data-state="reconnecting"]').waitFor({ timeout: 20_000 });
  const missed = '못 본 메시지 ' + uniq('x');
  assert.equal((await call('POST', `/communities/${cid}/chat/messages`, { text: missed }, a.access_token)).status, 201);
  await B.context.setOffline(false);
  await log(B.page).getByText(missed).waitFor({ timeout: 40_000 });
  await B.page.locator('.chat-state[data-state="open"]').waitFor({ timeout: 40_000 });
});

test('no CSP violation in the chat', async () => { await assertClean(A); await assertClean(B); });
