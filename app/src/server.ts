// Starts the app: read the config, wait for the database, apply migrations, listen.
// On SIGTERM/SIGINT: stop accepting, let requests in flight finish, then close the pool.
import http from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createPool, waitForDatabase } from './db/pool.js';
import { migrate } from './db/migrations.js';
import { deleteExpiredSessions } from './db/sessions.js';
import { createLogger, describeError, stdoutAndFile } from './logger.js';

const SHUTDOWN_GRACE_MS = 10_000;
const SESSION_CLEANUP_EVERY_MS = 10 * 60_000;

const config = readConfig();
const log = createLogger({ instance: config.instance }, stdoutAndFile(config.logFile));
const pool = createPool(config.db);
// Filled in once the database is ready; read by shutDown, which may run before that.
const running: { server?: http.Server; cleanup?: NodeJS.Timeout } = {};

process.once('SIGTERM', () => shutDown('SIGTERM'));
process.once('SIGINT', () => shutDown('SIGINT'));

log.info('starting', { env: config.env, db: `${config.db.host}:${config.db.port}/${config.db.name}` });
await waitForDatabase(pool, log);
try {
  await migrate(pool, config.paths.migrations, log);
} catch (err) {
  // A broken migration needs a person to fix it: retrying would fail the same way.
  log.error('migration_failed', describeError(err));
  process.exit(1);
}

const server = http.createServer(createApp(config, { pool, log }).callback());
running.server = server;
// Keep idle connections from nginx open longer than nginx keeps them (its keepalive_timeout),
// so nginx never sends a request on a connection the app is closing at that very moment.
server.keepAliveTimeout = 75_000;
server.headersTimeout = 76_000;
server.listen(config.port, config.host, () => {
  log.info('listening', { address: `http://${config.host}:${config.port}` });
});

running.cleanup = setInterval(() => {
  deleteExpiredSessions(pool).catch((err) => log.warn('session_cleanup_failed', describeError(err)));
}, SESSION_CLEANUP_EVERY_MS);
running.cleanup.unref();

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
