// web/app/views/album.js — 앨범: upload (XHR, because fetch reports no upload progress) with a
// progress bar, the thumbnail grid (endless) and a viewer dialog with the full image,
// caption, like button and previous/next. Image URLs come from the API as given.

import { h, formData } from '../dom.js';
import { t, fmtTime } from '../i18n.js';
import { api, upload } from '../api.js';
import { busy, field, pagedList, safeUrl } from '../ui.js';
import { likeButton } from './board.js';

export async function albumTab(ctx) {
  const c = ctx.community;
  const photos = [];
  const viewer = h('dialog.viewer', { 'aria-label': t('photo') });
  const open = (i) => {
    const p = photos[i];
    if (!p) return;
    const out = h('div.out');
    viewer.replaceChildren(
      h('img.full', { src: safeUrl(p.url), alt: p.caption || t('photo'), width: p.width, height: p.height }),
      h('p.caption', p.caption || ''),
      h('p.meta', (p.uploader && p.uploader.name) || '', ' · ', h('time', { datetime: p.created_at }, fmtTime(p.created_at))),
      h('div.actions',
        likeButton('photo', p.id, p.like_count, out),
        h('button.secondary', { type: 'button', disabled: i === 0, onclick: () => open(i - 1) }, t('prev')),
        h('button.secondary', { type: 'button', disabled: i === photos.length - 1, onclick: () => open(i + 1) }, t('next')),
        h('button.secondary', { type: 'button', onclick: () => viewer.close() }, t('close'))),
      out);
    if (!viewer.open) viewer.showModal();
  };
  const tile = (p) => {
    const i = photos.push(p) - 1;
    return h('li.tile', h('button.thumb', { type: 'button', onclick: () => open(i), 'aria-label': p.caption || t('photo') },
      h('img', { src: safeUrl(p.thumbnail_url), alt: p.caption || t('photo'), loading: 'lazy', width: 160, height: 160 })));
  };
  const grid = pagedList((cursor) => api('GET', `/communities/${c.id}/photos?limit=30${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`),
    tile, { empty: t('noPhotos'), cls: 'grid' });
  ctx.onLeave(grid.stop);
  const parts = [];
  if (ctx.member) {
    const out = h('div.out');
    const bar = h('progress', { max: 100, value: 0, hidden: true, id: 'upload-progress', 'aria-label': t('upload') });
    const note = h('span.progress-note', { 'aria-live': 'polite' });
    const btn = h('button.primary', { type: 'submit' }, t('upload'));
    const form = h('form.stack', {
      onsubmit: (e) => {
        e.preventDefault();
        const file = form.elements.file.files[0];
        const d = formData(form);
        if (!file) return;
        busy(btn, async () => {
          bar.hidden = false;
          bar.value = 0;
          const p = await upload(`/communities/${c.id}/photos${d.caption ? '?caption=' + encodeURIComponent(d.caption) : ''}`, file,
            (f) => { bar.value = Math.round(f * 100); note.textContent = t('uploading', { p: bar.value }); });
          note.textContent = '';
          bar.hidden = true;
          form.reset();
          photos.unshift(p);
          grid.prepend(h('li.tile', h('button.thumb', { type: 'button', onclick: () => open(0), 'aria-label': p.caption || t('photo') },
            h('img', { src: safeUrl(p.thumbnail_url), alt: p.caption || t('photo'), width: 160, height: 160 }))));
        }, out).finally(() => { bar.hidden = true; });
      },
    },
    field(t('chooseFile'), h('input', { name: 'file', type: 'file', accept: 'image/jpeg,image/png,image/webp', required: true })),
    field(t('caption'), h('input', { name: 'caption', maxlength: 200 })),
    h('div.progress', bar, note), out, btn);
    parts.push(h('details.compose-box', h('summary', t('upload')), form));
  }
  parts.push(h('h2', t('album')), grid, viewer);
  return parts;
}
