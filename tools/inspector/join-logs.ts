// The heart of the inspector: nginx's access log and the app's request log, joined by request id,
// into one record per request that shows the hops: browser → nginx → app → database, and the answer back.
import { redactFields, redactQuery } from '../../app/src/security/redact.js';
import { fieldText, parseJsonLines, type JsonLine } from '../lib/json-lines.js';
import { readBelow, splitTime } from './below-the-app.js';
import { curlFor } from './curl-command.js';
import { compareHeaders, responseHeaders } from './header-changes.js';
import { LOGGED_REQUEST_HEADERS } from './nginx-rules.js';
import type { InspectedRequest, Timing, Transport } from './records.js';

/** "0.004" → 4 ms; "0.001, 0.003" (nginx tried twice) → 4 ms; "-" or "" → undefined. */
function seconds(value: unknown): number | undefined {
  const parts = fieldText(value)
    .split(/[,:]/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== '-')
    .map(Number)
    .filter(Number.isFinite);
  if (parts.length === 0) return undefined;
  return Math.round(parts.reduce((a, b) => a + b, 0) * 10_000) / 10;
}

function bytes(value: unknown): number | undefined {
  const n = Number(fieldText(value).split(/[,:]/).pop()?.trim());
  return fieldText(value) === '' || !Number.isFinite(n) ? undefined : n;
}

/**
 * Joins the two logs. Every nginx line becomes a record (nginx sees every request); the app's
 * "request" line with the same id adds the second hop. Keeps the newest `max`, newest last.
 */
export function joinLogs(nginxLines: readonly string[], appLines: readonly string[], max: number): InspectedRequest[] {
  const appById = new Map<string, JsonLine>();
  const eventsById = new Map<string, JsonLine[]>();
  for (const line of parseJsonLines(appLines)) {
    const id = fieldText(line.requestId);
    if (!id) continue;
    if (line.event === 'request') appById.set(id, line);
    else eventsById.set(id, [...(eventsById.get(id) ?? []), line]);
  }
  const nginx = parseJsonLines(nginxLines).filter((l) => l.request_id);
  // Newest `max` by nginx's clock; a later line with the same id (a retried id) wins.
  nginx.sort((a, b) => Number(a.msec) - Number(b.msec));
  const byId = new Map<string, InspectedRequest>();
  for (const line of nginx.slice(-max * 2)) {
    const id = fieldText(line.request_id);
    byId.delete(id);
    byId.set(id, inspect(line, appById.get(id), eventsById.get(id) ?? []));
  }
  return [...byId.values()].slice(-max);
}

function inspect(n: JsonLine, app: JsonLine | undefined, events: JsonLine[]): InspectedRequest {
  const uri = fieldText(n.uri);
  const q = uri.indexOf('?');
  const path = q === -1 ? uri : uri.slice(0, q);
  const query = q === -1 ? undefined : redactQuery(uri.slice(q + 1));
  const status = Number(n.status);
  const upstreamAddr = fieldText(n.upstream_addr) || undefined;
  const upstreamStatus = fieldText(n.upstream_status) || undefined;
  const answeredBy = app ? 'app' : 'nginx';

  const totalMs = seconds(n.request_time) ?? 0;
  const upstreamMs = seconds(n.upstream_response_time);
  const below = readBelow(app);
  const measured: Omit<Timing, 'split'> = {
    totalMs,
    connectMs: seconds(n.upstream_connect_time),
    headerMs: seconds(n.upstream_header_time),
    upstreamMs,
    appMs: typeof app?.ms === 'number' ? app.ms : undefined,
    nginxMs: Math.max(0, Math.round((totalMs - (upstreamMs ?? 0)) * 10) / 10),
    databaseMs: below?.sql.ms,
    bcryptMs: below?.bcrypt.ms,
  };
  const timing: Timing = { ...measured, split: splitTime(measured, below) };

  const browserHeaders: [string, string][] = [];
  for (const [field, header] of LOGGED_REQUEST_HEADERS) {
    if (!(field in n) || fieldText(n[field]) === '') continue; // not logged, or not sent
    const value = field === 'req_cookie' || field === 'req_authorization' ? '(sent; nginx logs no values)' : fieldText(n[field]);
    browserHeaders.push([header, value]);
  }
  const appHeaders = app && typeof app.headers === 'object' && app.headers ? (app.headers as Record<string, unknown>) : undefined;

  const record: InspectedRequest = {
    id: fieldText(n.request_id),
    time: fieldText(n.time),
    msec: Number(n.msec),
    client: fieldText(n.remote_addr),
    method: fieldText(n.method),
    path,
    query,
    protocol: fieldText(n.protocol),
    scheme: fieldText(n.scheme) || 'http',
    transport: transport(n),
    host: fieldText(n.host),
    status,
    upstreamStatus,
    answeredBy,
    nginxReason: answeredBy === 'nginx' ? nginxReason(path, status, upstreamAddr, upstreamStatus) : undefined,
    instance: fieldText(app?.instance) || fieldText(n.app_instance) || undefined,
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
    form: app?.form && typeof app.form === 'object' ? redactFields(app.form as Record<string, unknown>) : undefined,
    below,
    response: responseHeaders(n, app),
    events: events.map(redactFields),
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

// TLS ends at nginx: the browser's hop may be HTTPS, the hop to the app is always plain HTTP.
const TO_APP =
  'plain HTTP/1.1, never TLS: nginx ended the TLS connection (it holds the key) and passes the request on ' +
  'inside this machine (natively) or Docker\'s internal network, which no one outside can reach; X-Forwarded-Proto tells the app the scheme.';

function transport(n: JsonLine): Transport {
  const version = fieldText(n.protocol) || 'HTTP';
  const protocol = fieldText(n.tls_protocol);
  if (fieldText(n.scheme) !== 'https' || protocol === '') {
    return { browserToNginx: `plain ${version}, not encrypted (no TLS): anyone on the way could read and change it`, nginxToApp: TO_APP };
  }
  const tls = {
    protocol,
    cipher: fieldText(n.tls_cipher),
    serverName: fieldText(n.tls_server_name),
    sessionReused: fieldText(n.tls_session_reused) === 'r',
  };
  const sni = tls.serverName ? `SNI ${tls.serverName}` : 'no SNI name (an address, not a name, was asked for)';
  const handshake = tls.sessionReused ? 'session resumed (short handshake)' : 'full handshake';
  return { tls, browserToNginx: `HTTPS: ${version} inside ${tls.protocol}, cipher ${tls.cipher}, ${sni}, ${handshake}`, nginxToApp: TO_APP };
}
