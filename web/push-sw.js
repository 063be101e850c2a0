// web/push-sw.js — the service worker that shows somoim's Web Push messages.
// The payload is {type, title, body, link, id} (docs/notifications.md); the notification id
// is the tag, so a message the server had to send twice (a crash between send and record)
// replaces itself instead of showing twice. Register it with
//   navigator.serviceWorker.register('/push-sw.js'), then PushManager.subscribe with
//   applicationServerKey = GET /api/v1/push/vapid-public-key, and POST the subscription's
//   toJSON() to /api/v1/push/subscriptions.
'use strict';
self.addEventListener('push', (event) => {
  let d = {};
  try { d = event.data ? event.data.json() : {}; } catch (e) { d = {}; }
  event.waitUntil(self.registration.showNotification(d.title || '소모임', {
    body: d.body || '',
    tag: d.id !== undefined ? `n${d.id}` : undefined,
    data: { link: typeof d.link === 'string' && d.link.startsWith('/') ? d.link : '/' },
  }));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.link));
});
