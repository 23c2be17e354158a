// Finding the Docker commands: an engine that answers, a client that can build with BuildKit
// (the app's Dockerfile uses a build secret), and compose v2 (`docker compose`) or v1 (`docker-compose`).
import { spawnSync } from 'node:child_process';

const ok = (command: string, args: string[], env?: NodeJS.ProcessEnv) =>
  spawnSync(command, args, { stdio: 'ignore', timeout: 15_000, env: env ?? process.env }).status === 0;

/** Every `docker` on PATH, first one first (or only DOCKER when it is set). */
function dockerCandidates(): string[] {
  if (process.env.DOCKER) return [process.env.DOCKER];
  const found = spawnSync('sh', ['-c', 'which -a docker'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  return [...new Set(found)];
}

/** True when a Docker engine answers (the client alone is not enough: `docker info` asks the engine). */
export function dockerEngineAnswers(): boolean {
  return dockerCandidates().some((docker) => ok(docker, ['info']));
}

/**
 * A docker client that builds with BuildKit: one with the buildx plugin, or an older one (before
 * version 23) that has BuildKit built in. Set DOCKER=/path/to/docker to choose one yourself.
 */
export function buildCapableDocker(): string {
  for (const docker of dockerCandidates()) {
    if (!ok(docker, ['info'])) continue;
    if (ok(docker, ['buildx', 'version'])) return docker;
    const version = spawnSync(docker, ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8' }).stdout.trim();
    if (Number(version.split('.')[0]) < 23) return docker;
  }
  throw new Error(
    'No docker client here can build with BuildKit (the app image needs it for its build secret).\n' +
      'Install the buildx plugin (package docker-buildx or docker-buildx-plugin), or set DOCKER=/path/to/a/docker.',
  );
}

/** The compose command: `docker compose` (v2) when available, else `docker-compose` (v1). */
export function composeCommand(): string[] {
  for (const docker of dockerCandidates()) {
    if (ok(docker, ['compose', 'version'])) return [docker, 'compose'];
  }
  if (ok('docker-compose', ['version'])) return ['docker-compose'];
  throw new Error(
    'Docker Compose is missing. Install the compose plugin (docker-compose-plugin) or docker-compose,\n' +
      'or run the stack without Docker: STACK=native make up',
  );
}
