// A learner's machine with Docker alone, for the Docker tests: a fresh clone of the project in a folder
// whose path has a space, make run with a PATH that has no node, npm or npx, and .env exactly as
// make up writes it. The one difference the machine forces: no image registry answers here, so the
// official images are replaced by local stand-ins (tests/docker/standins/build.sh), and where this
// machine already runs a project named "stacklab" or something on port 8080, the test takes a name
// and a port of its own (never on CI).
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, isListening } from '../lib/ports.js';
import { repoPath } from '../lib/repo.js';
import { cleanEnv, copyProject } from './project-copy.js';

/** Why the Docker tests cannot run here ('' when they can). DOCKER_TESTS=required turns it into a failure. */
export function dockerTestsMissing(): string {
  const missing =
    spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0
      ? 'no Docker engine answers (docker info)'
      : process.getuid?.() !== 0
        ? 'building the stand-in images needs root'
        : spawnSync('sh', ['-c', 'command -v debootstrap']).status !== 0
          ? 'debootstrap is not installed'
          : '';
  if (missing && process.env.DOCKER_TESTS === 'required') throw new Error(`DOCKER_TESTS=required, but ${missing}`);
  return missing;
}

/** The stand-in images (built once, then reused): NGINX_IMAGE, MYSQL_IMAGE, NODE_IMAGE. */
export function standinImages(): Record<string, string> {
  const docker = spawnSync('sh', [repoPath('tools/stacklab.sh'), 'docker-client'], { encoding: 'utf8' }).stdout.trim();
  const built = spawnSync(repoPath('tests/docker/standins/build.sh'), { encoding: 'utf8', env: { ...process.env, DOCKER: docker }, timeout: 1_200_000 });
  if (built.status !== 0) throw new Error(`building the stand-in images failed:\n${built.stderr}`);
  return Object.fromEntries(built.stdout.trim().split('\n').map((line) => line.split('=') as [string, string]));
}

/**
 * A PATH like this one without node, npm and npx: a machine without Node.js. Each folder of PATH is
 * mirrored by a folder of links to its programs but those, in the same order (so that, as here,
 * a second docker further down PATH is still found). Returns the PATH and the folder to delete.
 */
export function pathWithoutNode(): { path: string; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-path-'));
  const hidden = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack', 'tsx']);
  const mirrors = (process.env.PATH ?? '').split(':').flatMap((from, i) => {
    if (!from || !existsSync(from) || !statSync(from).isDirectory()) return [];
    const mirror = path.join(dir, String(i));
    mkdirSync(mirror);
    for (const name of readdirSync(from)) if (!hidden.has(name)) symlinkSync(path.join(from, name), path.join(mirror, name));
    return [mirror];
  });
  return { path: mirrors.join(':'), dir };
}

export class DockerLearner {
  readonly copy: string;
  readonly env: NodeJS.ProcessEnv;
  readonly project: string;
  readonly url: string;
  /** The site over HTTPS (trusting the CA at caFile, as curl --cacert does). */
  readonly httpsUrl: string;
  readonly caFile: string;
  private readonly pathDir: string;

  private constructor(copy: string, env: NodeJS.ProcessEnv, project: string, pathDir: string) {
    this.copy = copy;
    this.env = env;
    this.project = project;
    this.pathDir = pathDir;
    this.url = `http://127.0.0.1:${env.HTTP_PORT ?? 8080}`;
    this.httpsUrl = `https://localhost:${env.HTTPS_PORT ?? 8443}`;
    this.caFile = path.join(copy, '.stack/tls/ca.crt');
  }

  static async create(prefix: string): Promise<DockerLearner> {
    const images = standinImages();
    const copy = copyProject(prefix, { dependencies: false, spaceInPath: true, asClone: true });
    const withoutNode = pathWithoutNode();
    let env: NodeJS.ProcessEnv = cleanEnv({ ...images, PATH: withoutNode.path });
    let project = 'stacklab';
    const inTheWay = [
      ownStackInTheWay(),
      (await isListening(8080)) ? 'port 8080 is in use' : '',
      (await isListening(8443)) ? 'port 8443 is in use' : '',
      // Several test runs share this machine (never set on CI).
      process.env.STACKLAB_FREE_PORTS === '1' ? 'STACKLAB_FREE_PORTS=1' : '',
    ].filter(Boolean).join('; ');
    if (inTheWay) {
      if (process.env.CI) throw new Error(`${inTheWay}: CI must run the Docker tests exactly as a learner starts`);
      project = `stacklabtest${Date.now().toString(36)}`;
      env = { ...env, STACK_PROJECT: project, APP_IMAGE: `${project}-app`, HTTP_PORT: String(await freePort()), HTTPS_PORT: String(await freePort()), INSPECTOR_PORT: String(await freePort()) };
      console.log(`  (${inTheWay}: this run uses project ${project} and ports ${env.HTTP_PORT}, ${env.HTTPS_PORT})`);
    }
    return new DockerLearner(copy, env, project, withoutNode.dir);
  }

  /** `make TARGET` in the learner's folder, as the learner types it (plus `extra` variables). */
  make(target: string, extra: Record<string, string> = {}, input?: string): SpawnSyncReturns<string> {
    const args = ['--no-print-directory', ...target.split(' ')];
    return spawnSync('make', args, { cwd: this.copy, env: { ...this.env, ...extra }, encoding: 'utf8', timeout: 600_000, input });
  }

  /**
   * `make TARGET` without blocking this process: for faults made while this process sends load (a
   * blocked event loop would stop the load, and connections it opened would time out at nginx).
   */
  makeAsync(target: string, extra: Record<string, string> = {}): Promise<{ status: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn('make', ['--no-print-directory', ...target.split(' ')], { cwd: this.copy, env: { ...this.env, ...extra } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (status) => resolve({ status, output }));
    });
  }

  /** docker compose with the project's settings (through tools/stacklab.sh, as make does). */
  compose(...args: string[]): SpawnSyncReturns<string> {
    return spawnSync('sh', ['tools/stacklab.sh', 'compose', ...args], { cwd: this.copy, env: this.env, encoding: 'utf8', timeout: 300_000 });
  }

  containerOf(service: string): string {
    return this.compose('ps', '-q', service).stdout.trim().split('\n')[0] ?? '';
  }

  /** Containers, networks, volumes and app images of this project: gone, even after a failure. */
  remove(): void {
    this.make('reset', { FORCE: '1' });
    const appImage = this.env.APP_IMAGE || 'stacklab-app';
    for (const tag of ['dev', 'prod']) spawnSync('docker', ['rmi', '-f', `${appImage}:${tag}`], { stdio: 'ignore' });
    rmSync(this.copy, { recursive: true, force: true });
    rmSync(this.pathDir, { recursive: true, force: true });
  }
}

function ownStackInTheWay(): string {
  const containers = spawnSync('docker', ['ps', '-aq', '--filter', 'label=com.docker.compose.project=stacklab'], { encoding: 'utf8' }).stdout.trim();
  const volumes = spawnSync('docker', ['volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project=stacklab'], { encoding: 'utf8' }).stdout.trim();
  return containers || volumes ? 'a compose project named stacklab exists here' : '';
}
