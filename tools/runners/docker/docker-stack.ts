// The Docker runner: docker-compose.yml with the official images (or any images named by
// NGINX_IMAGE, MYSQL_IMAGE, NODE_IMAGE), driven through the same make targets as the native runner.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../lib/repo.js';
import type { Settings } from '../../lib/settings.js';
import { dim } from '../../lib/terminal.js';
import { SERVICES, type RequestLogs, type Runner, type ServiceName, type ServiceStatus, type SqlRow, type SqlValue } from '../runner.js';
import { buildCapableDocker, composeCommand } from './docker-clients.js';

// Run inside the app's container (which has the driver and the credentials), fed on standard input.
const QUERY_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'query-in-app-container.cjs');

export type DockerOptions = {
  settings: Settings;
  envFile: string;
  /** dev: source mounted and reloaded (docker-compose.override.yml); prod: the built image only. */
  mode: 'dev' | 'prod';
  /** The compose project name: containers, networks and volumes are named after it. */
  project: string;
  say: (line: string) => void;
};

const HEALTHY_WITHIN_MS = 240_000;

export class DockerStack implements Runner {
  readonly description: string;
  private readonly compose: string[];

  constructor(readonly s: DockerOptions) {
    this.compose = composeCommand();
    this.description = `Docker runner (${this.compose.join(' ')}, ${s.mode} mode): each service in its own container`;
  }

  get settings(): Settings {
    return this.s.settings;
  }

  get url(): string {
    return `http://localhost:${this.s.settings.ports.http}`;
  }

  private get appImage(): string {
    return `${this.s.settings.docker.appImage}:${this.s.mode}`;
  }

  /** The full compose command line for `args`, with this project's name, .env and files. */
  private composeArgv(args: string[]): [string, string[]] {
    const files = ['-f', path.join(repoRoot, 'docker-compose.yml')];
    const override = path.join(repoRoot, 'docker-compose.override.yml');
    if (this.s.mode === 'dev' && existsSync(override)) files.push('-f', override);
    const [command, ...base] = this.compose;
    return [command!, [...base, '-p', this.s.project, '--env-file', this.s.envFile, ...files, ...args]];
  }

  private get composeOptions() {
    return { cwd: repoRoot, env: { ...process.env, ...this.s.settings.values } };
  }

  /** Runs compose and captures its output. */
  run(args: string[]) {
    const [command, argv] = this.composeArgv(args);
    return spawnSync(command, argv, { ...this.composeOptions, encoding: 'utf8' });
  }

