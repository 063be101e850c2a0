// web/app/data.js — reference data read once per page load: the interest list (codes and
// their Korean names from the API) and the region suggestions.

import { api } from './api.js';
import { h } from './dom.js';

let cache = null;
export function interests() {
  if (!cache) cache = api('GET', '/interests', undefined, { auth: false }).then((d) => d.items || [])
    .catch((e) => { cache = null; throw e; });
  return cache;
}

export async function interestNamer() {
  const items = await interests().catch(() => []);
  const m = new Map(items.map((i) => [i.code, i.name]));
  return (code) => m.get(code) || code;
}

export const REGIONS = ['서울', '경기', '인천', '부산', '대구', '광주', '대전', '울산', '세종',
  '강원', '충북', '충남', '전북', '전남', '경북', '경남', '제주'];

export function regionList(id) {
  return h('datalist', { id }, REGIONS.map((r) => h('option', { value: r })));
}

// Interest checkboxes in a fieldset; `chosen` are pre-checked codes.
export async function interestPicker(legend, chosen = []) {
  const items = await interests();
  return h('fieldset.interests', h('legend', legend),
    items.map((i) => h('label.chip',
      h('input', { type: 'checkbox', name: 'interests', value: i.code, checked: chosen.includes(i.code) }),
      h('span', i.name))));
}
