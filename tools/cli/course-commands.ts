// `make check [N]`, `make hint N`, `make solution N`, `make watch`, `make doctor`: the course's commands.
//
// Exit statuses of `check N` (the Makefile turns 1 and 2 into 0, since each is an answer, not a failure
// of make): 0 it passes, 1 not yet, 2 the stack could not be reached (or a check could not run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { applySolutionPatch } from '../course/apply-solution.js';
import { diagnosisOf, runDoctor } from '../course/doctor.js';
import { writeHelpReport } from '../course/help-report.js';
import { findExercise, loadExercises, solutionFile, type Exercise } from '../course/exercises.js';
import { readProgress, recordPass, shortTime } from '../course/progress.js';
import { exerciseHeading, firstOpen, mark, printNextStep, printResults, progressBar, recordCheckRun, showNextHint } from '../course/report.js';
import { runChecks, stackView, type CheckRun } from '../course/run-checks.js';
import { watchCourse } from '../course/watch.js';
import { checkLab, hintLab, isLabRef, labCommands, labSolution } from './lab-commands.js';
import { repoRoot } from '../lib/repo.js';
import { bold, dim, green, red, yellow } from '../lib/terminal.js';
import { openStack, stateDir } from '../runners/open-runner.js';
import type { Stack } from '../runners/runner.js';

const exercises = loadExercises();

export const courseCommands = {
  check: (arg?: string) => (isLabRef(arg) ? checkLab(arg!) : arg ? checkOne(findExercise(exercises, arg)) : checkAll(process.env.RECHECK === '1')),
  // Without a number: the exercise you are on (the first not passed yet).
  hint: async (arg?: string) => (isLabRef(arg) ? hintLab(arg!) : showNextHint(arg ? findExercise(exercises, arg) : currentExercise())),
  solution: async (arg?: string) => {
    if (isLabRef(arg)) return labSolution(arg!, process.env.APPLY === '1');
    if (!arg) return console.log(`Which exercise? For example ${bold(`make solution ${currentExercise().number}`)}.`);
    await solution(findExercise(exercises, arg), process.env.APPLY === '1');
  },
  ...labCommands,
  watch: () => watchCourse(stackView(openStack().stack), exercises),
  doctor: async () => {
    process.exitCode = (await runDoctor(openStack().stack)) ? 0 : 1;
  },
  'help-report': async () => {
    const file = await writeHelpReport(openStack().stack, stateDir);
    console.log(`Wrote ${bold(file)}: send it to your mentor (passwords, cookies and keys are replaced by [redacted]; read it first if you like).`);
  },
  // The doctor's findings in one paragraph: how docker-runner.sh ends a failed make up or make restart.
  diagnose: async () => console.log(await diagnosisOf(openStack().stack)),
};

function currentExercise(): Exercise {
  const { passed } = readProgress();
  return exercises.find((e) => !passed[e.id]) ?? exercises.at(-1)!;
}

async function checkOne(exercise: Exercise): Promise<void> {
  console.log(exerciseHeading(exercise));
  const run = await runChecks(exercise, stackView(openStack().stack));
  printResults(run);
  const open = recordCheckRun(exercise, run);
  if (!open) {
    const next = exercises[exercise.number];
    console.log(`\n${green('Done!')} ${next ? `Next: exercise ${next.number}, ${next.title} (make check ${next.number}).` : 'That was the last exercise. Well done.'}`);
    return;
  }
  printNextStep(exercise, run);
  process.exitCode = open.outcome === 'error' ? 2 : 1;
}

/**
 * Every exercise in a list, with a progress bar. A recorded pass is shown as it is (RECHECK=1 checks
 * it against the stack again); the others are checked now, and a pass is recorded.
 */
