// What one request did below the app's own code: every SQL statement it ran through the pool, and
// every bcrypt call. middleware/request-log.ts starts a trace per request and writes it into the
// request's log line; the inspector shows it as the hop from the app to the database.
//
// AsyncLocalStorage follows one request through every `await`, so two requests served at the same
// time never see each other's trace, without passing the trace to every function by hand.
import { AsyncLocalStorage } from 'node:async_hooks';

/** At most this many statements (and bcrypt calls) are kept per request; the count covers them all. */
export const MAX_KEPT = 50;
// A statement's text is clipped to this many characters in the log.
const MAX_SQL_CHARS = 300;

/**
 * One statement: its text as written, with its `?` placeholders. Parameter values are never
 * recorded: they can be a password hash, a session id or a user's data.
 */
export type TracedStatement = {
  sql: string;
  /** From asking the pool for a connection to the last row: waiting for a free connection counts. */
  ms: number;
  /** Rows a SELECT returned. */
  rows?: number;
  /** Rows an INSERT, UPDATE or DELETE changed. */
  affected?: number;
  /** The MySQL connection (thread) id, as SHOW PROCESSLIST names it. */
  conn?: number;
  /** The error code (ER_DUP_ENTRY, …) of a statement that failed. */
  error?: string;
};

export type BcryptCall = { op: 'hash' | 'compare'; cost: number; ms: number };

/** What the request's log line holds: `sql` and `bcrypt`, each a count, a total time and the first MAX_KEPT. */
export type TraceFields = {
  sql: { count: number; ms: number; statements: TracedStatement[] };
  bcrypt: { count: number; ms: number; calls: BcryptCall[] };
};

export class RequestTrace {
  private readonly fields: TraceFields = {
    sql: { count: 0, ms: 0, statements: [] },
    bcrypt: { count: 0, ms: 0, calls: [] },
  };

  addStatement(statement: TracedStatement): void {
    const sql = this.fields.sql;
    sql.count++;
    sql.ms += statement.ms;
    if (sql.statements.length < MAX_KEPT) sql.statements.push({ ...statement, sql: oneLine(statement.sql) });
  }

  addBcrypt(call: BcryptCall): void {
    const bcrypt = this.fields.bcrypt;
    bcrypt.count++;
    bcrypt.ms += call.ms;
    if (bcrypt.calls.length < MAX_KEPT) bcrypt.calls.push(call);
  }

  /** For the log line: totals rounded to 0.01 ms. */
  toLog(): TraceFields {
    const { sql, bcrypt } = this.fields;
    return {
      sql: { ...sql, ms: roundMs(sql.ms) },
      bcrypt: { ...bcrypt, ms: roundMs(bcrypt.ms) },
    };
  }
}

const storage = new AsyncLocalStorage<RequestTrace>();

/** Runs `fn` (the rest of the request) with `trace` as the current request's trace. */
export function runWithTrace<T>(trace: RequestTrace, fn: () => T): T {
  return storage.run(trace, fn);
}

/** The trace of the request being served, or undefined (at start-up, or with TRACE_SQL=false). */
export function currentTrace(): RequestTrace | undefined {
  return storage.getStore();
}

/** Milliseconds since `started` (from process.hrtime.bigint()), to 0.01 ms. */
export function msSince(started: bigint): number {
  return roundMs(Number(process.hrtime.bigint() - started) / 1e6);
}

/** Times a bcrypt call and records it in the current request's trace, if there is one. */
export async function traceBcrypt<T>(op: BcryptCall['op'], cost: number, call: () => Promise<T>): Promise<T> {
  const trace = currentTrace();
  if (!trace) return call();
  const started = process.hrtime.bigint();
  try {
    return await call();
  } finally {
    trace.addBcrypt({ op, cost, ms: msSince(started) });
  }
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

// "SELECT …\n     FROM …" → "SELECT … FROM …", clipped: one short line per statement in the log.
function oneLine(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  return text.length > MAX_SQL_CHARS ? `${text.slice(0, MAX_SQL_CHARS - 1)}…` : text;
}
