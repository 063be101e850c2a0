// web/app/main.js — the app shell: header and navigation, the client-side router (History
// API; nginx answers every such path with index.html, so deep links work) and the session
// restore at start. Each screen is a function in views/ that returns its nodes; a screen
// that throws shows the error's message in the page, never a blank screen.

import { h, mount, $ } from './dom.js';
import { t, lang, setLang } from './i18n.js';
import { restore, onSession, loggedIn, logout, me, endSession } from './api.js';
import { errorBox } from './ui.js';
import * as auth from './views/auth.js';
import * as home from './views/home.js';
import * as community from './views/community.js';
import * as board from './views/board.js';
import * as schedules from './views/schedules.js';
import * as profile from './views/me.js';
import * as notes from './views/notifications.js';

const routes = [
  [/^\/$/, home.home],
  [/^\/login$/, auth.login, { guest: true }],
  [/^\/signup$/, auth.signup, { guest: true }],
  [/^\/auth\/callback$/, auth.callback],
  [/^\/auth\/complete$/, auth.complete],
  [/^\/wishlist$/, home.wishlist, { user: true }],
  [/^\/communities\/new$/, community.create, { user: true }],
  [/^\/c\/(\d+)(?:\/(board|album|schedules|chat|members))?$/, community.page],
  [/^\/posts\/(\d+)$/, board.postPage],
  [/^\/schedules\/(\d+)$/, schedules.schedulePage, { user: true }],
  [/^\/me$/, profile.mePage, { user: true }],
  [/^\/notifications$/, notes.page, { user: true }],
];

let leaving = [];
let seq = 0;
const main = () => $('#main');

export function go(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

async function render() {
  const my = ++seq;
  for (const fn of leaving.splice(0)) { try { fn(); } catch { /* leaving anyway */ } }
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  let view = null, params = [], opts = {};
  for (const [re, fn, o] of routes) {
    const m = re.exec(path);
    if (m) { view = fn; params = m.slice(1); opts = o || {}; break; }
  }
  markNav(path);
  if (loggedIn()) notes.refreshBadge();
  const el = main();
  if (!view) { mount(el, h('h1', t('notFound'))); return; }
  if (opts.user && !loggedIn()) { go('/login?next=' + encodeURIComponent(path + location.search), { replace: true }); return; }
  if (opts.guest && loggedIn()) { go('/', { replace: true }); return; }
  el.setAttribute('aria-busy', 'true');
  const ctx = { params, query, go, onLeave: (fn) => leaving.push(fn), live: () => my === seq };
  try {
    const nodes = await view(ctx);
    if (my !== seq) return;
    mount(el, nodes);
  } catch (e) {
    if (my !== seq) return;
    mount(el, h('h1', t('error')), errorBox(e),
      h('button', { type: 'button', onclick: () => render() }, t('retry')));
  } finally {
    if (my === seq) el.removeAttribute('aria-busy');
  }
  const h1 = el.querySelector('h1');
  if (h1 && document.activeElement === document.body) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
}

function markNav(path) {
  for (const a of document.querySelectorAll('#nav a')) {
    const href = a.getAttribute('href');
    const on = href === '/' ? path === '/' : path.startsWith(href);
    if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function header() {
  const user = me;
  const badge = h('span.badge', { id: 'unread', hidden: true, 'aria-label': '' });
  const nav = h('nav#nav', { 'aria-label': t('appName') },
    h('a', { href: '/' }, t('home')),
    user ? h('a', { href: '/wishlist' }, t('wishlist')) : null,
    user ? h('a', { href: '/notifications', id: 'nav-notes' }, t('notifications'), badge) : null,
    user ? h('a', { href: '/me' }, t('me')) : null,
    user ? h('button.linkish', { type: 'button', id: 'logout', onclick: async () => { await logout(); go('/login'); } }, t('logout'))
      : h('a', { href: '/login' }, t('login')),
    h('button.linkish', { type: 'button', id: 'lang', lang: lang === 'ko' ? 'en' : 'ko',
      onclick: () => { setLang(lang === 'ko' ? 'en' : 'ko'); paintShell(); render(); } }, t('language')));
  return [h('a.brand', { href: '/' }, t('appName')), nav];
}

function paintShell() {
  mount($('#top'), header());
  $('#skip').textContent = t('skip');
  document.title = t('appName');
  notes.startBadge();
}

// Same-origin links are routed here instead of loading the page again.
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
  const href = a.getAttribute('href');
  if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/') || href.startsWith('/oauth/')) return;
  e.preventDefault();
  if (href !== location.pathname + location.search) go(href);
});
window.addEventListener('popstate', render);
// A click on a push notification: the service worker asks this page to open its link.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (e) => {
    const link = e.data && e.data.type === 'open' && e.data.link;
    if (typeof link === 'string' && link.startsWith('/') && !link.startsWith('//')) go(link);
  });
  navigator.serviceWorker.startMessages();
}
// A session that ends under a page (a refused refresh, a logout in another tab's storage)
// sends a page that needs a user to the login page.
let hadUser = false;
onSession((u) => {
  paintShell();
  if (hadUser && !u && !location.pathname.startsWith('/login')) {
    const r = routes.find(([re]) => re.test(location.pathname));
    if (r && r[2] && r[2].user) go('/login?next=' + encodeURIComponent(location.pathname + location.search), { replace: true });
  }
  hadUser = !!u;
});
// Another tab logged out (it removed the refresh token): this tab follows.
window.addEventListener('storage', (e) => {
  if (e.key === 'somoim.refresh' && e.newValue === null && loggedIn()) endSession();
});

(async () => {
  paintShell();
  mount(main(), h('p.list-status', t('loading')));
  if (location.pathname !== '/auth/callback') await restore();
  paintShell();
  render();
})();
