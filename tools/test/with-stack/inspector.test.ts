// The request inspector against the real test stack: both hops joined by request id, nginx's own
// answers marked, secrets redacted, the join right under load, and the logs kept bounded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { statePaths } from '../../runners/native/native-options.js';
import { openThrowawayStack } from '../../runners/native/throwaway-stack.js';
import type { InspectedRequest } from '../../inspector/records.js';
import { loadRequests } from '../../inspector/load-requests.js';
import { formatDetail } from '../../inspector/terminal-format.js';
import type { Runner } from '../../runners/runner.js';
import { Client, GOOD_PASSWORD, uniqueName, type Response } from '../../lib/http-client.js';
import { repoRoot } from '../../lib/repo.js';
import { currentTestStack } from '../../testing/test-stack.js';

const { url, info, stack } = currentTestStack();

/** The inspector's record for `id`, waiting a moment for the log lines to be written. */
async function inspected(id: string, runner: Runner = stack, max = 500): Promise<InspectedRequest> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const found = (await loadRequests(runner, max)).find((r) => r.id === id);
    if (found && (found.answeredBy === 'app' || Date.now() > deadline - 2000)) return found;
    if (Date.now() > deadline) assert.fail(`request ${id} is not in the inspector`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const idOf = (res: Response) => String(res.headers['x-request-id']);
const hop = (r: InspectedRequest, name: string) => r.hop.find((h) => h.name.toLowerCase() === name.toLowerCase());

describe('request inspector', () => {
  it('shows per request whether the browser → nginx hop was TLS (version, cipher, SNI name, HTTP version), and that nginx → app is plain HTTP', async () => {
    const overHttps = await stack.client({ https: true }).get('/');
    const tls = await inspected(idOf(overHttps));
    assert.equal(tls.scheme, 'https');
    assert.match(tls.transport.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.ok(tls.transport.tls?.cipher);
    assert.equal(tls.transport.tls?.serverName, 'localhost');
    assert.match(tls.transport.browserToNginx, /^HTTPS: HTTP\/1\.1 inside TLSv1\.[23], cipher \S+, SNI localhost, (full handshake|session resumed)/);
    assert.match(tls.transport.nginxToApp, /^plain HTTP\/1\.1, never TLS/);
    assert.equal(hop(tls, 'X-Forwarded-Proto')?.app, 'https');
    assert.match(formatDetail(tls), /browser → nginx[\s\S]*HTTPS: HTTP\/1\.1 inside TLS[\s\S]*nginx → app[\s\S]*plain HTTP\/1\.1, never TLS/);

    const plain = await inspected(idOf(await stack.client({ https: false }).get('/')));
    assert.equal(plain.transport.tls, undefined);
    assert.match(plain.transport.browserToNginx, /^plain HTTP\/1\.1, not encrypted/);
  });

  it('shows a sign-in through nginx with both hops, the headers nginx added, and secrets redacted', async () => {
    const name = uniqueName('inspect');
    await new Client(url).register(name, GOOD_PASSWORD);
    const client = new Client(url);
    const res = await client.login(name, GOOD_PASSWORD);
    assert.equal(res.status, 303);
    const r = await inspected(idOf(res));

    assert.equal(r.answeredBy, 'app');
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/login');
    assert.equal(r.status, 303);
    assert.equal(r.upstreamStatus, '303');
    assert.equal(r.client, client.localAddress);
    assert.match(r.instance ?? '', /^native-\d+$/, 'which app instance answered');
    assert.ok(r.timing.totalMs >= (r.timing.upstreamMs ?? 0), 'nginx time includes the app time');
    assert.ok(r.timing.appMs !== undefined && r.sizes.requestBytes > 0 && r.sizes.responseBytes > 0);

    // The third hop: the sign-in's two statements and its one bcrypt compare; the time split adds up.
    assert.deepEqual(r.below?.sql.statements.map((s) => s.sql.split(' ')[0]), ['SELECT', 'INSERT']);
    assert.ok(r.below.sql.statements.every((s) => typeof s.conn === 'number' && s.ms >= 0));
    assert.deepEqual(r.below.bcrypt.calls.map((c) => c.op), ['compare']);
    assert.deepEqual(r.timing.split.map((p) => p.part), ['nginx', 'app', 'database', 'bcrypt', 'rest']);
    const parts = r.timing.split.reduce((sum, p) => sum + p.ms, 0);
    assert.ok(Math.abs(parts - r.timing.totalMs) < 1, `the parts (${parts} ms) add up to the total (${r.timing.totalMs} ms)`);

    // Browser → nginx: what nginx's log records of the browser's request.
    const browser = Object.fromEntries(r.browserHeaders);
    assert.equal(browser['Content-Type'], 'application/x-www-form-urlencoded');
    assert.match(browser.Cookie ?? '', /sent; nginx logs no values/);

    // nginx → app: the headers nginx added or changed, each marked and explained.
    assert.equal(hop(r, 'X-Forwarded-For')?.change, 'added');
    assert.equal(hop(r, 'X-Forwarded-For')?.app, client.localAddress);
    assert.equal(hop(r, 'X-Real-IP')?.change, 'added');
    assert.equal(hop(r, 'X-Forwarded-Proto')?.app, 'http');
    assert.equal(hop(r, 'X-Request-ID')?.app, r.id);
    assert.equal(hop(r, 'Host')?.setByNginx, true);
    assert.equal(hop(r, 'Connection')?.change, 'removed', 'nginx does not pass the client connection header on');
    for (const h of ['X-Forwarded-For', 'X-Real-IP', 'X-Forwarded-Proto', 'X-Request-ID', 'Host', 'Connection']) {
      assert.ok(hop(r, h)?.why, `${h} is explained`);
    }

    // The form for teaching, with the password and the CSRF token redacted, as are all cookie values.
    assert.equal(r.form?.username, name);
    assert.equal(r.form?.password, '[redacted]');
    assert.equal(r.form?._csrf, '[redacted]');
    // (Before signing in, the browser carries the form's CSRF cookie, not a session cookie.)
    assert.match(hop(r, 'Cookie')?.app ?? '', /stacklab\.csrf=\[redacted\]/);
    const setCookie = r.response.filter((h) => h.name.toLowerCase() === 'set-cookie');
    assert.ok(setCookie.length > 0, 'the new session cookie is shown');
    for (const c of setCookie) {
      assert.match(c.value, /=\[redacted\]/);
      assert.match(c.value, /httponly/i, 'its flags are kept');
    }
    assert.ok(r.response.some((h) => h.from === 'nginx' && h.name === 'Content-Security-Policy'), "nginx's added response headers");
    const everything = JSON.stringify(r);
    assert.ok(!everything.includes(GOOD_PASSWORD), 'no password');
    for (const value of client.cookies.values()) assert.ok(!everything.includes(value), 'no cookie value');
    // …and none in nginx's log file either.
    const accessLog = statePaths(info.stateDir).accessLog;
    const nginxLines = (await stack.requestLogs(2000)).nginx.join('\n');
    assert.ok(existsSync(accessLog));
    for (const value of client.cookies.values()) assert.ok(!nginxLines.includes(value), "no cookie value in nginx's log");
  });

  it('prints one request in full with make inspect ID=…, and the list with filters', () => {
    const env = { ...process.env, STACK: 'native', STACK_STATE_DIR: info.stateDir, STACK_ENV_FILE: info.envFile, FOLLOW: '0' };
    const list = spawnSync('make', ['--no-print-directory', 'inspect', 'FILTER_PATH=/login', 'FILTER_METHOD=POST'], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stdout + list.stderr);
    const lines = list.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    assert.ok(lines.length > 0, list.stdout);
    for (const line of lines) assert.match(line, /POST\s+\/login/);
    assert.ok(!list.stdout.includes('\u001b['), 'no colour when not on a terminal');
    const id = /([0-9a-f]{32})\s*$/.exec(lines.at(-1)!)?.[1];
    assert.ok(id, lines.at(-1));
    const started = Date.now();
    const one = spawnSync('make', ['--no-print-directory', 'inspect', `ID=${id}`], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.equal(one.status, 0, one.stdout + one.stderr);
    console.log(`# make inspect ID=… took ${Date.now() - started} ms`);
    assert.match(one.stdout, /① browser → nginx/);
    assert.match(one.stdout, /② nginx → app/);
    assert.match(one.stdout, /\+ X-Forwarded-For/);
    assert.match(one.stdout, /③ app → database/);
    assert.match(one.stdout, /⑤ where the time went/);
    assert.match(one.stdout, /copy as curl: curl -i/);
    assert.match(one.stdout, /SELECT id, username, password_hash, created_at FROM users WHERE username = \?/);
    assert.match(one.stdout, /bcrypt: compare \(cost \d+\)/);

    // Sign-ins that ran more than one statement; none slower than a minute; a filter it cannot read.
    const busy = spawnSync('make', ['--no-print-directory', 'inspect', 'FILTER_PATH=/login', 'FILTER_STATEMENTS=1'], { cwd: repoRoot, env, encoding: 'utf8' });
    const busyLines = busy.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    assert.ok(busyLines.length > 0, busy.stdout);
    for (const line of busyLines) assert.ok(Number(/\s(\d+)\s+[0-9a-f]{32}\s*$/.exec(line)?.[1]) > 1, line);
    const slow = spawnSync('make', ['--no-print-directory', 'inspect', 'FILTER_SLOW=60s'], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.equal(slow.stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l)).length, 0, slow.stdout);
    const bad = spawnSync('make', ['--no-print-directory', 'inspect', 'FILTER_SLOW=fast'], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /FILTER_SLOW must be a time such as 100ms/);

    const missing = spawnSync('make', ['--no-print-directory', 'inspect', 'ID=no-such-request-id'], { cwd: repoRoot, env, encoding: 'utf8' });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stdout, /No request with id/);
  });

  it('marks a static file and a 429 as answered by nginx itself', async () => {
    const css = await new Client(url).get('/static/css/site.css');
    const r = await inspected(idOf(css));
    assert.equal(r.answeredBy, 'nginx');
    assert.match(r.nginxReason ?? '', /static file/);
    assert.deepEqual(r.hop, []);
    assert.equal(r.timing.upstreamMs, undefined);

    const flooder = new Client(url);
    let limited: Response | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await flooder.post('/login', { username: 'x', password: 'flood-password' });
      if (res.status === 429) limited = res;
    }
    assert.ok(limited);
    const r429 = await inspected(idOf(limited));
    assert.equal(r429.answeredBy, 'nginx');
    assert.equal(r429.status, 429);
    assert.match(r429.nginxReason ?? '', /rate limit/);
  });

  it('shows a 502 with the app stopped, with no app hop', async () => {
    await stack.app.stop();
    let res: Response;
    try {
      res = await new Client(url).get('/account');
    } finally {
      await stack.app.start();
    }
    assert.equal(res.status, 502);
    const r = await inspected(idOf(res));
    assert.equal(r.answeredBy, 'nginx');
    assert.equal(r.status, 502);
    assert.equal(r.upstreamStatus, '502', 'nginx logs the upstream status 502 as well');
    assert.ok(r.upstreamAddr, 'nginx did try the app');
    assert.match(r.nginxReason ?? '', /got no answer/);
    assert.deepEqual(r.hop, []);
    assert.equal(r.appLineMissing, false);
  });

  it('joins 200 concurrent requests each to its own app line', async () => {
    const run = Date.now().toString(36);
    const sent = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const res = await new Client(url).get(`/debug/request?n=${i}`, { accept: 'application/json', 'x-request-id': `join-${run}-${i}`, 'x-lesson-marker': `marker-${i}` });
        assert.equal(res.status, 200);
        return idOf(res);
      }),
    );
    assert.deepEqual(sent, sent.map((_, i) => `join-${run}-${i}`), 'nginx kept the well-formed ids');
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const records = await loadRequests(stack, 500);
    console.log(`# loading and joining the last ${records.length} requests took ${Date.now() - started} ms`);
    for (let i = 0; i < 200; i++) {
      const r = records.find((x) => x.id === `join-${run}-${i}`);
      assert.ok(r, `request ${i} found`);
      assert.equal(r.answeredBy, 'app');
      assert.equal(r.query, `n=${i}`);
      assert.equal(hop(r, 'X-Lesson-Marker')?.app, `marker-${i}`, `request ${i} has its own headers`);
      assert.equal(hop(r, 'X-Request-ID')?.app, r.id);
    }
  });

  it('keeps the logs and the store bounded after many requests', async () => {
    const cap = 20_000;
    const small = openThrowawayStack(info.stateDir, { ...info.env, INSPECTOR_LOG_MAX_BYTES: String(cap) });
    const paths = statePaths(info.stateDir);
    let last = '';
    for (let batch = 0; batch < 8; batch++) {
      await Promise.all(Array.from({ length: 20 }, async () => (last = idOf(await new Client(url).get('/healthz')))));
      const records = await loadRequests(small, 10); // what the inspector does every second
      assert.ok(records.length <= 10, `the store keeps ${records.length}`);
    }
    await new Promise((r) => setTimeout(r, 300));
    const records = await loadRequests(small, 10);
    assert.equal(records.length, 10);
    assert.ok(records.some((r) => r.id === last), 'the newest request is kept');
    // Each log stays around the cap: one batch of lines at most on top, and one old copy (.1).
    for (const file of [paths.accessLog, paths.appLog]) {
      assert.ok(statSync(file).size < cap + 40_000, `${file}: ${statSync(file).size} bytes`);
      assert.ok(existsSync(`${file}.1`), `${file} was rotated`);
      assert.ok(statSync(`${file}.1`).size < cap + 40_000);
    }
    assert.deepEqual(readdirSync(paths.logs).filter((f) => /\.2$/.test(f)), [], 'one old copy only');
    // nginx writes to the new file after the rotation (it reopened its log).
    const res = await new Client(url).get('/healthz');
    assert.ok((await inspected(idOf(res), small, 10)).answeredBy === 'app');
  });
});
