// web/app/views/schedules.js — 일정: a community's meetups (soonest first), making one, and a
// meetup's page with seats, the waitlist and the attend/cancel button, and for its creator
// an edit form and a cancel button. The page re-reads the schedule every few seconds while
// it is open, so seats and promotions show up on their own.

import { h, formData } from '../dom.js';
import { t, fmtTime } from '../i18n.js';
import { api, me } from '../api.js';
import { busy, field, pagedList, avatar } from '../ui.js';

const seats = (s) => t('seatsLeft', { p: s.participant_count, m: s.max_participants, w: s.waitlist_count });
const iso = (local) => new Date(local).toISOString().replace(/\.\d+Z$/, 'Z');
// an RFC 3339 UTC time as the value of a datetime-local input (the browser's zone)
const localValue = (utc) => {
  const d = new Date(utc);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

export async function schedulesTab(ctx) {
  const c = ctx.community;
  const parts = [];
  const row = (s) => h('li.schedule',
    h('a', { href: '/schedules/' + s.id }, h('strong', s.title)),
    h('p.meta', h('time', { datetime: s.starts_at }, fmtTime(s.starts_at)), ' · ', s.place, ' · ', h('span.seats', seats(s))));
  const list = pagedList((cursor) => api('GET', `/communities/${c.id}/schedules?limit=20${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`),
    row, { empty: t('noSchedules'), cls: 'schedules' });
  ctx.onLeave(list.stop);
  if (ctx.member) {
    const out = h('div.out');
    const btn = h('button.primary', { type: 'submit' }, t('create'));
    const form = h('form.stack', {
      onsubmit: (e) => {
        e.preventDefault();
        const d = formData(form);
        busy(btn, async () => {
          const body = { title: d.title, starts_at: iso(d.starts_at),
            place: d.place, max_participants: Number(d.max_participants) };
          if (d.fee) body.fee = Number(d.fee);
          const s = await api('POST', `/communities/${c.id}/schedules`, body);
          ctx.go('/schedules/' + s.id);
        }, out);
      },
    },
    field(t('title'), h('input', { name: 'title', required: true, maxlength: 200 })),
    field(t('startsAt'), h('input', { name: 'starts_at', type: 'datetime-local', required: true })),
    field(t('place'), h('input', { name: 'place', required: true, maxlength: 200 })),
    field(t('fee'), h('input', { name: 'fee', type: 'number', min: 0, step: 1 })),
    field(t('seats'), h('input', { name: 'max_participants', type: 'number', min: 1, max: 1000, value: '10', required: true })),
    out, btn);
    parts.push(h('details.compose-box', h('summary', t('newSchedule')), form));
  }
  parts.push(h('h2', t('schedules')), list);
  return parts;
}

export async function schedulePage(ctx) {
  const [id] = ctx.params;
  const out = h('div.out');
  let s = await api('GET', '/schedules/' + id);
  let status = (s.attendees || []).some((a) => a.member_id === me.id) ? 'attending'
    : sessionStorage.getItem('somoim.wait.' + id) ? 'waitlisted' : 'none';
  const seatsEl = h('p.seats', { 'aria-live': 'polite' });
  const statusEl = h('p.status', { 'aria-live': 'polite', id: 'attend-status' });
  const people = h('ul.attendees');
  const btn = h('button.primary', { type: 'button', id: 'attend' });
  const paint = () => {
    seatsEl.textContent = seats(s);
    people.replaceChildren(...(s.attendees || []).map((a) => h('li', avatar(a), ' ', a.name || '')));
    statusEl.textContent = status === 'attending' ? t('attending') : status === 'waitlisted' ? t('waitlistedNoPos') : '';
    btn.textContent = status === 'none' ? t('attend') : t('cancelAttend');
    btn.className = status === 'none' ? 'primary' : 'secondary';
  };
  btn.addEventListener('click', () => busy(btn, async () => {
    const r = await api(status === 'none' ? 'PUT' : 'DELETE', `/schedules/${id}/attendance`);
    status = r.status;
    if (status === 'waitlisted') sessionStorage.setItem('somoim.wait.' + id, '1');
    else sessionStorage.removeItem('somoim.wait.' + id);
    s = { ...s, ...r.schedule };
    try { s = await api('GET', '/schedules/' + id); } catch { /* the answer above is enough */ }
    paint();
  }, out));
  const poll = setInterval(async () => {
    try {
      s = await api('GET', '/schedules/' + id);
      if ((s.attendees || []).some((a) => a.member_id === me.id)) { status = 'attending'; sessionStorage.removeItem('somoim.wait.' + id); }
      paint();
    } catch { /* the next round will tell */ }
  }, 3000);
  ctx.onLeave(() => clearInterval(poll));
  paint();
  return [
    h('p.crumb', h('a', { href: `/c/${s.community_id}/schedules` }, '← ', t('schedules'))),
    h('h1', s.title),
    h('p.meta', h('time', { datetime: s.starts_at }, fmtTime(s.starts_at)), ' · ', s.place,
      s.fee ? [' · ', t('fee'), ' ', String(s.fee)] : null),
    seatsEl, statusEl, h('div.actions', btn), out,
    s.created_by === me.id ? manage(ctx, s) : null,
    h('h2', t('attendees')), people,
  ];
}

// The creator's edit form (only what changed is sent) and cancel button (the community's
// owner and admins may too, through the API).
function manage(ctx, s) {
  const out = h('div.out');
  const save = h('button.primary', { type: 'submit', id: 'schedule-save' }, t('save'));
  const del = h('button.secondary', { type: 'button', id: 'schedule-cancel' }, t('cancelSchedule'));
  const form = h('form.stack', {
    onsubmit: (e) => {
      e.preventDefault();
      const d = formData(form);
      const body = {};
      if (d.title !== s.title) body.title = d.title;
      if (d.place !== s.place) body.place = d.place;
      if (d.starts_at !== localValue(s.starts_at)) body.starts_at = iso(d.starts_at);
      if (Number(d.fee || 0) !== s.fee) body.fee = Number(d.fee || 0);
      if (Number(d.max_participants) !== s.max_participants) body.max_participants = Number(d.max_participants);
      busy(save, async () => {
        await api('PATCH', '/schedules/' + s.id, body);
        ctx.go('/schedules/' + s.id, { replace: true });
      }, out);
    },
  },
  field(t('title'), h('input', { name: 'title', required: true, maxlength: 100, value: s.title })),
  field(t('startsAt'), h('input', { name: 'starts_at', type: 'datetime-local', required: true, value: localValue(s.starts_at) })),
  field(t('place'), h('input', { name: 'place', required: true, maxlength: 200, value: s.place })),
  field(t('fee'), h('input', { name: 'fee', type: 'number', min: 0, step: 1, value: String(s.fee) })),
  field(t('seats'), h('input', { name: 'max_participants', type: 'number', min: 1, max: 1000, required: true, value: String(s.max_participants) })),
  out, h('div.actions', save, del));
  del.addEventListener('click', () => {
    if (confirm(t('confirmCancelSchedule'))) busy(del, async () => { await api('DELETE', '/schedules/' + s.id); ctx.go(`/c/${s.community_id}/schedules`); }, out);
  });
  return h('details.compose-box', h('summary', t('editSchedule')), form);
}
