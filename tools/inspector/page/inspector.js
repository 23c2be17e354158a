// The inspector page: polls /api/requests once a second and shows one request in full on click.
// Everything from the logs is put on the page with textContent, never as HTML: header values are
// typed by whoever sent the request, and could contain <script>.
/* global document, location, fetch, navigator, setInterval, URLSearchParams, FormData, Node */
'use strict';

const $ = (selector) => document.querySelector(selector);
let selected = location.hash.slice(1) || '';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

const ms = (n) => (n === undefined || n === null ? '' : `${Number(n).toFixed(1)} ms`);
const statusClass = (status) => `status-${String(status)[0]}`;

async function refreshList() {
  const form = new URLSearchParams(new FormData($('#filters')));
  const res = await fetch(`/api/requests?${form}`);
  if (!res.ok) return;
  const { max, requests } = await res.json();
  const body = $('#list tbody');
  body.replaceChildren(
    ...requests.map((r) => {
      const row = el(
        'tr',
        { 'data-id': r.id, class: r.id === selected ? 'selected' : '' },
        el('td', {}, (r.time.split('T')[1] || r.time).slice(0, 8)),
        el('td', {}, r.method),
        el('td', {}, r.query ? `${r.path}?${r.query}` : r.path),
        el('td', { class: statusClass(r.status) }, r.status),
        el('td', {}, ms(r.totalMs)),
        el('td', {}, r.answeredBy === 'nginx' ? el('span', { class: 'badge', title: 'answered by nginx itself' }, 'nginx') : ms(r.upstreamMs)),
        el('td', {}, r.statements === undefined || r.statements === null ? '' : r.statements),
        el('td', { class: 'muted' }, r.id),
      );
      row.addEventListener('click', () => select(r.id));
      return row;
    }),
  );
  $('#empty').hidden = requests.length > 0;
  $('#count').textContent = `${requests.length} shown (the store keeps the last ${max})`;
}

async function select(id) {
  selected = id;
  location.hash = id;
  for (const row of document.querySelectorAll('#list tbody tr')) row.classList.toggle('selected', row.dataset.id === id);
  const res = await fetch(`/api/requests/${encodeURIComponent(id)}`);
  if (!res.ok) return;
  showDetail(await res.json());
}

function headerRow(name, value, why, cls = '') {
  return el('tr', { class: cls }, el('td', {}, name), el('td', {}, value, why ? el('div', { class: 'why' }, why) : ''));
}

