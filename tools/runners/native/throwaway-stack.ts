// A throwaway native stack, for the tests and for `make bench`: its own state folder in the temp
// directory, free ports and fresh secrets. It never touches a learner's .env, .stack/ or running
// services; whoever creates it stops it and deletes the folder afterwards.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/ports.js';
import { repoPath } from '../../lib/repo.js';
import { parseEnvFile, settingsFrom, type EnvMap } from '../../lib/settings.js';
import { NativeStack } from './native-stack.js';

export type ThrowawayStack = {
  stack: NativeStack;
  stateDir: string;
  /** The settings, also written to envFile for make targets pointed at this stack (STACK_ENV_FILE). */
  env: EnvMap;
  envFile: string;
};

/** .env.example's settings with free ports and fresh secrets, then `overrides`. */
export async function createThrowawayStack(prefix: string, overrides: EnvMap = {}): Promise<ThrowawayStack> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const secret = () => `${Date.now().toString(36)}x${Math.random().toString(36).slice(2)}`;
  const env: EnvMap = {
    ...parseEnvFile(readFileSync(repoPath('.env.example'), 'utf8')),
    HTTP_PORT: String(await freePort()),
    HTTPS_PORT: String(await freePort()),
    APP_PORT: String(await freePort()),
    DB_PORT: String(await freePort()),
    DB_PASSWORD: `pw${secret()}`,
    DB_ROOT_PASSWORD: `root${secret()}`,
    DB_MIGRATION_PASSWORD: `migrate${secret()}`,
    SESSION_KEYS: `session-key-${secret()}-0123456789abcdefghijklmnop`,
    ...overrides,
  };
  const envFile = path.join(stateDir, 'stack.env');
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  return { stack: openThrowawayStack(stateDir, env), stateDir, env, envFile };
}

/**
 * The stack in stateDir, opened with these settings (e.g. again, with another APP_REPLICAS), in
 * development mode or as `make up MODE=prod` runs it.
 */
export function openThrowawayStack(stateDir: string, env: EnvMap, mode: 'dev' | 'prod' = 'dev'): NativeStack {
  // Only these settings count: not the shell's (a learner's HTTP_PORT must not leak into a test stack).
  const settings = settingsFrom(env, { MODE: mode });
  return new NativeStack({ settings, stateDir, nginxDir: repoPath('nginx'), say: () => {} });
}

export function removeThrowawayStack(stateDir: string): void {
  rmSync(stateDir, { recursive: true, force: true });
}
