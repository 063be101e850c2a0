// web/app/views/board.js — 게시판: a community's posts (newest first, endless), writing a
// post, a post with its comments (oldest first) and the like button. Counts shown after a
// like are the like service's answer (exact); lists come from the read model, which may
// trail a write by a moment. Whether I liked something is remembered in this browser, since
// the API reports counts, not who liked.

import { h, formData } from '../dom.js';
import { t, fmtTime } from '../i18n.js';
import { api, me } from '../api.js';
import { busy, field, pagedList, avatar } from '../ui.js';

const likedKey = () => 'somoim.liked.' + (me ? me.id : 0);
export function likedSet() {
  try { return new Set(JSON.parse(localStorage.getItem(likedKey()) || '[]')); } catch { return new Set(); }
}
function remember(key, on) {
  const s = likedSet();
  if (on) s.add(key); else s.delete(key);
  localStorage.setItem(likedKey(), JSON.stringify([...s].slice(-500)));
}

// A like toggle for a post or a photo: PUT/DELETE /likes/{kind}/{id}.
export function likeButton(kind, id, count, out) {
  let liked = likedSet().has(kind + ':' + id);
  const label = h('span.count', String(count));
  const b = h('button.like', { type: 'button', 'aria-pressed': String(liked) }, '♥ ', t('like'), ' ', label);
  b.addEventListener('click', () => busy(b, async () => {
    const r = await api(liked ? 'DELETE' : 'PUT', `/likes/${kind}/${id}`);
    liked = r.liked;
    remember(kind + ':' + id, liked);
    b.setAttribute('aria-pressed', String(liked));
    label.textContent = String(r.like_count);
  }, out));
  return b;
}

export async function boardTab(ctx) {
  const c = ctx.community;
  const out = h('div.out');
  const parts = [];
  const row = (p) => h('li.post',
    h('a.post-link', { href: '/posts/' + p.id }, h('strong', p.title)),
    h('p.meta', avatar(p.author), ' ', (p.author && p.author.name) || '', ' · ',
      h('time', { datetime: p.created_at }, fmtTime(p.created_at)), ' · ',
      h('span.likes', t('likes', { n: p.like_count })), ' · ', h('span.comments', t('commentsN', { n: p.comment_count }))));
  const list = pagedList((cursor) => api('GET', `/communities/${c.id}/posts?limit=20${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`),
    row, { empty: t('noPosts'), cls: 'posts' });
  ctx.onLeave(list.stop);
  if (ctx.member) {
    const btn = h('button.primary', { type: 'submit' }, t('post'));
    const form = h('form.stack.compose', {
      onsubmit: (e) => {
        e.preventDefault();
        const d = formData(form);
        busy(btn, async () => {
          const p = await api('POST', `/communities/${c.id}/posts`, { title: d.title, body: d.body });
          form.reset();
          fresh.add(String(p.id));
          ctx.go('/posts/' + p.id);
        }, out);
      },
    },
    h('h2', t('newPost')),
    field(t('title'), h('input', { name: 'title', required: true, maxlength: 200 })),
    field(t('body'), h('textarea', { name: 'body', required: true, rows: 4, maxlength: 20000 })),
    out, btn);
    parts.push(h('details.compose-box', h('summary', t('newPost')), form));
  }
  parts.push(h('h2', t('board')), list);
  return parts;
}

// Posts this page just wrote: the read model may not have them for a moment, so their
// page waits for them instead of saying "not found".
const fresh = new Set();
async function readPost(id) {
  for (let i = 0; ; i++) {
    try {
      return await api('GET', '/posts/' + id);
    } catch (e) {
      if (e.status !== 404 || !fresh.has(String(id)) || i >= 20) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function postPage(ctx) {
  const [id] = ctx.params;
  const p = await readPost(id);
  fresh.delete(String(id));
  const out = h('div.out');
  let ncomments = p.comment_count;
  const count = h('span', t('commentsN', { n: ncomments }));
  const comment = (cm) => {
    const li = h('li.comment', { dataset: { id: cm.id } },
      h('p.meta', avatar(cm.author), ' ', h('strong', (cm.author && cm.author.name) || ''), ' · ',
        h('time', { datetime: cm.created_at }, fmtTime(cm.created_at))),
      h('p.text', cm.body));
    if (me && cm.author && cm.author.id === me.id) {
      const del = h('button.small.linkish', { type: 'button' }, t('delete'));
      del.addEventListener('click', () => busy(del, async () => {
        await api('DELETE', '/comments/' + cm.id);
        li.remove();
      }, out));
      li.append(del);
    }
    return li;
  };
  const comments = pagedList((cursor) => api('GET', `/posts/${id}/comments?limit=50${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`),
    comment, { cls: 'comments' });
  ctx.onLeave(comments.stop);
  const parts = [
    h('p.crumb', h('a', { href: `/c/${p.community_id}/board` }, '← ', t('board'))),
    h('article.post-full',
      h('h1', p.title),
      h('p.meta', avatar(p.author), ' ', (p.author && p.author.name) || '', ' · ',
        h('time', { datetime: p.created_at }, fmtTime(p.created_at))),
      h('div.post-body', p.body.split('\n').map((line) => h('p', line))),
      h('div.actions', me ? likeButton('post', p.id, p.like_count, out) : h('span.likes', t('likes', { n: p.like_count })))),
  ];
  if (me && p.author && p.author.id === me.id) {
    const del = h('button.secondary', { type: 'button' }, t('delete'));
    del.addEventListener('click', () => { if (confirm(t('confirmDelete'))) busy(del, async () => { await api('DELETE', '/posts/' + id); ctx.go(`/c/${p.community_id}/board`); }, out); });
    parts[1].querySelector('.actions').append(del);
  }
  parts.push(h('section.comments-box', { 'aria-labelledby': 'h-comments' }, h('h2#h-comments', count), comments));
  if (me) {
    const btn = h('button.primary', { type: 'submit' }, t('comment'));
    const form = h('form.comment-form', {
      onsubmit: (e) => {
        e.preventDefault();
        const d = formData(form);
        busy(btn, async () => {
          const cm = await api('POST', `/posts/${id}/comments`, { body: d.body });
          comments.querySelector('ul').append(comment(cm));
          count.textContent = t('commentsN', { n: ++ncomments });
          form.reset();
        }, out);
      },
    }, field(t('writeComment'), h('textarea', { name: 'body', required: true, rows: 2, maxlength: 2000 })), btn);
    parts.push(form);
  }
  parts.push(out);
  return parts;
}

