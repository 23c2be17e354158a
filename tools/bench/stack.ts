// The bench's own throwaway native stack: a state folder in the temp directory, free ports, fresh
// secrets, the app in production mode. Like the tests' stack, it never touches the learner's .env,
// .stack/ or running services, and the bench deletes it when it is done.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnvFile, type EnvMap } from '../lib/env-file.js';
import { freePort } from '../lib/ports.js';
import { settingsFrom } from '../native/settings.js';
import { NativeStack } from '../native/stack.js';
import type { LayerPids } from './proc.js';

export type BenchStack = { stack: NativeStack; env: EnvMap; stateDir: string };

export async function createBenchStack(repoRoot: string, bcryptCost: string): Promise<BenchStack> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-bench-'));
  const secret = () => `${Date.now().toString(36)}x${Math.random().toString(36).slice(2)}`;
  const env: EnvMap = {
    ...parseEnvFile(readFileSync(path.join(repoRoot, '.env.example'), 'utf8')),
    HTTP_PORT: String(await freePort()),
    APP_PORT: String(await freePort()),
    DB_PORT: String(await freePort()),
    DB_PASSWORD: `bench${secret()}`,
    DB_ROOT_PASSWORD: `root${secret()}`,
    SESSION_KEYS: `bench-session-key-${secret()}-0123456789abcdefghijklmnop`,
    // What a real deployment runs: compiled JavaScript, templates compiled once and cached.
    NODE_ENV: 'production',
    BCRYPT_COST: bcryptCost,
    // All load comes from 127.0.0.1, one address: nginx's per-address sign-in limit would answer
    // 429 to almost all of it. The bench measures the stack, not the limit, so it is lifted here.
    AUTH_RATE_PER_MINUTE: '6000000',
    AUTH_BURST: '100000',
    APP_REPLICAS: '1',
  };
  return { stack: openStack(repoRoot, stateDir, env), env, stateDir };
}

/** The same stack (same folder, ports and data) opened with another number of app instances. */
export function withReplicas(repoRoot: string, bench: BenchStack, replicas: number): BenchStack {
  const env = { ...bench.env, APP_REPLICAS: String(replicas) };
  return { ...bench, env, stack: openStack(repoRoot, bench.stateDir, env) };
}

function openStack(repoRoot: string, stateDir: string, env: EnvMap): NativeStack {
  return new NativeStack(settingsFrom(repoRoot, stateDir, env, () => {}));
}

export function removeBenchStack(bench: BenchStack): void {
  rmSync(bench.stateDir, { recursive: true, force: true });
}

type AppLike = { pid(): number | undefined };

// The runner gains `apps` (one AppService per replica) with APP_REPLICAS; before that it has one `app`.
export function appServices(stack: NativeStack): AppLike[] {
  const loose = stack as unknown as { apps?: AppLike[]; app?: AppLike };
  return loose.apps ?? (loose.app ? [loose.app] : []);
}

/** The ports the app instances listen on: APP_PORT, APP_PORT+1, … */
export function appPorts(stack: NativeStack): number[] {
  return appServices(stack).map((_, i) => stack.settings.appPort + i);
}

export function layerPids(stack: NativeStack): LayerPids {
  const pids = (list: (number | undefined)[]) => list.filter((p): p is number => p !== undefined);
  return {
    nginx: pids([stack.nginx.pid()]),
    app: pids(appServices(stack).map((a) => a.pid())),
    mysql: pids([stack.mysql.pid()]),
  };
}
