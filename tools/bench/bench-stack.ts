// The bench's own throwaway native stack: a state folder in the temp directory, free ports, fresh
// secrets, the app in production mode. Like the tests' stack, it never touches the learner's .env,
// .stack/ or running services, and the bench deletes it when it is done.
import { readFileSync } from 'node:fs';
import { tailLines } from '../lib/log-files.js';
import { freePortRange } from '../lib/ports.js';
import type { EnvMap } from '../lib/settings.js';
import type { NativeStack } from '../runners/native/native-stack.js';
import { createThrowawayStack, openThrowawayStack, removeThrowawayStack } from '../runners/native/throwaway-stack.js';
import type { LayerPids } from './proc.js';
import type { MeasuredApp } from './steps.js';

export type BenchStack = { stack: NativeStack; env: EnvMap; stateDir: string };

export async function createBenchStack(bcryptCost: string): Promise<BenchStack> {
  const { stack, env, stateDir } = await createThrowawayStack('stacklab-bench-', {
    // What a real deployment runs: compiled JavaScript, templates compiled once and cached.
    NODE_ENV: 'production',
    BCRYPT_COST: bcryptCost,
    // All load comes from 127.0.0.1, one address: nginx's per-address sign-in limit would answer
    // 429 to almost all of it. The bench measures the stack, not the limit, so it is lifted here.
    AUTH_RATE_PER_MINUTE: '6000000',
    AUTH_BURST: '100000',
    APP_REPLICAS: '1',
  });
  return { stack, env, stateDir };
}

/**
 * The same stack (same folder, data, nginx and database ports) opened with another number of app
 * instances, on consecutive ports that are free now (those after the first app's port may have been
 * taken meanwhile, as the local end of one of the many connections a run opens).
 */
export async function withReplicas(bench: BenchStack, replicas: number): Promise<BenchStack> {
  const env = { ...bench.env, APP_REPLICAS: String(replicas), APP_PORT: String(await freePortRange(replicas)) };
  return { ...bench, env, stack: openThrowawayStack(bench.stateDir, env) };
}

export function removeBenchStack(bench: BenchStack): void {
  removeThrowawayStack(bench.stateDir);
}

/**
 * What the steps need of a stack, whichever runs it (this native one, or docker-bench-stack.ts):
 * where to send the load, the processes of each layer, and the app's recent log lines.
 */
export type BenchTarget = {
  stack: 'native' | 'docker';
  nginxUrl: string;
  appUrl: string;
  /** GET / over HTTPS, by name as a browser asks for it (SNI localhost), and the local CA to trust. */
  httpsUrl?: string;
  ca?: string;
  pids(): LayerPids;
  /** The app instances, for ending their measuring windows (steps.ts, endMeasuringWindow). */
  apps(): MeasuredApp[];
  appLogLines(): string[];
};

export function nativeTarget(stack: NativeStack): BenchTarget {
  return {
    stack: 'native',
    nginxUrl: `http://127.0.0.1:${stack.settings.ports.http}`,
    appUrl: `http://127.0.0.1:${stack.settings.ports.app}`,
    httpsUrl: `https://localhost:${stack.settings.ports.https}`,
    ca: readFileSync(stack.caFile, 'utf8'),
    pids: () => layerPids(stack),
    apps: () => stack.apps.map((app) => ({ pid: app.pid(), instance: app.instance })),
    appLogLines: () => tailLines(stack.paths.appLog, 200),
  };
}

function layerPids(stack: NativeStack): LayerPids {
  const pids = (list: (number | undefined)[]) => list.filter((p): p is number => p !== undefined);
  return {
    nginx: pids([stack.nginx.pid()]),
    app: pids(stack.apps.map((a) => a.pid())),
    mysql: pids([stack.mysql.pid()]),
  };
}
