// The course, proven on one stack, in a copy of the project that is a git clone, as a learner has it.
// On a fresh stack every exercise's check says "not yet". Then, exercise by exercise and in order:
//  - every wrong answer in course-answers/NN-….ts is refused, with a reason that names the mistake;
//  - a valid alternative passes;
//  - for an exercise solved by commands, `make solution N APPLY=1` passes;
//  - the README's commands (```sh, and ```sql typed into make db-shell) pass, run in order, in the
//    state the learner is in at each step: the reference solution goes in (with make solution N
//    APPLY=1) where the README has the learner edit the files; exercise 2 is done under make watch;
//  - the check's time is printed, and a pass stays recorded when its log lines are gone.
// Each answer is taken back out before the next (files, .env, the database, the recorded progress).
// Then make reset keeps the recorded passes, and with every solution applied the app's and the
// stack's own tests still pass.
//
// The commands say localhost:8080 and /tmp/…; here the stack runs on a free port (put in the way
// docs/README.md tells a learner with another port), and /tmp/ is a folder of this run's own, since
// other runs on this machine use the same /tmp/jar files at the same time.
// COURSE_ONLY=6,7,8 tries only those exercises (in order, each on top of the one before).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadExercises, loadHints, solutionFile, type Exercise } from '../../tools/course/exercises.js';
import { freePort } from '../../tools/lib/ports.js';
import { repoRoot } from '../../tools/lib/repo.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';
import { inDbShell, type Answer, type ExerciseAnswers } from './course-answers/answers.js';

const exercises = loadExercises();
const only = (process.env.COURSE_ONLY ?? '').split(',').filter(Boolean).map(Number);
const selected = exercises.filter((e) => only.length === 0 || only.includes(e.number));

async function answersFor(exercise: Exercise): Promise<ExerciseAnswers> {
  const file = path.join(repoRoot, 'tests/docs/course-answers', `${exercise.id}.ts`);
  return ((await import(pathToFileURL(file).href)) as { default: ExerciseAnswers }).default;
}

type Block = { kind: 'sh' | 'sql'; body: string; step: number };

/**
 * The commands of a README, in order, with the step (numbered list item) each belongs to: ```sh
 * blocks, and ```sql blocks (typed into make db-shell), except a block that is a file's content
 * (the line before it ends in "content:").
 */
export function commandBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let step = 0;
  let lastProse = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^( *)```(\S*)\s*$/.exec(line);
    if (!fence) {
      step = Number(/^(\d+)\. /.exec(line)?.[1] ?? step);
      if (line.trim() !== '') lastProse = line.trim();
      continue;
    }
    const [, indent, kind] = fence;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== `${indent}\`\`\``; i++) body.push(lines[i]!.slice(indent!.length));
    if (kind === 'sh' || (kind === 'sql' && !/content:$/.test(lastProse))) blocks.push({ kind, body: body.join('\n').trim(), step });
    lastProse = '';
  }
  return blocks;
}