  /** Runs compose attached to this terminal (logs, the SQL shell) until it exits; returns its exit code. */
  private async attach(args: string[]): Promise<number> {
    const [command, argv] = this.composeArgv(args);
    const child = spawn(command, argv, { ...this.composeOptions, stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }

  private runOrThrow(args: string[], what: string): string {
    const result = this.run(args);
    if (result.status !== 0) throw new Error(`${what} failed:\n${(result.stderr || result.stdout || '').trim()}`);
    return result.stdout;
  }

  /** Builds the app image with BuildKit; EXTRA_CA_CERT (a CA file) is passed as a build secret. */
  private buildApp(): void {
    const docker = buildCapableDocker();
    const args = ['build', '-f', 'app/Dockerfile', '--target', this.s.mode === 'dev' ? 'dev' : 'runtime', '-t', this.appImage];
    const { nodeImage, extraCaCert: ca } = this.s.settings.docker;
    if (nodeImage) args.push('--build-arg', `NODE_IMAGE=${nodeImage}`);
    // For networks that re-sign TLS (company proxies): npm inside the build trusts this CA too.
    if (ca) args.push('--secret', `id=ca,src=${ca}`);
    this.s.say(`Building the app image ${this.appImage}…`);
    const result = spawnSync(docker, [...args, '.'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
    });
    if (result.status !== 0) {
      const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-25).join('\n');
      const hint = /SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER|certificate/i.test(output)
        ? '\nLikely cause: a proxy re-signs HTTPS. Set EXTRA_CA_CERT=/path/to/its-ca.pem (see README).'
        : /ENOTFOUND|EAI_AGAIN|network/i.test(output)
          ? '\nLikely cause: the build cannot reach the npm registry.'
          : '';
      throw new Error(`Building the app image failed:\n${output}${hint}`);
    }
  }

  async up(): Promise<void> {
    this.buildApp();
    // The database first, and its users brought up to date, before the app starts and migrates.
    this.composeUp(['mysql']);
    await this.waitHealthy(['mysql']);
    this.createUsers();
    this.composeUp(['--remove-orphans', '--scale', `app=${this.s.settings.appReplicas}`]);
    await this.waitHealthy();
    this.refreshNginxUpstreams();
  }

  /**
   * Runs mysql/init/10-create-app-user.sh as root inside the running mysql container. The image runs
   * it by itself only when its volume is empty; run at every `make up` (it is idempotent), it gives a
   * volume made by an older version of stacklab this version's users and grants (the migration user,
   * an app user that may no longer change the schema), and follows .env's passwords. No data is touched.
   */
  private createUsers(): void {
    const result = this.run(['exec', '-T', 'mysql', 'sh', '/docker-entrypoint-initdb.d/10-create-app-user.sh']);
    if (result.status !== 0) {
      throw new Error(
        `Updating the database's users failed:\n${(result.stderr || result.stdout).trim()}\n` +
          'Likely cause: the database volume was created with another DB_ROOT_PASSWORD than .env holds now. make reset starts afresh (it deletes the data).',
      );
    }
  }

  /** `compose up -d` for `args` (services and options); a failure names the likely cause. */
  private composeUp(args: string[]): void {
    const result = this.run(['up', '-d', '--no-build', ...args]);
    if (result.status !== 0) {
      const output = `${result.stderr}${result.stdout}`.trim();
      const hint = /port is already allocated|address already in use/i.test(output)
        ? `\nLikely cause: port ${this.s.settings.ports.http} is in use by another program: stop it or set HTTP_PORT in .env.`
        : /pull access denied|not found|manifest unknown/i.test(output)
          ? '\nLikely cause: an image could not be pulled; check NGINX_IMAGE, MYSQL_IMAGE and your network.'
          : '';
      throw new Error(`docker compose up failed:\n${output}${hint}`);
    }
  }

  // nginx looks up the app's address once, when it starts. If an app container started after nginx
  // (another replica, or a recreated one), restart nginx so its upstream has every current address.
  private refreshNginxUpstreams(): void {
    const startedAt = (service: ServiceName) =>
      this.run(['ps', '-q', service]).stdout.trim().split('\n').filter(Boolean).map((id) =>
        Date.parse(spawnSync(this.dockerForInspect(), ['inspect', '-f', '{{.State.StartedAt}}', id], { encoding: 'utf8' }).stdout.trim()),
      );
    const nginxStarted = Math.min(...startedAt('nginx'));
    if (startedAt('app').some((t) => t > nginxStarted)) this.runOrThrow(['restart', 'nginx'], 'restarting nginx');
  }

  private async waitHealthy(services: readonly ServiceName[] = SERVICES): Promise<void> {
    const deadline = Date.now() + HEALTHY_WITHIN_MS;
    const ofThese = async () => (await this.status()).filter((s) => services.includes(s.service));
    let statuses = await ofThese();
    while (Date.now() < deadline) {
      statuses = await ofThese();
      if (statuses.every((s) => s.state === 'running')) return;
      const failed = statuses.find((s) => s.state === 'unhealthy' || s.state === 'stopped' || s.state === 'exited');
      if (failed && !this.isInitialising(failed.service)) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const bad = statuses.find((s) => s.state !== 'running') ?? statuses[0]!;
    const logs = this.run(['logs', '--no-color', '--tail', '30', bad.service]).stdout.trim();
    const hint =
      bad.service === 'mysql' && /initializ|Initializing|temporary server/i.test(logs)
        ? 'Likely cause: MySQL is still initialising its data folder (the first start takes a minute). Run make up again shortly.'
        : bad.service === 'app' && /ER_ACCESS_DENIED/.test(logs)
          ? 'Likely cause: the database volume was created with other passwords than .env holds now. make reset starts afresh.'
          : `Look at the lines above; make logs SERVICE=${bad.service} shows more.`;
    throw new Error(`The ${bad.service} service is ${bad.state}. Its last log lines:\n${logs}\n${hint}`);
  }

  private isInitialising(service: ServiceName): boolean {
    return service === 'mysql' && /initializ/i.test(this.run(['logs', '--no-color', '--tail', '5', 'mysql']).stdout);
  }

  async down(): Promise<ServiceName[]> {
    const running = (await this.status()).filter((s) => s.state !== 'stopped').map((s) => s.service);
    // Removes the containers and the network; the named volumes (the database) stay.
    this.runOrThrow(['down', '--remove-orphans'], 'docker compose down');
    return SERVICES.filter((s) => running.includes(s)).reverse();
  }

  async stop(services: readonly ServiceName[]): Promise<void> {
    this.runOrThrow(['stop', ...services], 'docker compose stop');
  }

  async restart(services: readonly ServiceName[]): Promise<void> {
    // Recreated rather than restarted: a container keeps the environment it was created with, and a
    // learner who changed .env expects the new values.
    const replicas = String(this.s.settings.appReplicas);
    this.runOrThrow(['up', '-d', '--no-deps', '--no-build', '--force-recreate', '--scale', `app=${replicas}`, ...services], 'docker compose up --force-recreate');
    await this.waitHealthy();
    this.refreshNginxUpstreams();
  }

  async status(): Promise<ServiceStatus[]> {
    // One row per container: with APP_REPLICAS=2 the app has two.
    return SERVICES.flatMap((service) => {
      const ids = this.run(['ps', '-q', service]).stdout.trim().split('\n').filter(Boolean);
      if (ids.length === 0) return [{ service, state: 'stopped', id: '-', address: this.address(service) }];
      return ids.map((id) => {
        const inspect = spawnSync(this.dockerForInspect(), ['inspect', '-f', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', id], {
          encoding: 'utf8',
        }).stdout.trim();
        const [state = 'stopped', health = ''] = inspect.split(' ');
        const shown = state !== 'running' ? (state === 'exited' ? 'stopped' : state) : health === 'starting' ? 'starting' : health === 'unhealthy' ? 'unhealthy' : 'running';
        return { service, state: shown, id: id.slice(0, 12), address: this.address(service) };
      });
    });
  }

  private dockerForInspect(): string {
    return this.compose[0] === 'docker-compose' ? (process.env.DOCKER ?? 'docker') : this.compose[0]!;
  }

  private address(service: ServiceName): string {
    return service === 'nginx' ? `127.0.0.1:${this.s.settings.ports.http}` : `${service}:${service === 'app' ? 3000 : 3306} (internal)`;
  }

  async reload(): Promise<string | undefined> {
    // Test the config in a throwaway nginx container (same image, files and networks), then re-render
    // the template inside the running one and reload it.
    const test = this.run(['run', '--rm', '--no-deps', '-T', 'nginx', 'nginx', '-t', '-q']);
    if (test.status !== 0) {
      return `${test.stdout}${test.stderr}`.split('\n').filter((l) => /nginx:|emerg|error/i.test(l)).join('\n') || test.stderr;
    }
    // The running container keeps the environment it started with; pass the values .env holds now.
    const { ratePerMinute, burst } = this.s.settings.authLimit;
    const current = ['-e', `AUTH_RATE_PER_MINUTE=${ratePerMinute}`, '-e', `AUTH_BURST=${burst}`];
    this.runOrThrow(
      ['exec', '-T', ...current, 'nginx', 'sh', '-c', '/docker-entrypoint.d/20-envsubst-on-templates.sh >/dev/null && nginx -s reload'],
      'reloading nginx',
    );
    return undefined;
  }

  async logs(service: ServiceName | undefined, follow: boolean): Promise<void> {
    const containerLogs = this.attach(['logs', '--no-color', '--tail', '20', ...(follow ? ['-f'] : []), ...(service ? [service] : [])]);
    // nginx's JSON access log is a file in its container, not the container's output: show it too.
    const accessLog =
      !service || service === 'nginx'
        ? this.attach(['exec', '-T', 'nginx', 'tail', '-n', '20', ...(follow ? ['-F'] : []), '/var/log/nginx/stacklab/access.json'])
        : Promise.resolve(0);
    await Promise.all([containerLogs, accessLog]);
  }

  async dbShell(): Promise<void> {
    console.log(dim('(the mysql client inside the mysql container)'));
    const { user, password, name } = this.s.settings.db;
    // -T when SQL is piped in (`echo 'SHOW TABLES;' | make db-shell`): there is no terminal to attach.
    const tty = process.stdin.isTTY ? [] : ['-T'];
    const code = await this.attach(['exec', ...tty, '-e', `MYSQL_PWD=${password}`, 'mysql', 'mysql', `-u${user}`, name]);
    if (code !== 0) process.exitCode = code;
  }

  async requestLogs(lines: number): Promise<RequestLogs> {
    // Inside the nginx container (so no tool is needed on the host): rotate the access log when it is
    // over its cap (`nginx -s reopen` makes nginx start a fresh file), then print the newest lines of
    // the old and the current file. The app's log is the container's output, kept by Docker.
    const file = '/var/log/nginx/stacklab/access.json';
    const script =
      `f=${file}; if [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" -gt ${this.s.settings.inspector.logMaxBytes} ]; then mv -f "$f" "$f.1" && nginx -s reopen; fi; ` +
      `tail -n ${lines} "$f.1" 2>/dev/null; tail -n ${lines} "$f" 2>/dev/null; true`;
    const nginx = this.run(['exec', '-T', 'nginx', 'sh', '-c', script]);
    if (nginx.status !== 0) throw new Error(`Could not read nginx's log in its container (is the stack up? make ps):\n${(nginx.stderr || '').trim()}`);
    const app = this.run(['logs', '--no-color', '--tail', String(lines), 'app']);
    // (compose puts "app-1  | " in front of each line; the JSON-lines reader skips it.)
    return { nginx: nginx.stdout.split('\n'), app: app.stdout.split('\n') };
  }

  // The database sits on an internal network only: the query runs inside the app's container, with
  // its own driver and credentials (placeholders work the same there). The script comes on stdin.
  async sql(query: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    const [command, argv] = this.composeArgv(['exec', '-T', 'app', 'node', '-', JSON.stringify([query, params])]);
    const result = spawnSync(command, argv, { ...this.composeOptions, input: readFileSync(QUERY_SCRIPT), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`SQL failed: ${(result.stderr || '').trim()}`);
    return JSON.parse(result.stdout) as SqlRow[];
  }

  async nginxConfig(): Promise<string> {
    const result = this.run(['exec', '-T', 'nginx', 'nginx', '-T']);
    return `${result.stdout}${result.stderr}`;
  }

  async reset(): Promise<void> {
    // -v also removes the named volumes: the database and nginx's logs.
    this.runOrThrow(['down', '-v', '--remove-orphans'], 'docker compose down -v');
  }
}
