// web/app/views/community.js — 모임 상세보기: the community's header (join/leave, 찜) and its
// tabs, each its own path (/c/ID/board, /album, /schedules, /chat, /members) so every tab
// is a deep link. Membership is read from the member list (member_id is the user id).

import { h, formData } from '../dom.js';
import { t, fmtTime } from '../i18n.js';
import { api, me } from '../api.js';
import { busy, field, errorBox, pagedList, avatar, toast } from '../ui.js';
import { interests, interestNamer, regionList } from '../data.js';
import { boardTab } from './board.js';
import { schedulesTab } from './schedules.js';
import { albumTab } from './album.js';
import { chatTab } from './chat.js';

const TABS = ['board', 'album', 'schedules', 'chat', 'members'];

async function membership(id) {
  if (!me) return null;
  const page = await api('GET', `/communities/${id}/members?limit=100`).catch(() => ({ items: [] }));
  const m = (page.items || []).find((x) => x.member_id === me.id);
  if (m) return m;
  const mine = await api('GET', '/users/me/communities?limit=100').catch(() => ({ items: [] }));
  return (mine.items || []).some((c) => c.id === Number(id)) ? { member_id: me.id, role: 'member' } : null;
}

async function wished(id) {
  if (!me) return false;
  const page = await api('GET', '/users/me/wishlist?limit=100').catch(() => ({ items: [] }));
  return (page.items || []).some((c) => c.id === Number(id));
}

export async function page(ctx) {
  const [id, tabName] = ctx.params;
  const tab = TABS.includes(tabName) ? tabName : 'board';
  const [c, mem, wish, name] = await Promise.all([api('GET', '/communities/' + id), membership(id), wished(id), interestNamer()]);
  const out = h('div.out');
  const actions = h('div.actions');
  const paintActions = (member, w) => {
    actions.replaceChildren();
    if (!me) { actions.append(h('a.button.primary', { href: '/login?next=/c/' + id }, t('join'))); return; }
    if (!member) {
      const b = h('button.primary', { type: 'button', id: 'join' }, t('join'));
      b.addEventListener('click', () => busy(b, async () => {
        await api('POST', `/communities/${id}/members`);
        ctx.go(location.pathname, { replace: true });
      }, out));
      actions.append(b);
    } else if (member.role !== 'owner') {
      const b = h('button.secondary', { type: 'button', id: 'leave' }, t('leave'));
      b.addEventListener('click', () => busy(b, async () => {
        await api('DELETE', `/communities/${id}/members/me`);
        ctx.go(location.pathname, { replace: true });
      }, out));
      actions.append(b);
    }
    const wb = h('button.secondary', { type: 'button', id: 'wish', 'aria-pressed': String(w) }, w ? t('unwish') : t('wish'));
    wb.addEventListener('click', () => busy(wb, async () => {
      await api(w ? 'DELETE' : 'PUT', `/users/me/wishlist/${id}`);
      paintActions(member, !w);
      toast(w ? t('unwish') : t('wish'));
    }, out));
    actions.append(wb);
  };
  paintActions(mem, wish);

  const tabs = h('nav.tabs', { 'aria-label': c.name },
    TABS.map((k) => h('a', { href: `/c/${id}/${k}`, 'aria-current': k === tab ? 'page' : null }, t(k))));
  const cx = { ...ctx, community: c, member: mem };
  const body = await ({ board: boardTab, album: albumTab, schedules: schedulesTab, chat: chatTab, members: membersTab })[tab](cx)
    .catch((e) => [errorBox(e)]);
  return [
    h('header.community',
      h('h1', c.name),
      h('p.meta', name(c.interest), ' · ', c.region || '', ' · ', t('nMembers', { n: c.member_count, m: c.max_members }),
        c.is_private ? [' · ', t('private')] : null),
      h('p.desc', c.description || ''),
      actions, out),
    tabs,
    h('section.tab', { id: 'tab-' + tab, 'aria-label': t(tab) }, body),
  ];
}

async function membersTab(ctx) {
  const { community: c, member } = ctx;
  const owner = member && member.role === 'owner';
  const out = h('div.out');
  const row = (m) => {
    const li = h('li.member', { dataset: { member: m.member_id } }, avatar(m),
      h('span.name', m.name || '—'), h('span.role.tag', t(m.role)),
      h('time.meta', { datetime: m.joined_at }, fmtTime(m.joined_at)));
    if (owner && m.role !== 'owner') {
      const to = m.role === 'admin' ? 'member' : 'admin';
      const b = h('button.small', { type: 'button' }, to === 'admin' ? t('makeAdmin') : t('makeMember'));
      b.setAttribute('aria-label', `${m.name}: ${to === 'admin' ? t('makeAdmin') : t('makeMember')}`);
      b.addEventListener('click', () => busy(b, async () => {
        const nm = await api('PATCH', `/communities/${c.id}/members/${m.member_id}`, { role: to });
        li.replaceWith(row(nm));
      }, out));
      li.append(b);
    }
    return li;
  };
  const list = pagedList((cursor) => api('GET', `/communities/${c.id}/members?limit=50${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`),
    row, { cls: 'members' });
  ctx.onLeave(list.stop);
  return [h('h2', t('memberList')), out, list];
}

export async function create(ctx) {
  const items = await interests();
  const out = h('div.out');
  const btn = h('button.primary', { type: 'submit' }, t('create'));
  const form = h('form.stack', {
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      busy(btn, async () => {
        const c = await api('POST', '/communities', { name: d.name, description: d.description, region: d.region,
          interest: d.interest, max_members: Number(d.max_members), is_private: d.is_private === 'on' });
        ctx.go('/c/' + c.id, { replace: true });
      }, out);
    },
  },
  field(t('communityName'), h('input', { name: 'name', required: true, maxlength: 100 })),
  field(t('description'), h('textarea', { name: 'description', rows: 4, maxlength: 2000 })),
  field(t('region'), h('input', { name: 'region', required: true, list: 'c-regions' })), regionList('c-regions'),
  field(t('interest'), h('select', { name: 'interest', required: true }, items.map((i) => h('option', { value: i.code }, i.name)))),
  field(t('maxMembers'), h('input', { name: 'max_members', type: 'number', min: 2, max: 1000, value: '30', required: true })),
  h('label.check', h('input', { type: 'checkbox', name: 'is_private' }), ' ', t('isPrivate')),
  out, btn);
  return [h('h1', t('newCommunity')), form];
}
