// web/app/views/auth.js — sign up, log in, and sign in through the auth server: OAuth 2.0
// authorization code with PKCE (S256) computed with Web Crypto. The verifier and state wait
// in sessionStorage (this tab only) for /auth/callback, which hands the code to the API;
// a user the API does not know yet fills in the 추가정보 form (/auth/complete).

import { h, formData } from '../dom.js';
import { t } from '../i18n.js';
import { api, takeTokens } from '../api.js';
import { busy, field, errorBox } from '../ui.js';
import { interestPicker, regionList } from '../data.js';

const next = (ctx) => {
  const n = ctx.query.get('next') || sessionStorage.getItem('somoim.next') || '/';
  return n.startsWith('/') && !n.startsWith('//') ? n : '/';
};

export async function login(ctx) {
  const out = h('div.out');
  const btn = h('button.primary', { type: 'submit' }, t('login'));
  const form = h('form.stack', {
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      busy(btn, async () => {
        takeTokens(await api('POST', '/auth/login', { email: d.email, password: d.password }, { auth: false }));
        ctx.go(next(ctx), { replace: true });
      }, out);
    },
  },
  field(t('email'), h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' })),
  field(t('password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
  out, btn);
  return [h('h1', t('login')), form,
    h('p.or', t('orOauth')), oauthButton(ctx),
    h('p', t('noAccount'), ' ', h('a', { href: '/signup' }, t('signup')))];
}

export async function signup(ctx) {
  const out = h('div.out');
  const btn = h('button.primary', { type: 'submit' }, t('signup'));
  const emailNote = h('small.email-note', { 'aria-live': 'polite' });
  const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'username' });
  email.addEventListener('change', async () => {
    emailNote.replaceChildren();
    if (!email.validity.valid) return;
    try {
      const r = await api('GET', '/users/email-exists?email=' + encodeURIComponent(email.value), undefined, { auth: false });
      if (r.exists) emailNote.replaceChildren(h('span.error', t('emailTaken')));
    } catch { /* the submit will say it */ }
  });
  const form = h('form.stack', {
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      busy(btn, async () => {
        const body = { email: d.email, password: d.password, name: d.name, interests: [].concat(d.interests || []) };
        if (d.region) body.region = d.region;
        if (d.mbti) body.mbti = d.mbti.toUpperCase();
        takeTokens(await api('POST', '/auth/signup', body, { auth: false }));
        ctx.go(next(ctx), { replace: true });
      }, out);
    },
  },
  field(t('email'), email), emailNote,
  field(t('password'), h('input', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' }), t('passwordHint')),
  field(t('name'), h('input', { name: 'name', required: true, maxlength: 50, autocomplete: 'nickname' })),
  await interestPicker(t('interests')),
  field(t('region'), h('input', { name: 'region', list: 'regions', autocomplete: 'off' })), regionList('regions'),
  field(t('mbti'), h('input', { name: 'mbti', maxlength: 4, pattern: '[EIei][NSns][FTft][JPjp]', autocomplete: 'off' })),
  out, btn);
  return [h('h1', t('signup')), form,
    h('p', t('haveAccount'), ' ', h('a', { href: '/login' }, t('login')))];
}

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const redirectUri = () => location.origin + '/auth/callback';

function oauthButton(ctx) {
  const out = h('div.out');
  const btn = h('button.secondary', { type: 'button', id: 'oauth' }, t('oauthLogin'));
  btn.addEventListener('click', () => busy(btn, async () => {
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
    const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    sessionStorage.setItem('somoim.pkce', JSON.stringify({ verifier, state }));
    sessionStorage.setItem('somoim.next', next(ctx));
    const q = new URLSearchParams({ response_type: 'code', client_id: 'somoim-web', redirect_uri: redirectUri(),
      state, code_challenge: challenge, code_challenge_method: 'S256' });
    location.assign('/oauth/authorize?' + q);
  }, out));
  return h('div', btn, out);
}

export async function callback(ctx) {
  const q = ctx.query;
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem('somoim.pkce') || 'null'); } catch { /* none */ }
  sessionStorage.removeItem('somoim.pkce');
  const fail = (msg) => [h('h1', t('oauthFailed')), errorBox({ message: msg }), h('p', h('a', { href: '/login' }, t('login')))];
  if (q.get('error')) return fail(q.get('error_description') || q.get('error'));
  if (!saved || !q.get('state') || q.get('state') !== saved.state || !q.get('code')) return fail(t('oauthState'));
  let r;
  try {
    r = await api('POST', '/auth/oauth/callback',
      { code: q.get('code'), code_verifier: saved.verifier, redirect_uri: redirectUri() }, { auth: false });
  } catch (e) { return fail(e.message); }
  if (r.registered) {
    takeTokens(r);
    const n = sessionStorage.getItem('somoim.next') || '/';
    sessionStorage.removeItem('somoim.next');
    ctx.go(n, { replace: true });
    return [];
  }
  sessionStorage.setItem('somoim.signup', JSON.stringify({ signup_token: r.signup_token, email: r.email, name: r.name }));
  ctx.go('/auth/complete', { replace: true });
  return [];
}

export async function complete(ctx) {
  let s = null;
  try { s = JSON.parse(sessionStorage.getItem('somoim.signup') || 'null'); } catch { /* none */ }
  if (!s) return [h('h1', t('extraInfo')), errorBox({ message: t('oauthState') }), h('a', { href: '/login' }, t('login'))];
  const out = h('div.out');
  const btn = h('button.primary', { type: 'submit' }, t('signup'));
  const form = h('form.stack', {
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      busy(btn, async () => {
        const body = { signup_token: s.signup_token, password: d.password, interests: [].concat(d.interests || []) };
        if (d.region) body.region = d.region;
        if (d.mbti) body.mbti = d.mbti.toUpperCase();
        takeTokens(await api('POST', '/auth/oauth/complete', body, { auth: false }));
        sessionStorage.removeItem('somoim.signup');
        ctx.go(sessionStorage.getItem('somoim.next') || '/', { replace: true });
      }, out);
    },
  },
  h('p.meta', s.name || '', ' · ', s.email || ''),
  field(t('password'), h('input', { name: 'password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' }), t('passwordHint')),
  await interestPicker(t('interests')),
  field(t('region'), h('input', { name: 'region', list: 'regions', autocomplete: 'off' })), regionList('regions'),
  field(t('mbti'), h('input', { name: 'mbti', maxlength: 4, autocomplete: 'off' })),
  out, btn);
  return [h('h1', t('extraInfo')), h('p', t('extraInfoLead')), form];
}
