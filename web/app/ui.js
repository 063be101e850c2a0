// web/app/ui.js — small pieces every screen shares: error messages (always the API's
// own message, in an alert region), buttons that show they are busy, form fields with
// labels, community cards, avatars and the cursor-driven infinite list.

import { h } from './dom.js';
import { t } from './i18n.js';

export function errorBox(err) {
  return h('p.error', { role: 'alert' }, err && err.message ? err.message : String(err));
}

// Runs fn while the button is disabled and says so; an error lands in `out` (or is thrown).
export async function busy(btn, fn, out) {
  if (out) out.replaceChildren();
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } catch (e) {
    if (!out) throw e;
    out.replaceChildren(errorBox(e));
    return undefined;
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}

let fieldSeq = 0;
// A labelled input: field(t('email'), h('input', {...})).
export function field(label, input, hint) {
  const id = input.id || (input.id = 'f' + ++fieldSeq);
  return h('div.field', h('label', { for: id }, label), input, hint ? h('small', hint) : null);
}

// Only our own paths and http(s) URLs go into src attributes.
export function safeUrl(u) {
  if (typeof u !== 'string' || !u) return null;
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  try {
    const p = new URL(u);
    return p.protocol === 'https:' || p.protocol === 'http:' ? p.href : null;
  } catch { return null; }
}

export function avatar(user, size = 'small') {
  const src = user && safeUrl(user.profile_image);
  const name = (user && user.name) || '?';
  if (src) return h('img.avatar.' + size, { src, alt: '', width: 32, height: 32, loading: 'lazy' });
  return h('span.avatar.' + size, { 'aria-hidden': 'true' }, [...name][0] || '?');
}

export function communityCard(c, interestName) {
  return h('li.card',
    h('a.card-link', { href: '/c/' + c.id },
      h('strong.card-title', c.name),
      c.is_private ? h('span.tag', t('private')) : null),
    h('p.card-desc', c.description || ''),
    h('p.meta',
      h('span', interestName ? interestName(c.interest) : c.interest), ' · ',
      h('span', c.region || ''), ' · ',
      h('span', t('nMembers', { n: c.member_count, m: c.max_members }))));
}

// An endless list over the API's cursors: loads the first page, then the next one when
// the sentinel scrolls into view (or the "more" button is pressed). load(cursor) →
// {items, next_cursor}; item(x) → li. `empty` is shown when there is nothing.
export function pagedList(load, item, { empty, cls = 'list' } = {}) {
  const ul = h('ul.' + cls);
  const status = h('div.list-status', { 'aria-live': 'polite' });
  const more = h('button.more', { type: 'button', hidden: true }, t('loadMore'));
  const wrap = h('div.paged', ul, status, more);
  let cursor = null, done = false, loading = false, count = 0;
  async function next() {
    if (loading || done) return;
    loading = true;
    more.hidden = true;
    status.replaceChildren(t('loading'));
    try {
      const page = await load(cursor);
      const items = page.items || [];
      for (const x of items) ul.append(item(x));
      count += items.length;
      cursor = page.next_cursor || null;
      done = !cursor;
      status.replaceChildren(count === 0 && empty ? h('p.empty', empty) : '');
      more.hidden = done;
    } catch (e) {
      status.replaceChildren(errorBox(e));
    } finally {
      loading = false;
    }
  }
  more.addEventListener('click', next);
  const io = new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting)) next(); });
  io.observe(more);
  wrap.stop = () => io.disconnect();
  wrap.reload = () => { ul.replaceChildren(); cursor = null; done = false; count = 0; return next(); };
  wrap.prepend = (node) => { ul.prepend(node); status.replaceChildren(''); };
  next();
  return wrap;
}

export function toast(msg) {
  const box = document.getElementById('toast');
  if (!box) return;
  box.replaceChildren(h('p', msg));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.replaceChildren(), 4000);
}
