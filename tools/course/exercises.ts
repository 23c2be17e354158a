// The course's exercises, in the order docs/exercises/manifest.json gives.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoPath } from '../lib/repo.js';
import type { ExerciseChecks } from './check-kit.js';

export type Exercise = {
  number: number;
  id: string;
  title: string;
  dir: string;
  /** What to do after applying the reference solution for it to take effect. */
  after: ('reload' | 'restart-app' | 'restart-nginx')[];
};

export function loadExercises(): Exercise[] {
  const dir = repoPath('docs/exercises');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    exercises: { id: string; title: string; after?: Exercise['after'] }[];
  };
  return manifest.exercises.map((e, i) => ({
    number: i + 1,
    id: e.id,
    title: e.title,
    dir: path.join(dir, e.id),
    after: e.after ?? [],
  }));
}

/** The exercise for a number given on the command line, or a clear error. */
export function findExercise(exercises: Exercise[], arg: string | undefined): Exercise {
  const n = Number(arg);
  const found = Number.isInteger(n) ? exercises[n - 1] : exercises.find((e) => e.id === arg);
  if (!found) throw new Error(`There is no exercise "${arg ?? ''}". Exercises are numbered 1 to ${exercises.length}: try make check 1.`);
  return found;
}

export async function loadChecks(exercise: Exercise): Promise<ExerciseChecks> {
  const module = (await import(pathToFileURL(path.join(exercise.dir, 'check.ts')).href)) as { default: ExerciseChecks };
  return module.default;
}

/** The hints of an exercise: hints.md, split at lines that are exactly `---`. */
export function loadHints(exercise: Exercise): string[] {
  const file = path.join(exercise.dir, 'hints.md');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/^---$/m)
    .map((h) => h.trim())
    .filter(Boolean);
}

/** The reference solution: a patch to apply (solution.patch) or commands to type (solution.sh). */
export function solutionFile(exercise: Exercise): { kind: 'patch' | 'commands'; file: string } {
  const patch = path.join(exercise.dir, 'solution.patch');
  if (existsSync(patch)) return { kind: 'patch', file: patch };
  return { kind: 'commands', file: path.join(exercise.dir, 'solution.sh') };
}
