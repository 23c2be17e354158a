// `make solution N APPLY=1`: puts an exercise's reference solution into the learner's files. A patch
// goes in with `git apply`, which changes every file or none, and only where the lines around each
// change are what it expects; so it never writes over a change of the learner's, it refuses instead,
// and says why in one sentence. Commands (solution.sh) are run as the learner would type them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/repo.js';
import { solutionFile, type Exercise } from './exercises.js';

export type ApplyOutcome = { applied: boolean; message: string; files: string[] };

/** The files a patch creates, changes or deletes, as paths in the project. */
export function patchedFiles(patch: string): string[] {
  const files = new Set<string>();
  for (const [, from, to] of patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) {
    files.add(from!);
    files.add(to!);
  }
  return [...files];
}

function git(args: string[], cwd: string) {
  return spawnSync('git', args, { cwd, encoding: 'utf8' });
}

/**
 * Applies `exercise`'s solution.patch to the project in `root`. `earlier` are the exercises before it,
 * to name the one whose solution a refused patch builds on.
 */
export function applySolutionPatch(exercise: Exercise, earlier: Exercise[], root = repoRoot): ApplyOutcome {
  const { file } = solutionFile(exercise);
  const relative = path.relative(root, file);
  const files = patchedFiles(readFileSync(file, 'utf8'));
  const refuse = (message: string): ApplyOutcome => ({ applied: false, message, files });

  const inGit = git(['rev-parse', '--is-inside-work-tree'], root);
  if (inGit.error || inGit.stdout.trim() !== 'true') {
    return refuse(`Not applied: this needs git and a git clone of the project; apply it by hand with: patch -p1 < ${relative}`);
  }
  if (git(['apply', '--check', file], root).status === 0) {
    const result = git(['apply', file], root);
    if (result.status !== 0) return refuse(`Not applied: git apply said: ${result.stderr.trim().split('\n')[0]}`);
    return { applied: true, message: `Applied ${relative}: git diff shows the changes in your files.`, files };
  }
  if (git(['apply', '--check', '--reverse', file], root).status === 0) {
    return refuse(`Nothing to do: the solution of exercise ${exercise.number} is in your files already (git diff shows it).`);
  }
  const changedByLearner = git(['status', '--porcelain', '--untracked-files=all', '--', ...files], root)
    .stdout.split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
  if (changedByLearner.length > 0) {
    return refuse(
      `Not applied, to keep your work: you have changed ${changedByLearner.join(', ')} yourself and the solution does not fit on top of that, so copy what you need from make solution ${exercise.number} by hand (or set your version aside with git stash and try again).`,
    );
  }
  // The first earlier solution that changes the same files and is not in them yet.
  const builtOn = earlier.find((e) => {
    const { kind, file: earlierFile } = solutionFile(e);
    return (
      kind === 'patch' &&
      patchedFiles(readFileSync(earlierFile, 'utf8')).some((f) => files.includes(f)) &&
      git(['apply', '--check', '--reverse', earlierFile], root).status !== 0
    );
  });
  return refuse(
    builtOn
      ? `Not applied: it builds on the solution of exercise ${builtOn.number}, which your files do not have yet (make solution ${builtOn.number} APPLY=1 applies it).`
      : `Not applied: your files are not what the solution expects (git diff shows how they differ from the original).`,
  );
}
