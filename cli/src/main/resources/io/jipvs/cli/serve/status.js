// The status page: /api/v1/state every few seconds, drawn with text nodes only (no HTML is ever
// built from names), rates from the kernel's own estimators.
'use strict';

const REFRESH_MS = 2000;
const COLUMNS = ['Real server', 'Health', 'Weight (configured / effective)', 'Active', 'Inactive',
  'Conn/s', 'In B/s', 'Out B/s', 'Last check', 'Latency', 'In state'];

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function duration(fromIso, now) {
  let s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s}s` : `${s}s`;
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + units[i];
}

function health(rs) {
  if (rs.drained) return ['drained', 'drained'];
  if (!rs.health) return ['health-unchecked', rs.inKernel ? 'unchecked' : 'absent'];
  return rs.health.status === 'up' ? ['health-up', 'up'] : ['health-down', 'down'];
}

function row(rs, now) {
  const [cls, word] = health(rs);
  const h = rs.health;
  const last = h && h.last;
  const c = rs.connections || {};
  const st = rs.stats || {};
  const configured = rs.weight.override !== null ? `${rs.weight.override} (set)` : `${rs.weight.configured}`;
  const weight = `${configured} / ${rs.weight.effective === null ? '–' : rs.weight.effective}`;
  const cells = [
    rs.key,
    el('span', {class: 'health ' + cls}, word),
    weight,
    c.active ?? '–', c.inactive ?? '–',
    st.connectionRate ?? '–',
    st.inByteRate === undefined ? '–' : bytes(st.inByteRate) + '/s',
    st.outByteRate === undefined ? '–' : bytes(st.outByteRate) + '/s',
    last ? el('span', {class: 'detail'}, (last.ok ? 'ok: ' : 'failed: ') + last.detail) : '–',
    last ? (last.latencySeconds * 1000).toFixed(1) + ' ms' : '–',
    h ? duration(h.since, now) : '–',
  ];
  const tr = el('tr', {class: 'rs ' + cls, 'data-key': rs.key});
  cells.forEach((v, i) => tr.append(el('td', {'data-label': COLUMNS[i], class: (i >= 3 && i <= 7) || i === 9 ? 'num' : ''}, v)));
  return tr;
}

function service(s, now) {
  const title = el('h2', {}, s.name ?? s.key);
  if (s.name) title.append(el('span', {class: 'key'}, s.key));
  if (s.quorum) {
    title.append(el('span', {class: 'badge ' + (s.quorum.up ? 'quorum-up' : 'quorum-lost')},
      s.quorum.up ? 'quorum' : 'quorum lost'));
  }
  if (s.sorryServer && s.sorryServer.active) title.append(el('span', {class: 'badge sorry'}, 'sorry server serving'));
  const head = el('tr', {}, ...COLUMNS.map(c => el('th', {}, c)));
  const body = el('tbody', {}, ...s.realServers.map(rs => row(rs, now)));
  return el('section', {class: 'service', 'data-key': s.key}, title, el('table', {}, el('thead', {}, head), body));
}

async function refresh() {
  try {
    const r = await fetch('/api/v1/state', {cache: 'no-store'});
    if (!r.ok) throw new Error('state: HTTP ' + r.status);
    const state = await r.json();
    const now = Date.parse(state.time);
    document.getElementById('services').replaceChildren(...state.services.map(s => service(s, now)));
    document.getElementById('updated').textContent = 'updated ' + new Date(now).toLocaleTimeString();
    document.getElementById('error').textContent = '';
  } catch (e) {
    document.getElementById('error').textContent = String(e.message || e);
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
