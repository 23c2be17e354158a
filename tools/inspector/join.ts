// The heart of the inspector: nginx's access log and the app's request log, joined by request id,
// into one record per request that shows both hops: browser → nginx → app, and the answer back.
import { COOKIE_FLAGS, LOGGED_REQUEST_HEADERS, addedResponseHeaders, proxySetHeaders } from './nginx-rules.js';

type Line = Record<string, unknown>;

/** How a request header changed between the browser's request and the app's. */
export type HeaderChange = 'same' | 'added' | 'changed' | 'removed' | 'passed';

export type HeaderRow = {
  name: string;
  /** As the browser sent it; undefined when nginx's log does not record this header. */
  browser?: string;
  /** As the app received it; undefined when it did not arrive (or the app never saw the request). */
  app?: string;
  change: HeaderChange;
  /** Set by nginx's config (proxy_set_header), whatever the browser sent. */
  setByNginx: boolean;
  why?: string;
};

export type ResponseHeaderRow = { name: string; value: string; from: 'app' | 'nginx'; why?: string };

export type Timing = {
  /** nginx's request time: from the first byte of the request to the last byte of the answer. */
  totalMs: number;
  /** Connecting to the app (0 when a kept-alive connection was reused). */
  connectMs?: number;
  /** Until the app's response headers arrived (includes connectMs). */
  headerMs?: number;
  /** Until the app's whole response arrived (includes headerMs). */
  upstreamMs?: number;
  /** What the app measured itself, inside Koa. */
  appMs?: number;
  /** The rest: nginx reading the request and sending the answer to the browser. */
  nginxMs: number;
};

export type InspectedRequest = {
  id: string;
  time: string;
  /** Seconds since 1970, from nginx (sorts the list). */
  msec: number;
  client: string;
  method: string;
  path: string;
  query?: string;
  protocol: string;
  scheme: string;
  host: string;
  status: number;
  upstreamStatus?: string;
  /** Who produced the answer: the app, or nginx itself (static file, limit, error page). */
  answeredBy: 'app' | 'nginx';
  /** For answers nginx gave itself: why, in one line. */
  nginxReason?: string;
  instance?: string;
  upstreamAddr?: string;
  userId?: number | null;
  timing: Timing;
  sizes: { requestBytes: number; responseBytes: number; toAppBytes?: number; fromAppBytes?: number };
  /** Browser → nginx: the request headers nginx's log records. */
  browserHeaders: [string, string][];
  /** nginx → app: every header the app received, compared with the browser's. */
  hop: HeaderRow[];
  /** The form as the app parsed it (passwords and CSRF tokens redacted); app requests only. */
  form?: Record<string, unknown>;
  response: ResponseHeaderRow[];
  /** Other app log lines for this request (login_failed, …). */
  events: Line[];
  curl: string;
  /** True when nginx passed the request on but the app's log line was not found (yet). */
  appLineMissing: boolean;
};

/** One line of the live list. */
export type RequestSummary = Pick<InspectedRequest, 'id' | 'time' | 'msec' | 'method' | 'path' | 'query' | 'status' | 'answeredBy' | 'instance'> & {
  totalMs: number;
  upstreamMs?: number;
};

export function summary(r: InspectedRequest): RequestSummary {
  const { id, time, msec, method, path, query, status, answeredBy, instance } = r;
  return { id, time, msec, method, path, query, status, answeredBy, instance, totalMs: r.timing.totalMs, upstreamMs: r.timing.upstreamMs };
}

const REDACTED = '[redacted]';
// Defence in depth: even if a log line carried one, these never reach the screen.
const SECRET_NAME = /pass|csrf|token|secret|session/i;

function parseJsonLines(lines: readonly string[]): Line[] {
  const parsed: Line[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      parsed.push(JSON.parse(line) as Line);
    } catch {
      // a line cut in half by a rotation, or not ours: skip it
    }
  }
  return parsed;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** "0.004" → 4 ms; "0.001, 0.003" (nginx tried twice) → 4 ms; "-" or "" → undefined. */
function seconds(value: unknown): number | undefined {
  const parts = str(value)
    .split(/[,:]/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== '-')
    .map(Number)
    .filter(Number.isFinite);
  if (parts.length === 0) return undefined;
  return Math.round(parts.reduce((a, b) => a + b, 0) * 10_000) / 10;
}

