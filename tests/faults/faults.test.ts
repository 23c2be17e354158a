// The fault suite (make test-faults): each layer killed, restarted or flooded while under load.
// Every scenario prints one line with its figures. Nothing acknowledged may be lost.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '../../tools/lib/ports.js';
import { queryAsRoot } from '../../tools/testing/database.js';
import { Client, GOOD_PASSWORD } from '../../tools/lib/http-client.js';
import { appLogLines } from '../../tools/testing/stack-logs.js';
import { cleanEnv } from '../../tools/testing/project-copy.js';
import { repoRoot } from '../../tools/lib/repo.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';
import { register, runLoad, tally, type Outcome } from './traffic.js';

const { url, info, stack } = currentTestStack();
const report = (line: string) => console.log(`  » ${line}`);

/** Every acknowledged (303) registration exists once and can sign in. */
async function assertNothingLost(outcomes: Outcome[]): Promise<number> {
  const acknowledged = outcomes.filter((o) => o.status === 303);
  for (const o of acknowledged) {
    const rows = await queryAsRoot(info, 'SELECT COUNT(*) AS n FROM users WHERE username = ?', [o.username]);
    assert.equal(Number(rows[0]!.n), 1, `${o.username} was acknowledged, so it must exist exactly once`);
  }
  // Signing in: a sample of 50 (each is a bcrypt compare), spread over the run.
  const step = Math.max(1, Math.floor(acknowledged.length / 50));
  for (let i = 0; i < acknowledged.length; i += step) {
    const res = await new Client(url).login(acknowledged[i]!.username, GOOD_PASSWORD);
    assert.equal(res.status, 303, `${acknowledged[i]!.username} signs in`);
  }
  return acknowledged.length;
}

function assertCleanFailures(outcomes: Outcome[], allowed: number[]) {
  for (const o of outcomes.filter((x) => x.status !== 303)) {
    assert.ok(allowed.includes(o.status), `${o.username}: status ${o.status} (${o.body.slice(0, 120)})`);
    assert.ok(o.ms < 5000, `${o.username}: the ${o.status} took ${o.ms} ms (more than 5 s)`);
    assert.doesNotMatch(o.body, /\.js:\d+|node_modules|ER_[A-Z_]+|SELECT |INSERT /, 'no internals in the page');
  }
}