function showDetail(r) {
  $('#detail').hidden = false;
  $('#detail-title').textContent = `${r.method} ${r.path}${r.query ? `?${r.query}` : ''} → ${r.status}   (${r.id})`;
  $('#detail-who').textContent =
    r.answeredBy === 'app'
      ? `Answered by the app${r.instance ? `, instance ${r.instance}` : ''}${r.upstreamAddr ? ` at ${r.upstreamAddr}` : ''}. Client ${r.client}, ${r.time}.`
      : `Answered by nginx itself: ${r.nginxReason}. Client ${r.client}, ${r.time}.`;

  // The timing bar: the parts the inspector computed (nginx, the app's code, database, bcrypt, the rest).
  const t = r.timing;
  const total = Math.max(t.totalMs, 0.001);
  $('#timing-bar').replaceChildren(
    ...t.split.map((p) => {
      const segment = el('span', { class: `seg-${p.part}`, title: `${p.label}: ${ms(p.ms)}` });
      segment.style.width = `${(Math.max(0, p.ms) / total) * 100}%`;
      return segment;
    }),
  );
  $('#timing-legend').replaceChildren(
    el('li', {}, `total ${ms(t.totalMs)}`),
    ...t.split.map((p) => el('li', {}, el('i', { class: `seg-${p.part}` }), `${p.label}: ${ms(p.ms)}`)),
  );
  showDatabase(r);

  // Each hop's transport: TLS (or not) from the browser to nginx, always plain HTTP from nginx to the app.
  const tls = r.transport.tls;
  $('#pane-browser').replaceChildren(
    headerRow('connection', tls ? 'HTTPS (TLS)' : 'plain HTTP, not encrypted', r.transport.browserToNginx, tls ? 'tls-on' : 'tls-off'),
    ...(tls
      ? [
          headerRow('TLS version', tls.protocol),
          headerRow('cipher', tls.cipher),
          headerRow('SNI name', tls.serverName || '(none)', 'the host name the browser asked for in the TLS handshake, before any HTTP'),
          headerRow('handshake', tls.sessionReused ? 'session resumed' : 'full'),
        ]
      : []),
    headerRow('HTTP version', r.protocol),
    ...r.browserHeaders.map(([name, value]) => headerRow(name, value)),
    headerRow('size', `${r.sizes.requestBytes} bytes`),
  );
  $('#pane-app').replaceChildren(
    ...(r.answeredBy === 'app' ? [headerRow('connection', 'plain HTTP/1.1', r.transport.nginxToApp, 'tls-off')] : []),
    ...(r.answeredBy === 'app'
      ? r.hop.map((h) =>
          headerRow(
            h.name,
            h.change === 'removed' ? h.browser : h.app,
            [h.change === 'changed' ? `browser sent: ${h.browser}.` : '', h.why || ''].join(' ').trim(),
            `change-${h.change}`,
          ),
        )
      : [headerRow('—', 'no app hop', r.nginxReason)]),
  );
  $('#pane-form').replaceChildren(
    ...(r.form ? [el('h3', {}, 'Form (as the app parsed it)'), el('table', { class: 'headers' }, ...Object.entries(r.form).map(([k, v]) => headerRow(k, String(v)))) ] : []),
    ...r.events.map((e) => el('p', { class: 'why' }, `app event: ${e.event}`)),
  );
  $('#pane-response').replaceChildren(
    headerRow('status', String(r.status), r.upstreamStatus ? `the app's status to nginx: ${r.upstreamStatus}` : ''),
    ...r.response.map((h) => headerRow(h.name, h.value, h.why, h.from === 'nginx' ? 'from-nginx' : '')),
    headerRow('size', `${r.sizes.responseBytes} bytes to the browser${r.sizes.fromAppBytes !== undefined ? `, ${r.sizes.fromAppBytes} from the app` : ''}`),
  );
  $('#curl').textContent = r.curl;
}

// The third hop: the statements (the app keeps the first 50 of a request) and the bcrypt calls.
function showDatabase(r) {
  const below = r.below;
  $('#hop-database').hidden = r.answeredBy !== 'app';
  if (!below) {
    $('#database-summary').textContent = 'Not recorded: TRACE_SQL=false in .env, or an app that does not record it.';
    $('#pane-database').replaceChildren();
    $('#pane-bcrypt').textContent = '';
    return;
  }
  const { sql, bcrypt } = below;
  const more = sql.count - sql.statements.length;
  $('#database-summary').textContent =
    `${sql.count} SQL statement${sql.count === 1 ? '' : 's'}, ${ms(sql.ms)} in all` + (more > 0 ? ` (the first ${sql.statements.length} are shown, ${more} more ran)` : '');
  $('#pane-database').replaceChildren(
    ...sql.statements.map((s) => {
      const result = s.error ? `error ${s.error}` : s.rows !== undefined ? `${s.rows} row${s.rows === 1 ? '' : 's'}` : `${s.affected ?? 0} changed`;
      return el('tr', { class: s.error ? 'sql-error' : '' }, el('td', {}, ms(s.ms)), el('td', {}, s.sql, el('div', { class: 'why' }, `${result} · connection ${s.conn ?? '?'}`)));
    }),
  );
  $('#pane-bcrypt').textContent =
    bcrypt.count === 0 ? '' : `bcrypt: ${bcrypt.calls.map((c) => `${c.op} (cost ${c.cost}) ${ms(c.ms)}`).join(', ')}, on the thread pool`;
}

$('#copy-curl').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('#curl').textContent);
    $('#copy-curl').textContent = 'Copied';
  } catch {
    // No clipboard permission: select the text so Ctrl-C copies it.
    document.getSelection().selectAllChildren($('#curl'));
    $('#copy-curl').textContent = 'Selected: press Ctrl-C';
  }
});
$('#filters').addEventListener('input', () => void refreshList());
$('#filters').addEventListener('submit', (e) => e.preventDefault());

void refreshList();
if (selected) void select(selected);
setInterval(() => void refreshList(), 1000);
