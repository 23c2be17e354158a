// Bounded load for the fault scenarios: a fixed number of registrations (or requests), a fixed
// number at a time, every answer recorded with its status and how long it took.
import { Client, GOOD_PASSWORD } from '../../tools/lib/http-client.js';

export type Outcome = { username: string; status: number; ms: number; body: string; requestId: string };

/** Runs `total` tasks, `concurrency` at a time; `during` runs once the load has started. */
export async function runLoad<T>(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
  during?: () => Promise<void>,
): Promise<{ results: T[]; duringMs: number }> {
  const results: T[] = new Array(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  let duringMs = 0;
  if (during) {
    // Let the load get going, then break something in the middle of it.
    while (next < total / 3) await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await during();
    duringMs = Date.now() - started;
  }
  await Promise.all(workers);
  return { results, duringMs };
}

/**
 * Load around a fault that takes a while (a container restarted): `concurrency` workers run tasks
 * from before `during` starts until `afterwards` more tasks have finished after it ended, so the
 * whole fault is covered; bounded by `maxTotal` tasks in all.
 */
export async function runLoadAround<T>(
  maxTotal: number,
  concurrency: number,
  task: (i: number) => Promise<T>,
  during: () => Promise<void>,
  afterwards = 60,
): Promise<{ results: T[]; duringMs: number }> {
  const results: T[] = [];
  let next = 0;
  let stopAt = maxTotal;
  const worker = async () => {
    while (next < stopAt) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  while (next < Math.min(3 * concurrency, maxTotal)) await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  await during();
  const duringMs = Date.now() - started;
  stopAt = Math.min(maxTotal, next + afterwards);
  await Promise.all(workers);
  return { results: results.filter((r) => r !== undefined), duringMs };
}

/** One visitor registering: GET the form (session and CSRF token), then POST it. */
export async function register(url: string, username: string): Promise<Outcome> {
  const client = new Client(url);
  const started = Date.now();
  try {
    const form = await client.get('/register');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    if (!token) return { username, status: form.status, ms: Date.now() - started, body: form.body, requestId: String(form.headers['x-request-id']) };
    const res = await client.post('/register', { _csrf: token, username, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    return { username, status: res.status, ms: Date.now() - started, body: res.body, requestId: String(res.headers['x-request-id']) };
  } catch (err) {
    return { username, status: 0, ms: Date.now() - started, body: (err as Error).message, requestId: '' };
  }
}

/** Counts of each status, e.g. "303×473 503×27". */
export function tally(outcomes: { status: number }[]): string {
  const counts = new Map<number, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s === 0 ? 'no answer' : s}×${n}`).join(' ');
}