async function checkAll(recheck: boolean): Promise<void> {
  const view = stackView(openStack().stack);
  const { passed: recorded } = readProgress();
  let passedCount = 0;
  let nextOpen: Exercise | undefined;
  let unreachable = false;
  for (const exercise of exercises) {
    const passedAt = recorded[exercise.id];
    const run = !passedAt || recheck ? await runChecks(exercise, view) : undefined;
    const open = run && firstOpen(run);
    if (run && !open && !passedAt) recordPass(exercise.id);
    if (passedAt || !open) passedCount++;
    else nextOpen ??= exercise;
    unreachable ||= open?.outcome === 'error';
    console.log(`${String(exercise.number).padStart(3)}  ${exercise.title.padEnd(42)} ${row(passedAt, run)}`);
    if (passedAt && open) console.log(`${' '.repeat(5)}${dim(open.reason ?? '')}\n${' '.repeat(5)}${dim(`To see it again: ${open.next}`)}`);
  }
  console.log(`\n${progressBar(passedCount, exercises.length)}`);
  if (unreachable) console.log(`Some checks could not reach the stack: run ${bold('make doctor')}.`);
  if (nextOpen) console.log(`Next: ${bold(`make check ${nextOpen.number}`)} (${nextOpen.title}), guide in docs/exercises/${nextOpen.id}/README.md`);
  else console.log(green('Every exercise passes. Well done.'));
  if (!recheck && Object.keys(recorded).length > 0) {
    console.log(dim('Passes recorded earlier are not checked again; make check RECHECK=1 checks them against your stack now.'));
  }
  process.exitCode = unreachable ? 2 : nextOpen ? 1 : 0;
}

/** One exercise's row in the list: its recorded pass (and what a new check says), or the check's answer. */
function row(passedAt: string | undefined, run: CheckRun | undefined): string {
  const open = run && firstOpen(run);
  if (!passedAt) return mark[open?.outcome ?? 'pass'];
  const recorded = green(`✓ passed ${shortTime(passedAt)}`);
  if (!run) return recorded;
  if (!open) return `${recorded}, ${green('and still passes')}`;
  if (open.outcome === 'error') return `${recorded}; ${red('could not check it now')}`;
  return `${recorded}; ${yellow(open.evidence === 'logs' ? 'its log lines are gone' : 'not now')}`;
}

async function solution(exercise: Exercise, apply: boolean): Promise<void> {
  const { kind, file } = solutionFile(exercise);
  const relative = path.relative(repoRoot, file);
  if (process.env.FORCE !== '1') {
    const how = `make solution ${exercise.number}${apply ? ' APPLY=1' : ''} FORCE=1`;
    if (!process.stdin.isTTY) {
      console.log(`${apply ? 'Applying' : 'Showing'} a solution asks first, and there is no terminal to ask in. Without being asked: ${bold(how)}`);
      return;
    }
    const question = apply
      ? `Apply the reference solution of exercise ${exercise.number} to your files? You learn more by trying first (y/N) `
      : `Show the reference solution of exercise ${exercise.number}? You learn more by trying first (y/N) `;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(question);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) return;
  }
  if (!apply) {
    console.log(readFileSync(file, 'utf8'));
    console.log(
      dim(
        kind === 'patch'
          ? `make solution ${exercise.number} APPLY=1 puts it into your files${exercise.after.length ? `, then ${afterText(exercise)}` : ''}.`
          : `These are the commands; type them yourself to see what each one does (make solution ${exercise.number} APPLY=1 runs them).`,
      ),
    );
    return;
  }
  const { stack } = openStack();
  if (kind === 'commands') {
    console.log(dim(`The commands of ${relative}, as you would type them:`));
    try {
      console.log(dim(await stack.followUp({ kind: 'commands', file })));
    } catch (err) {
      console.log(`\n${red((err as Error).message)} make doctor checks the stack.`);
      process.exitCode = 1;
      return;
    }
    console.log(`\n${green('Done.')} make check ${exercise.number} checks it.`);
    return;
  }
  const outcome = applySolutionPatch(exercise, exercises.slice(0, exercise.number - 1));
  console.log(outcome.applied ? green(outcome.message) : outcome.message);
  if (!outcome.applied) {
    process.exitCode = 1;
    return;
  }
  await takeEffect(stack, exercise);
  console.log(`make check ${exercise.number} checks it.`);
}

function afterText(exercise: Exercise): string {
  return exercise.after.map((a) => (a === 'reload' ? 'make reload' : 'make restart SERVICE=app')).join(' and ');
}

/** Reloads nginx or restarts the app, as the exercise's change needs, when the stack runs. */
async function takeEffect(stack: Stack, exercise: Exercise): Promise<void> {
  for (const action of exercise.after) {
    try {
      console.log(await stack.followUp(action === 'reload' ? { kind: 'reload' } : { kind: 'restart', service: 'app' }));
    } catch (err) {
      console.log(`${afterText(exercise)} did not run: ${(err as Error).message.split('\n')[0]} It takes effect at the next make up.`);
      return;
    }
  }
}
