// The Koa app as a local process: compiled from app/src with tsc, then run with node.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isListening, waitFor } from '../../lib/ports.js';
import { runningPid, tailFile } from '../../lib/processes.js';
import { readFrom } from '../../lib/log-files.js';
import { repoPath } from '../../lib/repo.js';
import { StartError } from '../runner.js';
import { statePaths, type NativeOptions } from './native-options.js';
import { startSupervised, stopSupervised, supervisorRunning, type SupervisedFiles } from './supervised.js';

// The variables the app reads (see app/src/config.ts); the runner passes only these.
const APP_VARIABLES = [
  'NODE_ENV', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_MIGRATION_USER', 'DB_MIGRATION_PASSWORD', 'DB_POOL_SIZE',
  'SESSION_KEYS', 'SESSION_IDLE_TIMEOUT_S', 'SESSION_ABSOLUTE_TIMEOUT_S', 'COOKIE_SECURE', 'HTTPS_ONLY', 'BCRYPT_COST',
  'TRACE_SQL',
];

/** One app instance; with APP_REPLICAS=N there are N of them, on consecutive ports. */
export class AppService {
  readonly name = 'app';
  readonly port: number;
  private readonly paths;
  private readonly appDir = repoPath('app');
  constructor(
    private readonly s: NativeOptions,
    private readonly index = 0,
  ) {
    this.paths = statePaths(s.stateDir);
    this.port = s.settings.ports.app + index;
  }

  /** The instance's name, in its log lines and X-App-Instance header. */
  get instance(): string {
    return `native-${this.port}`;
  }

  pid(): number | undefined {
    return runningPid(this.files.servicePid, 'server.js');
  }

  private get files(): SupervisedFiles {
    return { ...this.paths.appInstancePids(this.index), log: this.paths.appLog };
  }

  private supervised(): boolean {
    return supervisorRunning(this.files);
  }

  /** Compiles the TypeScript sources when they changed; a type error stops the start with tsc's message. */
  build(): void {
    const stamp = path.join(this.appDir, 'dist', '.built');
    if (existsSync(stamp) && newestChange(path.join(this.appDir, 'src')) < statSync(stamp).mtimeMs) return;
    const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: this.appDir, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`The app does not compile; fix these errors in app/src and run the command again:\n${result.stdout}${result.stderr}`);
    }
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
  }

  async start(): Promise<void> {
    // Running, or between two attempts of its supervisor: either way, not ours to start again.
    if (this.pid() || this.supervised()) return;
    if (await isListening(this.port)) {
      throw new Error(
        `Port ${this.port} (APP_PORT) is already in use by another program, so the app cannot start.\n` +
          `Stop that program, or choose another port in .env (APP_PORT=…).`,
      );
    }
    this.build();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    for (const name of APP_VARIABLES) if (this.s.settings.values[name] !== undefined) env[name] = this.s.settings.values[name];
    Object.assign(env, {
      APP_HOST: '127.0.0.1', // only nginx (on this machine) talks to the app
      APP_PORT: String(this.port),
      APP_INSTANCE: this.instance,
      DB_HOST: '127.0.0.1',
      DB_PORT: String(this.s.settings.ports.db),
    });
    // MODE=prod: the app runs as in production (templates compiled once, no /debug/ pages).
    if (this.s.settings.mode === 'prod') env.NODE_ENV = 'production';
    const logFrom = existsSync(this.paths.appLog) ? statSync(this.paths.appLog).size : 0;
    startSupervised('app', this.files, process.execPath, ['--enable-source-maps', 'dist/server.js'], { env, cwd: this.appDir });
    // Healthy, or a start that cannot succeed however long we wait: the app exited (a crash, a bad
    // migration, a bad setting: its supervisor would only start it again) or the database refuses its password.
    let failed = false;
    const settled = async () => {
      failed = startCannotSucceed(readFrom(this.paths.appLog, logFrom));
      return failed || (this.supervised() && (await this.healthy()));
    };
    const healthy = (await waitFor(settled, 60_000, 250)) && !failed;
    if (!healthy) {
      await this.stop(); // no restart loop left behind a failed start
      throw new StartError('app', `The app did not start${failed ? '' : ' within 60 s'}.`, tailFile(this.paths.appLog));
    }
  }

  async healthy(): Promise<boolean> {
    if (!(await isListening(this.port))) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/healthz`, { signal: AbortSignal.timeout(3000) });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  stop(): Promise<boolean> {
    return stopSupervised(this.files, 'server.js', 15_000);
  }
}

/** The app's log since it was started shows it will not become healthy by waiting. */
function startCannotSucceed(log: string): boolean {
  return /"event":"supervisor".*exited/.test(log) || /"event":"db_waiting".*ER_ACCESS_DENIED/.test(log);
}

/** The latest modification time of any file under dir (ms). */
function newestChange(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}
