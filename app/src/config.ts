// The one place that reads the environment. Everything else receives a typed, frozen Config.
// A missing or malformed value stops the app at start with a message that names the variable,
// instead of failing later on the first request that needs it.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** A name for this app process, shown in logs and in the X-App-Instance header. */
  instance: string;
  db: Readonly<{
    host: string;
    port: number;
    name: string;
    user: string;
    password: string;
    poolSize: number;
    /** The user migrations run as: the only one allowed to change the schema (the app's own may not). */
    migrationUser: string;
    migrationPassword: string;
  }>;
  session: Readonly<{
    keys: readonly string[];
    /** Signed out after this many seconds without a request (see middleware/session.ts for how renewal works). */
    idleTimeoutS: number;
    /** Signed out this many seconds after login, however active. */
    absoluteTimeoutS: number;
    /** Mark the cookies Secure (the browser sends them back over HTTPS only): with HTTPS_ONLY=1. */
    cookieSecure: boolean;
  }>;
  /** HTTPS_ONLY=1: nginx sends plain HTTP requests to HTTPS, so every request reaches the app over HTTPS. */
  httpsOnly: boolean;
  bcryptCost: number;
  /** Record every SQL statement and bcrypt call of a request in its log line (request-trace.ts). */
  traceSql: boolean;
  /** Also append every log line to this file (the Docker runner sets it; natively stdout is a file already). */
  logFile: string | undefined;
  paths: Readonly<{ views: string; migrations: string }>;
}>;

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

// The app's own folder (one level above src/ or dist/), so paths work from either.
const appRoot = fileURLToPath(new URL('../', import.meta.url));

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  // A cookie marked Secure is never sent back over plain HTTP (koa even refuses to set one on a plain
  // HTTP request: that page would fail). So cookies are Secure exactly when every request comes over
  // HTTPS: with HTTPS_ONLY=1. COOKIE_SECURE may say the same thing, or stay empty.
  const httpsOnly = read.oneOf('HTTPS_ONLY', ['0', '1'] as const, '0') === '1';
  const cookieSecure = read.boolean('COOKIE_SECURE', httpsOnly);
  if (cookieSecure && !httpsOnly) {
    problems.push('COOKIE_SECURE=true needs HTTPS_ONLY=1 (plain HTTP would get no cookie back): set HTTPS_ONLY=1, or leave COOKIE_SECURE empty.');
  } else if (!cookieSecure && httpsOnly) {
    problems.push('COOKIE_SECURE=false does not go with HTTPS_ONLY=1 (every request comes over HTTPS, so cookies are Secure): leave COOKIE_SECURE empty.');
  }

  const config: Config = {
    env: read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development'),
    host: read.string('APP_HOST', '127.0.0.1'),
    port: read.integer('APP_PORT', 3000, 1, 65535),
    instance: read.string('APP_INSTANCE', `${hostname()}:${env.APP_PORT ?? 3000}`),
    db: {
      host: read.string('DB_HOST', '127.0.0.1'),
      port: read.integer('DB_PORT', 3306, 1, 65535),
      name: read.string('DB_NAME', 'stacklab'),
      user: read.string('DB_USER', 'stacklab'),
      password: read.required('DB_PASSWORD'),
      poolSize: read.integer('DB_POOL_SIZE', 10, 1, 100),
      migrationUser: read.string('DB_MIGRATION_USER', 'stacklab_migrate'),
      migrationPassword: read.required('DB_MIGRATION_PASSWORD'),
    },
    session: {
      keys: read.sessionKeys('SESSION_KEYS'),
      idleTimeoutS: read.integer('SESSION_IDLE_TIMEOUT_S', 30 * 60, 2, 7 * 24 * 3600),
      absoluteTimeoutS: read.integer('SESSION_ABSOLUTE_TIMEOUT_S', 12 * 3600, 2, 30 * 24 * 3600),
      cookieSecure,
    },
    httpsOnly,
    // 12 is the OWASP-recommended floor for bcrypt today; tests may lower it to run faster.
    bcryptCost: read.integer('BCRYPT_COST', 12, 4, 16),
    traceSql: read.boolean('TRACE_SQL', true),
    logFile: read.string('LOG_FILE', '') || undefined,
    paths: {
      views: path.join(appRoot, 'views'),
      migrations: read.string('MIGRATIONS_DIR', path.resolve(appRoot, '../mysql/migrations')),
    },
  };

  if (problems.length > 0) {
    throw new ConfigError(
      `The app cannot start, its configuration is incomplete:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\nSet these in .env (see .env.example for every variable and its meaning).`,
    );
  }
  return deepFreeze(config);
}

/**
 * Reads one variable at a time and collects every problem, so the learner sees them all at once.
 * The tools read .env with it too (tools/lib/settings.ts): one rule for "empty", one wording.
 */
export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  required(name: string): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problems.push(`${name} is missing.`);
      return '';
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.problems.push(`${name} must be true or false, or 1 or 0 (got "${value}").`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}").`);
      return fallback;
    }
    return value as T;
  }

  // Cookie signing keys: a comma-separated list, newest first, so a key can be rotated
  // without signing everybody out (old keys still verify, the first one signs).
  sessionKeys(name: string): string[] {
    const value = this.required(name);
    if (value === '') return [];
    const keys = value.split(',').map((k) => k.trim());
    if (keys.some((k) => k.length < 32)) {
      this.problems.push(`${name} must hold keys of at least 32 characters each, separated by commas.`);
    }
    return keys;
  }
}

export function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object') deepFreeze(inner as object);
  }
  return Object.freeze(value);
}
