// The learner's progress through the course: which exercises passed (and when), and how many hints
// of each were shown. Kept in .stack/course-progress.json, git-ignored with the stack's other state;
// make reset keeps it. A pass stays recorded: the logs a check read may rotate away, and the README's
// cleanup steps delete what a check looked at, but the exercise was done.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from '../lib/repo.js';

export type Progress = {
  /** Exercise id → when its checks first all passed (ISO time). */
  passed: Record<string, string>;
  /** Exercise id → how many of its hints were shown. */
  hintsShown: Record<string, number>;
  /** The latest make check N: each check's outcome and reason (for make help-report). */
  lastCheck?: LastCheck;
};

export type LastCheck = { exercise: string; when: string; results: { name: string; outcome: string; reason?: string }[] };

export const progressFile = repoPath('.stack', 'course-progress.json');

export function readProgress(file = progressFile): Progress {
  const empty: Progress = { passed: {}, hintsShown: {} };
  if (!existsSync(file)) return empty;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<Progress>;
    return { passed: { ...saved.passed }, hintsShown: { ...saved.hintsShown }, ...(saved.lastCheck && { lastCheck: saved.lastCheck }) };
  } catch {
    // A damaged file (edited by hand, cut off) is not worth a crash: start a fresh record.
    return empty;
  }
}

function writeProgress(progress: Progress, file = progressFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Written whole, then renamed into place: a reader never sees half a file.
  writeFileSync(`${file}.next`, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(`${file}.next`, file);
}

/** Records that an exercise passes (the first time only: the record keeps when it was done). */
export function recordPass(exerciseId: string, when = new Date(), file = progressFile): void {
  const progress = readProgress(file);
  if (progress.passed[exerciseId]) return;
  progress.passed[exerciseId] = when.toISOString();
  writeProgress(progress, file);
}

export function recordHintsShown(exerciseId: string, count: number, file = progressFile): void {
  const progress = readProgress(file);
  progress.hintsShown[exerciseId] = count;
  writeProgress(progress, file);
}

export function recordLastCheck(check: LastCheck, file = progressFile): void {
  const progress = readProgress(file);
  progress.lastCheck = check;
  writeProgress(progress, file);
}

/** "30 Nov 14:02", in the learner's own time zone. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `${day} ${time}`;
}
