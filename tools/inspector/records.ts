// What the inspector knows about one request: the hops (browser → nginx → app → database) and the
// answer, built by join-logs.ts from nginx's access log and the app's log.
import type { TraceFields } from '../../app/src/request-trace.js';
import type { JsonLine } from '../lib/json-lines.js';

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
  /** The SQL statements' time, and bcrypt's (app/src/request-trace.ts), when the app recorded them. */
  databaseMs?: number;
  bcryptMs?: number;
  /** The total split into parts that add up to it, in order, for the timing bar. */
  split: TimePart[];
};

/** nginx / the app's own code / the database / bcrypt / the rest (between nginx and the app). */
export type TimePart = { part: 'nginx' | 'app' | 'database' | 'bcrypt' | 'rest'; ms: number; label: string };

/** The app's hop to the database: the statements and bcrypt calls of the request (TRACE_SQL). */
export type BelowTheApp = TraceFields;

/** How each hop travelled: TLS or not, and what was negotiated (from nginx's log). */
export type Transport = {
  /** Browser → nginx over HTTPS: what the TLS handshake settled on. Absent for plain HTTP. */
  tls?: { protocol: string; cipher: string; serverName: string; sessionReused: boolean };
  /** Browser → nginx in a line: HTTPS or plain HTTP, the TLS facts, the HTTP version. */
  browserToNginx: string;
  /** nginx → app in a line: always plain HTTP/1.1, and why. */
  nginxToApp: string;
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
  transport: Transport;
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
  /** The third hop: what the app asked the database (and bcrypt); undefined when the app did not record it. */
  below?: BelowTheApp;
  response: ResponseHeaderRow[];
  /** Other app log lines for this request (login_failed, …). */
  events: JsonLine[];
  curl: string;
  /** True when nginx passed the request on but the app's log line was not found (yet). */
  appLineMissing: boolean;
};

/** One line of the live list. */
export type RequestSummary = Pick<InspectedRequest, 'id' | 'time' | 'msec' | 'method' | 'path' | 'query' | 'status' | 'answeredBy' | 'instance'> & {
  totalMs: number;
  upstreamMs?: number;
  /** How many SQL statements the app ran for it (undefined: not recorded). */
  statements?: number;
};

export function summary(r: InspectedRequest): RequestSummary {
  const { id, time, msec, method, path, query, status, answeredBy, instance } = r;
  return { id, time, msec, method, path, query, status, answeredBy, instance, totalMs: r.timing.totalMs, upstreamMs: r.timing.upstreamMs, statements: r.below?.sql.count };
}
