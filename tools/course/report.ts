// How the course's results look in the terminal, for make check, make hint and make watch alike.
import { bold, dim, green, red, yellow } from '../lib/terminal.js';
import { loadHints, type Exercise } from './exercises.js';
import { readProgress, recordHintsShown, recordLastCheck, recordPass, shortTime } from './progress.js';
import type { CheckResult, CheckRun } from './run-checks.js';

export const mark: Record<CheckResult['outcome'], string> = {
  pass: green('✓ pass'),
  'not yet': yellow('· not yet'),
  error: red('✗ error'),
};

const MARK_WIDTH = 12;
const pad = (text: string, plain: string, width: number) => text + ' '.repeat(Math.max(1, width - plain.length));

/** The first check that did not pass, if any. */
export function firstOpen(run: CheckRun): CheckResult | undefined {
  return run.results.find((r) => r.outcome !== 'pass');
}

/**
 * Keeps what a check found (its reasons, for make help-report) and, when every check passed, the
 * pass; returns the first check that did not pass, if any.
 */
export function recordCheckRun(exercise: Exercise, run: CheckRun): CheckResult | undefined {
  const results = run.results.map(({ name, outcome, reason }) => ({ name, outcome, ...(reason && { reason }) }));
  recordLastCheck({ exercise: exercise.id, when: new Date().toISOString(), results });
  const open = firstOpen(run);
  if (!open) recordPass(exercise.id);
  return open;
}

/** What follows make check / hint / solution: the exercise's number, or lab-NAME for a lab (number 0). */
export function courseRef(exercise: Exercise): string {
  return exercise.number ? String(exercise.number) : exercise.id;
}

export function exerciseHeading(exercise: Exercise): string {
  if (!exercise.number) return `${bold(`Lab ${exercise.id.replace(/^lab-/, '')}: ${exercise.title}`)}  ${dim(`(docs/labs/${exercise.id.replace(/^lab-/, '')}/README.md)`)}`;
  return `${bold(`Exercise ${exercise.number}: ${exercise.title}`)}  ${dim(`(docs/exercises/${exercise.id}/README.md)`)}`;
}

/** One row per check (what it saw, under the one that did not pass), and the random names used. */
export function printResults(run: CheckRun): void {
  for (const r of run.results) {
    console.log(`  ${pad(mark[r.outcome], r.outcome === 'pass' ? '✓ pass' : r.outcome === 'error' ? '✗ error' : '· not yet', MARK_WIDTH)}${r.name}`);
    if (r.reason) console.log(`  ${' '.repeat(MARK_WIDTH)}${r.reason}`);
  }
  if (run.inputs.length) console.log(dim(`  Random inputs used: ${run.inputs.join(', ')}`));
  console.log(dim(`  (checked in ${(run.durationMs / 1000).toFixed(1)} s)`));
}

/**
 * What to do next after a run that did not pass. An exercise passed before stays passed: if only
 * the logs lack what a check looks for (they keep the newest lines only), say which step shows it again.
 */
export function printNextStep(exercise: Exercise, run: CheckRun): void {
  const open = firstOpen(run);
  if (!open) return;
  const passedAt = readProgress().passed[exercise.id];
  if (passedAt && open.outcome === 'not yet') {
    console.log(`\nYou passed this exercise on ${shortTime(passedAt)}, and it stays passed (make check lists it).`);
    if (open.evidence === 'logs') {
      console.log(`The logs no longer show it: they keep the newest lines only. To see this check pass again: ${open.next}`);
      return;
    }
  }
  console.log(`\nNext step: ${open.next}${open.outcome === 'not yet' ? `  ${dim(`(stuck? make hint ${courseRef(exercise)})`)}` : ''}`);
}

export function progressBar(passed: number, total: number): string {
  const width = 30;
  const filled = Math.round((passed / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${passed} of ${total} exercises pass`;
}

/** Shows the hints asked for so far plus one more, and remembers how many were shown. */
export function showNextHint(exercise: Exercise, askAgain = `Run make hint ${courseRef(exercise)} again`): void {
  const hints = loadHints(exercise);
  if (hints.length === 0) {
    console.log(`${exercise.number ? `Exercise ${exercise.number}` : exercise.id} has no hints; its README walks through every step.`);
    return;
  }
  const count = Math.min((readProgress().hintsShown[exercise.id] ?? 0) + 1, hints.length);
  for (let i = 0; i < count; i++) console.log(`${bold(`Hint ${i + 1} of ${hints.length}`)}\n${hints[i]}\n`);
  console.log(
    count < hints.length
      ? dim(`${askAgain} for the next hint.`)
      : dim(`That was the last hint. make solution ${courseRef(exercise)} shows the reference solution.`),
  );
  recordHintsShown(exercise.id, count);
}
