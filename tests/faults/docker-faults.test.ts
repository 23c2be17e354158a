// The fault scenarios against the Docker runner (make test-faults): the database restarted and killed
// under registrations, the app killed and stopped under load, make reload under load, on a Docker
// stack started as a learner starts it (Docker alone, stand-in images). Nothing acknowledged may be
// lost. The load comes from this machine through the published port, so nginx sees one client
// address: the sign-in limit is lifted for this stack (as in the native fault suite).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Client, GOOD_PASSWORD } from '../../tools/lib/http-client.js';
import { waitFor } from '../../tools/lib/ports.js';
import { DockerLearner, dockerTestsMissing } from '../../tools/testing/docker-learner.js';
import { register, runLoadAround, tally, type Outcome } from './traffic.js';

const missing = dockerTestsMissing();
const report = (line: string) => console.log(`  » ${line}`);
const LOAD_SETTINGS = { AUTH_RATE_PER_MINUTE: '600000', AUTH_BURST: '100000', BCRYPT_COST: '4' };

describe('fault scenarios on the Docker runner', { skip: missing || false, timeout: 900_000 }, () => {
  let learner: DockerLearner;
  let url = '';
  // make, while this process sends load: without blocking it (see DockerLearner.makeAsync).
  const make = async (target: string, extra: Record<string, string> = {}) => {
    const result = await learner.makeAsync(target, { ...LOAD_SETTINGS, ...extra });
    assert.equal(result.status, 0, `make ${target}:\n${result.output}`);
  };

  before(async () => {
    learner = await DockerLearner.create('stacklab-docker-faults-');
    url = learner.url;
    await make('up');
  });

  after(() => learner?.remove());

  /**
   * A crash: the container's main process killed with SIGKILL from outside (`docker kill` would count
   * as stopping it by hand, and Docker would not restart it).
   */
  function crash(service: string): void {
    const pid = Number(spawnSync('docker', ['inspect', '-f', '{{.State.Pid}}', learner.containerOf(service)], { encoding: 'utf8' }).stdout.trim());
    assert.ok(pid > 0, `the ${service} container runs`);
    process.kill(pid, 'SIGKILL');
  }

  /** The usernames with this prefix in the users table, each with how many rows it has. */
  function storedUsers(prefix: string): Map<string, number> {
    const sql = `SELECT username, COUNT(*) FROM users WHERE username LIKE '${prefix}-%' GROUP BY username;\n`;
    const result = learner.make('db-shell', {}, sql);
    assert.equal(result.status, 0, result.stderr);
    const rows = result.stdout.split('\n').filter((line) => line.startsWith(`${prefix}-`));
    return new Map(rows.map((line) => line.split('\t') as [string, string]).map(([name, n]) => [name, Number(n)]));
  }

  /** Every acknowledged (303) registration exists once; a sample of them signs in. */
  async function assertNothingLost(prefix: string, outcomes: Outcome[]): Promise<number> {
    const acknowledged = outcomes.filter((o) => o.status === 303);
    const stored = storedUsers(prefix);
    for (const o of acknowledged) assert.equal(stored.get(o.username), 1, `${o.username} was acknowledged, so it must exist exactly once`);
    const step = Math.max(1, Math.floor(acknowledged.length / 20));
    for (let i = 0; i < acknowledged.length; i += step) {
      assert.equal((await new Client(url).login(acknowledged[i]!.username, GOOD_PASSWORD)).status, 303, `${acknowledged[i]!.username} signs in`);
    }
    return acknowledged.length;
  }

  function assertCleanFailures(outcomes: Outcome[], allowed: number[]) {
    for (const o of outcomes.filter((x) => x.status !== 303)) {
      assert.ok(allowed.includes(o.status), `${o.username}: status ${o.status} (${o.body.slice(0, 120)})`);
      assert.doesNotMatch(o.body, /\.js:\d+|node_modules|ER_[A-Z_]+|SELECT |INSERT /, 'no internals in the page');
    }
  }

  it('1. registrations, 30 at a time, all through the database restarted (make restart SERVICE=mysql)', async () => {
    const prefix = `d1-${Date.now().toString(36)}`;
    const { results, duringMs } = await runLoadAround(3000, 30, (i) => register(url, `${prefix}-${i}`), async () => {
      await make('restart', { SERVICE: 'mysql' });
    });
    assertCleanFailures(results, [503]);
    const kept = await assertNothingLost(prefix, results);
    report(`docker scenario 1: ${results.length} registrations, database restarted: ${tally(results)}; restart took ${duringMs} ms; ${kept} acknowledged, all present once`);
  });

  it('2. the database crashed (SIGKILL) under registrations: Docker restarts it, nothing acknowledged is lost', async () => {
    const prefix = `d2-${Date.now().toString(36)}`;
    const { results } = await runLoadAround(3000, 30, (i) => register(url, `${prefix}-${i}`), async () => {
      crash('mysql');
      assert.ok(await waitFor(async () => (await new Client(url).get('/healthz')).status === 200, 90_000, 250), 'the database came back');
    });
    assertCleanFailures(results, [503]);
    const kept = await assertNothingLost(prefix, results);
    report(`docker scenario 2: ${results.length} registrations, database crashed: ${tally(results)}; ${kept} acknowledged, none lost`);
  });

  it('3. the app crashed (SIGKILL) under load: only the 502 page, at once, until Docker has restarted it', async () => {
    let recoveryMs = 0;
    const { results } = await runLoadAround(
      5000,
      20,
      async () => {
        const started = Date.now();
        const res = await new Client(url).get('/').catch(() => ({ status: 0, body: '' }));
        return { status: res.status, body: res.body, ms: Date.now() - started };
      },
      async () => {
        const killedAt = Date.now();
        crash('app');
        assert.ok(await waitFor(async () => (await new Client(url).get('/')).status === 200, 60_000, 100), 'serving again');
        recoveryMs = Date.now() - killedAt;
      },
    );
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 502, `only nginx's 502 page while the app is away (got ${r.status})`);
      assert.match(r.body, /not answering/);
    }
    const slowest502 = Math.max(0, ...results.filter((r) => r.status === 502).map((r) => r.ms));
    report(`docker scenario 3: ${results.length} page loads, app crashed: ${tally(results)}; slowest 502 ${slowest502} ms; serving again after ${recoveryMs} ms`);
  });

  it('4. the app stopped (make stop SERVICE=app) under load: once make stop has returned, the 502 page at once; make up brings it back', async () => {
    let phase = 'before';
    const { results } = await runLoadAround(
      20_000,
      10,
      async () => {
        const startedIn = phase;
        const started = Date.now();
        const res = await new Client(url).get('/').catch((err: Error) => ({ status: 0, body: err.message }));
        const ms = Date.now() - started;
        await new Promise((r) => setTimeout(r, 20)); // a steady pace (the 502 page comes very fast)
        return { status: res.status, ms, body: res.body, startedIn };
      },
      async () => {
        phase = 'make stop';
        await make('stop', { SERVICE: 'app' });
        phase = 'stopped';
        await new Promise((r) => setTimeout(r, 1500));
        phase = 'make up';
        await make('up');
        phase = 'up';
      },
    );
    // While make stop runs, nginx may still send a request to the address the container had, until
    // it looks the app's name up again (every second): that request waits out proxy_connect_timeout
    // (3 s) and gets the same page as a 504. make stop returns only once nginx has noticed.
    // (Requests started before make stop can still be in flight when the app goes: they count with those.)
    const duringStop = results.filter((r) => r.startedIn === 'before' || r.startedIn === 'make stop');
    const stopped = results.filter((r) => r.startedIn === 'stopped');
    const starting = results.filter((r) => r.startedIn === 'make up');
    const show = (list: typeof results) => list.map((r) => `${r.status} after ${r.ms} ms, started during "${r.startedIn}": ${r.body.slice(0, 80)}`);
    assert.ok(duringStop.every((r) => [200, 502, 504].includes(r.status)), tally(duringStop));
    // Stopped: the 502 page at once, every time.
    assert.deepEqual(show(stopped.filter((r) => r.status !== 502 || r.ms > 1000)), [], tally(stopped));
    // Starting again: the 502 page until the app answers, never a 504.
    assert.deepEqual(show(starting.filter((r) => r.status !== 200 && r.status !== 502)), [], tally(starting));
    const afterUp = results.filter((r) => r.startedIn === 'up');
    assert.ok(results.some((r) => r.status === 502), tally(results));
    assert.ok(afterUp.length > 0 && afterUp.every((r) => r.status === 200), `after make up: ${tally(afterUp)}`);
    const times502 = stopped.map((r) => r.ms).sort((a, b) => a - b);
    report(
      `docker scenario 4: ${results.length} page loads, app stopped then started: ${tally(results)}; ` +
        `while make stop ran ${tally(duringStop)}; stopped: every answer a 502 within ${times502.at(-1) ?? 0} ms (median ${times502[Math.floor(times502.length / 2)] ?? 0} ms); ` +
        `while make up ran ${tally(starting)}; after it ${tally(afterUp)}`,
    );
  });

  it('5. make reload under load: no request fails', async () => {
    const { results } = await runLoadAround(
      5000,
      10,
      async () => {
        const res = await new Client(url).get('/').catch(() => ({ status: 0 }));
        return { status: res.status };
      },
      async () => {
        await make('reload');
      },
    );
    assert.ok(results.every((r) => r.status === 200), tally(results));
    report(`docker scenario 5: ${results.length} page loads, make reload in the middle: ${tally(results)}`);
  });
});
