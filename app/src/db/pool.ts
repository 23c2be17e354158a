// The connection pool, and the wait for a database that is still starting.
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection } from 'mysql2/promise';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { currentTrace, msSince, type TracedStatement } from '../request-trace.js';

export type { Pool };

// Queries allowed to wait per connection of the pool: 200 for the default 10 connections.
const QUEUED_PER_CONNECTION = 20;

export function createPool(db: Config['db']): Pool {
  const pool = mysql.createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.name,
    charset: 'utf8mb4_unicode_ci',
    // A pool sized to the work: each request holds a connection for one or two short queries.
    connectionLimit: db.poolSize,
    // Fail fast when the database is down, so the user gets a 503 page within seconds, not a hang.
    connectTimeout: 3000,
    // When every connection is busy, a query waits in a queue for one. queueLimit is how many queries
    // may wait (a count, not a time): the next one fails at once ("Queue limit reached"), and the
    // visitor gets the 503 "database is busy" page instead of waiting behind hundreds of others.
    queueLimit: db.poolSize * QUEUED_PER_CONNECTION,
    enableKeepAlive: true,
    // Dates come back as JavaScript Date objects in UTC; the server stores UTC too (see migrations).
    timezone: 'Z',
    // Never on: with it, an injected "; DROP TABLE" could run as a second statement.
    multipleStatements: false,
  });
  return traceStatements(pool);
}

type Method = 'execute' | 'query';
type Run = (...args: unknown[]) => Promise<[unknown, unknown]>;

/**
 * The same pool, but its execute() and query() record each statement in the current request's trace
 * (request-trace.ts). Outside a traced request they are the pool's own, untouched. A traced statement
 * takes a connection, runs on it and gives it back, which is what pool.execute() does inside; doing
 * it here tells us which connection ran it.
 */
function traceStatements(pool: Pool): Pool {
  async function traced(method: Method, args: unknown[]): Promise<[unknown, unknown]> {
    const trace = currentTrace();
    if (!trace) return (pool[method] as Run).apply(pool, args);
    const started = process.hrtime.bigint();
    const sql = typeof args[0] === 'string' ? args[0] : String((args[0] as { sql?: unknown } | undefined)?.sql ?? '');
    let conn: PoolConnection | undefined;
    try {
      conn = await pool.getConnection();
      const result = await (conn[method] as Run).apply(conn, args);
      trace.addStatement({ sql, ms: msSince(started), conn: conn.threadId, ...rowCounts(result[0]) });
      return result;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      trace.addStatement({ sql, ms: msSince(started), conn: conn?.threadId, error: typeof code === 'string' ? code : (err as Error).message });
      throw err;
    } finally {
      conn?.release();
    }
  }
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'execute' || property === 'query') return (...args: unknown[]) => traced(property, args);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

// A SELECT answers rows (an array); INSERT, UPDATE and DELETE answer a header with affectedRows.
function rowCounts(result: unknown): Pick<TracedStatement, 'rows' | 'affected'> {
  if (Array.isArray(result)) return { rows: result.length };
  const affected = (result as { affectedRows?: unknown } | undefined)?.affectedRows;
  return typeof affected === 'number' ? { affected } : {};
}

/** True when the database answers a trivial query. */
export async function pingDatabase(pool: Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until the database answers, retrying with a growing pause (0.5 s, 1 s, 2 s … at most 5 s),
 * so an app started before its database logs a clear line and waits instead of crash-looping.
 */
export async function waitForDatabase(pool: Pool, log: Logger): Promise<void> {
  let delayMs = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      if (attempt > 1) log.info('db_ready', { attempts: attempt });
      return;
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as Error).message;
      log.warn('db_waiting', {
        message: `database not reachable yet (${code}); retrying in ${delayMs / 1000}s`,
        attempt,
      });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 5000);
    }
  }
}
