// web/e2e/degrade.test.mjs — the screens of album, chat, notifications and OAuth sign-in
// when their API answers 404 (not deployed) or 503 (a dependency down): each shows the
// API's message in an alert, the rest of the app keeps working, nothing goes blank. The
// answers are made by the test (page.route) so this holds whether or not those services run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, loggedInContext, userContext, assertClean, apiSignup, call, uniq, BASE } from './lib.mjs';

let browser, U, cid;
const NF = { error: { code: 'NOT_FOUND', message: 'no such endpoint' } };
const UN = { error: { code: 'UNAVAILABLE', message: 'service temporarily unavailable' } };
const answer = (status, body) => (route) => route.fulfill({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });

before(async () => {
  browser = await launch();
  const a = await apiSignup('정도전');
  const c = await call('POST', '/communities', { name: uniq('기능점검'), description: '점검', region: '서울', interest: 'books', max_members: 5 }, a.access_token);
  assert.equal(c.status, 201);
  cid = c.json.id;
  U = await loggedInContext(browser, a);
});
after(async () => { await U?.context.close(); await browser?.close(); });

for (const [status, body] of [[404, NF], [503, UN]]) {
  test(`album, chat and notifications answering ${status} show the API's message`, { timeout: 30_000 }, async () => {
    const p = U.page;
    await p.route('**/api/v1/communities/*/photos**', answer(status, body));
    await p.route('**/api/v1/communities/*/chat/**', answer(status, body));
    await p.route('**/api/v1/notifications**', answer(status, body));
    await p.route('**/api/v1/push/**', answer(status, body));
    try {
      for (const path of [`/c/${cid}/album`, `/c/${cid}/chat`, '/notifications']) {
        await p.goto(BASE + path);
        await p.getByRole('alert').filter({ hasText: body.error.message }).first().waitFor();
        await p.getByRole('link', { name: '홈' }).waitFor();
      }
      assert.equal(await p.locator('#unread').isHidden(), true, 'no badge without the service');
      await p.goto(`${BASE}/c/${cid}/board`);
      await p.getByText('아직 글이 없습니다').waitFor();
    } finally {
      await p.unrouteAll();
    }
  });
}

test('OAuth callback with an unavailable API, a wrong state or an error shows a message', { timeout: 30_000 }, async () => {
  const u = await userContext(browser);
  const p = u.page;
  try {
    await p.goto(BASE + '/auth/callback?code=abc&state=nope');
    await p.getByRole('alert').filter({ hasText: '로그인 요청이 맞지 않습니다' }).waitFor();
    await p.goto(BASE + '/auth/callback?error=access_denied&error_description=denied+by+user');
    await p.getByRole('alert').filter({ hasText: 'denied by user' }).waitFor();
    await p.route('**/api/v1/auth/oauth/callback', answer(503, UN));
    await p.evaluate(() => sessionStorage.setItem('somoim.pkce', JSON.stringify({ verifier: 'v'.repeat(43), state: 'st' })));
    await p.goto(BASE + '/auth/callback?code=abc&state=st');
    await p.getByRole('alert').filter({ hasText: UN.error.message }).waitFor();
    await p.goto(BASE + '/login');
    // The sign-in button leaves for the auth server with a PKCE S256 challenge.
    const req = p.waitForRequest((r) => r.url().includes('/oauth/authorize'));
    await p.route('**/oauth/authorize**', (r) => r.fulfill({ status: 200, contentType: 'text/plain', body: 'auth server' }));
    await p.getByRole('button', { name: '인증 서버로 로그인' }).click();
    const q = new URL((await req).url()).searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), 'somoim-web');
    assert.equal(q.get('redirect_uri'), new URL(BASE).origin + '/auth/callback');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    assert.match(q.get('state'), /^[A-Za-z0-9_-]{22}$/);
    const saved = JSON.parse(await p.evaluate(() => sessionStorage.getItem('somoim.pkce')));
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(saved.verifier).digest('base64url'), q.get('code_challenge'), 'challenge = S256(verifier)');
    assert.equal(saved.state, q.get('state'));
  } finally { await u.context.close(); }
});

test('no CSP violation while degraded', async () => { await assertClean(U); });
