// Small helpers to build the pages: elements, progress bars, sizes, times, and problems shown in the page.

/** An element: h('td', {class: 'num'}, 'text', child, ...); attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A progress bar of done/total with its percentage. */
export function bar(done, total, finished) {
  const percent = finished ? 100 : total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
  return h('span', { class: 'progress', 'data-percent': percent },
    h('span', { class: 'bar' + (percent === 100 ? ' done' : '') }, h('span', { style: `width: ${percent}%` })),
    `${percent}%`);
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function time(ms) {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '';
}

/** A time in the browser's own time zone, for what happens next (a schedule's next run). */
export function localTime(ms) {
  return ms ? new Date(ms).toLocaleString() : '';
}

export function stateCell(state) {
  return h('span', { class: `state state-${state}` }, state);
}

/** An API problem (or any error) as a box in the page: its title, detail and the fields at fault. */
export function problemBox(error) {
  const p = error && error.problem ? error.problem : { title: 'Error', detail: String(error) };
  return h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, `${p.title || 'Error'}${p.status ? ` (${p.status})` : ''}`),
    p.detail ? h('span', { class: 'detail' }, p.detail) : null,
    (p.errors || []).length ? h('ul', {}, p.errors.map((e) => h('li', {}, `${e.field}: ${e.message}`))) : null);
}

/** Replaces what a slot holds with the problem, so it is shown where the action was. */
export function showProblem(slot, error) {
  slot.replaceChildren(problemBox(error));
}

export function field(label, control) {
  return [h('label', { for: control.id }, label), control];
}
