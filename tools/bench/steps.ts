// The measurements, one after another on the same stack with the same generator settings:
// what each one sends, and the sessions and users it needs prepared beforehand.
import { Client, GOOD_PASSWORD } from '../lib/http-client.js';
import { parseJsonLines } from '../lib/json-lines.js';
import type { BenchRequest } from './load-plan.js';
import { PHP_PEER_PATH } from './php-peer.js';

export type StepId = 'static' | 'home_nginx' | 'home_https' | 'home_direct' | 'account' | 'account_direct' | 'account_php' | 'login' | 'register';

export type Step = {
  id: StepId;
  label: string;
  /** Straight to the app (first instance), skipping nginx; otherwise through nginx. */
  direct: boolean;
  /** Through nginx over HTTPS (on kept-alive connections: the handshake once per connection, then encryption). */
  tls?: boolean;
  /** Sign-in and registration wait for bcrypt: a few connections keep every core busy. */
  auth: boolean;
  /** Steps that measure nginx alone, or compare nginx with one app, run with one replica only. */
  singleReplicaOnly: boolean;
  /** Sent to the PHP-FPM peer's nginx (php-peer.ts); left out when php-fpm is not installed. */
  peer?: boolean;
};

export const STEPS: Step[] = [
  { id: 'static', label: 'static file via nginx', direct: false, auth: false, singleReplicaOnly: true },
  { id: 'home_nginx', label: 'GET / via nginx', direct: false, auth: false, singleReplicaOnly: false },
  // Beside the plain one: what TLS at the gate costs on the same page.
  { id: 'home_https', label: 'GET / via nginx over HTTPS', direct: false, tls: true, auth: false, singleReplicaOnly: true },
  { id: 'home_direct', label: 'GET / straight to the app', direct: true, auth: false, singleReplicaOnly: true },
  { id: 'account', label: 'GET /account signed in', direct: false, auth: false, singleReplicaOnly: false },
  { id: 'account_direct', label: 'GET /account straight to the app', direct: true, auth: false, singleReplicaOnly: true },
  { id: 'account_php', label: 'the same page in PHP-FPM', direct: false, auth: false, singleReplicaOnly: true, peer: true },
  { id: 'login', label: 'POST /login (bcrypt)', direct: false, auth: true, singleReplicaOnly: false },
  { id: 'register', label: 'POST /register (bcrypt)', direct: false, auth: true, singleReplicaOnly: false },
];

// Like a browser, every request accepts gzip, so nginx's compression is part of what is measured.
const BROWSER = { 'Accept-Encoding': 'gzip', 'User-Agent': 'stacklab-bench' };

/** What a step needs made first: a signed-in user for /account and the logins (and on the PHP peer). */
export type Fixtures = { username: string; accountCookie: string; phpCookie?: string };

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
 * needs a CSRF token (a visitor's own, in a signed cookie), and each success signs that visitor in,
 * so each POST comes from a visitor of its own: `count` fresh form pages are fetched first.
 */
export async function requestsFor(step: Step, nginxUrl: string, fixtures: Fixtures, count: number, tag: string): Promise<BenchRequest[]> {
  switch (step.id) {
    case 'static':
      return [{ method: 'GET', path: '/static/css/site.css', headers: BROWSER }];
    case 'home_nginx':
    case 'home_https':
    case 'home_direct':
      return [{ method: 'GET', path: '/', headers: BROWSER }];
    case 'account':
    case 'account_direct':
      return [{ method: 'GET', path: '/account', headers: { ...BROWSER, Cookie: fixtures.accountCookie } }];
    case 'account_php':
      return [{ method: 'GET', path: PHP_PEER_PATH, headers: { ...BROWSER, Cookie: fixtures.phpCookie ?? '' } }];
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

/** An app process whose measuring window the bench can end: its pid, and its name in the log. */
export type MeasuredApp = { pid: number | undefined; instance: string };

/**
 * Ends the app's current measuring window (perf_hooks.monitorEventLoopDelay) and returns its
 * event-loop delay. `kill -USR2` makes the app log the window that ends as a `process_metrics` line
 * and start a new one: a signal only who runs the process can send, unlike an HTTP request (so it
 * works in production mode, which has no /debug/ pages). Undefined when no such line comes in 5 s.
 */
export async function endMeasuringWindow(app: MeasuredApp, recentLogLines: () => string[]): Promise<EventLoopDelay | undefined> {
  if (!app.pid) return undefined;
  const sentAt = Date.now();
  try {
    process.kill(app.pid, 'SIGUSR2');
  } catch {
    return undefined; // the process is gone
  }
  const deadline = sentAt + 5000;
  while (Date.now() < deadline) {
    const line = parseJsonLines(recentLogLines()).find(
      (l) => l.event === 'process_metrics' && l.instance === app.instance && Date.parse(String(l.time)) >= sentAt,
    );
    const d = line?.eventLoopDelayMs as { p50?: number; p99?: number; max?: number } | undefined;
    if (d && typeof d.p99 === 'number') return { p50Ms: d.p50 ?? 0, p99Ms: d.p99, maxMs: d.max ?? d.p99 };
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
