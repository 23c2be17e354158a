// A throwaway stack for the tests: its own state folder in the temp directory, free ports, fresh
// secrets. It never touches a learner's .env, .stack/ or running services.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnvFile } from '../../tools/lib/env-file.js';
import { freePort } from '../../tools/lib/ports.js';
import { settingsFrom } from '../../tools/native/settings.js';
import { NativeStack } from '../../tools/native/stack.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the test driver hands to the test files (as JSON in STACK_TEST_INFO). */
export type TestStackInfo = { stateDir: string; envFile: string; env: Record<string, string> };

export async function createTestStack(overrides: Record<string, string> = {}): Promise<{ stack: NativeStack; info: TestStackInfo }> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-test-'));
  const env: Record<string, string> = {
    ...parseEnvFile(readFileSync(path.join(repoRoot, '.env.example'), 'utf8')),
    HTTP_PORT: String(await freePort()),
    APP_PORT: String(await freePort()),
    DB_PORT: String(await freePort()),
    DB_PASSWORD: `test${Date.now()}x${Math.random().toString(36).slice(2)}`,
    DB_ROOT_PASSWORD: `root${Date.now()}x${Math.random().toString(36).slice(2)}`,
    SESSION_KEYS: 'test-session-key-0123456789abcdefghijklmnopqrstuvwxyz',
    // Lower than the default 12 so tests run fast; still at the floor SECURITY.md asks for.
    BCRYPT_COST: '10',
    ...overrides,
  };
  const envFile = path.join(stateDir, 'test.env');
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const stack = openTestStack({ stateDir, envFile, env });
  return { stack, info: { stateDir, envFile, env } };
}

export function openTestStack(info: TestStackInfo): NativeStack {
  return new NativeStack(settingsFrom(repoRoot, info.stateDir, info.env, () => {}));
}

export function removeTestStack(info: TestStackInfo): void {
  rmSync(info.stateDir, { recursive: true, force: true });
}

/** The stack the driver started; test files call this at the top. */
export function currentTestStack(): { stack: NativeStack; info: TestStackInfo; url: string } {
  const raw = process.env.STACK_TEST_INFO;
  if (!raw) throw new Error('Run the tests with `make test`: it starts the throwaway stack they need.');
  const info = JSON.parse(raw) as TestStackInfo;
  const stack = openTestStack(info);
  return { stack, info, url: `http://127.0.0.1:${stack.settings.httpPort}` };
}
