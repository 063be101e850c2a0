// web/app/dom.js — the only way the app builds its page: h() makes elements with
// createElement and puts every string in as a text node, so text from users (names, posts,
// comments, chat) can never become HTML. There is no innerHTML anywhere in the app.

// h('a.btn', { href: '/x', onclick: fn }, 'text', child, [more]) → Element.
// The tag may carry an id and classes ('nav#nav', 'div.card.wide'). Attributes: on* take functions, `class`
// adds classes, booleans set or drop the attribute, `dataset` takes an object, anything
// else is set with setAttribute (so `style` strings are never used: the CSP forbids them).
export function h(tag, attrs, ...children) {
  const [head, ...classes] = tag.split('.');
  const [name, id] = head.split('#');
  const el = document.createElement(name || 'div');
  if (id) el.id = id;
  if (classes.length) el.classList.add(...classes);
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.classList.add(...String(v).split(/\s+/).filter(Boolean));
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' || k === 'checked' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces everything inside el with the given nodes.
export function mount(el, ...nodes) {
  el.replaceChildren();
  append(el, nodes);
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// A form's fields as an object (FormData keeps repeated names: those come back as arrays).
export function formData(form) {
  const out = {};
  for (const [k, v] of new FormData(form)) {
    if (k in out) out[k] = [].concat(out[k], v);
    else out[k] = v;
  }
  return out;
}
