// Which runner drives the learner's stack, for every command (make up, make check, make inspect, …):
// STACK=docker|native forces one; otherwise Docker when a Docker engine answers.
import { repoPath } from '../lib/repo.js';
import { addMissingSecrets, defaultEnvFile, ensureEnvFile, readSettings, type Settings } from '../lib/settings.js';
import { dim } from '../lib/terminal.js';
import { dockerEngineAnswers } from './docker/docker-clients.js';
import { DockerStack } from './docker/docker-stack.js';
import { NativeStack } from './native/native-stack.js';
import type { Runner } from './runner.js';

// The tests point these at a throwaway stack; a learner never needs to set them.
const envFile = process.env.STACK_ENV_FILE ?? defaultEnvFile;
const stateDir = process.env.STACK_STATE_DIR ?? repoPath('.stack');
const nginxDir = process.env.STACK_NGINX_DIR ?? repoPath('nginx');

/**
 * Creates .env on first use (with fresh secrets), then returns the runner to use and the checked
 * settings; `quiet` drops the runner's progress lines (for tools that print their own).
 */
export function openRunner({ quiet = false } = {}): { runner: Runner; settings: Settings } {
  if (ensureEnvFile(envFile)) {
    console.log(`Created .env with fresh random passwords and session keys (it is git-ignored; keep it private).`);
  }
  const added = addMissingSecrets(envFile);
  if (added.length > 0) {
    console.log(`Added ${added.join(', ')} to .env: a new setting of this version, with a fresh random value.`);
  }
  const settings = readSettings(envFile);
  const say = quiet ? () => {} : (line: string) => console.log(dim(line));
  if (settings.stack === 'docker' || (settings.stack === 'auto' && dockerEngineAnswers())) {
    const project = process.env.STACK_PROJECT || 'stacklab';
    return { runner: new DockerStack({ settings, envFile, mode: settings.mode, project, say }), settings };
  }
  return { runner: new NativeStack({ settings, stateDir, nginxDir, say }), settings };
}
