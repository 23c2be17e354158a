// The project's .env: read it, and create it on first start with fresh random secrets.
// Values already in the environment win over .env, as with docker-compose.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type EnvMap = Record<string, string>;

/** Variables whose value .env.example leaves empty and `make up` fills with a random secret. */
const GENERATED: Record<string, () => string> = {
  DB_PASSWORD: () => secret(24),
  DB_ROOT_PASSWORD: () => secret(24),
  SESSION_KEYS: () => secret(48),
};

// Letters and digits only: safe inside SQL strings, shell commands and URLs without escaping.
function secret(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

export function parseEnvFile(text: string): EnvMap {
  const env: EnvMap = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    env[match[1]!] = value;
  }
  return env;
}

/**
 * Makes sure `envPath` exists: copies the example, filling in the secrets.
 * Returns true when it created the file.
 */
export function ensureEnvFile(envPath: string, examplePath: string): boolean {
  if (existsSync(envPath)) return false;
  const example = readFileSync(examplePath, 'utf8');
  const filled = example.replace(/^([A-Z][A-Z0-9_]*)=\s*$/gm, (line, name: string) =>
    GENERATED[name] ? `${name}=${GENERATED[name]()}` : line,
  );
  writeFileSync(envPath, filled, { mode: 0o600 });
  return true;
}

/**
 * .env's values, overridden by the same names in the process environment. Names that only
 * .env.example has (added after .env was created) are taken from the environment too.
 */
export function loadEnv(envPath: string, examplePath?: string, processEnv: NodeJS.ProcessEnv = process.env): EnvMap {
  const fromFile = existsSync(envPath) ? parseEnvFile(readFileSync(envPath, 'utf8')) : {};
  const known = examplePath && existsSync(examplePath) ? Object.keys(parseEnvFile(readFileSync(examplePath, 'utf8'))) : [];
  const merged: EnvMap = { ...fromFile };
  for (const name of new Set([...Object.keys(fromFile), ...known])) {
    const override = processEnv[name];
    if (override !== undefined && override !== '') merged[name] = override;
  }
  return merged;
}
