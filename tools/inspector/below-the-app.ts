// The third hop: the SQL statements and bcrypt calls the app recorded in its request line
// (app/src/request-trace.ts), read back safely, and the request's time split into the parts the
// timing bar shows: nginx / the app's own code / the database / bcrypt / the rest.
import type { JsonLine } from '../lib/json-lines.js';
import type { BelowTheApp, TimePart, Timing } from './records.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const optionalNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The `sql` and `bcrypt` fields of the app's line, keeping only the fields the app writes (a log is
 * input like any other); undefined when the app did not record them (TRACE_SQL=false, an older app).
 */
export function readBelow(app: JsonLine | undefined): BelowTheApp | undefined {
  if (!app || !isObject(app.sql) || !isObject(app.bcrypt)) return undefined;
  const { sql, bcrypt } = app;
  const statements = (Array.isArray(sql.statements) ? sql.statements : []).filter(isObject).map((s) => ({
    sql: typeof s.sql === 'string' ? s.sql : '',
    ms: num(s.ms),
    rows: optionalNum(s.rows),
    affected: optionalNum(s.affected),
    conn: optionalNum(s.conn),
    error: typeof s.error === 'string' ? s.error : undefined,
  }));
  const calls = (Array.isArray(bcrypt.calls) ? bcrypt.calls : []).filter(isObject).map((c) => ({
    op: c.op === 'hash' ? ('hash' as const) : ('compare' as const),
    cost: num(c.cost),
    ms: num(c.ms),
  }));
  return {
    sql: { count: num(sql.count), ms: num(sql.ms), statements },
    bcrypt: { count: num(bcrypt.count), ms: num(bcrypt.ms), calls },
  };
}

/**
 * Splits the total into parts that add up to it. nginx's share is the total minus the upstream time;
 * inside what the app measured, the database's and bcrypt's time are taken out of the app's own; the
 * rest of the upstream time is connecting and passing the request and the answer between nginx and Koa.
 */
export function splitTime(t: Omit<Timing, 'split'>, below: BelowTheApp | undefined): TimePart[] {
  if (t.upstreamMs === undefined) return [{ part: 'nginx', ms: t.totalMs, label: 'nginx (all of it: the app was not asked)' }];
  const nginx: TimePart = { part: 'nginx', ms: t.nginxMs, label: 'nginx: reading the request, sending the answer' };
  if (t.appMs === undefined) return [nginx, { part: 'app', ms: t.upstreamMs, label: 'the app (its log line was not found)' }];
  const databaseMs = below?.sql.ms ?? 0;
  const bcryptMs = below?.bcrypt.ms ?? 0;
  const parts: TimePart[] = [
    nginx,
    { part: 'app', ms: round(Math.max(0, t.appMs - databaseMs - bcryptMs)), label: "the app's own code (middleware, routes, templates)" },
  ];
  if (below) {
    const n = below.sql.count;
    parts.push({ part: 'database', ms: round(databaseMs), label: `the database: ${n} SQL statement${n === 1 ? '' : 's'}` });
    const b = below.bcrypt.count;
    parts.push({ part: 'bcrypt', ms: round(bcryptMs), label: `bcrypt: ${b} call${b === 1 ? '' : 's'}, on the thread pool` });
  }
  parts.push({ part: 'rest', ms: round(Math.max(0, t.upstreamMs - t.appMs)), label: 'the rest: connecting, passing the request and the answer between nginx and the app' });
  return parts;
}
