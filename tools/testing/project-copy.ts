// A fresh copy of the project (its files as git sees them, uncommitted changes included), for tests
// that run make targets as a learner would, without touching this checkout's .env or state.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../lib/repo.js';

/**
 * `dependencies`: share this checkout's installed node_modules (false: none, as in a fresh clone).
 * `spaceInPath`: the copy's folder has a space in its path, as "My Projects" on a learner's machine.
 * `asClone`: the copy is a git repository with one commit of these files, as a fresh clone is.
 */
export function copyProject(prefix: string, { dependencies = true, spaceInPath = false, asClone = false } = {}): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), spaceInPath ? `${prefix}with space-` : prefix));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    try {
      // Same timestamps, so make sees the shared dependencies as up to date and never reinstalls them.
      cpSync(path.join(repoRoot, file), path.join(copy, file), { preserveTimestamps: true });
    } catch {
      // a file git still lists but that was deleted from the work tree
    }
  }
  if (dependencies) {
    // Installed dependencies are shared with the copy rather than installed again.
    symlinkSync(path.join(repoRoot, 'tools/node_modules'), path.join(copy, 'tools/node_modules'));
    symlinkSync(path.join(repoRoot, 'app/node_modules'), path.join(copy, 'app/node_modules'));
  }
  if (asClone) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: copy, stdio: 'ignore' });
    git('init', '--quiet');
    // The shared dependencies are links, which .gitignore's `node_modules/` (folders only) misses.
    appendFileSync(path.join(copy, '.git/info/exclude'), 'node_modules\n');
    git('add', '--all');
    git('-c', 'user.name=stacklab tests', '-c', 'user.email=tests@stacklab.invalid', 'commit', '--quiet', '--no-verify', '-m', 'The project as cloned');
  }
  return copy;
}

/** The environment for make in a copy: without the test driver's and the learner's stack settings. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    // NODE_TEST_CONTEXT: set by node's test runner for its children; a `make test` run inside a test
    // would otherwise report to this runner in its binary format instead of running on its own.
    // MAKEFLAGS (and its kin): `make test ONLY=…` hands ONLY to every make below it through them, so
    // an inner `make test` would run the outer run's files instead of the ones it is given.
    Object.entries(process.env).filter(([k]) => !/^(STACK|STACK_.*|HTTP_PORT|HTTPS_PORT|HTTPS_ONLY|APP_PORT|DB_.*|ONLY|MODE|NODE_TEST_CONTEXT|MAKEFLAGS|MFLAGS|MAKELEVEL|MAKEOVERRIDES)$/.test(k)),
  );
  return { ...env, ...extra };
}
