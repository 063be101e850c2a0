// web/e2e/screens.mjs — screenshots of the main screens on a phone-sized viewport (run by
// dev/screens, not a test). It makes its own users and content through the API first.

import { join } from 'node:path';
import { launch, userContext, loggedInContext, apiSignup, call, uniq, eventually, BASE } from './lib.mjs';

const out = process.argv[2] || 'docs/screens';
const browser = await launch();
const [a, b, c] = await Promise.all([apiSignup('김모임', ['hiking', 'camping']), apiSignup('이참여', ['hiking']), apiSignup('박대기', ['hiking'])]);
const tag = uniq('').slice(-4);
const com = (await call('POST', '/communities', { name: `주말 북한산 산악회 ${tag}`, description: '매주 토요일 아침, 북한산 둘레길부터 백운대까지 함께 걸어요. 초보 환영!',
  region: '서울', interest: 'hiking', max_members: 30 }, a.access_token)).json;
await call('POST', '/communities', { name: `한강 캠핑 모임 ${tag}`, description: '난지 캠핑장에서 한 달에 한 번', region: '서울', interest: 'camping', max_members: 20 }, a.access_token);
for (const u of [b, c]) await call('POST', `/communities/${com.id}/members`, undefined, u.access_token);
const post = (await call('POST', `/communities/${com.id}/posts`, { title: '이번 주 토요일 산행 공지', body: '아침 8시 구기분소 앞에서 만나요.\n물과 간식은 각자 챙겨 주세요.' }, a.access_token)).json;
await call('POST', `/posts/${post.id}/comments`, { body: '저도 갈게요! 👍' }, b.access_token);
await call('POST', `/posts/${post.id}/comments`, { body: '처음인데 괜찮을까요?' }, c.access_token);
await call('PUT', `/likes/post/${post.id}`, undefined, b.access_token);
const sch = (await call('POST', `/communities/${com.id}/schedules`, { title: '북한산 둘레길 1코스', starts_at: '2027-03-06T23:00:00Z', place: '구기분소', fee: 5000, max_participants: 2 }, a.access_token)).json;
for (const u of [a, b, c]) await call('PUT', `/schedules/${sch.id}/attendance`, undefined, u.access_token);

const shots = [
  ['login', null, '/login'], ['signup', null, '/signup'],
  ['home', a, '/'], ['search', b, `/?q=${encodeURIComponent('산악회 ' + tag)}`],
  ['community-board', a, `/c/${com.id}/board`], ['post', b, `/posts/${post.id}`],
  ['members', a, `/c/${com.id}/members`], ['schedule', c, `/schedules/${sch.id}`],
  ['album', a, `/c/${com.id}/album`], ['chat', a, `/c/${com.id}/chat`],
  ['notifications', b, '/notifications'], ['me', a, '/me'],
];
// One context per user: a refresh token is single-use (rotation), so each user's
// session lives in exactly one context.
const ctxs = new Map();
for (const [name, who, path] of shots) {
  if (!ctxs.has(who)) ctxs.set(who, who ? await loggedInContext(browser, who) : await userContext(browser));
  const u = ctxs.get(who);
  await u.page.goto(BASE + path);
  await u.page.locator('main h1, main h2').first().waitFor();
  if (name === 'post') await eventually(async () => (await u.page.locator('.comment').count()) === 2, 10_000).catch(() => {});
  await u.page.waitForLoadState('networkidle').catch(() => {});
  await u.page.waitForTimeout(300);
  await u.page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`${name}.png  ${path}`);
}
for (const u of ctxs.values()) await u.context.close();
await browser.close();
