// `make watch`: checks the current exercise (the first not passed yet) whenever a file of the
// project changes, and every few seconds for checks that read the logs or the database (a request
// or a SQL statement changes no file); when it passes, records it and moves on to the next.
//
// Changes are found by comparing the files' modification times once a second, not by file-system
// events: those do not cross every Docker bind mount or network folder, a time stamp does.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/repo.js';
import { bold, dim, green } from '../lib/terminal.js';
import type { StackView } from './check-kit.js';
import type { Exercise } from './exercises.js';
import { readProgress, recordPass } from './progress.js';
import { exerciseHeading, firstOpen, printNextStep, printResults, progressBar, showNextHint } from './report.js';
import { runChecks, type CheckRun } from './run-checks.js';

const POLL_MS = 1000;
const STATE_RECHECK_MS = 5000;
const RECHECK_MS = 15_000;
// Not the learner's files: dependencies, build output, the stack's state (logs change all the time).
const IGNORED = new Set(['.git', 'node_modules', '.stack', 'dist', 'bench', 'artifacts']);

/** Every file of the project with its modification time and size, to compare with a later look. */
export function projectSnapshot(root = repoRoot): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // removed meanwhile
    }
    for (const entry of entries) {
      if (IGNORED.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          const { mtimeMs, size } = statSync(full);
          files.set(full, `${mtimeMs}:${size}`);
        } catch {
          // removed meanwhile
        }
      }
    }
  };
  walk(root);
  return files;
}

/** Whether two looks at the project's files found the same files, unchanged. */
export function sameSnapshot(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, stamp] of a) if (b.get(file) !== stamp) return false;
  return true;
}

type Wake = 'change' | 'timer' | 'check' | 'hint' | 'quit';

/**
 * Where the learner's keys (or lines, without a terminal) and signals go: to whoever waits, or, while
 * a check runs, kept until the wait begins (a q pressed meanwhile is not lost).
 */
type Learner = { onWake?: (what: Wake) => void; pending?: Wake; stop(): void };

function listenToLearner(): Learner {
  const learner: Learner = { stop: () => {} };
  const wake = (what: Wake) => {
    if (learner.onWake) learner.onWake(what);
    else if (learner.pending !== 'quit') learner.pending = what;
  };
  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  // In raw mode Ctrl-C reaches us as a key instead of a signal to every process in the terminal,
  // so make (which runs us) is not interrupted and prints no "Interrupt" line of its own.
  if (raw) stdin.setRawMode(true);
  const onData = (data: Buffer) => {
    const key = data.toString('utf8').trim().toLowerCase();
    if (data[0] === 3 || key.startsWith('q')) wake('quit');
    else if (key.startsWith('h')) wake('hint');
    else wake('check'); // c, Enter, anything else
  };
  const onSignal = () => wake('quit');
  stdin.on('data', onData);
  stdin.resume();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  learner.stop = () => {
    stdin.off('data', onData);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return learner;
}

/** Waits for the first of: a file that changed since `before`, the timer, or the learner. */
function nextWake(before: Map<string, string>, timeoutMs: number, learner: Learner): Promise<Wake> {
  return new Promise((resolve) => {
    const done = (what: Wake) => {
      clearInterval(poll);
      clearTimeout(timer);
      learner.onWake = undefined;
      resolve(what);
    };
    const poll = setInterval(() => {
      if (!sameSnapshot(before, projectSnapshot())) done('change');
    }, POLL_MS);
    const timer = setTimeout(() => done('timer'), timeoutMs);
    learner.onWake = done;
    if (learner.pending) {
      const what = learner.pending;
      learner.pending = undefined;
      done(what);
    }
  });
}

/** Checks that read the logs or the database, or found the stack down, are run again sooner. */
function recheckAfter(run: CheckRun): number {
  return run.readState || firstOpen(run)?.outcome === 'error' ? STATE_RECHECK_MS : RECHECK_MS;
}

/** Runs until every exercise passes or the learner quits (q or Ctrl-C). */
export async function watchCourse(view: StackView, exercises: Exercise[]): Promise<void> {
  const learner = listenToLearner();
  const clearScreen = process.stdout.isTTY ? () => process.stdout.write('\x1b[2J\x1b[H') : () => console.log('');
  try {
    let shown = '';
    let news = '';
    for (;;) {
      const passed = readProgress().passed;
      const exercise = exercises.find((e) => !passed[e.id]);
      if (!exercise) {
        console.log(`${news}\n${green('Every exercise passes.')} Well done.`);
        return;
      }
      const before = projectSnapshot();
      const run = await runChecks(exercise, view);
      if (!firstOpen(run)) {
        recordPass(exercise.id);
        news = green(`✓ Exercise ${exercise.number} passes, and is recorded.`);
        continue;
      }
      // Print only what changed: a learner reading the screen should not see it scroll every few
      // seconds (the random names a check made up change every time, and do not count).
      const summary = run.inputs.reduce((text, input) => text.replaceAll(input, '…'), JSON.stringify([exercise.id, run.results]));
      if (summary !== shown) {
        shown = summary;
        clearScreen();
        if (news) console.log(`${news}\n`);
        news = '';
        show(exercise, run, exercises);
      }
      let what: Wake;
      do {
        what = await nextWake(before, recheckAfter(run), learner);
        if (what === 'hint') {
          console.log('');
          showNextHint(exercise, 'Press h again');
        }
      } while (what === 'hint');
      if (what === 'quit') {
        console.log(dim('\nStopped watching. make watch goes on where you are.'));
        return;
      }
    }
  } finally {
    learner.stop();
  }
}

function show(exercise: Exercise, run: CheckRun, exercises: Exercise[]): void {
  const passedCount = Object.keys(readProgress().passed).filter((id) => exercises.some((e) => e.id === id)).length;
  console.log(`${bold('make watch')} ${dim(progressBar(passedCount, exercises.length))}\n`);
  console.log(exerciseHeading(exercise));
  printResults(run);
  printNextStep(exercise, run);
  const every = recheckAfter(run);
  console.log(dim(`\nChecked at ${new Date().toLocaleTimeString('en-GB')}; checks again when you save a file, and every ${every / 1000} s.`));
  console.log(dim('Keys: h a hint · c check now · q (or Ctrl-C) stop watching'));
}
