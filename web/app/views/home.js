// web/app/views/home.js — 메인: search by keyword, interest and region (kept in the URL so
// a search can be shared and the back button works), recommended communities for a
// logged-in user, and the wishlist (찜). Lists scroll on the API's cursors.

import { h, formData } from '../dom.js';
import { t } from '../i18n.js';
import { api, loggedIn, qs } from '../api.js';
import { communityCard, pagedList, field } from '../ui.js';
import { interests, interestNamer, regionList } from '../data.js';

export async function home(ctx) {
  const q = ctx.query;
  // The first page of communities is asked for at once, beside the interest names (one
  // round trip on a phone instead of two).
  const first = {};
  const firstPage = (path) => (first[path] ||= api('GET', path));
  if (!(q.get('q') || q.get('interest') || q.get('region'))) firstPage((loggedIn() ? '/communities/recommended' : '/communities') + qs({ limit: 20 })).catch(() => {});
  const [items, name] = await Promise.all([interests().catch(() => []), interestNamer()]);
  const form = h('form.search', { role: 'search',
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      ctx.go('/' + qs({ q: d.q, interest: d.interest, region: d.region }));
    } },
  field(t('search'), h('input', { name: 'q', type: 'search', value: q.get('q') || '', placeholder: t('searchPlaceholder') })),
  field(t('interest'), h('select', { name: 'interest' },
    h('option', { value: '' }, t('allInterests')),
    items.map((i) => h('option', { value: i.code, selected: q.get('interest') === i.code }, i.name)))),
  field(t('region'), h('input', { name: 'region', list: 'home-regions', value: q.get('region') || '', placeholder: t('allRegions') })),
  regionList('home-regions'),
  h('button.primary', { type: 'submit' }, t('search')));

  const searching = q.get('q') || q.get('interest') || q.get('region');
  const card = (c) => communityCard(c, name);
  const parts = [h('h1.visually-hidden', t('appName')), form];
  if (loggedIn()) parts.push(h('p.actions', h('a.button', { href: '/communities/new' }, t('newCommunity'))));
  if (searching) {
    const list = pagedList((cursor) => api('GET', '/communities' + qs({ q: q.get('q'), interest: q.get('interest'),
      region: q.get('region'), cursor, limit: 20 })), card, { empty: t('noResults'), cls: 'cards' });
    ctx.onLeave(list.stop);
    parts.push(h('section', { 'aria-labelledby': 'h-results' }, h('h2#h-results', t('results')), list));
  } else {
    const path = loggedIn() ? '/communities/recommended' : '/communities';
    const list = pagedList((cursor) => (cursor ? api('GET', path + qs({ cursor, limit: 20 })) : firstPage(path + qs({ limit: 20 }))), card,
      { empty: t('noResults'), cls: 'cards' });
    ctx.onLeave(list.stop);
    parts.push(h('section', { 'aria-labelledby': 'h-rec' }, h('h2#h-rec', t('recommended')), list));
  }
  return parts;
}

export async function wishlist(ctx) {
  const name = await interestNamer();
  const list = pagedList((cursor) => api('GET', '/users/me/wishlist' + qs({ cursor })),
    (c) => communityCard(c, name), { empty: t('noResults'), cls: 'cards' });
  ctx.onLeave(list.stop);
  return [h('h1', t('wishlist')), list];
}
