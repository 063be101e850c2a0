// web/e2e/core.test.mjs — the scenario in a real Chromium on the real stack, for the
// areas that exist: two users in two contexts. A signs up and makes a community; B finds it
// by search and joins; B posts and A comments; likes settle on the exact count; roles; the
// wishlist; a meetup of 2 seats with a waitlist promotion seen live by the third user; an
// access token forced to expire is refreshed without the user noticing; profile edit,
// logout and API error messages. axe runs on every main screen; no CSP violation allowed.
// The tests run in order and share the users (one story, told in steps).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, userContext, loggedInContext, assertClean, axe, uniq, apiSignup, call, expire, eventually, rerender, shot, BASE, join } from './lib.mjs';

let browser, A, B, C, cacct;
const S = { name: uniq('산악회'), post: null, community: null, schedule: null };

before(async () => {
  browser = await launch();
  [A, B] = await Promise.all([userContext(browser), userContext(browser)]);
});
after(async () => {
  for (const u of [A, B, C]) if (u) await u.context.close().catch(() => {});
  await browser?.close();
});
const step = (name, fn) => test(name, { timeout: 60_000 }, async (t) => {
  try { await fn(t); } catch (e) { for (const [n, u] of [['A', A], ['B', B], ['C', C]]) if (u) await shot(u.page, `${name}-${n}`); throw e; }
});

async function signupUI(page, name) {
  const email = uniq('ui') + '@example.com';
  await page.goto(BASE + '/signup');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill('비밀번호는-길게-123');
  await page.getByLabel('이름').fill(name);
  await page.getByLabel('등산', { exact: true }).check();
  await page.getByLabel('캠핑', { exact: true }).check();
  await page.getByLabel('지역').fill('서울');
  return email;
}

step('A signs up with interests from the API and lands logged in', async () => {
  const p = A.page;
  await signupUI(p, '김모임');
  await axe(p, 'sign-up');
  await p.getByRole('button', { name: '회원가입' }).click();
  await p.waitForURL(BASE + '/');
  await p.getByRole('button', { name: '로그아웃' }).waitFor();
  await p.getByRole('heading', { name: '추천 모임' }).waitFor();
  await axe(p, 'home (logged in)');
  const token = await p.evaluate(() => Object.keys(localStorage).filter((k) => /access/i.test(k)));
  assert.deepEqual(token, [], 'no access token in localStorage');
});

step('A creates a community and is its owner', async () => {
  const p = A.page;
  await p.getByRole('link', { name: '모임 만들기' }).click();
  await p.getByLabel('모임 이름').fill(S.name);
  await p.getByLabel('소개').fill('주말마다 북한산에 갑니다 <b>태그는 글자</b>');
  await p.getByLabel('지역').fill('서울');
  await p.getByLabel('관심사').selectOption('hiking');
  await p.getByLabel('최대 인원').fill('10');
  await axe(p, 'create community');
  await p.getByRole('button', { name: '만들기' }).click();
  await p.waitForURL(/\/c\/\d+$/);
  S.community = Number(/\/c\/(\d+)/.exec(p.url())[1]);
  await p.getByRole('heading', { name: S.name }).waitFor();
  assert.equal(await p.locator('.desc').textContent(), '주말마다 북한산에 갑니다 <b>태그는 글자</b>', 'user text stays text');
  assert.equal(await p.locator('.desc b').count(), 0, 'no element made from user text');
  await axe(p, 'community board');
});

step('B signs up, finds the community by search and joins', async () => {
  const p = B.page;
  await signupUI(p, '이참여');
  await p.getByRole('button', { name: '회원가입' }).click();
  await p.waitForURL(BASE + '/');
  await p.getByRole('searchbox', { name: '검색' }).fill(S.name);
  await p.getByRole('button', { name: '검색', exact: true }).click();
  await p.waitForURL(/\?q=/);
  const card = p.getByRole('link', { name: S.name });
  await card.waitFor();
  await axe(p, 'search results');
  await card.click();
  await p.waitForURL(/\/c\/\d+$/);
  await p.getByRole('button', { name: '가입하기' }).click();
  await p.getByRole('button', { name: '탈퇴하기' }).waitFor();
  // member_count is the community's copy, fed by the member-joined event.
  await eventually(async () => { await rerender(p); return (await p.getByText('멤버 2/10').count()) === 1; });
  await p.getByRole('button', { name: '탈퇴하기' }).waitFor();
});

