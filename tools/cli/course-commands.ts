// `make check [N]`, `make hint N`, `make solution N`, `make doctor`: the course's commands.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { runDoctor } from '../course/doctor.js';
import { findExercise, loadExercises, loadHints, solutionFile, type Exercise } from '../course/exercises.js';
import { runChecks, stackView, type CheckResult } from '../course/run-checks.js';
import { repoPath, repoRoot } from '../lib/repo.js';
import { bold, dim, green, red, yellow } from '../lib/terminal.js';
import { openStack } from '../runners/open-runner.js';

const exercises = loadExercises();
// How many hints of each exercise the learner has asked for (kept out of git, beside the stack's state).
const hintsFile = repoPath('.stack', 'course-hints.json');

const mark: Record<CheckResult['outcome'], string> = {
  pass: green('✓ pass'),
  'not yet': yellow('· not yet'),
  error: red('✗ error'),
};

export const courseCommands = {
  check: (arg?: string) => (arg ? checkOne(findExercise(exercises, arg)) : checkAll()),
  hint: async (arg?: string) => hint(findExercise(exercises, arg ?? '1')),
  solution: (arg?: string) => solution(findExercise(exercises, arg ?? '1')),
  doctor: async () => {
    process.exitCode = (await runDoctor(openStack().stack)) ? 0 : 1;
  },
};

async function checkOne(exercise: Exercise): Promise<void> {
  console.log(`${bold(`Exercise ${exercise.number}: ${exercise.title}`)}  ${dim(`(docs/exercises/${exercise.id}/README.md)`)}`);
  const { results, inputs } = await runChecks(exercise, stackView(openStack().stack));
  for (const r of results) {
    console.log(`  ${mark[r.outcome].padEnd(22)} ${r.name}`);
    if (r.reason) console.log(`  ${' '.repeat(12)}${r.reason}`);
  }
  if (inputs.length) console.log(dim(`  Random inputs used: ${inputs.join(', ')}`));
  const stuck = results.find((r) => r.outcome !== 'pass');
  if (!stuck) {
    const next = exercises[exercise.number];
    console.log(`\n${green('Done!')} ${next ? `Next: exercise ${next.number}, ${next.title} (make check ${next.number}).` : 'That was the last exercise. Well done.'}`);
    return;
  }
  console.log(`\nNext step: ${stuck.next}${stuck.outcome === 'not yet' ? `  ${dim(`(stuck? make hint ${exercise.number})`)}` : ''}`);
  process.exitCode = stuck.outcome === 'error' ? 2 : 1;
}

async function checkAll(): Promise<void> {
  const view = stackView(openStack().stack);
  let passed = 0;
  let firstOpen: Exercise | undefined;
  let errored = false;
  for (const exercise of exercises) {
    const { results } = await runChecks(exercise, view);
    const outcome = results.find((r) => r.outcome !== 'pass')?.outcome ?? 'pass';
    if (outcome === 'pass') passed++;
    else firstOpen ??= exercise;
    errored ||= outcome === 'error';
    console.log(`${String(exercise.number).padStart(3)}  ${exercise.title.padEnd(42)} ${mark[outcome]}`);
  }
  const width = 30;
  const filled = Math.round((passed / exercises.length) * width);
  console.log(`\n[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${passed} of ${exercises.length} exercises pass`);
  if (errored) console.log(`Some checks could not reach the stack: run ${bold('make doctor')}.`);
  else if (firstOpen) console.log(`Next: ${bold(`make check ${firstOpen.number}`)} (${firstOpen.title}), guide in docs/exercises/${firstOpen.id}/README.md`);
  else console.log(green('Every exercise passes. Well done.'));
}

function hint(exercise: Exercise): void {
  const hints = loadHints(exercise);
  const shown = existsSync(hintsFile) ? (JSON.parse(readFileSync(hintsFile, 'utf8')) as Record<string, number>) : {};
  const count = Math.min((shown[exercise.id] ?? 0) + 1, hints.length);
  for (let i = 0; i < count; i++) console.log(`${bold(`Hint ${i + 1} of ${hints.length}`)}\n${hints[i]}\n`);
  console.log(
    count < hints.length
      ? dim(`Run make hint ${exercise.number} again for the next hint.`)
      : dim(`That was the last hint. make solution ${exercise.number} shows the reference solution.`),
  );
  mkdirSync(path.dirname(hintsFile), { recursive: true });
  writeFileSync(hintsFile, JSON.stringify({ ...shown, [exercise.id]: count }, null, 2));
}

async function solution(exercise: Exercise): Promise<void> {
  if (process.env.FORCE !== '1') {
    if (!process.stdin.isTTY) throw new Error(`To see it without being asked: make solution ${exercise.number} FORCE=1`);
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`Show the reference solution of exercise ${exercise.number}? You learn more by trying first (y/N) `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) return;
  }
  const { kind, file } = solutionFile(exercise);
  console.log(readFileSync(file, 'utf8'));
  console.log(
    dim(
      kind === 'patch'
        ? `To apply it: git apply ${path.relative(repoRoot, file)}${exercise.after.length ? `, then ${exercise.after.map((a) => (a === 'reload' ? 'make reload' : 'make restart SERVICE=app')).join(' and ')}` : ''}`
        : 'These are the commands; type them yourself to see what each one does.',
    ),
  );
}
