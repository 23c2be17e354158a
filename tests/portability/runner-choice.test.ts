// The runner is chosen once: the first make up records it in .env, and every later command uses
// it, whether or not a Docker engine answers now. make up STACK=… switches, stopping the other
// runner's stack first. Tried as a learner would meet it: the first make up on a machine whose
// Docker is not running (here: docker hidden from PATH), then Docker started (docker on PATH).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../tools/lib/ports.js';
import { dockerTestsMissing, standinImages } from '../../tools/testing/docker-learner.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';

/** A PATH where no docker program can be found: as on a machine whose Docker is not installed. */
function pathWithoutDocker(): { path: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-nodocker-'));
  const mirrors = (process.env.PATH ?? '').split(':').flatMap((from, i) => {
    if (!from || !existsSync(from) || !statSync(from).isDirectory()) return [];
    const mirror = path.join(dir, String(i));
    mkdirSync(mirror);
    for (const name of readdirSync(from)) if (!/^docker/.test(name)) symlinkSync(path.join(from, name), path.join(mirror, name));
    return [mirror];
  });
  return { path: mirrors.join(':'), dir };
}

describe('the runner, chosen once', () => {
  let copy = '';
  let noDocker = { path: '', dir: '' };
  let env: NodeJS.ProcessEnv = {};
  const make = (target: string, extra: NodeJS.ProcessEnv = {}) =>
    spawnSync('make', ['--no-print-directory', target], { cwd: copy, env: { ...env, ...extra }, encoding: 'utf8', timeout: 600_000 });
  const dockerMissing = dockerTestsMissing();

  before(async () => {
    copy = copyProject('stacklab-runner-');
    noDocker = pathWithoutDocker();
    // Free ports (the learner's own stack may hold the default ones); nothing else set.
    env = cleanEnv({ HTTP_PORT: String(await freePort()), APP_PORT: String(await freePort()), DB_PORT: String(await freePort()), STACK_PROJECT: `stacklabrunner${Date.now().toString(36)}` });
  });

  after(() => {
    if (!copy) return;
    make('down', { PATH: noDocker.path });
    if (!dockerMissing) make('reset', { FORCE: '1' });
    rmSync(copy, { recursive: true, force: true });
    rmSync(noDocker.dir, { recursive: true, force: true });
  });

  it('the first make up without Docker records the native runner in .env', () => {
    const up = make('up', { PATH: noDocker.path });
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /native runner/);
    assert.match(readFileSync(path.join(copy, '.env'), 'utf8'), /^STACK=native$/m);
  });

  it('once Docker answers, make ps still shows the native stack running', { skip: dockerMissing || false }, () => {
    const ps = make('ps');
    assert.equal(ps.status, 0, ps.stdout + ps.stderr);
    assert.match(ps.stdout, /mysql\s+running\s+\d+\s+127\.0\.0\.1:/, ps.stdout);
    assert.doesNotMatch(ps.stdout, /internal/);
    const doctor = make('doctor');
    assert.match(doctor.stdout, /native runner/);
    assert.match(doctor.stdout, /the site answers through nginx/);
  });

  it('make up STACK=docker switches: the native stack is stopped first, then the Docker one starts and is recorded', { skip: dockerMissing || false }, () => {
    const images = standinImages();
    const up = make('up', { STACK: 'docker', ...images });
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /Switching from the native runner to the docker runner: stopping the native stack first/);
    assert.match(up.stdout, /Docker runner/);
    assert.match(readFileSync(path.join(copy, '.env'), 'utf8'), /^STACK=docker$/m);
    const ps = make('ps', images);
    assert.match(ps.stdout, /app\s+running\s+\w+\s+app:3000 \(internal\)/, ps.stdout);
    assert.equal(readdirSync(path.join(copy, '.stack/run')).filter((f) => f.endsWith('.pid')).length, 0, 'no native process left');
    assert.equal(make('down', images).status, 0);
  });
});