function bytes(value: unknown): number | undefined {
  const n = Number(str(value).split(/[,:]/).pop()?.trim());
  return str(value) === '' || !Number.isFinite(n) ? undefined : n;
}

/**
 * Joins the two logs. Every nginx line becomes a record (nginx sees every request); the app's
 * "request" line with the same id adds the second hop. Keeps the newest `max`, newest last.
 */
export function joinLogs(nginxLines: readonly string[], appLines: readonly string[], max: number): InspectedRequest[] {
  const appById = new Map<string, Line>();
  const eventsById = new Map<string, Line[]>();
  for (const line of parseJsonLines(appLines)) {
    const id = str(line.requestId);
    if (!id) continue;
    if (line.event === 'request') appById.set(id, line);
    else eventsById.set(id, [...(eventsById.get(id) ?? []), line]);
  }
  const nginx = parseJsonLines(nginxLines).filter((l) => l.request_id);
  // Newest `max` by nginx's clock; a later line with the same id (a retried id) wins.
  nginx.sort((a, b) => Number(a.msec) - Number(b.msec));
  const byId = new Map<string, InspectedRequest>();
  for (const line of nginx.slice(-max * 2)) {
    const id = str(line.request_id);
    byId.delete(id);
    byId.set(id, inspect(line, appById.get(id), eventsById.get(id) ?? []));
  }
  return [...byId.values()].slice(-max);
}

function inspect(n: Line, app: Line | undefined, events: Line[]): InspectedRequest {
  const uri = str(n.uri);
  const q = uri.indexOf('?');
  const path = q === -1 ? uri : uri.slice(0, q);
  const query = q === -1 ? undefined : redactQuery(uri.slice(q + 1));
  const status = Number(n.status);
  const upstreamAddr = str(n.upstream_addr) || undefined;
  const upstreamStatus = str(n.upstream_status) || undefined;
  const answeredBy = app ? 'app' : 'nginx';

  const totalMs = seconds(n.request_time) ?? 0;
  const upstreamMs = seconds(n.upstream_response_time);
  const timing: Timing = {
    totalMs,
    connectMs: seconds(n.upstream_connect_time),
    headerMs: seconds(n.upstream_header_time),
    upstreamMs,
    appMs: typeof app?.ms === 'number' ? app.ms : undefined,
    nginxMs: Math.max(0, Math.round((totalMs - (upstreamMs ?? 0)) * 10) / 10),
  };

  const browserHeaders: [string, string][] = [];
  for (const [field, header] of LOGGED_REQUEST_HEADERS) {
    if (!(field in n) || str(n[field]) === '') continue; // not logged, or not sent
    const value = field === 'req_cookie' || field === 'req_authorization' ? '(sent; nginx logs no values)' : str(n[field]);
    browserHeaders.push([header, value]);
  }
  const appHeaders = app && typeof app.headers === 'object' && app.headers ? (app.headers as Record<string, unknown>) : undefined;

  const record: InspectedRequest = {
    id: str(n.request_id),
    time: str(n.time),
    msec: Number(n.msec),
    client: str(n.remote_addr),
    method: str(n.method),
    path,
    query,
    protocol: str(n.protocol),
    scheme: str(n.scheme) || 'http',
    host: str(n.host),
    status,
    upstreamStatus,
    answeredBy,
    nginxReason: answeredBy === 'nginx' ? nginxReason(path, status, upstreamAddr, upstreamStatus) : undefined,
    instance: str(app?.instance) || str(n.app_instance) || undefined,
    upstreamAddr,
    userId: app ? ((app.userId as number | null | undefined) ?? null) : undefined,
    timing,
    sizes: {
      requestBytes: Number(n.request_length) || 0,
      responseBytes: Number(n.bytes_sent) || 0,
      toAppBytes: bytes(n.upstream_bytes_sent),
      fromAppBytes: bytes(n.upstream_bytes_received),
    },
    browserHeaders,
    hop: appHeaders ? compareHeaders(n, appHeaders) : [],
    form: app?.form && typeof app.form === 'object' ? redactForm(app.form as Record<string, unknown>) : undefined,
    response: responseHeaders(n, app),
    events: events.map(redactLine),
    curl: '',
    // nginx passed it on and the app answered (not a 502/504 of nginx's own), yet no app line.
    appLineMissing: !app && !!upstreamAddr && !/^(502|504)$/.test(upstreamStatus ?? ''),
  };
  record.curl = curlFor(record, appHeaders);
  return record;
}

