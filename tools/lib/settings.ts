// The project's settings: .env (created by tools/stacklab.sh on first use, with fresh secrets), read
// and checked once for every tool (the runners, the course, the inspector, the bench, the tests). The app checks
// its own variables itself (app/src/config.ts) with the same reader, so both report every problem at
// once, in the same words. A value set in the shell wins over .env, as with docker-compose, and an
// empty value means the default everywhere (as `${NAME:-default}` does in docker-compose.yml).
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, deepFreeze, EnvReader, loadConfig } from '../../app/src/config.js';
import { repoPath } from './repo.js';

export type EnvMap = Record<string, string>;

export type Settings = Readonly<{
  /** .env merged with the shell's values: what the app and docker compose are given. */
  values: Readonly<EnvMap>;
  /** The runner: recorded in .env by the first make up (STACK=docker|native); auto before that. */
  stack: 'auto' | 'docker' | 'native';
  /** MODE=prod: the app as it runs in production (compiled, templates cached). */
  mode: 'dev' | 'prod';
  ports: Readonly<{ http: number; https: number; app: number; db: number; inspector: number }>;
  /** HTTPS_ONLY=1: plain HTTP redirects to HTTPS, cookies are Secure, HSTS is sent. */
  httpsOnly: boolean;
  /** How many app instances run behind nginx. */
  appReplicas: number;
  db: Readonly<{ name: string; user: string; password: string; rootPassword: string; migrationUser: string; migrationPassword: string }>;
  /** nginx's limit on sign-in and registration posts per client address. */
  authLimit: Readonly<{ ratePerMinute: number; burst: number }>;
  inspector: Readonly<{ maxRequests: number; logMaxBytes: number }>;
  docker: Readonly<{ appImage: string; nodeImage: string; extraCaCert: string }>;
}>;

export class SettingsError extends Error {}

export const defaultEnvFile = repoPath('.env');
const exampleFile = repoPath('.env.example');

/** NAME=value lines; comments, blank lines and anything else are skipped; quotes around a value are removed. */
export function parseEnvFile(text: string): EnvMap {
  const env: EnvMap = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    env[match[1]!] = value;
  }
  return env;
}

/**
 * .env's values, overridden by the same names in `shell` (a non-empty value there wins). Names only
 * .env.example has (added after .env was created) are taken from the shell too.
 */
export function loadEnv(envPath = defaultEnvFile, shell: NodeJS.ProcessEnv = process.env): EnvMap {
  const fromFile = existsSync(envPath) ? parseEnvFile(readFileSync(envPath, 'utf8')) : {};
  const known = existsSync(exampleFile) ? Object.keys(parseEnvFile(readFileSync(exampleFile, 'utf8'))) : [];
  const merged: EnvMap = { ...fromFile };
  for (const name of new Set([...Object.keys(fromFile), ...known])) {
    const override = shell[name];
    if (override !== undefined && override !== '') merged[name] = override;
  }
  return merged;
}

/** .env (merged with the shell's values) read and checked: every problem is reported at once. */
export function readSettings(envPath = defaultEnvFile, shell: NodeJS.ProcessEnv = process.env): Settings {
  return settingsFrom(loadEnv(envPath, shell), shell);
}

/** Checks `values` (and MODE from `shell`, which make passes on): a SettingsError lists every problem. */
export function settingsFrom(values: EnvMap, shell: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = [];
  const read = new EnvReader(values, problems);
  const fromShell = new EnvReader({ STACK: shell.STACK || values.STACK, MODE: shell.MODE }, problems);
  const port = (name: string, fallback: number) => read.integer(name, fallback, 1, 65535);
  const settings: Settings = {
    values: { ...values },
    stack: fromShell.oneOf('STACK', ['auto', 'docker', 'native'] as const, 'auto'),
    mode: fromShell.oneOf('MODE', ['dev', 'prod'] as const, 'dev'),
    ports: { http: port('HTTP_PORT', 8080), https: port('HTTPS_PORT', 8443), app: port('APP_PORT', 3000), db: port('DB_PORT', 3307), inspector: port('INSPECTOR_PORT', 8090) },
    httpsOnly: read.oneOf('HTTPS_ONLY', ['0', '1'] as const, '0') === '1',
    appReplicas: read.integer('APP_REPLICAS', 1, 1, 8),
    db: {
      name: read.string('DB_NAME', 'stacklab'),
      user: read.string('DB_USER', 'stacklab'),
      password: read.required('DB_PASSWORD'),
      rootPassword: read.required('DB_ROOT_PASSWORD'),
      migrationUser: read.string('DB_MIGRATION_USER', 'stacklab_migrate'),
      migrationPassword: read.required('DB_MIGRATION_PASSWORD'),
    },
    authLimit: { ratePerMinute: read.integer('AUTH_RATE_PER_MINUTE', 20, 1, 10_000_000), burst: read.integer('AUTH_BURST', 10, 0, 10_000_000) },
    inspector: {
      maxRequests: read.integer('INSPECTOR_MAX_REQUESTS', 500, 1, 100_000),
      logMaxBytes: read.integer('INSPECTOR_LOG_MAX_BYTES', 5 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
    },
    docker: {
      appImage: read.string('APP_IMAGE', 'stacklab-app'),
      nodeImage: read.string('NODE_IMAGE', ''),
      // Empty: the extra CA this machine's Node already trusts, if it has one.
      extraCaCert: read.string('EXTRA_CA_CERT', shell.NODE_EXTRA_CA_CERTS ?? ''),
    },
  };
  if (problems.length > 0) {
    throw new SettingsError(
      `Some settings are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        `Fix them in .env (.env.example explains every one); a value set in your shell wins over .env.`,
    );
  }
  return deepFreeze(settings);
}

/**
 * Checks the app's own variables the way the app will at its start (app/src/config.ts), so that
 * make up reports a bad value before anything starts, rather than in the app's log afterwards.
 */
export function checkAppSettings(settings: Settings): void {
  try {
    loadConfig({ ...settings.values });
  } catch (err) {
    if (err instanceof ConfigError) throw new SettingsError(err.message);
    throw err;
  }
}
