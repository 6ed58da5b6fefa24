// ctxbench view: shared helpers (DOM, API, routing, tables, charts, keys).
'use strict';

// An element: h('td', {class: 'n'}, 'text', child). Text is never parsed as HTML.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children.flat()) if (c) el.append(c instanceof Node ? c : document.createTextNode(c));
  return el;
}

const fmt = {
  num(v, d = 3) { return v === null || v === undefined ? '–' : Number(v).toFixed(d).replace(/\.?0+$/, '') || '0'; },
  pct(v) { return v === null || v === undefined ? '–' : (100 * v).toFixed(0) + '%'; },
  int(v) { return v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en'); },
  usd(v) { return v === null || v === undefined ? '–' : '$' + Number(v).toFixed(4); },
  time(s) { return s ? new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '–'; },
};

// The data script name of an API url in a bundle (bundle.cc's BundleDataName).
function bundleName(url) {
  let s = '';
  for (const b of new TextEncoder().encode(url)) {
    const c = String.fromCharCode(b);
    s += /[A-Za-z0-9.\-]/.test(c) ? c : '_' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return s + '.js';
}

function bundleGet(url) {
  const data = window.CTXBENCH_DATA;
  if (url in data) return Promise.resolve(data[url]);
  return new Promise((resolve, reject) => {
    const s = h('script', {src: 'data/' + bundleName(url)});
    const fail = () => reject(new Error('not in this static bundle (needs `ctxbench view`): ' + url));
    s.onload = () => (url in data ? resolve(data[url]) : fail());
    s.onerror = fail;
    document.head.append(s);
  });
}

// ASCII-only lower case, as SQLite's LIKE and lower() compare.
function asciiLower(s) { return s.replace(/[A-Z]/g, (c) => c.toLowerCase()); }

// Search in a bundle: the server's SearchJson over the bundled event pages.
const bundleEvents = {};
async function bundleSearch(run, params) {
  if (!bundleEvents[run]) {
    const all = [];
    for (let offset = 0; ; offset += 5000) {
      const page = await bundleGet(`/api/runs/${enc(run)}/events` + qs({limit: 5000, offset: offset || undefined}));
      all.push(...page.events);
      if (!page.more) break;
    }
    bundleEvents[run] = all;
  }
  const q = params.get('q') || '';
  if (!q) throw new Error('q: empty search');
  const offset = Number(params.get('offset') || 0), limit = Number(params.get('limit') || 50);
  const needle = asciiLower(q);
  const hits = [];
  for (const e of bundleEvents[run]) {
    const at = asciiLower(e.json).indexOf(needle);
    if (at < 0) continue;
    hits.push({episode_id: e.episode_id, seq: e.seq, type: e.type, iteration: e.iteration, step: e.step,
      snippet: e.json.substr(Math.max(0, at - 80), 240)});
    if (hits.length > offset + limit) break;
  }
  const page = hits.slice(offset, offset + limit);
  return {run, q, offset, limit, more: hits.length > offset + limit, hits: page};
}

// Compare in a bundle: the server's CompareJson from the two episodes' X-rays.
async function bundleCompare(run, params) {
  const iteration = Number(params.get('iteration') || 1);
  const ids = [params.get('a'), params.get('b')];
  const eps = await Promise.all(ids.map((id) => bundleGet(`/api/runs/${enc(run)}/episodes/${enc(id)}`)));
  const stepAt = (ep) => {
    let step = 0, first = 0;
    for (const s of ep.steps) {
      if (!first) first = s.step;
      if (s.iteration <= iteration) step = s.step;
    }
    return step || first;
  };
  const xs = await Promise.all(eps.map((ep, i) =>
    bundleGet(`/api/runs/${enc(run)}/episodes/${enc(ids[i])}/xray/${stepAt(ep)}`)));
  const key = (m) => (m.role ?? '') + '\n' + (m.content ?? '') + '\n' + JSON.stringify(m.tool_calls ?? null);
  const sides = xs.map((x, i) => ({...x, messages: x.messages.map((m) => ({...m})), episode_id: ids[i],
    best_so_far: eps[i].best_so_far}));
  const only = sides.map((side, i) => {
    const other = new Set(sides[1 - i].messages.map(key));
    let n = 0;
    for (const m of side.messages) { m.only_here = !other.has(key(m)); n += m.only_here; }
    delete side.extra;
    return n;
  });
  return {run, iteration, a: sides[0], b: sides[1], only_a: only[0], only_b: only[1]};
}

async function api(url) {
  if (window.CTXBENCH_BUNDLE) {
    const [path, query] = url.split('?');
    const m = path.match(/^\/api\/runs\/([^/]+)\/(search|compare)$/);
    const params = new URLSearchParams(query || '');
    if (m && m[2] === 'search') return bundleSearch(decodeURIComponent(m[1]), params);
    if (m && m[2] === 'compare') return bundleCompare(decodeURIComponent(m[1]), params);
    return bundleGet(url);
  }
  const r = await fetch(url, {headers: {Accept: 'application/json'}});
  const body = await r.json().catch(() => ({error: r.statusText}));
  if (!r.ok) throw new Error(body.error || String(r.status));
  return body;
}

// Query string with keys in name order (the bundle's urls are built so too).
function qs(params) {
  const keys = Object.keys(params).filter((k) => params[k] !== undefined && params[k] !== '').sort();
  return keys.length ? '?' + keys.map((k) => k + '=' + encodeURIComponent(params[k])).join('&') : '';
}
function enc(s) { return encodeURIComponent(s); }

// Routing: #/runs, #/run/R, #/run/R/episodes?..., #/run/R/episode/E,
// #/run/R/episode/E/xray/S, #/run/R/compare?..., #/run/R/search?q=...
const routes = [];
function route(pattern, render) { routes.push({pattern, render}); }
let refreshTimer = null;

async function navigate() {
  clearTimeout(refreshTimer);
  keys.items = [];
  const hash = location.hash.slice(1) || '/runs';
  const [path, query] = hash.split('?');
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  const main = document.getElementById('main');
  for (const r of routes) {
    const m = path.match(r.pattern);
    if (!m) continue;
    try {
      const parts = m.slice(1).map(decodeURIComponent);
      const content = await r.render(parts, params);
      main.replaceChildren(...[content].flat());
    } catch (e) {
      main.replaceChildren(h('p', {class: 'error', role: 'alert'}, 'Error: ' + e.message));
    }
    return;
  }
  main.replaceChildren(h('p', {class: 'error', role: 'alert'}, 'No such page: ' + hash));
}

function crumbs(...items) {
  const ol = document.getElementById('crumbs');
  ol.replaceChildren(...items.map(([label, href]) =>
      h('li', {}, href ? h('a', {href}, label) : h('span', {'aria-current': 'page'}, label))));
  const form = document.getElementById('search');
  form.hidden = !items.length || !window.currentRun;
}

// Keyboard: j/k move the selection among keys.items, Enter opens it.
const keys = {items: [], index: -1};
function setKeyItems(items) { keys.items = items; keys.index = -1; }
function selectItem(i) {
  if (!keys.items.length) return;
  keys.index = Math.max(0, Math.min(keys.items.length - 1, i));
  keys.items.forEach((el, n) => el.classList.toggle('selected', n === keys.index));
  const el = keys.items[keys.index];
  el.scrollIntoView({block: 'nearest'});
  el.focus({preventScroll: true});
}
document.addEventListener('keydown', (ev) => {
  if (ev.target.closest('input, textarea, select') || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === 'j') selectItem(keys.index + 1);
  else if (ev.key === 'k') selectItem(keys.index - 1);
  else if (ev.key === '/') { ev.preventDefault(); document.getElementById('search-q').focus(); }
  else if (ev.key === 'Enter' && keys.index >= 0) {
    const link = keys.items[keys.index].querySelector('a') || keys.items[keys.index];
    if (link.href) location.href = link.href;
  } else return;
  ev.preventDefault();
});

// A table with a text filter and sortable columns. columns: [{key, label,
// value(row) -> sortable, cell(row) -> node|string, num}].
function table(caption, columns, rows, opts = {}) {
  const state = {sort: opts.sort || null, dir: opts.dir || 1, filter: ''};
  const tbody = h('tbody');
  const headRow = h('tr');
  const filter = h('input', {type: 'search', 'aria-label': 'Filter ' + caption, placeholder: 'filter rows'});
  const count = h('span', {class: 'count'});
  const val = (c, r) => (c.value ? c.value(r) : r[c.key]);
  function draw() {
    const f = state.filter.toLowerCase();
    let shown = rows.filter((r) => !f || columns.some((c) => String(val(c, r) ?? '').toLowerCase().includes(f)));
    if (state.sort) {
      const c = columns.find((x) => x.key === state.sort);
      shown = shown.slice().sort((a, b) => {
        const x = val(c, a), y = val(c, b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * state.dir;
      });
    }
    tbody.replaceChildren(...shown.map((r) => h('tr', {tabindex: '-1', 'data-key': opts.rowKey ? opts.rowKey(r) : null},
        columns.map((c) => h('td', {class: c.num ? 'n' : null}, c.cell ? c.cell(r) : fmtCell(val(c, r)))))));
    count.textContent = shown.length + ' of ' + rows.length + ' rows';
    headRow.querySelectorAll('th').forEach((th) => th.setAttribute('aria-sort',
        th.dataset.key === state.sort ? (state.dir > 0 ? 'ascending' : 'descending') : 'none'));
    setKeyItems([...tbody.children]);
  }
  for (const c of columns) {
    headRow.append(h('th', {scope: 'col', 'data-key': c.key, class: c.num ? 'n' : null},
        h('button', {type: 'button', onclick: () => {
          state.dir = state.sort === c.key ? -state.dir : 1;
          state.sort = c.key;
          draw();
        }}, c.label)));
  }
  filter.addEventListener('input', () => { state.filter = filter.value; draw(); });
  draw();
  return h('section', {class: 'table'}, h('div', {class: 'tools'}, filter, count),
      h('div', {class: 'scroll'}, h('table', {}, h('caption', {}, caption), h('thead', {}, headRow), tbody)));
}
function fmtCell(v) { return typeof v === 'number' ? fmt.num(v) : v === null || v === undefined ? '–' : String(v); }

// A step chart of series [{label, cls, points: [{x, y}]}].
function stepChart(title, series, xLabel) {
  const W = 560, H = 220, P = 40;
  const pts = series.flatMap((s) => s.points);
  if (!pts.length) return h('p', {}, 'No data for ' + title + '.');
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1), y0 = Math.min(...ys), y1 = Math.max(...ys, y0 + 1e-9);
  const X = (x) => P + (W - 2 * P) * (x - x0) / (x1 - x0);
  const Y = (y) => H - P - (H - 2 * P) * (y - y0) / (y1 - y0);
  const chart = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart'});
  chart.append(svg('line', {x1: P, y1: H - P, x2: W - P, y2: H - P, class: 'axis'}),
      svg('line', {x1: P, y1: P, x2: P, y2: H - P, class: 'axis'}),
      svg('text', {x: P, y: P - 8, class: 'tick'}, fmt.num(y1, 4)),
      svg('text', {x: P, y: H - P + 14, class: 'tick'}, fmt.num(y0, 4)),
      svg('text', {x: W - P, y: H - 8, class: 'tick', 'text-anchor': 'end'}, xLabel + ' ' + fmt.num(x1, 0)));
  for (const s of series) {
    let d = '';
    s.points.forEach((p, i) => {
      d += i ? ` H${X(p.x)} V${Y(p.y)}` : `M${X(p.x)} ${Y(p.y)}`;
    });
    chart.append(svg('path', {d, class: 'series ' + (s.cls || '')}, svg('title', {}, s.label)));
  }
  return h('figure', {}, chart, h('figcaption', {}, title + ': ' + series.map((s) => s.label).join(' vs ')));
}

document.getElementById('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('search-q').value.trim();
  if (q && window.currentRun) location.hash = `#/run/${enc(window.currentRun)}/search` + qs({q});
});
window.addEventListener('hashchange', navigate);
window.addEventListener('DOMContentLoaded', navigate);
