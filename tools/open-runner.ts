// Which runner drives the stack, for every command line tool (make up, make check, …):
// STACK=docker|native forces one; otherwise Docker when a Docker engine answers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerEngineAnswers } from './docker/clients.js';
import { DockerStack } from './docker/stack.js';
import { ensureEnvFile, loadEnv, type EnvMap } from './lib/env-file.js';
import { dim } from './lib/terminal.js';
import { settingsFrom } from './native/settings.js';
import { NativeStack } from './native/stack.js';
import type { Runner } from './runner.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The tests point these at a throwaway stack; a learner never needs to set them.
const envFile = process.env.STACK_ENV_FILE ?? path.join(repoRoot, '.env');
const stateDir = process.env.STACK_STATE_DIR ?? path.join(repoRoot, '.stack');
const nginxDir = process.env.STACK_NGINX_DIR ?? path.join(repoRoot, 'nginx');

/** Creates .env on first use (with fresh secrets), then returns the runner to use. */
export function openRunner(): Runner {
  return openStack().runner;
}

/** The runner and the settings it was made with; `quiet` drops its progress lines. */
export function openStack({ quiet = false } = {}): { runner: Runner; env: EnvMap } {
  if (ensureEnvFile(envFile, path.join(repoRoot, '.env.example'))) {
    console.log(`Created .env with fresh random passwords and session keys (it is git-ignored; keep it private).`);
  }
  const env = loadEnv(envFile, path.join(repoRoot, '.env.example'));
  const wanted = process.env.STACK || 'auto';
  if (!['auto', 'docker', 'native'].includes(wanted)) throw new Error(`STACK must be "docker" or "native", not "${wanted}".`);
  const mode = process.env.MODE || 'dev';
  if (mode !== 'dev' && mode !== 'prod') throw new Error(`MODE must be "dev" or "prod", not "${mode}".`);
  const say = quiet ? () => {} : (line: string) => console.log(dim(line));

  if (wanted === 'docker' || (wanted === 'auto' && dockerEngineAnswers())) {
    return { runner: new DockerStack({ repoRoot, envFile, env, mode, project: process.env.STACK_PROJECT || 'stacklab', say }), env };
  }
  if (mode === 'prod') env.NODE_ENV = 'production';
  return { runner: new NativeStack(settingsFrom(repoRoot, stateDir, env, say, nginxDir)), env };
}
