// Where the inspector's records come from: the runner hands over the newest log lines (reading
// files natively, or through `docker compose` for containers), and joinLogs turns them into records.
// Nothing is stored besides the logs themselves, which the runner keeps bounded by rotating them.
import type { EnvMap } from '../lib/env-file.js';
import { openStack } from '../open-runner.js';
import type { Runner } from '../runner.js';
import { joinLogs, type InspectedRequest } from './join.js';

export { repoRoot } from '../open-runner.js';

/** How many requests the inspector keeps (INSPECTOR_MAX_REQUESTS, default 500). */
export function maxRequests(env: EnvMap): number {
  const value = Number(env.INSPECTOR_MAX_REQUESTS || 500);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new Error(`INSPECTOR_MAX_REQUESTS must be a whole number from 1 to 100000, got "${env.INSPECTOR_MAX_REQUESTS}". Fix it in .env.`);
  }
  return value;
}

/** The newest requests, oldest first. */
export async function loadRequests(runner: Runner, max: number): Promise<InspectedRequest[]> {
  // The app's log holds other events too (sign-ins, errors), so read more of it than of nginx's.
  const logs = await runner.requestLogs(max * 2);
  return joinLogs(logs.nginx, logs.app, max);
}

/** The runner `make up` uses (tools/open-runner.ts), without its progress lines. */
export function openRunner(): { runner: Runner; env: EnvMap } {
  return openStack({ quiet: true });
}
