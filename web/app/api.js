// web/app/api.js — every call to the somoim API goes through here.
//
// Tokens: the access token lives only in this module's memory (never in storage, so a
// script that reads storage gets nothing that calls the API for 15 minutes). The refresh
// token lives in localStorage: the API hands it over in the JSON body (it sets no cookie, so
// an HttpOnly cookie is not ours to make), and a session that survives a reload and is
// shared by tabs needs it somewhere JS can read. What limits the risk: the strict CSP and a
// page that builds no HTML from text (dom.js) make script injection hard, and refresh tokens
// rotate on every use with reuse detection on the server, so a stolen copy dies with the
// next refresh of either side. Refreshing is serialised across tabs with a Web Lock (two
// tabs presenting the same token would look like theft and revoke the login).
//
// A 401 on an authenticated call triggers one refresh and one retry; a failed refresh ends
// the session (the app shows the login page). Every error is an ApiError whose message is
// the API's own `message`.

import { t } from './i18n.js';

const RT_KEY = 'somoim.refresh';
let access = null;
let accessExp = 0;
let refreshing = null;
const listeners = new Set();
export let me = null;

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || null;
  }
}

export function onSession(fn) { listeners.add(fn); }
function emit() { for (const fn of listeners) fn(me); }

export const loggedIn = () => !!me;
export const accessToken = () => access;
export function setMe(user) { me = user; emit(); }

// The answer of signup, login, refresh and oauth complete.
export function takeTokens(d) {
  access = d.access_token;
  accessExp = Date.now() + (d.expires_in || 900) * 1000;
  if (d.refresh_token) localStorage.setItem(RT_KEY, d.refresh_token);
  if (d.user) setMe(d.user);
}

export function endSession() {
  access = null;
  localStorage.removeItem(RT_KEY);
  if (me) setMe(null);
}

async function errorOf(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON: nginx or a proxy */ }
  const e = body && body.error;
  return new ApiError(res.status, (e && e.code) || 'HTTP_' + res.status,
    (e && e.message) || `${t('error')} ${res.status}${res.statusText ? ' ' + res.statusText : ''}`,
    e && e.fields);
}

// One refresh at a time, in this tab and across tabs. Resolves true when a new access
// token is in memory; false (and the session ended) when the refresh token was refused.
export function refresh() {
  if (!refreshing) {
    const run = async () => {
      const rt = localStorage.getItem(RT_KEY);
      if (!rt) return false;
      let res;
      try {
        res = await fetch('/api/v1/auth/refresh', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refresh_token: rt }),
        });
      } catch { throw new ApiError(0, 'NETWORK', t('network')); }
      if (res.ok) { takeTokens(await res.json()); return true; }
      if (res.status === 401 || res.status === 400) { endSession(); return false; }
      throw await errorOf(res);
    };
    const locked = navigator.locks ? () => navigator.locks.request('somoim-refresh', run) : run;
    refreshing = locked().finally(() => { refreshing = null; });
  }
  return refreshing;
}

// api('GET', '/communities?q=x') → parsed JSON (null for 204). opts: body, auth (default
// true: send the token when there is one), raw (a Blob body with its own type).
export async function api(method, path, body, opts = {}) {
  const auth = opts.auth !== false;
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined && !opts.raw) headers['Content-Type'] = 'application/json';
    if (opts.type) headers['Content-Type'] = opts.type;
    if (auth && access) headers.Authorization = 'Bearer ' + access;
    let res;
    try {
      res = await fetch('/api/v1' + path, {
        method, headers,
        body: body === undefined ? undefined : opts.raw ? body : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', t('network'));
    }
    if (res.status === 401 && auth && attempt === 0 && localStorage.getItem(RT_KEY)) {
      if (await refresh()) continue;
      throw new ApiError(401, 'UNAUTHORIZED', t('sessionExpired'));
    }
    if (!res.ok) throw await errorOf(res);
    if (res.status === 204) return null;
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }
}

// Upload with progress (fetch has none): XHR, with the same one refresh on a 401.
export function upload(path, file, onProgress) {
  const once = () => new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/v1' + path);
    x.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    x.setRequestHeader('Accept', 'application/json');
    if (access) x.setRequestHeader('Authorization', 'Bearer ' + access);
    x.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    x.onerror = () => reject(new ApiError(0, 'NETWORK', t('network')));
    x.onload = () => {
      let b = null;
      try { b = JSON.parse(x.responseText); } catch { /* not JSON */ }
      if (x.status >= 200 && x.status < 300) return resolve(b);
      const e = b && b.error;
      reject(new ApiError(x.status, (e && e.code) || 'HTTP_' + x.status,
        (e && e.message) || `${t('error')} ${x.status}`));
    };
    x.send(file);
  });
  return once().catch(async (e) => {
    if (e.status === 401 && localStorage.getItem(RT_KEY) && await refresh()) return once();
    throw e;
  });
}

// At start: a stored refresh token gives a new access token and the user.
export async function restore() {
  if (!localStorage.getItem(RT_KEY)) return null;
  try {
    if (!(await refresh())) return null;
    if (!me) setMe(await api('GET', '/users/me'));
  } catch { /* network: stay logged out for now, the token is kept */ }
  return me;
}

// A fresh access token for URLs that cannot carry a header (EventSource).
export async function freshAccess() {
  if (!access || Date.now() > accessExp - 30_000) await refresh();
  return access;
}

export async function logout() {
  const rt = localStorage.getItem(RT_KEY);
  try { if (rt) await api('POST', '/auth/logout', { refresh_token: rt }); } catch { /* leaving anyway */ }
  endSession();
}

export const qs = (o) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
};