step('B posts on the board, A comments, B sees the comment', async () => {
  const p = B.page;
  await p.getByText('글쓰기', { exact: true }).first().click();
  await p.getByLabel('제목').fill('이번 주 토요일 산행');
  await p.getByLabel('내용').fill('아침 8시 구기분소 앞에서 만나요.\n간식은 각자!');
  await p.getByRole('button', { name: '올리기' }).click();
  await p.waitForURL(/\/posts\/\d+$/);
  S.post = Number(/\/posts\/(\d+)/.exec(p.url())[1]);
  await p.getByRole('heading', { name: '이번 주 토요일 산행' }).waitFor();

  const a = A.page;
  await a.goto(`${BASE}/c/${S.community}/board`);
  await eventually(async () => { await rerender(a); return (await a.getByRole('link', { name: '이번 주 토요일 산행' }).count()) > 0; });
  await a.getByRole('link', { name: '이번 주 토요일 산행' }).click();
  await a.waitForURL(/\/posts\/\d+$/);
  await a.getByLabel('댓글을 입력하세요').fill('저도 갈게요! 👍');
  await a.getByRole('button', { name: '댓글 달기' }).click();
  await a.locator('.comment .text', { hasText: '저도 갈게요! 👍' }).waitFor();
  await axe(a, 'post with comments');

  await eventually(async () => { await rerender(p); return (await p.locator('.comment .text', { hasText: '저도 갈게요!' }).count()) === 1; });
});

step('likes from both users settle on the exact count', async () => {
  const like = (page) => page.getByRole('button', { name: /좋아요/ });
  await A.page.goto(`${BASE}/posts/${S.post}`);
  await Promise.all([like(A.page).click(), like(B.page).click()]);
  await eventually(async () => (await like(B.page).getAttribute('aria-pressed')) === 'true');
  await eventually(async () => (await like(A.page).getAttribute('aria-pressed')) === 'true');
  const count = async (page) => Number(await like(page).locator('.count').textContent());
  await eventually(async () => { await rerender(A.page); return (await count(A.page)) === 2; });
  await like(B.page).click();
  await eventually(async () => (await like(B.page).getAttribute('aria-pressed')) === 'false');
  await eventually(async () => { await rerender(B.page); return (await count(B.page)) === 1 && (await like(B.page).getAttribute('aria-pressed')) === 'false'; });
  await A.page.getByRole('link', { name: '← 게시판' }).click();
  await eventually(async () => { await rerender(A.page); return (await A.page.locator('.post .likes').first().textContent()) === '좋아요 1'; });
});

step('the owner promotes B to admin on the members tab', async () => {
  const a = A.page;
  await a.goto(`${BASE}/c/${S.community}/members`);
  const row = a.locator('li.member', { hasText: '이참여' });
  await row.getByRole('button', { name: /운영진으로/ }).click();
  await row.locator('.role', { hasText: '운영진' }).waitFor();
  await axe(a, 'members');
  await B.page.goto(`${BASE}/c/${S.community}/members`);
  await B.page.locator('li.member', { hasText: '이참여' }).locator('.role', { hasText: '운영진' }).waitFor();
  assert.equal(await B.page.getByRole('button', { name: /운영진으로|멤버로/ }).count(), 0, 'only the owner sees role buttons');
});

step('B saves the community to the wishlist (찜)', async () => {
  const p = B.page;
  await p.goto(`${BASE}/c/${S.community}`);
  await p.getByRole('button', { name: '찜하기' }).click();
  await p.getByRole('button', { name: '찜 해제' }).waitFor();
  await p.getByRole('link', { name: '찜', exact: true }).click();
  await p.getByRole('link', { name: S.name }).waitFor();
  await axe(p, 'wishlist');
});

step('a meetup of 2 seats: the third user is waitlisted and promoted live when B cancels', async () => {
  cacct = await apiSignup('박대기');
  assert.equal((await join(S.community, cacct.access_token)).status, 201);
  C = await loggedInContext(browser, cacct);

  const a = A.page;
  await a.goto(`${BASE}/c/${S.community}/schedules`);
  await a.getByText('일정 만들기').click();
  await a.getByLabel('제목').fill('북한산 둘레길');
  await a.getByLabel('일시').fill('2027-03-06T08:00');
  await a.getByLabel('장소').fill('구기분소');
  await a.getByLabel('정원').fill('2');
  await axe(a, 'schedules');
  await a.getByRole('button', { name: '만들기' }).click();
  await a.waitForURL(/\/schedules\/\d+$/);
  S.schedule = Number(/\/schedules\/(\d+)/.exec(a.url())[1]);
  await a.getByRole('button', { name: '참석', exact: true }).click();
  await a.locator('#attend-status', { hasText: '참석 중' }).waitFor();

  await B.page.goto(`${BASE}/schedules/${S.schedule}`);
  await B.page.getByRole('button', { name: '참석', exact: true }).click();
  await B.page.locator('#attend-status', { hasText: '참석 중' }).waitFor();
  await B.page.locator('.seats', { hasText: '2/2명' }).waitFor();

  await C.page.goto(`${BASE}/schedules/${S.schedule}`);
  await C.page.getByRole('button', { name: '참석', exact: true }).click();
  await C.page.locator('#attend-status', { hasText: '대기 중' }).waitFor();
  await C.page.locator('.seats', { hasText: '대기 1명' }).waitFor();
  await axe(C.page, 'schedule (waitlisted)');

  await B.page.getByRole('button', { name: '참석 취소' }).click();
  await B.page.getByRole('button', { name: '참석', exact: true }).waitFor();
  // C's open page re-reads the schedule on its own: no reload here.
  await C.page.locator('#attend-status', { hasText: '참석 중' }).waitFor({ timeout: 15_000 });
  await C.page.locator('.attendees', { hasText: '박대기' }).waitFor();
  await C.page.locator('.seats', { hasText: '2/2명 · 대기 0명' }).waitFor();
});

