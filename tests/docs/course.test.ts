// The course, proven: on a fresh stack (in a copy of the project) every exercise's check says "not
// yet"; after its reference solution, and the commands of its README, it passes. Then, with every
// solution applied, the app's and the stack's own tests still pass.
// The READMEs say localhost:8080; here the stack runs on a free port, so the commands are run with
// that port put in (everything else exactly as written). COURSE_ONLY=6,7,8 tries only those exercises
// (in order, each on top of the one before, as exercises that build on each other need).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../tools/lib/ports.js';
import { loadExercises, loadHints, solutionFile } from '../../tools/course/exercises.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';
import { repoRoot } from '../../tools/lib/repo.js';

const exercises = loadExercises();
const only = (process.env.COURSE_ONLY ?? '').split(',').filter(Boolean).map(Number);
const selected = exercises.filter((e) => only.length === 0 || only.includes(e.number));

/** The ```sh blocks of a README (indented ones inside lists too), in order. */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^( *)```sh\n([\s\S]*?)^\1```$/gm)].map(([, indent, body]) =>
    body!.split('\n').map((line) => line.slice(indent!.length)).join('\n').trim(),
  );
}

describe('the course in docs/exercises', () => {
  let copy = '';
  let env: NodeJS.ProcessEnv = {};
  let port = '';

  const sh = (script: string) =>
    spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script.replaceAll('localhost:8080', `localhost:${port}`)], {
      cwd: copy,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
  const check = (n: number) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'check', String(n)], { cwd: path.join(copy, 'tools'), env, encoding: 'utf8', timeout: 120_000 });

  before(async () => {
    port = String(await freePort());
    copy = copyProject('stacklab-course-');
    env = cleanEnv({ STACK: 'native', HTTP_PORT: port, APP_PORT: String(await freePort()), DB_PORT: String(await freePort()), BCRYPT_COST: '10' });
    const up = sh('make up');
    assert.equal(up.status, 0, up.stdout + up.stderr);
  });

  after(() => {
    if (!copy) return;
    sh('make down');
    rmSync(copy, { recursive: true, force: true });
  });

  it('has hints and a reference solution for every exercise', () => {
    for (const exercise of selected) {
      assert.ok(loadHints(exercise).length >= 2, `${exercise.id}: at least two hints (general, then specific)`);
      assert.ok(readFileSync(solutionFile(exercise).file, 'utf8').length > 0, `${exercise.id}: a solution`);
      assert.match(readFileSync(path.join(exercise.dir, 'README.md'), 'utf8'), new RegExp(`make check ${exercise.number}`));
    }
  });

  it('says "not yet" (not "error") for every exercise on a fresh stack', () => {
    for (const exercise of selected) {
      const result = check(exercise.number);
      assert.equal(result.status, 1, `exercise ${exercise.number} on a fresh stack:\n${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /not yet/);
    }
  });

  for (const exercise of selected) {
    it(`exercise ${exercise.number} (${exercise.id}) passes after its solution and its README's commands`, () => {
      const { kind, file } = solutionFile(exercise);
      const applied = kind === 'patch' ? sh(`git apply ${JSON.stringify(file.replace(repoRoot, copy))}`) : sh(readFileSync(file, 'utf8'));
      assert.equal(applied.status, 0, `applying the solution:\n${applied.stdout}${applied.stderr}`);
      for (const action of exercise.after) {
        const result = sh(action === 'reload' ? 'make reload' : 'make restart SERVICE=app');
        assert.equal(result.status, 0, `${action}:\n${result.stdout}${result.stderr}`);
      }
      const readme = readFileSync(path.join(copy, 'docs/exercises', exercise.id, 'README.md'), 'utf8');
      for (const block of shellBlocks(readme)) {
        const result = sh(block);
        assert.equal(result.status, 0, `README command failed:\n${block}\n---\n${result.stdout}${result.stderr}`);
      }
      const result = check(exercise.number);
      assert.equal(result.status, 0, `make check ${exercise.number} after the solution:\n${result.stdout}${result.stderr}`);
    });
  }

  it("leaves the app's and the stack's own tests green with every solution applied", { skip: only.length > 0 && 'COURSE_ONLY is set' }, () => {
    writeFileSync(path.join(copy, '.course-tested'), new Date().toISOString());
    sh('make down');
    const result = spawnSync('make', ['--no-print-directory', 'test'], {
      cwd: copy,
      // Not the course stack's ports: the inner tests start a stack of their own on free ports.
      env: cleanEnv({ ONLY: 'app/test,tests/stack' }),
      encoding: 'utf8',
      timeout: 600_000,
    });
    assert.equal(result.status, 0, `make test with every solution applied:\n${result.stdout.slice(-4000)}${result.stderr.slice(-2000)}`);
    // Two runs report (the unit tests, then those against the stack): add them up.
    const passed = [...result.stdout.matchAll(/ℹ pass (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    assert.ok(passed >= 100, `only ${passed} tests ran:\n${result.stdout.slice(-2000)}`);
    console.log(`  make test with every solution applied: ${passed} tests passed`);
  });
});
