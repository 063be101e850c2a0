// web/e2e/oauth.test.mjs — sign-in through the auth server in the browser: the app's PKCE
// request to /oauth/authorize (the auth server's session made beforehand through its JSON
// login, which sets the same cookie its form would), the redirect to /auth/callback, the
// 추가정보 form for a first-time user, and a direct sign-in the second time. Runs once the
// auth server and the callback API answer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, userContext, assertClean, axe, uniq, BASE } from './lib.mjs';

let browser, U;
const acct = { email: uniq('oauth') + '@example.com', password: 'oauth-password-9', name: '외부가입' };

before(async () => {
  browser = await launch();
  const r = await fetch(BASE + '/oauth/signup', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(acct) });
  assert.equal(r.status, 201, 'auth server sign-up');
  U = await userContext(browser);
  const l = await U.context.request.post(BASE + '/oauth/login', { data: { email: acct.email, password: acct.password } });
  assert.equal(l.status(), 200, 'auth server login (its session cookie is now in the context)');
});
after(async () => { await U?.context.close(); await browser?.close(); });

test('first sign-in: authorize, callback, then the 추가정보 form makes the account', { timeout: 40_000 }, async () => {
  const p = U.page;
  await p.goto(BASE + '/login');
  await p.getByRole('button', { name: '인증 서버로 로그인' }).click();
  await p.waitForURL(/\/auth\/complete$/);
  await p.getByRole('heading', { name: '추가정보' }).waitFor();
  await p.getByText(acct.email).waitFor();
  await axe(p, 'OAuth 추가정보');
  await p.getByLabel('비밀번호').fill('main-password-77');
  await p.getByLabel('등산', { exact: true }).check();
  await p.getByRole('button', { name: '회원가입' }).click();
  await p.waitForURL(BASE + '/');
  await p.getByRole('button', { name: '로그아웃' }).waitFor();
  await p.getByRole('link', { name: '내정보' }).click();
  assert.equal(await p.getByLabel('이름').inputValue(), acct.name, 'the account has the auth server\'s name');
  await p.getByText(acct.email).waitFor();
});

test('second sign-in goes straight in', { timeout: 40_000 }, async () => {
  const p = U.page;
  await p.getByRole('button', { name: '로그아웃' }).click();
  await p.waitForURL(/\/login/);
  const cb = p.waitForResponse((r) => r.url().endsWith('/api/v1/auth/oauth/callback'));
  await p.getByRole('button', { name: '인증 서버로 로그인' }).click();
  const body = await (await cb).json();
  assert.equal(body.registered, true);
  await p.waitForURL(BASE + '/');
  await p.getByRole('button', { name: '로그아웃' }).waitFor();
});

test('no CSP violation in the OAuth flow', async () => { await assertClean(U); });