function nginxReason(path: string, status: number, upstreamAddr?: string, upstreamStatus?: string): string {
  if (upstreamAddr) {
    if (/^(502|504)$/.test(upstreamStatus ?? '') || status === 502 || status === 504) {
      return `nginx tried the app at ${upstreamAddr}, got no answer (${upstreamStatus === '504' ? 'timed out' : 'connection refused or cut'}), and sent its own ${status} page`;
    }
    return `passed to the app at ${upstreamAddr}, but the app's log line was not found (the app's log may have been rotated)`;
  }
  if (status === 429) return 'rate limit (limit_req): too many sign-in posts from this address, refused before the app';
  if (status === 413) return 'body too large (client_max_body_size 16k): refused before the app';
  if (path.startsWith('/static/') || path === '/robots.txt' || path === '/favicon.ico') {
    return status === 404 ? 'static file not found in app/public (nginx looked, the app was not asked)' : 'static file from app/public, served by nginx itself';
  }
  return `nginx answered itself (status ${status}), without asking the app`;
}

/** nginx → app: each header the app received, compared with what the browser sent. */
function compareHeaders(n: Line, appHeaders: Record<string, unknown>): HeaderRow[] {
  const rules = proxySetHeaders();
  const browser = new Map<string, { name: string; value: string }>();
  for (const [field, header] of LOGGED_REQUEST_HEADERS) {
    if (field in n) browser.set(header.toLowerCase(), { name: header, value: str(n[field]) });
  }
  const rows: HeaderRow[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of Object.entries(appHeaders)) {
    const key = name.toLowerCase();
    seen.add(key);
    const value = redactValue(key, str(raw)); // the app redacted already; twice is harmless
    const rule = rules.get(key);
    const sent = browser.get(key);
    const known = sent !== undefined && !(key === 'cookie' || key === 'authorization');
    let change: HeaderChange;
    if (key === 'cookie' || key === 'authorization') change = 'passed'; // values are not in nginx's log
    else if (!known) change = rule ? 'added' : 'passed';
    else if (sent.value === '') change = 'added';
    else change = sent.value === value ? 'same' : 'changed';
    rows.push({
      name,
      browser: known && sent.value !== '' ? sent.value : sent?.value === 'present' ? '(sent; nginx logs no values)' : undefined,
      app: value,
      change,
      setByNginx: !!rule,
      // Headers without a note were passed on unchanged (nginx's log does not record them all).
      why: rule ? rule.why : key === 'cookie' || key === 'authorization' ? 'passed on unchanged; values redacted here and in both logs' : undefined,
    });
  }
  // Sent by the browser but not passed on: nginx removed it (Connection), or set it to "".
  for (const [key, sent] of browser) {
    if (seen.has(key) || sent.value === '') continue;
    const rule = rules.get(key);
    rows.push({ name: sent.name, browser: sent.value, change: 'removed', setByNginx: !!rule, why: rule?.why ?? 'not passed on by nginx' });
  }
  return rows;
}

function responseHeaders(n: Line, app: Line | undefined): ResponseHeaderRow[] {
  const rows: ResponseHeaderRow[] = [];
  const fromApp = app?.responseHeaders && typeof app.responseHeaders === 'object' ? (app.responseHeaders as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(fromApp)) {
    for (const one of ([] as unknown[]).concat(value)) {
      const text = redactValue(name.toLowerCase(), str(one));
      rows.push({ name, value: text, from: 'app', why: name.toLowerCase() === 'set-cookie' ? cookieFlags(text) : undefined });
    }
  }
  const has = (name: string) => rows.some((r) => r.name.toLowerCase() === name.toLowerCase());
  // What nginx itself sent (as its log records them), when the app did not set them.
  const nginxSent: [string, string, string][] = [
    ['Content-Type', 'resp_content_type', app ? '' : 'from nginx (mime.types for files, its own error pages)'],
    ['Content-Length', 'resp_content_length', ''],
    ['Content-Encoding', 'resp_content_encoding', 'nginx compressed the body on the way out (gzip on)'],
    ['Location', 'resp_location', ''],
    ['Cache-Control', 'resp_cache_control', 'from nginx (expires in the static locations)'],
  ];
  for (const [name, field, why] of nginxSent) {
    if (str(n[field]) !== '' && !has(name)) rows.push({ name, value: str(n[field]), from: 'nginx', why: why || undefined });
  }
  for (const name of addedResponseHeaders()) {
    if (!has(name)) {
      rows.push({
        name,
        value: name.toLowerCase() === 'x-request-id' ? str(n.request_id) : '(see nginx/snippets/response-headers.conf)',
        from: 'nginx',
        why: 'added by nginx to every answer (add_header … always)',
      });
    }
  }
  return rows;
}

