// The answers tests/docs/course.test.ts gives each exercise's check, beside the reference solution:
// plausible wrong or lazy answers, each of which the check must call "not yet" with a reason that
// points at the mistake, and a valid alternative, which must pass. One file per exercise, named
// like its folder in docs/exercises.
//
// An answer is what a learner would do: a change to the project's files (a patch, or shell commands
// that edit them) and commands typed in the terminal, written for localhost:8080 as the READMEs are
// (the test puts its own port and /tmp folder in, as it does for the READMEs). After each answer
// the test undoes it: `undo` first (for what lives in the database), then every file and .env goes
// back to how the learner had them, and the app or nginx is restarted or reloaded if they changed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../tools/lib/repo.js';

export type Answer = {
  /** The mistake (or the other way of solving it), in words. */
  what: string;
  /** A unified diff, applied with git apply before `commands` run. */
  patch?: string;
  /** Shell commands, as a learner types them (bash -e). */
  commands?: string;
  /** Commands that take back what `commands` did outside the files (rows in the database, processes). */
  undo?: string;
};

export type WrongAnswer = Answer & {
  /** What the check's "not yet" must say: it names the mistake. */
  expect: RegExp;
};

export type ExerciseAnswers = {
  /**
   * For an exercise whose reference solution is a patch: the README step whose edits it makes. The
   * test applies it (with make solution N APPLY=1) just before the first command of that step.
   */
  solutionAtStep?: number;
  /** For an exercise solved by commands: takes their effects back out, so the README can be walked afresh. */
  undoSolution?: string;
  /** What the README says a step's commands print, step by step: the course test holds it to that. */
  readmeSays?: Record<number, RegExp[]>;
  wrong: WrongAnswer[];
  alternative: Answer;
};

/** An exercise's solution.patch, to derive near-miss answers from. */
export function referencePatch(exerciseId: string): string {
  return readFileSync(path.join(repoRoot, 'docs/exercises', exerciseId, 'solution.patch'), 'utf8');
}

/**
 * A patch with one line of its new text replaced by another (the same number of lines, so the
 * hunk stays valid): `from` must occur exactly once.
 */
export function patchWith(patch: string, from: string, to: string): string {
  const at = patch.indexOf(from);
  if (at === -1 || patch.indexOf(from, at + 1) !== -1) throw new Error(`"${from}" must occur exactly once in the patch`);
  if (from.split('\n').length !== to.split('\n').length) throw new Error('the replacement must keep the number of lines');
  return patch.replace(from, to);
}

/** A patch without the parts for `file` (to make that file's change another way). */
export function patchWithout(patch: string, file: string): string {
  return patch
    .split(/^(?=diff --git )/m)
    .filter((part) => !part.startsWith(`diff --git a/${file} `))
    .join('');
}

/** Statements typed into make db-shell. */
export function inDbShell(sql: string): string {
  return `make db-shell <<'SQL'\n${sql.trim()}\nSQL\n`;
}

/**
 * Statements run as the database's root (the native test stack's socket, the password from .env):
 * for what the app's own user may not do (it cannot change the schema), such as a mistake made with
 * the administrator's password, or taking a test's changes back out.
 */
export function asRoot(sql: string): string {
  const fromEnv = (name: string) => `"$(sed -n 's/^${name}=//p' .env | tail -n 1)"`;
  return `MYSQL_PWD=${fromEnv('DB_ROOT_PASSWORD')} mariadb --socket=.stack/run/mysqld.sock -uroot ${fromEnv('DB_NAME')} <<'SQL'\n${sql.trim()}\nSQL\n`;
}
