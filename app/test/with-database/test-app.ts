// Shared set-up for the app's own tests: a Config that points at the throwaway test database
// (`make test` starts it and passes its settings in STACK_TEST_INFO), and the app itself, running
// in this process on a free port, without nginx in front of it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createProcessMonitor } from '../../src/process-metrics.js';
import { Browser, GOOD_PASSWORD, uniqueName, type Page, type RequestOptions } from '../browser.js';

export { GOOD_PASSWORD, uniqueName, type Page };

/** The variables of the test stack's .env (DB_PORT, DB_PASSWORD, SESSION_KEYS, …). */
export function stackEnv(): Record<string, string> {
  const raw = process.env.STACK_TEST_INFO;
  if (!raw) throw new Error('Run the tests with `make test`: it starts the throwaway database they need.');
  return (JSON.parse(raw) as { env: Record<string, string> }).env;
}

/** The environment the app needs to reach the test database; cheap bcrypt so tests stay fast. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const env = stackEnv();
  return {
    NODE_ENV: 'test',
    DB_HOST: '127.0.0.1',
    DB_PORT: env.DB_PORT!,
    DB_NAME: env.DB_NAME!,
    DB_USER: env.DB_USER!,
    DB_PASSWORD: env.DB_PASSWORD!,
    DB_MIGRATION_USER: env.DB_MIGRATION_USER!,
    DB_MIGRATION_PASSWORD: env.DB_MIGRATION_PASSWORD!,
    SESSION_KEYS: env.SESSION_KEYS!,
    BCRYPT_COST: '4',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testEnv(overrides));
}

export type TestApp = {
  app: Koa;
  pool: Pool;
  /** Every line the app logged, parsed. */
  log: ReturnType<typeof createMemoryLogger>;
  url: string;
  /** One request with no cookies, as a first-time visitor. */
  request(path: string, options?: RequestOptions): Promise<Page>;
  /** A new "browser" that keeps its cookies from one request to the next. */
  browser(): Browser;
  /** Stops the server and closes the database pool: pass it to `t.after`. */
  close(): Promise<void>;
};

/** Builds the app with the test config (plus `overrides`) and serves it on 127.0.0.1, on a free port. */
export async function buildTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const pool = createPool(config.db);
  const log = createMemoryLogger();
  const app = createApp(config, { pool, log, monitor: createProcessMonitor() });
  app.silent = true; // Koa would print unexpected errors on stderr; the tests look at responses instead

  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = () => new Browser(url);

  return {
    app,
    pool,
    log,
    url,
    request: (path, options) => browser().request(path, options),
    browser,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

/** A new user registered through the form, signed in on `browser`. Returns the username. */
export async function registerUser(browser: Browser, prefix = 'user'): Promise<string> {
  const username = uniqueName(prefix);
  const res = await browser.register(username, GOOD_PASSWORD);
  if (res.status !== 303) throw new Error(`registering ${username} answered ${res.status}`);
  return username;
}
