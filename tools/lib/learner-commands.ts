// Shell commands run as a learner types them (a solution.sh, a README's block): in bash, in the
// project folder, with the site's ports put in where they say localhost:8080 and localhost:8443 (the
// learner's stack may use others), and without the variables of the make that started this (APPLY=1, FORCE=1, …).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoRoot } from './repo.js';

/** Runs the commands in `file`, showing their output; returns their exit status. */
export function runLearnerCommands(file: string, ports: { http: number; https: number }, root = repoRoot): number {
  const script = readFileSync(file, 'utf8').replaceAll('localhost:8080', `localhost:${ports.http}`).replaceAll('localhost:8443', `localhost:${ports.https}`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(MAKEFLAGS|MFLAGS|MAKELEVEL|APPLY|FORCE)$/.test(name)));
  return spawnSync('bash', ['-c', script], { cwd: root, stdio: 'inherit', env }).status ?? 1;
}
