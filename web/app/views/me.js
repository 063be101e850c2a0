// web/app/views/me.js — 내정보: edit the profile (name, image URL, region, MBTI, interests)
// and the communities I belong to.

import { h, formData } from '../dom.js';
import { t } from '../i18n.js';
import { api, setMe } from '../api.js';
import { busy, field, pagedList, communityCard, avatar, toast } from '../ui.js';
import { interestPicker, regionList, interestNamer } from '../data.js';

export async function mePage(ctx) {
  const u = await api('GET', '/users/me');
  setMe(u);
  const name = await interestNamer();
  const out = h('div.out');
  const btn = h('button.primary', { type: 'submit' }, t('save'));
  const form = h('form.stack', {
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      busy(btn, async () => {
        const body = { name: d.name, region: d.region, interests: [].concat(d.interests || []) };
        body.mbti = d.mbti ? d.mbti.toUpperCase() : null;
        body.profile_image = d.profile_image || null;
        setMe(await api('PATCH', '/users/me', body));
        toast(t('saved'));
        out.replaceChildren(h('p.ok', { role: 'status' }, t('saved')));
      }, out);
    },
  },
  field(t('name'), h('input', { name: 'name', required: true, maxlength: 50, value: u.name || '' })),
  field(t('profileImage'), h('input', { name: 'profile_image', type: 'url', value: u.profile_image || '' })),
  field(t('region'), h('input', { name: 'region', list: 'me-regions', value: u.region || '' })), regionList('me-regions'),
  field(t('mbti'), h('input', { name: 'mbti', maxlength: 4, value: u.mbti || '' })),
  await interestPicker(t('interests'), u.interests || []),
  out, btn);
  const mine = pagedList((cursor) => api('GET', `/users/me/communities?limit=20${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`),
    (c) => communityCard(c, name), { empty: t('noResults'), cls: 'cards' });
  ctx.onLeave(mine.stop);
  return [
    h('h1', t('me')),
    h('p.profile', avatar(u, 'large'), ' ', h('strong', u.name), ' ', h('span.meta', u.email)),
    h('section', { 'aria-labelledby': 'h-mine' }, h('h2#h-mine', t('myCommunities')), mine),
    h('section', { 'aria-labelledby': 'h-edit' }, h('h2#h-edit', t('editProfile')), form),
  ];
}