/** "stacklab.sid=[redacted]; path=/; httponly" → what each flag means. */
function cookieFlags(setCookie: string): string {
  const flags = setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim())
    .filter(Boolean)
    .map((a) => {
      const key = a.split('=')[0]!.toLowerCase();
      return COOKIE_FLAGS[key] ? `${a}: ${COOKIE_FLAGS[key]}` : a;
    });
  if (!flags.some((f) => /^httponly/i.test(f))) flags.push('no HttpOnly: page scripts can read this cookie');
  return flags.join('; ');
}

function redactValue(key: string, value: string): string {
  if (key === 'cookie') return value.split(';').map((p) => `${p.split('=')[0]!.trim()}=${REDACTED}`).join('; ');
  if (key === 'authorization' || key === 'proxy-authorization') return `${value.split(' ')[0]} ${REDACTED}`;
  if (key === 'set-cookie') {
    const [pair = '', ...rest] = value.split(';');
    return [`${pair.split('=')[0]!.trim()}=${REDACTED}`, ...rest.map((r) => r.trim())].join('; ');
  }
  if (key === 'x-csrf-token') return REDACTED;
  return value;
}

function redactForm(form: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, SECRET_NAME.test(k) ? REDACTED : v]));
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0]!;
      return SECRET_NAME.test(name) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

function redactLine(line: Line): Line {
  return Object.fromEntries(Object.entries(line).map(([k, v]) => [k, SECRET_NAME.test(k) && k !== 'event' ? REDACTED : v]));
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The request again, as a curl command; redacted values become placeholders to fill in. */
function curlFor(r: InspectedRequest, appHeaders?: Record<string, unknown>): string {
  const url = `${r.scheme}://${r.host || 'localhost:8080'}${r.path}${r.query ? `?${r.query}` : ''}`;
  const parts = ['curl', '-i'];
  const hasForm = r.form && Object.keys(r.form).length > 0;
  if (r.method !== 'GET' && !(r.method === 'POST' && hasForm)) parts.push('-X', r.method);
  parts.push(shellQuote(url.replace(/\[redacted\]/g, 'REDACTED')));
  for (const [name, value] of r.browserHeaders) {
    if (/^(accept|content-type|origin|x-request-id)$/i.test(name)) parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  const cookieNames = str(appHeaders?.Cookie ?? appHeaders?.cookie)
    .split(';')
    .map((p) => p.split('=')[0]!.trim())
    .filter(Boolean);
  if (cookieNames.length) parts.push('-b', shellQuote(cookieNames.map((c) => `${c}=REDACTED`).join('; ')));
  if (hasForm) {
    for (const [k, v] of Object.entries(r.form!)) parts.push('--data-urlencode', shellQuote(`${k}=${str(v) === REDACTED ? 'REDACTED' : str(v)}`));
  }
  return parts.join(' ');
}

/** Filters for the list, as `make inspect FILTER_PATH=/login FILTER_STATUS=4xx FILTER_METHOD=POST` or the page's form. */
export type Filter = { path?: string; status?: string; method?: string };

export function matches(r: Pick<InspectedRequest, 'path' | 'status' | 'method'>, f: Filter): boolean {
  if (f.path && !r.path.includes(f.path)) return false;
  if (f.method && r.method.toUpperCase() !== f.method.toUpperCase()) return false;
  if (f.status) {
    // "404", "4xx", or a list: "429,5xx"
    const ok = f.status.split(',').some((s) => {
      const want = s.trim().toLowerCase();
      return /^\dxx$/.test(want) ? String(r.status)[0] === want[0] : String(r.status) === want;
    });
    if (!ok) return false;
  }
  return true;
}
