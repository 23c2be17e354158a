// The connection pool, and the wait for a database that is still starting.
import mysql from 'mysql2/promise';
import type { Pool } from 'mysql2/promise';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export type { Pool };

// Queries allowed to wait per connection of the pool: 200 for the default 10 connections.
const QUEUED_PER_CONNECTION = 20;

export function createPool(db: Config['db']): Pool {
  return mysql.createPool({
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
