// Which stack the tools work with. tools/stacklab.sh chooses the runner (recorded in .env by the
// first make up) and starts the tools: on this machine's Node.js for the native runner, or in the
// tools' container for the Docker runner (STACKLAB_IN_CONTAINER is set there).
import { repoPath } from '../lib/repo.js';
import { readSettings, type Settings } from '../lib/settings.js';
import { dim } from '../lib/terminal.js';
import { DockerView } from './docker/docker-view.js';
import { NativeStack } from './native/native-stack.js';
import type { Runner, Stack } from './runner.js';

// The tests point these at a throwaway stack; a learner never needs to set them.
const envFile = process.env.STACK_ENV_FILE ?? repoPath('.env');
/** Where the stack keeps its state (and the tools their reports). */
export const stateDir = process.env.STACK_STATE_DIR ?? repoPath('.stack');
const nginxDir = process.env.STACK_NGINX_DIR ?? repoPath('nginx');

/** The running stack, whichever runner started it, for the tools that look at it. */
export function openStack(): { stack: Stack; settings: Settings } {
  const settings = readSettings(envFile);
  if (process.env.STACKLAB_IN_CONTAINER === '1') return { stack: new DockerView(settings), settings };
  return { stack: openNativeRunner(settings, true), settings };
}

/** The native runner, which starts and stops the stack from here; `quiet` drops its progress lines. */
export function openRunner({ quiet = false } = {}): Runner {
  const settings = readSettings(envFile);
  if (process.env.STACKLAB_IN_CONTAINER === '1') {
    throw new Error('With Docker, make up, make down and the like run docker compose from your machine, not from the tools container.');
  }
  return openNativeRunner(settings, quiet);
}

function openNativeRunner(settings: Settings, quiet: boolean): NativeStack {
  const say = quiet ? () => {} : (line: string) => console.log(dim(line));
  // MODE=prod natively: the app runs as in production (compiled templates, cached).
  const native = settings.mode === 'prod' ? { ...settings, values: { ...settings.values, NODE_ENV: 'production' } } : settings;
  return new NativeStack({ settings: native, stateDir, nginxDir, say });
}
