// `make bench STACK=docker` in its short mode, with the stand-in images: after the native stack,
// the same steps on a throwaway Docker stack (its own compose project and volumes), each row
// compared with native. Speed is not judged (the goals are reported, never enforced); that every
// row is there, sane, and that nothing of the bench's Docker stack is left behind, is.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { BenchResult } from '../../tools/bench/results.js';
import { repoPath } from '../../tools/lib/repo.js';
import { dockerTestsMissing, standinImages } from '../../tools/testing/docker-learner.js';

const missing = dockerTestsMissing();

describe('make bench STACK=docker, short mode (stand-in images)', { skip: missing || false }, () => {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-bench-docker-test-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('measures the Docker stack with the same steps and compares each row with native', { timeout: 600_000 }, async () => {
    const images = standinImages();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('make', ['bench', 'SHORT=1', 'STACK=docker'], {
        cwd: repoPath('.'),
        env: { ...process.env, ...images, BENCH_OUT_DIR: outDir, BENCH_BCRYPT_COST: '10', BENCH_REPLICAS: '1', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.on('close', (c) => resolve({ code: c, output: text }));
    });
    assert.equal(code, 0, output);
    assert.match(output, /docker ÷ native/, 'the ratio column');

    const result = JSON.parse(readFileSync(path.join(outDir, 'latest.json'), 'utf8')) as BenchResult;
    const native = result.runs.find((r) => r.replicas === 1 && r.stack === undefined)!;
    const docker = result.runs.find((r) => r.stack === 'docker');
    assert.ok(native && docker, 'a native and a Docker run');
    // The same steps, but the PHP-FPM peer's (a native-only yardstick).
    assert.deepEqual(docker.steps.map((s) => s.id), native.steps.map((s) => s.id).filter((id) => id !== 'account_php'));
    for (const step of docker.steps) {
      assert.ok(step.requests > 0 && step.p99Ms >= step.p50Ms && step.p50Ms > 0, `docker ${step.id}: ${step.requests} requests, p50 ${step.p50Ms}, p99 ${step.p99Ms}`);
      assert.ok(step.errors <= step.requests * 0.01, `docker ${step.id}: ${step.errors} errors`);
      assert.ok(step.busyCores.app > 0 || step.id === 'static', `docker ${step.id}: the app container's CPU is measured`);
    }
    assert.ok(docker.memoryMb.idle.nginx > 0 && docker.memoryMb.idle.app > 0 && docker.memoryMb.idle.mysql > 0, 'memory of each container');
    assert.ok(docker.eventLoopDuringLogin, 'event-loop delay from the app container, ended with SIGUSR2');
    const goal = result.goals.find((g) => g.name.includes('Docker ÷ native'));
    assert.ok(goal && ['pass', 'short'].includes(goal.status), `${goal?.name}: ${goal?.status}`);
    // The goal compares GET / on both stacks measured in turn, both running, not two rows minutes apart.
    const pair = result.paired?.find((p) => p.id === 'docker');
    assert.ok(pair && pair.rounds === 1 && pair.a.rps[0]! > 0 && pair.b.rps[0]! > 0 && pair.rpsRatio !== null, JSON.stringify(result.paired));
    assert.equal(goal.value, `${pair.rpsRatio.toFixed(2)}×`, 'the goal uses the paired ratio');
    assert.match(output, /docker 1× app, paired \(1 round in turn\): GET \/ via nginx, Docker ÷ native: req\/s \d+ ÷ \d+ → \d\.\d\d/);
    // Here (a Linux engine) the host reaches nginx's container by its address: the published port's share is shown.
    const past = result.paired?.find((p) => p.id === 'docker_container');
    assert.ok(past && past.a.rps[0]! > 0 && past.rpsRatio !== null, JSON.stringify(result.paired));
    assert.match(output, /docker: through the published port, GET \/ reached \d\.\d\d of its rate by nginx's container address/);

    const left = spawnSync('docker', ['ps', '-a', '--format', '{{.Label "com.docker.compose.project"}}'], { encoding: 'utf8' }).stdout;
    assert.ok(!/^stacklabbench/m.test(left), `no bench container is left: ${left}`);
    const volumes = spawnSync('docker', ['volume', 'ls', '-q'], { encoding: 'utf8' }).stdout;
    assert.ok(!/^stacklabbench/m.test(volumes), 'no bench volume is left');
  });
});