describe('the course in docs/exercises', () => {
  let copy = '';
  let tmp = '';
  let env: NodeJS.ProcessEnv = {};
  let port = '';
  let httpsPort = '';
  const timings: string[] = [];

  const put = (script: string) =>
    script.replaceAll('localhost:8080', `localhost:${port}`).replaceAll('localhost:8443', `localhost:${httpsPort}`).replaceAll('/tmp/', `${tmp}/`);
  const sh = (script: string) =>
    spawnSync('bash', ['-e', '-o', 'pipefail', '-c', put(script)], { cwd: copy, env, encoding: 'utf8', timeout: 180_000 });
  const run = (script: string, what: string) => {
    const result = sh(script);
    assert.equal(result.status, 0, `${what}:\n${script}\n--- output ---\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  /** The tools' check command itself, for its exit status (make turns every answer into 0). */
  const check = (n: number) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'check', String(n)], {
      cwd: path.join(copy, 'tools'),
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { ...result, output: `${result.stdout}${result.stderr}`, wallS: (performance.now() - started) / 1000 };
  };
  const file = (relative: string) => path.join(copy, relative);

  /** What a log rotation does to the checks: the access log and the app's log start empty. */
  const forgetLogs = () => {
    for (const log of ['access.json', 'access.json.1', 'app.log', 'app.log.1']) {
      if (existsSync(file(`.stack/logs/${log}`))) writeFileSync(file(`.stack/logs/${log}`), '');
    }
  };

  // An answer that changed the app's code or .env leaves the app to restart. That waits until
  // something needs the learner's own app again: the next answer, unless it restarts the app itself
  // (a compile and a start cost seconds each, and the wrong answers of exercises 6 to 8 are many).
  let appToRestart = false;
  const restartAppIfNeeded = () => {
    if (appToRestart) run('make restart SERVICE=app', 'restarting the app after an answer');
    appToRestart = false;
  };

  /** Runs an answer, lets `judge` look at the check's answer, then takes the answer back out. */
  function tryAnswer(exercise: Exercise, answer: Answer, judge: (result: ReturnType<typeof check>) => void): void {
    if (!/make restart SERVICE=app/.test(answer.commands ?? '')) restartAppIfNeeded();
    appToRestart = false;
    const envBefore = readFileSync(file('.env'), 'utf8');
    const progressFile = file('.stack/course-progress.json');
    const progressBefore = existsSync(progressFile) ? readFileSync(progressFile, 'utf8') : undefined;
    let failure: unknown;
    try {
      if (answer.patch) {
        writeFileSync(file('.git/answer.patch'), answer.patch);
        run('git apply .git/answer.patch', `${exercise.id}, "${answer.what}": applying its patch`);
      }
      if (answer.commands) run(answer.commands, `${exercise.id}, "${answer.what}": its commands`);
      judge(check(exercise.number));
    } catch (err) {
      failure = err;
    }
    // Taken back out even when it failed, so the next answer starts from the learner's state; the
    // first failure is the one reported.
    try {
      if (answer.undo) run(answer.undo, `${exercise.id}, "${answer.what}": undoing it`);
      const changed = sh('git status --porcelain --untracked-files=all').stdout.split('\n').filter(Boolean).map((l) => l.slice(3));
      run('git checkout --quiet -- . && git clean -fdq', 'putting the files back');
      const envChanged = readFileSync(file('.env'), 'utf8') !== envBefore;
      if (envChanged) writeFileSync(file('.env'), envBefore);
      if (progressBefore === undefined) rmSync(progressFile, { force: true });
      else writeFileSync(progressFile, progressBefore);
      appToRestart = envChanged || changed.some((f) => /^(app|mysql)\//.test(f));
      if (envChanged || changed.some((f) => f.startsWith('nginx/'))) run('make reload', 'reloading nginx after an answer');
      forgetLogs();
    } catch (err) {
      failure ??= err;
    }
    if (failure) throw failure;
  }

  before(async () => {
    port = String(await freePort());
    httpsPort = String(await freePort());
    copy = copyProject('stacklab-course-', { asClone: true });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'stacklab-course-tmp-'));
    // BCRYPT_COST as .env.example has it (12): the checks are timed as a learner's machine runs them.
    env = cleanEnv({ STACK: 'native', HTTP_PORT: port, HTTPS_PORT: httpsPort, APP_PORT: String(await freePort()), DB_PORT: String(await freePort()) });
    run('make up', 'make up');
    // COURSE_ONLY skips exercises: the changes of the skipped ones go in first, as a learner who did them has them.
    const first = selected[0]?.number ?? 1;
    for (const earlier of exercises.slice(0, first - 1).filter((e) => solutionFile(e).kind === 'patch')) {
      assert.match(run(`make solution ${earlier.number} APPLY=1 FORCE=1`, `exercise ${earlier.number}'s solution`), /Applied /);
    }
    run('git add --all && git -c user.name=learner -c user.email=learner@example.invalid commit --quiet --allow-empty -m "earlier exercises"', 'committing');
  });

  after(() => {
    if (timings.length) console.log(`  How long each check took (the checks themselves; with the tools' start):\n${timings.join('\n')}`);
    if (!copy) return;
    sh('make down');
    rmSync(copy, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has hints, a reference solution and answers to refuse for every exercise', async () => {
    for (const exercise of selected) {
      assert.ok(loadHints(exercise).length >= 2, `${exercise.id}: at least two hints (general, then specific)`);
      assert.ok(readFileSync(solutionFile(exercise).file, 'utf8').length > 0, `${exercise.id}: a solution`);
      assert.match(readFileSync(path.join(exercise.dir, 'README.md'), 'utf8'), new RegExp(`make check ${exercise.number}`));
      const answers = await answersFor(exercise);
      assert.ok(answers.wrong.length >= 2, `${exercise.id}: at least two wrong answers its check refuses`);
      assert.equal(solutionFile(exercise).kind === 'patch', answers.solutionAtStep !== undefined, `${exercise.id}: solutionAtStep goes with a patch`);
    }
  });

  it('says "not yet" (not "error") for every exercise on a fresh stack', () => {
    for (const exercise of selected) {
      const result = check(exercise.number);
      assert.equal(result.status, 1, `exercise ${exercise.number} on a fresh stack:\n${result.output}`);
      assert.match(result.stdout, /not yet/);
    }
  });

  it('answers in words: no make error line and no stack trace, piped or not', () => {
    const noNoise = (output: string, what: string) => {
      assert.doesNotMatch(output, /make: \*\*\*|EPIPE|^\s+at /m, `${what} printed an error of make or a stack trace:\n${output}`);
    };
    for (const command of ['make check', 'make check 5', 'make check 5 | head -4', 'make check | head -1', 'make hint', 'make hint 1', 'make solution 3', 'make doctor']) {
      const result = sh(command);
      assert.equal(result.status, 0, `${command}:\n${result.stdout}${result.stderr}`);
      noNoise(`${result.stdout}${result.stderr}`, command);
    }
    assert.match(run('make hint 1', 'make hint 1'), /Hint 3 of/, 'each make hint shows one more hint');
    assert.match(run('make check', 'make check'), new RegExp(only.length ? `of ${exercises.length} exercises pass` : `\\[\\.+\\] 0 of ${exercises.length} exercises pass`));
    assert.match(run('make solution 3', 'make solution 3'), /asks first, and there is no terminal to ask in.*make solution 3 FORCE=1/);
    // A solution that builds on an earlier one is refused, and nothing changes.
    if ((selected[0]?.number ?? 1) <= 6) {
      assert.match(run('make solution 8 APPLY=1 FORCE=1', 'make solution 8 APPLY=1'), /Not applied: it builds on the solution of exercise 6/);
      assert.equal(sh('git status --porcelain').stdout, '', 'a refused solution changes no file');
    }
  });

  it('says "error" with nginx stopped, and passes nothing it cannot see', () => {
    run('make stop SERVICE=nginx', 'make stop SERVICE=nginx');
    try {
      for (const n of [3, 9]) {
        const result = check(n);
        assert.equal(result.status, 2, result.output);
        assert.doesNotMatch(result.stdout, /✓ pass/, result.output);
        assert.match(result.stdout, /✗ error +the stack answers\n +Nothing answers at http:\/\/localhost:\d+/, result.output);
      }
    } finally {
      run('make up', 'make up');
    }
  });

  it('make watch stops on Ctrl-C in a terminal, without an "Interrupt" line from make', { skip: !existsSync('/usr/bin/script') && 'needs script (util-linux) for a terminal' }, async () => {
    // script gives make watch a terminal, where Ctrl-C is the byte \x03 typed on the keyboard.
    const child = spawn('script', ['-qfec', 'make --no-print-directory watch', '/dev/null'], { cwd: copy, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/Keys: /.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.stdin.write('\x03');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    if (code === 'still running') child.kill();
    assert.match(output, /Exercise 1: HTTP by hand[\s\S]*Stopped watching/, output);
    assert.equal(code, 0, output);
    assert.doesNotMatch(output, /Interrupt|make: \*\*\*/, output);
  });

  it('shows a template edit on the next request, without restarting the app (development mode)', () => {
    const page = () => run('curl -s http://localhost:8080/', 'the home page');
    assert.match(page(), /<h1>Welcome to stacklab<\/h1>/);
    run("sed -i 's|<h1>Welcome to stacklab</h1>|<h1>Welcome to my stacklab</h1>|' app/views/home.njk", 'editing the template');
    try {
      assert.match(page(), /<h1>Welcome to my stacklab<\/h1>/);
    } finally {
      run('git checkout -- app/views/home.njk', 'putting the template back');
    }
    assert.match(page(), /<h1>Welcome to stacklab<\/h1>/);
  });

  for (const exercise of selected) {
    const n = exercise.number;

    it(`exercise ${n} (${exercise.id}): its check refuses wrong answers, each with the reason`, async () => {
      for (const answer of (await answersFor(exercise)).wrong) {
        tryAnswer(exercise, answer, (result) => {
          assert.equal(result.status, 1, `"${answer.what}" must be "not yet":\n${result.output}`);
          assert.match(result.stdout, answer.expect, `"${answer.what}": the reason must name the mistake:\n${result.output}`);
        });
        console.log(`  refused: ${answer.what}`);
      }
    });

    it(`exercise ${n} (${exercise.id}): a valid alternative passes`, async () => {
      const { alternative } = await answersFor(exercise);
      tryAnswer(exercise, alternative, (result) => assert.equal(result.status, 0, `"${alternative.what}" must pass:\n${result.output}`));
      console.log(`  passed: ${alternative.what}`);
    });

    if (solutionFile(exercise).kind === 'commands') {
      it(`exercise ${n} (${exercise.id}): make solution ${n} APPLY=1 runs the reference solution, and it passes`, async () => {
        const { undoSolution } = await answersFor(exercise);
        tryAnswer(exercise, { what: 'the reference solution', commands: `make solution ${n} APPLY=1 FORCE=1`, undo: undoSolution }, (result) =>
          assert.equal(result.status, 0, `after make solution ${n} APPLY=1:\n${result.output}`),
        );
      });
    }

    it(`exercise ${n} (${exercise.id}): the README's commands, in order and in the learner's state, pass`, async () => {
      const { solutionAtStep, readmeSays = {} } = await answersFor(exercise);
      restartAppIfNeeded();
      const printed: Record<number, string> = {};
      // Exercise 2 is done under make watch, which must see it pass and move on to exercise 3.
      const watcher = n === 2 ? startWatching() : undefined;
      if (n === 7) refusesToOverwriteOwnWork();
      let applied = solutionAtStep === undefined;
      for (const block of commandBlocks(readFileSync(path.join(exercise.dir, 'README.md'), 'utf8'))) {
        if (!applied && block.step >= solutionAtStep!) {
          assert.match(run(`make solution ${n} APPLY=1 FORCE=1`, 'applying the reference solution'), /Applied /);
          applied = true;
        }
        printed[block.step] = (printed[block.step] ?? '') + run(block.kind === 'sql' ? inDbShell(block.body) : block.body, `README of ${exercise.id}, step ${block.step}`);
      }
      for (const [step, says] of Object.entries(readmeSays)) {
        for (const expected of says) assert.match(printed[Number(step)] ?? '', expected, `step ${step} of ${exercise.id}'s README promises ${expected}`);
      }
      if (!applied) assert.match(run(`make solution ${n} APPLY=1 FORCE=1`, 'applying the reference solution'), /Applied /);
      if (watcher) await watcher.seesPass();

      const result = check(n);
      assert.equal(result.status, 0, `make check ${n} after the README:\n${result.output}`);
      const took = /checked in ([\d.]+) s/.exec(result.stdout)?.[1];
      timings.push(`    exercise ${String(n).padStart(2)}: ${took} s (${result.wallS.toFixed(1)} s)`);
      console.log(`  make check ${n} took ${took} s (${result.wallS.toFixed(1)} s with the tools' start)`);

      // The pass is recorded: when the logs have rotated away, the check says which step shows it again.
      forgetLogs();
      const later = check(n);
      if (later.status !== 0) {
        assert.equal(later.status, 1, later.output);
        assert.match(later.stdout, /You passed this exercise on .*, and it stays passed/, later.output);
        assert.match(later.stdout, /The logs no longer show it: .* To see this check pass again: .*step \d/, later.output);
      }
      if (n === 5) run(inDbShell("DELETE FROM users WHERE username LIKE 'hash-%';"), "the README's cleanup of exercise 5");
      // The learner's work so far, committed: each answer of the next exercise is undone back to here.
      run('git add --all && git -c user.name=learner -c user.email=learner@example.invalid commit --quiet --allow-empty -m "exercise done"', 'committing');
    });
  }

  /** make watch, run as a learner runs it, until it has seen exercise 2 pass and moved on. */
  function startWatching() {
    const child = spawn('make', ['--no-print-directory', 'watch'], { cwd: copy, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return {
      async seesPass() {
        const deadline = Date.now() + 60_000;
        while (!/Exercise 2 passes[\s\S]*Exercise 3: Change nginx/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
        child.stdin.write('q\n');
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
        if (code === 'still running') child.kill();
        assert.match(output, /Exercise 2 passes[\s\S]*Exercise 3: Change nginx/, `make watch did not see exercise 2 pass and move on:\n${output}`);
        assert.equal(code, 0, `make watch, stopped with q, exits 0:\n${output}`);
        assert.doesNotMatch(output, /make: \*\*\*/);
      },
    };
  }

  /** make solution 7 APPLY=1 with a members.ts of the learner's own: refused in one sentence, nothing changed. */
  function refusesToOverwriteOwnWork() {
    const own = "// My own start on exercise 7.\nexport const mine = true;\n";
    writeFileSync(file('app/src/routes/members.ts'), own);
    try {
      const answer = run('make solution 7 APPLY=1 FORCE=1', 'make solution 7 APPLY=1 over the learner\'s own file');
      assert.match(answer, /^Not applied, to keep your work: you have changed app\/src\/routes\/members.ts yourself[^\n]*\.$/m);
      assert.equal(readFileSync(file('app/src/routes/members.ts'), 'utf8'), own);
      assert.equal(sh('git status --porcelain').stdout, '?? app/src/routes/members.ts\n', 'nothing else changed');
    } finally {
      rmSync(file('app/src/routes/members.ts'));
    }
  }

  it('keeps the recorded passes through make reset, and RECHECK=1 checks them again', { skip: only.length > 0 && 'COURSE_ONLY is set' }, () => {
    run('make reset FORCE=1 && make up', 'make reset, then make up');
    const list = run('make check', 'make check after make reset');
    assert.equal(list.match(/✓ passed/g)?.length, exercises.length, list);
    assert.match(list, new RegExp(`${exercises.length} of ${exercises.length} exercises pass`));
    const rechecked = run('make check RECHECK=1', 'make check RECHECK=1');
    assert.match(rechecked, new RegExp(`${exercises.length} of ${exercises.length} exercises pass`), rechecked);
    // The fresh database has none of the users the exercises made: the list says what to do again.
    assert.match(rechecked, /HTTP by hand +✓ passed [^\n]*; not now\n[^\n]*\n\s+To see it again: /, rechecked);
  });

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
    // On failure, show what failed (with the lines after it), not just the end of a long report.
    const lines = result.stdout.split('\n');
    const failed = lines.flatMap((line, i) => (line.includes('✖') ? [lines.slice(i, i + 25).join('\n')] : [])).slice(0, 4);
    assert.equal(result.status, 0, `make test with every solution applied:\n${failed.join('\n…\n') || result.stdout.slice(-4000)}\n${result.stderr.slice(-2000)}`);
    // Two runs report (the unit tests, then those against the stack): add them up.
    const passed = [...result.stdout.matchAll(/ℹ pass (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    assert.ok(passed >= 100, `only ${passed} tests ran:\n${result.stdout.slice(-2000)}`);
    console.log(`  make test with every solution applied: ${passed} tests passed`);
  });
});
