// `make bench STACK=docker`: the Docker stack a learner runs (docker-compose.yml in production
// mode: the app's built image, nginx published on a port of this machine, the app and the database
// on their internal network), as a throwaway compose project of its own with its own volumes, next to
// the native one in the same run, so each row can be compared. It never touches the learner's
// project, containers or volumes, and is removed afterwards, also on failure or Ctrl-C.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '../lib/ports.js';
import { repoPath } from '../lib/repo.js';
import { loadEnv, parseEnvFile, type EnvMap } from '../lib/settings.js';
import type { BenchTarget } from './bench-stack.js';
import type { LayerPids } from './proc.js';

export type DockerBench = BenchTarget & {
  upS: number;
  /**
   * nginx by its container's own address, past the published port (docker-proxy or NAT): reachable
   * from the host where the engine runs on it (Linux), not from Docker Desktop's virtual machine.
   */
  containerNginxUrl?: string;
  down(): void;
};

/** The images to use: the learner's choice (.env or the shell), else docker-compose.yml's defaults. */
const IMAGE_SETTINGS = ['NGINX_IMAGE', 'MYSQL_IMAGE', 'NODE_IMAGE', 'EXTRA_CA_CERT'];

export async function startDockerBench(overrides: EnvMap, say: (line: string) => void): Promise<DockerBench> {
  const docker = dockerClient();
  const compose = composeCommand();
  const project = `stacklabbench${Date.now().toString(36)}`;
  const learner = loadEnv();
  const secret = () => `${Date.now().toString(36)}x${Math.random().toString(36).slice(2)}`;
  const httpPort = await freePort();
  const httpsPort = await freePort();
  const appPort = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-bench-docker-'));
  // Its own local CA too (nginx's entrypoint makes it here): the learner's .stack/tls is left alone.
  const tlsDir = path.join(dir, 'tls');
  mkdirSync(tlsDir);
  const env: EnvMap = {
    ...parseEnvFile(readFileSync(repoPath('.env.example'), 'utf8')),
    ...Object.fromEntries(IMAGE_SETTINGS.flatMap((k) => {
      const value = process.env[k] || learner[k];
      return value ? [[k, value]] : [];
    })),
    HTTP_PORT: String(httpPort),
    HTTPS_PORT: String(httpsPort),
    STACKLAB_TLS_DIR: tlsDir,
    DB_PASSWORD: `pw${secret()}`,
    DB_ROOT_PASSWORD: `root${secret()}`,
    DB_MIGRATION_PASSWORD: `migrate${secret()}`,
    SESSION_KEYS: `session-key-${secret()}-0123456789abcdefghijklmnop`,
    // Its own image name: the learner's stacklab-app:prod is left as it is.
    APP_IMAGE: 'stacklab-bench-app',
    APP_REPLICAS: '1',
    ...overrides,
  };
  const envFile = path.join(dir, 'bench.env');
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  // The "straight to the app" rows need the app on a port of this machine: only here, for the bench,
  // it is published too (which needs a network with a way out, so it also joins `frontend`).
  const overrideFile = path.join(dir, 'bench-compose.yml');
  writeFileSync(overrideFile, `services:\n  app:\n    ports: ["127.0.0.1:${appPort}:3000"]\n    networks: [backend, frontend]\n`);
  const run = (args: string[], what: string, extraEnv: EnvMap = {}) => {
    const r = spawnSync(args[0]!, args.slice(1), { cwd: repoPath('.'), encoding: 'utf8', env: { ...process.env, ...extraEnv } });
    if (r.status !== 0) throw new Error(`${what} failed:\n${(r.stderr || r.stdout).split('\n').slice(-25).join('\n')}`);
    return r.stdout;
  };
  const composeArgs = [...compose, '-p', project, '--env-file', envFile, '-f', repoPath('docker-compose.yml'), '-f', overrideFile];
  let removed = false;
  const down = () => {
    if (removed) return;
    removed = true;
    spawnSync(composeArgs[0]!, [...composeArgs.slice(1), 'down', '-v', '--remove-orphans'], { cwd: repoPath('.'), stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    say(`Building the app's image for Docker (${env.APP_IMAGE}:prod; quick when nothing changed)…`);
    const ca = env.EXTRA_CA_CERT || process.env.NODE_EXTRA_CA_CERTS;
    run(
      [docker, 'build', '-q', '-f', 'app/Dockerfile', '--target', 'runtime', '-t', `${env.APP_IMAGE}:prod`,
        ...(env.NODE_IMAGE ? ['--build-arg', `NODE_IMAGE=${env.NODE_IMAGE}`] : []), ...(ca ? ['--secret', `id=ca,src=${ca}`] : []), '.'],
      'building the app image',
      { DOCKER_BUILDKIT: '1' },
    );
    say('Starting a throwaway Docker stack (its own compose project and volumes)…');
    const t = performance.now();
    run([...composeArgs, 'up', '-d', '--no-build'], 'docker compose up');
    const healthy = await waitFor(async () => (await answers(`http://127.0.0.1:${httpPort}/healthz`)) && (await answers(`http://127.0.0.1:${appPort}/healthz`)), 180_000, 500);
    if (!healthy) throw new Error(`the Docker stack did not become healthy in 3 minutes:\n${run([...composeArgs, 'logs', '--no-color', '--tail', '20'], 'docker compose logs')}`);
    const upS = (performance.now() - t) / 1000;
    const container = (service: string) => run([...composeArgs, 'ps', '-q', service], 'docker compose ps').trim().split('\n')[0] ?? '';
    const ids = { nginx: container('nginx'), app: container('app'), mysql: container('mysql') };
    // A container's processes as this machine numbers them (the same kernel runs them).
    const hostPids = (id: string) =>
      run([docker, 'top', id, '-eo', 'pid'], 'docker top').split('\n').slice(1).map((l) => Number(l.trim())).filter((n) => n > 0);
    const pids = (): LayerPids => ({ nginx: hostPids(ids.nginx), app: hostPids(ids.app), mysql: hostPids(ids.mysql) });
    const appNode = () => hostPids(ids.app).find((pid) => readCmdline(pid).includes('node'));
    let containerNginxUrl: string | undefined;
    for (const ip of run([docker, 'inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', ids.nginx], 'docker inspect').split(/\s+/).filter(Boolean)) {
      if (await answers(`http://${ip}/healthz`)) {
        containerNginxUrl = `http://${ip}`;
        break;
      }
    }
    return {
      stack: 'docker',
      nginxUrl: `http://127.0.0.1:${httpPort}`,
      appUrl: `http://127.0.0.1:${appPort}`,
      httpsUrl: `https://localhost:${httpsPort}`,
      ca: readFileSync(path.join(tlsDir, 'ca.crt'), 'utf8'),
      upS,
      containerNginxUrl,
      pids,
      // The app's name in its log lines (APP_INSTANCE: the container's hostname and port).
      apps: () => [{ pid: appNode(), instance: `${run([docker, 'inspect', '-f', '{{.Config.Hostname}}', ids.app], 'docker inspect').trim()}:3000` }],
      appLogLines: () => run([docker, 'exec', ids.app, 'tail', '-n', '200', '/var/log/stacklab/app.log'], 'reading the app log').split('\n'),
      down,
    };
  } catch (err) {
    down();
    throw err;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** A docker client that builds with BuildKit (the image's build secret needs it), as docker-runner.sh picks it. */
function dockerClient(): string {
  const candidates = process.env.DOCKER ? [process.env.DOCKER] : (process.env.PATH ?? '').split(':').filter(Boolean).map((d) => path.join(d, 'docker'));
  for (const docker of candidates) {
    if (spawnSync(docker, ['info'], { stdio: 'ignore' }).status !== 0) continue;
    if (spawnSync(docker, ['buildx', 'version'], { stdio: 'ignore' }).status === 0) return docker;
    const major = Number(spawnSync(docker, ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8' }).stdout.split('.')[0]);
    if (major > 0 && major < 23) return docker;
  }
  throw new Error('make bench STACK=docker needs a running Docker engine and a docker client that builds with BuildKit (docker-buildx).');
}

/** `docker compose` (v2) when there, else `docker-compose` (v1), as docker-runner.sh picks it. */
function composeCommand(): string[] {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  throw new Error('make bench STACK=docker needs docker compose (the compose plugin or docker-compose).');
}
