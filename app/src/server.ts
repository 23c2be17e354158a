// Starts the app: read the config, wait for the database, apply migrations, listen.
// On SIGTERM/SIGINT: stop accepting, let requests in flight finish, then close the pool.
// On SIGUSR2: log this process's metrics for the window that ends, and start a new one (make bench).
import http from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createPool, waitForDatabase } from './db/pool.js';
import { migrate } from './db/migrations.js';
import { deleteExpiredSessions } from './db/sessions.js';
import { createLogger, describeError, stdoutAndFile } from './logger.js';
import { createProcessMonitor } from './process-metrics.js';

const SHUTDOWN_GRACE_MS = 10_000;
const SESSION_CLEANUP_EVERY_MS = 10 * 60_000;
// nginx reads request headers into at most 4 buffers of 8 KB (large_client_header_buffers in
// nginx/templates/stacklab.conf.template), refuses anything larger with a page that says why, and
// adds a few headers of its own. The app's limit sits above all that, so a request nginx let
// through is never refused behind its back (Node's default, 16 KB, would answer an empty 431).
const MAX_HEADER_BYTES = 48 * 1024;

// A crash deep inside a library (the router refusing a path pattern, say) has more than Node's default
// 10 frames of the library's own before the first line of ours: keep enough to reach app/src/, which
// make doctor and the learner look for.
Error.stackTraceLimit = 50;

const config = readConfig();
const log = createLogger({ instance: config.instance }, stdoutAndFile(config.logFile));
const pool = createPool(config.db);
const monitor = createProcessMonitor();
// Filled in once the database is ready; read by shutDown, which may run before that.
const running: { server?: http.Server; cleanup?: NodeJS.Timeout } = {};

process.once('SIGTERM', () => shutDown('SIGTERM'));
process.once('SIGINT', () => shutDown('SIGINT'));
// A signal, not an HTTP request: only who runs this process (make bench) can start a new window.
process.on('SIGUSR2', () => log.info('process_metrics', { ...monitor.startNewWindow() }));

log.info('starting', { env: config.env, db: `${config.db.host}:${config.db.port}/${config.db.name}` });
await waitForDatabase(pool, log);
await applyMigrations();
await purgeExpiredSessions();

const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, createApp(config, { pool, log, monitor }).callback());
running.server = server;
// Keep idle connections from nginx open longer than nginx keeps them (its keepalive_timeout),
// so nginx never sends a request on a connection the app is closing at that very moment.
server.keepAliveTimeout = 75_000;
server.headersTimeout = 76_000;
server.listen(config.port, config.host, () => {
  log.info('listening', { address: `http://${config.host}:${config.port}` });
});

running.cleanup = setInterval(() => void purgeExpiredSessions(), SESSION_CLEANUP_EVERY_MS);
running.cleanup.unref();

/**
 * Applies pending migrations as the migration user, the only one allowed to change the schema; its
 * connection is closed before the app serves anything. The app's own pool may only read and write rows.
 */
async function applyMigrations(): Promise<void> {
  const { migrationUser, migrationPassword } = config.db;
  const migrationPool = createPool({ ...config.db, user: migrationUser, password: migrationPassword, poolSize: 1 });
  try {
    await migrate(migrationPool, config.paths.migrations, log);
  } catch (err) {
    // A broken migration needs a person to fix it: retrying would fail the same way.
    const denied = (err as { code?: unknown }).code === 'ER_ACCESS_DENIED_ERROR';
    log.error('migration_failed', {
      ...describeError(err),
      ...(denied && {
        message: `the database refused the migration user ${migrationUser}: it does not exist yet or has another password than DB_MIGRATION_PASSWORD. make up creates it and sets its password.`,
      }),
    });
    process.exit(1);
  } finally {
    await migrationPool.end().catch(() => {});
  }
}

// Expired sessions are worthless (a cookie pointing at one is treated as anonymous) but would stay
// in the table: remove them at start and every 10 minutes, so the table stays as small as the
// number of people signed in.
async function purgeExpiredSessions(): Promise<void> {
  try {
    const removed = await deleteExpiredSessions(pool);
    if (removed > 0) log.info('sessions_purged', { removed });
  } catch (err) {
    log.warn('session_cleanup_failed', describeError(err));
  }
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

function shutDown(signal: string): void {
  log.info('stopping', { signal });
  clearInterval(running.cleanup);
  // Force the exit if some request never finishes.
  setTimeout(() => {
    log.warn('stopped_forcefully', { message: `requests still open after ${SHUTDOWN_GRACE_MS} ms` });
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();

  const finish = async () => {
    await pool.end().catch(() => {});
    log.info('stopped', { signal });
    process.exit(0);
  };
  if (!running.server) {
    void finish(); // stopped while still waiting for the database
    return;
  }
  const server = running.server;
  server.close(() => void finish());
  // Idle keep-alive connections (nginx keeps several open) would hold close() open until they time
  // out. Close them now, and each busy one as soon as its request is answered.
  server.closeIdleConnections();
  setInterval(() => server.closeIdleConnections(), 100).unref();
}