describe('fault scenarios', { timeout: 600_000 }, () => {
  it('1. 500 registrations, 50 at a time, with the database restarted in the middle', async () => {
    const appPid = stack.app.pid();
    const prefix = `f1-${Date.now().toString(36)}`;
    const { results, duringMs } = await runLoad(500, 50, (i) => register(url, `${prefix}-${i}`), () => stack.restart(['mysql']));
    assertCleanFailures(results, [503]);
    for (const o of results.filter((x) => x.status === 503)) assert.match(o.body, /database is not answering/);
    const kept = await assertNothingLost(results);
    const max503 = Math.max(0, ...results.filter((o) => o.status === 503).map((o) => o.ms));
    assert.equal(stack.app.pid(), appPid, 'the app was not restarted');
    report(`scenario 1: 500 registrations: ${tally(results)}; slowest 503 ${max503} ms; restart took ${duringMs} ms; ${kept} acknowledged, all present once`);
  });

  it('2. the database killed with SIGKILL under the same load: no acknowledged registration is missing', async () => {
    const prefix = `f2-${Date.now().toString(36)}`;
    const { results } = await runLoad(300, 50, (i) => register(url, `${prefix}-${i}`), async () => {
      process.kill(stack.mysql.pid()!, 'SIGKILL');
    });
    assert.ok(await waitFor(async () => (await new Client(url).get('/healthz')).status === 200, 60_000, 250), 'the database came back');
    assertCleanFailures(results, [503]);
    const kept = await assertNothingLost(results);
    report(`scenario 2: 300 registrations, database SIGKILLed: ${tally(results)}; ${kept} acknowledged, none lost`);
  });

  it('3. the app killed with SIGKILL under load: nginx answers its 502 page, serving resumes within 10 s', async () => {
    let recoveryMs = 0;
    const { results } = await runLoad(
      400,
      20,
      async () => {
        const res = await new Client(url).get('/').catch(() => ({ status: 0, body: '' }));
        return { status: res.status, body: res.body };
      },
      async () => {
        const killedAt = Date.now();
        process.kill(stack.app.pid()!, 'SIGKILL');
        assert.ok(await waitFor(async () => (await new Client(url).get('/')).status === 200, 10_000, 50), 'serving again within 10 s');
        recoveryMs = Date.now() - killedAt;
      },
    );
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 502, `only nginx's 502 page while the app is away (got ${r.status})`);
      assert.match(r.body, /not answering/);
    }
    report(`scenario 3: 400 page loads, app SIGKILLed: ${tally(results)}; serving again after ${recoveryMs} ms`);
  });

  it('4. SIGTERM to the app under load: requests it accepted finish, none of them gets a 502', async () => {
    const { results } = await runLoad(
      400,
      20,
      async () => {
        const res = await new Client(url).get('/').catch(() => ({ status: 0, headers: {} as Record<string, unknown> }));
        return { status: res.status, requestId: String(res.headers['x-request-id'] ?? '') };
      },
      async () => {
        process.kill(stack.app.pid()!, 'SIGTERM');
        await waitFor(async () => (await new Client(url).get('/')).status === 200, 15_000, 100);
      },
    );
    const failedIds = new Set(results.filter((r) => r.status !== 200).map((r) => r.requestId));
    const handled = await appLogLines(info, (l) => l.event === 'request' && failedIds.has(String(l.requestId)));
    assert.deepEqual(handled.map((l) => l.requestId), [], 'no request the app handled was answered with an error');
    assert.ok(results.every((r) => r.status === 200 || r.status === 502), tally(results));
    report(`scenario 4: 400 page loads, app sent SIGTERM: ${tally(results)}; every request the app accepted finished (502s only while it was down)`);
  });

  it('5. make reload under load: a valid config loses no request; a broken one is refused and serving goes on', async () => {
    const nginxCopy = mkdtempSync(path.join(os.tmpdir(), 'stacklab-faults-nginx-'));
    after(() => rmSync(nginxCopy, { recursive: true, force: true }));
    cpSync(path.join(repoRoot, 'nginx'), nginxCopy, { recursive: true });
    const reload = () =>
      spawnSync('make', ['--no-print-directory', 'reload'], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: cleanEnv({ STACK: 'native', STACK_STATE_DIR: info.stateDir, STACK_ENV_FILE: info.envFile, STACK_NGINX_DIR: nginxCopy }),
      });
    const pageLoad = async () => (await new Client(url).get('/').catch(() => ({ status: 0 }))).status;

    const valid = await runLoad(300, 20, pageLoad, async () => {
      const result = reload();
      assert.equal(result.status, 0, result.stdout + result.stderr);
    });
    assert.ok(valid.results.every((s) => s === 200), `valid reload: ${tally(valid.results.map((status) => ({ status })))}`);

    const template = path.join(nginxCopy, 'templates/stacklab.conf.template');
    writeFileSync(template, readFileSync(template, 'utf8').replace('server_name _;', 'server_name _;\n    add_headr X-Typo 1;'));
    let refused = '';
    const broken = await runLoad(300, 20, pageLoad, async () => {
      const result = reload();
      assert.notEqual(result.status, 0);
      refused = result.stdout;
    });
    assert.match(refused, /refused/);
    assert.ok(broken.results.every((s) => s === 200), `broken reload: ${tally(broken.results.map((status) => ({ status })))}`);
    report(`scenario 5: 2 × 300 page loads around make reload: valid config ${tally(valid.results.map((status) => ({ status })))}, broken config refused and ${tally(broken.results.map((status) => ({ status })))}`);
  });

  it('6. 200 slow clients trickling their headers, while normal requests still answer within 1 s', async () => {
    const port = Number(new URL(url).port);
    const sockets: net.Socket[] = [];
    after(() => sockets.forEach((s) => s.destroy()));
    for (let i = 0; i < 200; i++) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
      sockets.push(socket);
    }
    const trickle = setInterval(() => sockets.forEach((s) => s.writable && s.write(`X-Slow-${Math.random().toString(36).slice(2, 6)}: 1\r\n`)), 1000);
    try {
      const times: number[] = [];
      const statuses: { status: number }[] = [];
      for (let i = 0; i < 30; i++) {
        const started = Date.now();
        const res = await new Client(url).get('/');
        times.push(Date.now() - started);
        statuses.push(res);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(statuses.every((s) => s.status === 200), tally(statuses));
      assert.ok(Math.max(...times) < 1000, `slowest normal request ${Math.max(...times)} ms`);
      report(`scenario 6: 200 slow clients open; 30 normal requests ${tally(statuses)}, slowest ${Math.max(...times)} ms`);
    } finally {
      clearInterval(trickle);
    }
  });
});
