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
import { register, runLoad, tally, type Outcome } from './traffic.js';

const missing = dockerTestsMissing();
const report = (line: string) => console.log(`  » ${line}`);
const LOAD_SETTINGS = { AUTH_RATE_PER_MINUTE: '600000', AUTH_BURST: '100000', BCRYPT_COST: '4' };

describe('fault scenarios on the Docker runner', { skip: missing || false, timeout: 900_000 }, () => {
  let learner: DockerLearner;
  let url = '';
  const make = (target: string, extra: Record<string, string> = {}) => {
    const result = learner.make(target, { ...LOAD_SETTINGS, ...extra });
    assert.equal(result.status, 0, `make ${target}:\n${result.stdout}${result.stderr}`);
    return result;
  };

  before(async () => {
    learner = await DockerLearner.create('stacklab-docker-faults-');
    url = learner.url;
    make('up');
  });

  after(() => learner?.remove());

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

  it('1. 300 registrations, 30 at a time, with the database restarted (make restart SERVICE=mysql) in the middle', async () => {
    const prefix = `d1-${Date.now().toString(36)}`;
    const { results, duringMs } = await runLoad(300, 30, (i) => register(url, `${prefix}-${i}`), async () => {
      make('restart', { SERVICE: 'mysql' });
    });
    assertCleanFailures(results, [503]);
    const kept = await assertNothingLost(prefix, results);
    report(`docker scenario 1: 300 registrations, database restarted: ${tally(results)}; restart took ${duringMs} ms; ${kept} acknowledged, all present once`);
  });

  it('2. the database killed (docker kill) under registrations: Docker restarts it, nothing acknowledged is lost', async () => {
    const prefix = `d2-${Date.now().toString(36)}`;
    const { results } = await runLoad(200, 30, (i) => register(url, `${prefix}-${i}`), async () => {
      assert.equal(spawnSync('docker', ['kill', learner.containerOf('mysql')]).status, 0);
    });
    assert.ok(await waitFor(async () => (await new Client(url).get('/healthz')).status === 200, 90_000, 500), 'the database came back');
    assertCleanFailures(results, [503]);
    const kept = await assertNothingLost(prefix, results);
    report(`docker scenario 2: 200 registrations, database killed: ${tally(results)}; ${kept} acknowledged, none lost`);
  });

  it('3. the app killed (docker kill) under load: only the 502 page, at once, until Docker has restarted it', async () => {
    let recoveryMs = 0;
    const { results } = await runLoad(
      400,
      20,
      async () => {
        const started = Date.now();
        const res = await new Client(url).get('/').catch(() => ({ status: 0, body: '' }));
        return { status: res.status, body: res.body, ms: Date.now() - started };
      },
      async () => {
        const killedAt = Date.now();
        assert.equal(spawnSync('docker', ['kill', learner.containerOf('app')]).status, 0);
        assert.ok(await waitFor(async () => (await new Client(url).get('/')).status === 200, 60_000, 100), 'serving again');
        recoveryMs = Date.now() - killedAt;
      },
    );
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 502, `only nginx's 502 page while the app is away (got ${r.status})`);
      assert.match(r.body, /not answering/);
    }
    const slowest502 = Math.max(0, ...results.filter((r) => r.status === 502).map((r) => r.ms));
    report(`docker scenario 3: 400 page loads, app killed: ${tally(results)}; slowest 502 ${slowest502} ms; serving again after ${recoveryMs} ms`);
  });

  it('4. the app stopped (make stop SERVICE=app) under load: the 502 page at once, then make up brings it back', async () => {
    const { results } = await runLoad(
      300,
      10,
      async () => {
        const started = Date.now();
        const res = await new Client(url).get('/').catch(() => ({ status: 0, body: '' }));
        return { status: res.status, ms: Date.now() - started };
      },
      async () => {
        make('stop', { SERVICE: 'app' });
        await new Promise((r) => setTimeout(r, 1500));
        make('up');
      },
    );
    assert.ok(results.every((r) => r.status === 200 || r.status === 502), tally(results));
    // nginx looks the app up every second: within that second after the stop, a request may still
    // try the old address; every later one is a 502 at once.
    const slow502 = results.filter((r) => r.status === 502 && r.ms > 3000);
    assert.ok(slow502.length <= 10, `${slow502.length} 502 answers took over 3 s`);
    const median502 = results.filter((r) => r.status === 502).map((r) => r.ms).sort((a, b) => a - b)[Math.floor(results.filter((r) => r.status === 502).length / 2)] ?? 0;
    report(`docker scenario 4: 300 page loads, app stopped then started: ${tally(results)}; median 502 ${median502} ms`);
  });

  it('5. make reload under load: no request fails', async () => {
    const { results } = await runLoad(
      300,
      10,
      async () => {
        const res = await new Client(url).get('/').catch(() => ({ status: 0 }));
        return { status: res.status };
      },
      async () => {
        make('reload');
      },
    );
    assert.ok(results.every((r) => r.status === 200), tally(results));
    report(`docker scenario 5: 300 page loads, make reload in the middle: ${tally(results)}`);
  });
});
