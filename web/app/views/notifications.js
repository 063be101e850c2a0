// web/app/views/notifications.js — 알림: the feed (newest first, unread marked), the unread
// badge in the header (re-read every 30 s and when a push arrives), and "turn on push":
// register /sw.js, read the VAPID key from the API, PushManager.subscribe and hand the
// subscription to the API. The service worker shows each push with the notification id as
// its tag and opens the notification's link on a click.

import { h } from '../dom.js';
import { t, fmtTime } from '../i18n.js';
import { api, me } from '../api.js';
import { busy, pagedList, toast } from '../ui.js';

let badgeTimer = null;
export async function refreshBadge() {
  const b = document.getElementById('unread');
  if (!b) return;
  if (!me) { b.hidden = true; return; }
  try {
    const r = await api('GET', '/notifications/unread-count');
    b.textContent = r.count > 99 ? '99+' : String(r.count);
    b.hidden = !r.count;
    b.setAttribute('aria-label', `${t('unread')} ${r.count}`);
  } catch {
    b.hidden = true; // the feed page says why
  }
}
export function startBadge() {
  clearInterval(badgeTimer);
  refreshBadge();
  if (me) badgeTimer = setInterval(refreshBadge, 30000);
}
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (e) => { if (e.data && e.data.type === 'push') refreshBadge(); });
}

const b64ToBytes = (s) => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(b, (ch) => ch.charCodeAt(0));
};

// Waits for a promise at most ms (a subscribe can hang when the browser's push service is
// unreachable).
const within = (p, ms, msg) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(msg)), ms))]);

export async function enablePush() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) throw new Error(t('pushUnsupported'));
  const { key } = await api('GET', '/push/vapid-public-key', undefined, { auth: false });
  const perm = await Notification.requestPermission();
  if (perm !== 'granted') throw new Error(t('pushDenied'));
  const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  const sub = (await reg.pushManager.getSubscription()) ||
    await within(reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(key) }), 20000, t('pushUnsupported'));
  const j = sub.toJSON();
  await api('POST', '/push/subscriptions', { endpoint: j.endpoint, keys: j.keys });
  return sub;
}

export async function page(ctx) {
  const out = h('div.out');
  const pushBtn = h('button.secondary', { type: 'button', id: 'push-on' }, t('pushOn'));
  pushBtn.addEventListener('click', () => busy(pushBtn, async () => {
    await enablePush();
    toast(t('pushOnDone'));
    pushBtn.textContent = t('pushOnDone');
    pushBtn.disabled = true;
  }, out));
  const row = (n) => {
    const li = h('li.note' + (n.read ? '' : '.unread'), { dataset: { id: n.id } },
      h('a', { href: n.link && n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : '/notifications',
        onclick: () => { if (!n.read) api('POST', `/notifications/${n.id}/read`).then(refreshBadge).catch(() => {}); } },
      h('strong', n.title), n.read ? null : h('span.tag', t('unread'))),
      h('p', n.body || ''),
      h('time.meta', { datetime: n.created_at }, fmtTime(n.created_at)));
    return li;
  };
  // The first page is awaited here so a missing service shows as the page's error.
  const first = await api('GET', '/notifications?limit=20');
  let used = false;
  const list = pagedList((cursor) => {
    if (!used && !cursor) { used = true; return Promise.resolve(first); }
    return api('GET', `/notifications?limit=20${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
  }, row, { empty: t('noNotifications'), cls: 'notes' });
  ctx.onLeave(list.stop);
  refreshBadge();
  return [h('h1', t('notifications')), h('div.actions', pushBtn), out, list];
}