step('the creator edits the meetup, then cancels it; the attendee sees it gone', async () => {
  const a = A.page;
  await a.goto(`${BASE}/schedules/${S.schedule}`);
  await a.getByText('일정 수정').click();
  await axe(a, 'schedule (creator, edit form open)');
  await a.getByLabel('제목').fill('북한산 둘레길 2코스');
  await a.getByRole('button', { name: '저장' }).click();
  await a.getByRole('heading', { name: '북한산 둘레길 2코스' }).waitFor();
  await C.page.reload();
  await C.page.getByRole('heading', { name: '북한산 둘레길 2코스' }).waitFor();
  assert.equal(await B.page.locator('#schedule-cancel').count(), 0, 'only the creator sees the cancel button');
  a.once('dialog', (d) => d.accept());
  await a.getByText('일정 수정').click();
  await a.getByRole('button', { name: '일정 취소' }).click();
  await a.waitForURL(new RegExp(`/c/${S.community}/schedules$`));
  await a.getByText('예정된 일정이 없습니다').waitFor();
});

step('an expired access token is refreshed once, without the user noticing', async () => {
  const p = A.page;
  await p.goto(`${BASE}/c/${S.community}`);
  await p.getByRole('heading', { name: S.name }).waitFor();
  const seen = [];
  p.on('response', (r) => { if (r.url().includes('/api/v1/')) seen.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`); });
  let forced = 0;
  await p.route('**/api/v1/users/me', async (route) => {
    const auth = route.request().headers().authorization;
    if (forced++ === 0 && auth) {
      await route.continue({ headers: { ...route.request().headers(), authorization: 'Bearer ' + expire(auth.slice(7)) } });
    } else {
      await route.continue();
    }
  });
  await p.getByRole('link', { name: '내정보' }).click();
  await p.getByRole('heading', { name: '내정보' }).waitFor();
  await p.getByLabel('이름').waitFor();
  assert.equal(await p.getByLabel('이름').inputValue(), '김모임');
  assert.equal(await p.locator('.error').count(), 0, 'no error shown');
  const me = seen.filter((s) => s.startsWith('GET /api/v1/users/me '));
  assert.deepEqual(me.slice(0, 2), ['GET /api/v1/users/me 401', 'GET /api/v1/users/me 200'], 'the expired call, then its retry');
  assert.equal(seen.filter((s) => s === 'POST /api/v1/auth/refresh 200').length, 1, 'exactly one refresh');
  await p.unroute('**/api/v1/users/me');
});

step('profile edit and my communities (내정보)', async () => {
  const p = A.page;
  await p.getByRole('link', { name: S.name }).waitFor();
  await p.getByLabel('이름').fill('김모임장');
  await p.getByLabel('MBTI').fill('enfj');
  await p.getByRole('button', { name: '저장' }).click();
  await p.locator('p.ok', { hasText: '저장했습니다' }).waitFor();
  await axe(p, 'me');
  const me = await p.evaluate(async () => (await fetch('/api/v1/users/email-exists?email=x%40y.z')).status);
  assert.equal(me, 200);
  await p.reload();
  assert.equal(await p.getByLabel('MBTI').inputValue(), 'ENFJ', 'the saved profile is read back after a reload');
  assert.equal(await p.getByLabel('이름').inputValue(), '김모임장');
});

step('English is available', async () => {
  const p = C.page;
  await p.goto(`${BASE}/c/${S.community}/board`);
  await p.getByRole('button', { name: 'English' }).click();
  await p.getByRole('link', { name: 'Board' }).waitFor();
  assert.equal(await p.evaluate(() => document.documentElement.lang), 'en');
  await p.getByRole('button', { name: '한국어' }).click();
  await p.getByRole('link', { name: '게시판' }).waitFor();
});

step('every API error shows the API message; logout ends the session', async () => {
  const p = B.page;
  await p.getByRole('button', { name: '로그아웃' }).click();
  await p.waitForURL(/\/login/);
  await axe(p, 'login');
  await p.getByLabel('이메일').fill('nobody-' + uniq() + '@example.com');
  await p.getByLabel('비밀번호').fill('wrong-password-1');
  await p.getByRole('button', { name: '로그인', exact: true }).click();
  const r = await call('POST', '/auth/login', { email: 'nobody@example.com', password: 'wrong-password-1' });
  await p.getByRole('alert').filter({ hasText: r.json.error.message }).waitFor();
  await p.reload();
  await p.getByRole('link', { name: '로그인' }).waitFor();
  assert.equal(await p.evaluate(() => localStorage.getItem('somoim.refresh')), null, 'the refresh token is gone');
  await p.goto(`${BASE}/me`);
  await p.waitForURL(/\/login\?next=%2Fme/);
  await p.goto(`${BASE}/posts/999999999`);
  await p.getByRole('alert').waitFor();
});

step('no CSP violation and no page error for any user', async () => {
  for (const u of [A, B, C]) await assertClean(u);
});
