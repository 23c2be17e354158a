// `make bench` end to end in its short mode: it starts its own stack (not the tests' one), measures
// every step with 1 and 2 app instances, and writes JSON with every figure. Speed is not judged
// here (the goals are reported, never enforced); that every figure is there and sane is.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeLoop } from '../../bench/node-loop.js';
import type { BenchResult } from '../../bench/results.js';
import { parseWrkOutput } from '../../bench/wrk.js';
import { repoPath } from '../../lib/repo.js';
import { findProgram } from '../../runners/native/programs.js';

describe('the load generators', () => {
  it("reads wrk's summary", () => {
    const figures = parseWrkOutput(`Running 2s test @ http://127.0.0.1:8080/
  2 threads and 64 connections
  Latency Distribution
     50%  830.00us
     75%    1.20ms
     90%    2.50ms
     99%   12.34ms
  24000 requests in 2.00s, 3.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:  12000.00
Transfer/sec:      1.55MB
`);
    assert.deepEqual(figures, { requests: 24000, durationS: 2, rps: 12000, p50Ms: 0.83, p99Ms: 12.34, errors: 10 });
  });

  it('the node loop counts answers, latencies and errors, and stops by itself', async () => {
    let served = 0;
    const server = http.createServer((req, res) => {
      served++;
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await nodeLoop.run({
        baseUrl: `http://127.0.0.1:${port}`,
        requests: [
          { method: 'GET', path: '/', headers: {} },
          { method: 'GET', path: '/missing', headers: {} },
        ],
        connections: 4,
        threads: 1,
        durationS: 0.5,
        timeoutS: 5,
      });
      assert.equal(result.requests, served);
      assert.ok(result.requests > 10, `${result.requests} requests`);
      assert.ok(Math.abs(result.errors - result.requests / 2) <= 4, 'every second request is a 404, counted as an error');
      assert.ok(result.p50Ms > 0 && result.p99Ms >= result.p50Ms);
      assert.ok(result.durationS >= 0.5 && result.durationS < 3);
    } finally {
      server.close();
    }
  });
});

describe('make bench, short mode', () => {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-bench-test-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('measures every step with 1 and 2 app instances and writes every figure as JSON', { timeout: 240_000 }, async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'bench'], {
        cwd: repoPath('tools'),
        // A lower bcrypt cost than the stack's 12 gives more sign-ins per second, so a few seconds
        // per step are enough for figures; the bench itself defaults to 12.
        env: { ...process.env, BENCH_SHORT: '1', BENCH_OUT_DIR: outDir, BENCH_BCRYPT_COST: '10', BENCH_REPLICAS: '1,2', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.on('close', (c) => resolve({ code: c, output: text }));
    });
    assert.equal(code, 0, output);
    assert.match(output, /measurement\s+req\/s\s+p50\s+p99\s+errors/, 'one table');
    assert.match(output, /Goals/);

    const result = JSON.parse(readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as BenchResult;
    assert.ok(existsSync(path.join(outDir, 'latest.svg')), 'the chart');
    assert.equal(result.short, true);
    assert.ok(['wrk', 'node loop'].includes(result.generator));
    assert.ok(result.coldUpS > 0);
    assert.equal(typeof result.machine.loadAverage1m, 'number');
    assert.ok(result.bcrypt.secondsPerHash > 0 && result.bcrypt.ceilingPerS > 0 && result.bcrypt.measuredPerS > 0);
    assert.deepEqual(result.skipped, [], 'both replica counts ran');
    assert.deepEqual(result.runs.map((r) => r.replicas), [1, 2]);

    // The PHP-FPM peer's row is there exactly when php-fpm is installed.
    const php = findProgram(['php-fpm', 'php-fpm8.4', 'php-fpm8.3', 'php-fpm8.2', 'php-fpm8.1']) !== undefined;
    const expected = {
      1: ['static', 'home_nginx', 'home_https', 'home_direct', 'account', 'account_direct', ...(php ? ['account_php'] : []), 'login', 'register'],
      2: ['home_nginx', 'account', 'login', 'register'],
    };
    for (const run of result.runs) {
      assert.deepEqual(run.steps.map((s) => s.id), expected[run.replicas as 1 | 2]);
      assert.equal(run.instancesSeen.length, run.replicas, `${run.replicas} instances answer: ${run.instancesSeen.join(', ')}`);
      assert.ok(run.upS > 0);
      for (const step of run.steps) {
        const what = `${run.replicas}× ${step.id}`;
        assert.ok(step.requests > 0 && step.rps > 0, `${what}: requests were answered`);
        assert.ok(step.p50Ms > 0 && step.p99Ms >= step.p50Ms, `${what}: p50 ${step.p50Ms}, p99 ${step.p99Ms}`);
        assert.ok(step.errors <= step.requests * 0.01, `${what}: ${step.errors} errors of ${step.requests}`);
        for (const [layer, cores] of Object.entries(step.busyCores)) assert.ok(cores >= 0, `${what}: busy cores of ${layer}`);
      }
      for (const layer of ['nginx', 'app', 'mysql', 'total'] as const) {
        assert.ok(run.memoryMb.idle[layer] > 0, `${run.replicas}×: idle RSS of ${layer}`);
        assert.ok(run.memoryMb.load[layer] >= run.memoryMb.idle[layer], `${run.replicas}×: RSS under load of ${layer}`);
      }
      assert.ok(run.loginVsCeiling !== null && run.loginVsCeiling > 0);
      assert.ok(run.eventLoopDuringLogin, 'event-loop delay from the app, ended with SIGUSR2');
    }
    const one = result.runs[0]!;
    assert.ok(one.proxyRatio !== null && one.proxyRatio > 0);
    assert.ok(typeof one.p99Ratio === 'number' && one.p99Ratio > 0, 'p99 via nginx ÷ direct');
    assert.ok(typeof one.accountP99Ratio === 'number' && one.accountP99Ratio > 0, 'p99 of GET /account via nginx ÷ direct');
    assert.equal(typeof one.accountVsPhp === 'number' && one.accountVsPhp > 0, php, 'GET /account ÷ PHP-FPM, with php-fpm only');
    // GET /account with SQL recording on and off, one run each in short mode.
    const trace = result.traceCost!;
    assert.equal(trace.rounds, 1);
    assert.ok(trace.onRps[0]! > 0 && trace.offRps[0]! > 0 && trace.ratio !== null, JSON.stringify(trace));
    assert.match(output, /GET \/account req\/s with TRACE_SQL=true: \d+; false: \d+ → on ÷ off \d\.\d{3}/);
    // The goals comparing two steps come from paired rounds (one round each in short mode), and say so.
    const proxy = result.paired?.find((p) => p.id === 'proxy');
    assert.ok(proxy && proxy.rounds === 1 && proxy.a.rps[0]! > 0 && proxy.b.rps[0]! > 0 && proxy.rpsRatio !== null, JSON.stringify(result.paired));
    assert.equal(result.goals.find((g) => g.name === 'proxy ratio on GET /')?.value, proxy.rpsRatio.toFixed(2), 'the goal uses the paired ratio');
    assert.equal(result.paired!.some((p) => p.id === 'account_php'), php, 'GET /account against PHP-FPM paired, with php-fpm only');
    assert.match(output, /1× app, paired \(1 round in turn\): GET \/ via nginx ÷ straight to the app: req\/s \d+ ÷ \d+ → \d\.\d\d/);
    assert.ok(one.httpsRatio && one.httpsRatio > 0, 'the HTTPS cost of GET /, beside the plain one');
    assert.match(output, /GET \/ via nginx over HTTPS/);
    assert.equal(result.goals.length, 9);
    for (const goal of result.goals) {
      // Without php-fpm there is no PHP row; without STACK=docker no Docker run: those goals say n/a.
      const absent = (goal.name.includes('PHP-FPM') && !php) || goal.name.includes('Docker');
      assert.ok((absent ? ['n/a'] : ['pass', 'short']).includes(goal.status), `${goal.name}: ${goal.status}`);
    }
    assert.match(output, /the same page in PHP-FPM|php-fpm is not installed/);
  });
});
