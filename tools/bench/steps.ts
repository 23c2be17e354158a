// The measurements, one after another on the same stack with the same generator settings:
// what each one sends, and the sessions and users it needs prepared beforehand.
import { Client, GOOD_PASSWORD } from '../lib/http-client.js';
import type { BenchRequest } from './load-plan.js';

export type StepId = 'static' | 'home_nginx' | 'home_direct' | 'account' | 'login' | 'register';

export type Step = {
  id: StepId;
  label: string;
  /** Straight to the app (first instance), skipping nginx; otherwise through nginx. */
  direct: boolean;
  /** Sign-in and registration wait for bcrypt: a few connections keep every core busy. */
  auth: boolean;
  /** Steps that measure nginx alone, or compare nginx with one app, run with one replica only. */
  singleReplicaOnly: boolean;
};

export const STEPS: Step[] = [
  { id: 'static', label: 'static file via nginx', direct: false, auth: false, singleReplicaOnly: true },
  { id: 'home_nginx', label: 'GET / via nginx', direct: false, auth: false, singleReplicaOnly: false },
  { id: 'home_direct', label: 'GET / straight to the app', direct: true, auth: false, singleReplicaOnly: true },
  { id: 'account', label: 'GET /account signed in', direct: false, auth: false, singleReplicaOnly: false },
  { id: 'login', label: 'POST /login (bcrypt)', direct: false, auth: true, singleReplicaOnly: false },
  { id: 'register', label: 'POST /register (bcrypt)', direct: false, auth: true, singleReplicaOnly: false },
];

// Like a browser, every request accepts gzip, so nginx's compression is part of what is measured.
const BROWSER = { 'Accept-Encoding': 'gzip', 'User-Agent': 'stacklab-bench' };

/** What a step needs made first: a signed-in user for /account and the logins. */
export type Fixtures = { username: string; accountCookie: string };

export async function prepareFixtures(nginxUrl: string, runId: string): Promise<Fixtures> {
  const username = `bench_${runId}`;
  const client = new Client(nginxUrl);
  const res = await client.register(username, GOOD_PASSWORD);
  if (res.status !== 303) throw new Error(`registering the bench's user failed (status ${res.status})`);
  const account = await client.get('/account');
  if (account.status !== 200) throw new Error(`/account with the new session answered ${account.status}, not 200`);
  return { username, accountCookie: cookieHeader(client) };
}

/**
 * The requests of one run. Plain pages are one request repeated. A sign-in or registration POST
 * needs a session with a CSRF token, and each success replaces that session (a new id after
 * sign-in), so each POST gets its own: `count` fresh form sessions are fetched first.
 */
export async function requestsFor(step: Step, nginxUrl: string, fixtures: Fixtures, count: number, tag: string): Promise<BenchRequest[]> {
  switch (step.id) {
    case 'static':
      return [{ method: 'GET', path: '/static/css/site.css', headers: BROWSER }];
    case 'home_nginx':
    case 'home_direct':
      return [{ method: 'GET', path: '/', headers: BROWSER }];
    case 'account':
      return [{ method: 'GET', path: '/account', headers: { ...BROWSER, Cookie: fixtures.accountCookie } }];
    case 'login':
      return formPosts(nginxUrl, '/login', count, () => ({ username: fixtures.username, password: GOOD_PASSWORD }));
    case 'register':
      return formPosts(nginxUrl, '/register', count, (i) => ({
        username: `b${tag}_${i}`,
        password: GOOD_PASSWORD,
        password_confirm: GOOD_PASSWORD,
      }));
  }
}

async function formPosts(
  nginxUrl: string,
  path: '/login' | '/register',
  count: number,
  fields: (i: number) => Record<string, string>,
): Promise<BenchRequest[]> {
  const requests: BenchRequest[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const client = new Client(nginxUrl);
      const _csrf = await client.csrfFrom(path);
      requests[i] = {
        method: 'POST',
        path,
        headers: { ...BROWSER, Cookie: cookieHeader(client), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf, ...fields(i) }).toString(),
      };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return requests;
}

function cookieHeader(client: Client): string {
  return [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Which app instances answer through nginx (the X-App-Instance header of `tries` requests). */
export async function instancesSeen(nginxUrl: string, tries: number): Promise<string[]> {
  const seen = new Set<string>();
  const client = new Client(nginxUrl);
  for (let i = 0; i < tries; i++) {
    const res = await client.get('/healthz');
    seen.add(String(res.headers['x-app-instance'] ?? '?'));
  }
  return [...seen].sort();
}

export type EventLoopDelay = { p50Ms: number; p99Ms: number; maxMs: number };

/**
 * The app's event-loop delay from its GET /debug/metrics (perf_hooks.monitorEventLoopDelay);
 * `reset` starts a new measurement. Undefined when the app has no such endpoint (404).
 */
export async function eventLoopDelay(appPort: number, reset: boolean): Promise<EventLoopDelay | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${appPort}/debug/metrics${reset ? '?reset=1' : ''}`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { eventLoopDelayMs?: { p50?: number; p99?: number; max?: number } };
    const d = body.eventLoopDelayMs;
    if (!d || typeof d.p99 !== 'number') return undefined;
    return { p50Ms: d.p50 ?? 0, p99Ms: d.p99, maxMs: d.max ?? d.p99 };
  } catch {
    return undefined;
  }
}
