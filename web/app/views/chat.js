// web/app/views/chat.js — 채팅: the history (newest page first, older pages when scrolled to
// the top) and live messages over EventSource (`?access_token=`, since a browser cannot set
// headers on it). The browser reconnects on its own with Last-Event-ID; when the stream is
// refused or the token has expired, we reopen it with a fresh token after a back-off and
// re-read the newest page, so nothing is lost. Messages are kept once, by id.

import { h, formData } from '../dom.js';
import { t, fmtTime } from '../i18n.js';
import { api, me, freshAccess } from '../api.js';
import { busy, errorBox, avatar } from '../ui.js';

export async function chatTab(ctx) {
  const c = ctx.community;
  const base = `/communities/${c.id}/chat`;
  const seen = new Set();
  const list = h('ol.chat-log', { 'aria-live': 'polite', 'aria-label': t('chat') });
  const scroller = h('div.chat-scroll', { tabindex: 0 }, list);
  const state = h('p.chat-state', { 'aria-live': 'polite' });
  const out = h('div.out');
  let older = null, loadingOlder = false, closed = false, es = null, retry = 1000, timer = null, opened = 0;

  const bubble = (m) => h('li.msg' + (me && m.sender && m.sender.id === me.id ? '.mine' : ''), { dataset: { id: m.id } },
    avatar(m.sender), h('div', h('p.meta', (m.sender && m.sender.name) || '', ' · ',
      h('time', { datetime: m.created_at }, fmtTime(m.created_at))), h('p.text', m.text)));
  const add = (m, atTop) => {
    if (!m || seen.has(m.id)) return;
    seen.add(m.id);
    if (atTop) { list.prepend(bubble(m)); return; }
    // Keep time order: ids sort by time.
    const after = [...list.children].find((li) => li.dataset.id > m.id);
    list.insertBefore(bubble(m), after || null);
  };
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; };

  const first = await api('GET', `${base}/messages?limit=30`);
  for (const m of first.items || []) add(m);
  older = first.next_cursor || null;
  if (!seen.size) state.textContent = t('noMessages');

  async function loadOlder() {
    if (!older || loadingOlder) return;
    loadingOlder = true;
    const h0 = scroller.scrollHeight;
    try {
      const page = await api('GET', `${base}/messages?limit=30&before=${encodeURIComponent(older)}`);
      for (const m of page.items || []) add(m, true);
      older = page.next_cursor || null;
      scroller.scrollTop += scroller.scrollHeight - h0;
    } catch (e) { out.replaceChildren(errorBox(e)); }
    loadingOlder = false;
  }
  scroller.addEventListener('scroll', () => { if (scroller.scrollTop < 40) loadOlder(); });

  async function connect() {
    if (closed) return;
    opened = opened ? 1 : 0;
    let token;
    try { token = await freshAccess(); } catch { token = null; }
    if (closed || !token) { schedule(); return; }
    es = new EventSource(`/api/v1${base}/stream?access_token=${encodeURIComponent(token)}`);
    es.onopen = async () => {
      retry = 1000;
      // After any reconnect, the newest page fills a gap the stream might not replay.
      if (opened++) {
        try { for (const m of (await api('GET', `${base}/messages?limit=30`)).items || []) add(m); } catch { /* the stream goes on */ }
      }
      state.textContent = t('connected');
      state.dataset.state = 'open';
    };
    es.onmessage = (e) => {
      let m;
      try { m = JSON.parse(e.data); } catch { return; }
      const stick = nearBottom();
      state.textContent = t('connected');
      add(m);
      if (stick) toBottom();
    };
    es.onerror = () => {
      state.dataset.state = 'reconnecting';
      state.textContent = t('reconnecting');
      if (es.readyState === EventSource.CLOSED) { es = null; schedule(); }
    };
  }
  function schedule() {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const page = await api('GET', `${base}/messages?limit=30`);
        for (const m of page.items || []) add(m);
      } catch { /* still down */ }
      connect();
    }, retry);
    retry = Math.min(Math.max(retry * 2, 1000), 30000);
  }
  // A phone changing networks can leave a stream silently dead: going offline closes it,
  // coming back opens a new one at once (and fills the gap from the history).
  const offline = () => {
    if (es) { es.close(); es = null; }
    clearTimeout(timer);
    state.dataset.state = 'reconnecting';
    state.textContent = t('reconnecting');
  };
  const online = () => { retry = 0; schedule(); };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  ctx.onLeave(() => {
    closed = true; clearTimeout(timer); if (es) es.close();
    window.removeEventListener('offline', offline);
    window.removeEventListener('online', online);
  });
  connect();

  const btn = h('button.primary', { type: 'submit' }, t('send'));
  const form = h('form.chat-form', {
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      if (!d.text.trim()) return;
      busy(btn, async () => {
        const m = await api('POST', `${base}/messages`, { text: d.text });
        add(m);
        form.reset();
        toBottom();
      }, out);
    },
  }, h('label.visually-hidden', { for: 'chat-text' }, t('chatPlaceholder')),
  h('input#chat-text', { name: 'text', required: true, maxlength: 2000, autocomplete: 'off', placeholder: t('chatPlaceholder') }), btn);
  requestAnimationFrame(toBottom);
  return [h('h2', t('chat')), state,
    h('button.linkish.older', { type: 'button', onclick: loadOlder }, t('olderMessages')),
    scroller, out, form];
}
