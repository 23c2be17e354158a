// The native runner: the three services as local processes, started in dependency order
// (database, then app, then the web server in front) and stopped in the reverse order.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import mysql from 'mysql2/promise';
import { Client } from '../../lib/http-client.js';
import { caFile, httpsClient } from '../../lib/local-ca.js';
import { runLearnerCommands } from '../../lib/learner-commands.js';
import { readFrom, tailLines } from '../../lib/log-files.js';
import type { Settings } from '../../lib/settings.js';
import { dim } from '../../lib/terminal.js';
import { SERVICES, StartError, type ClientOptions, type FollowUp, type RequestLogs, type Runner, type ServiceName, type ServiceStatus, type SqlRow, type SqlValue } from '../runner.js';
import { AppService } from './app-service.js';
import { MysqlService } from './mysql-service.js';
import { statePaths, type NativeOptions } from './native-options.js';
import { NginxService } from './nginx-service.js';
import { findProgram, requirePrograms, type Programs } from './programs.js';
import { readRequestLogs, rotateRequestLogs } from './request-logs.js';

export class NativeStack implements Runner {
  readonly description = 'native runner: nginx, MariaDB and the app run as local processes';
  readonly mysql: MysqlService;
  /** The app instances (APP_REPLICAS of them); `app` is the first. */
  readonly apps: AppService[];
  readonly app: AppService;
  readonly nginx: NginxService;
  readonly paths;
  private programs?: Programs;

  constructor(readonly options: NativeOptions) {
    // Programs are looked up (and installed if need be) only when something must start.
    const programs = () => (this.programs ??= requirePrograms(options.say));
    this.mysql = new MysqlService(options, programs);
    this.apps = Array.from({ length: options.settings.appReplicas }, (_, i) => new AppService(options, i));
    this.app = this.apps[0]!;
    this.nginx = new NginxService(options, programs);
    this.paths = statePaths(options.stateDir);
  }

  get settings(): Settings {
    return this.options.settings;
  }

  get url(): string {
    return `http://localhost:${this.settings.ports.http}`;
  }

  get httpsUrl(): string {
    return `https://localhost:${this.settings.ports.https}`;
  }

  get caFile(): string {
    return caFile(this.paths.root);
  }

  client({ https = this.settings.httpsOnly }: ClientOptions = {}): Client {
    const { ports } = this.settings;
    // nginx listens on 127.0.0.1 only; the Host is the one the learner's browser sends.
    if (https) return httpsClient(this.paths.root, `127.0.0.1:${ports.https}`, ports.https);
    return new Client(`http://127.0.0.1:${ports.http}`, { host: `localhost:${ports.http}` });
  }

  /** Starts whatever is not running yet; running services are left alone (so `up` twice is harmless). */
  async up(): Promise<void> {
    mkdirSync(this.paths.root, { recursive: true });
    // Logs grow with every request; each `make up` (and the inspector, while it runs) caps them.
    rotateRequestLogs(this.paths, this.settings.inspector.logMaxBytes, this.nginx.pid());
    const nginxWasRunning = this.nginx.pid() !== undefined;
    for (const name of SERVICES) await this.service(name).start();
    // A running nginx keeps its config: re-render it, so a changed APP_REPLICAS or .env takes effect.
    if (nginxWasRunning) {
      const problem = this.nginx.reload();
      if (problem) throw new StartError('nginx', 'nginx keeps its running configuration: it refuses the new one in nginx/.', problem);
    }
  }

  async down(): Promise<ServiceName[]> {
    const stopped: ServiceName[] = [];
    for (const name of [...SERVICES].reverse()) {
      if (await this.service(name).stop()) stopped.push(name);
    }
    return stopped;
  }

  async stop(names: readonly ServiceName[]): Promise<void> {
    for (const name of [...names].reverse()) await this.service(name).stop();
  }

  async restart(names: readonly ServiceName[] = SERVICES): Promise<void> {
    for (const name of [...names].reverse()) await this.service(name).stop();
    for (const name of SERVICES) if (names.includes(name)) await this.service(name).start();
  }

  async status(): Promise<ServiceStatus[]> {
    const { ports } = this.settings;
    const address: Record<ServiceName, string> = {
      mysql: `127.0.0.1:${ports.db}`,
      app: `127.0.0.1:${ports.app}`,
      nginx: `127.0.0.1:${ports.http},${ports.https}`,
    };
    const row = (service: ServiceName, pid: number | undefined, at: string): ServiceStatus => ({
      service,
      state: pid ? 'running' : 'stopped',
      id: pid ? String(pid) : '-',
      address: at,
    });
    return [
      row('mysql', this.mysql.pid(), address.mysql),
      ...this.apps.map((app) => row('app', app.pid(), `127.0.0.1:${app.port}`)),
      row('nginx', this.nginx.pid(), address.nginx),
    ];
  }

  async reload(): Promise<string | undefined> {
    if (!this.nginx.pid()) throw new Error('nginx is not running. Start the stack with make up.');
    return this.nginx.reload();
  }

  // Prints the last lines of each log; with follow, keeps printing new lines until Ctrl-C.
  async logs(service: ServiceName | undefined, follow: boolean): Promise<void> {
    const p = this.paths;
    const files: [ServiceName, string][] = [
      ['mysql', p.mysqlLog],
      ['app', p.appLog],
      ['nginx', p.nginxErrorLog],
      ['nginx', p.accessLog],
    ];
    const chosen = files.filter(([name]) => !service || name === service);
    const offsets = new Map<string, number>();
    const print = (name: string, text: string) => {
      for (const line of text.split('\n').filter(Boolean)) console.log(`${dim(`${name.padEnd(5)} |`)} ${line}`);
    };
    for (const [name, file] of chosen) {
      if (!existsSync(file)) continue;
      print(name, tailLines(file, 20).join('\n'));
      offsets.set(file, statSync(file).size);
    }
    if (!follow) return;
    console.log(dim('… following the logs; Ctrl-C to stop.'));
    for (;;) {
      await new Promise((r) => setTimeout(r, 300));
      for (const [name, file] of chosen) {
        if (!existsSync(file)) continue;
        const size = statSync(file).size;
        let from = offsets.get(file) ?? 0;
        if (size < from) from = 0; // the file was truncated or replaced
        if (size <= from) continue;
        const text = readFrom(file, from);
        offsets.set(file, from + Buffer.byteLength(text));
        print(name, text);
      }
    }
  }

  async dbShell(): Promise<void> {
    if (!this.mysql.pid()) throw new Error('MariaDB is not running. Start the stack with make up.');
    const { command, args, env } = this.mysql.clientCommand();
    const child = spawn(command, args, { stdio: 'inherit', env });
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    if (code !== 0) process.exitCode = code; // a failed SQL statement fails the command too
  }

  async reset(): Promise<void> {
    await this.down();
    rmSync(this.paths.root, { recursive: true, force: true });
  }

  async requestLogs(lines: number): Promise<RequestLogs> {
    return readRequestLogs(this.paths, lines, this.settings.inspector.logMaxBytes, this.nginx.pid());
  }

  // The database listens on 127.0.0.1 here: connect as the app's user, as the app does.
  async sql(query: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    const { db, ports } = this.settings;
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: ports.db, user: db.user, password: db.password, database: db.name, connectTimeout: 5000 });
    try {
      const [rows] = await conn.execute(query, params);
      return rows as SqlRow[];
    } finally {
      await conn.end();
    }
  }

  async nginxConfig(): Promise<string> {
    return this.nginx.dumpConfig();
  }

  async nginxTest(): Promise<string | undefined> {
    return this.nginx.test();
  }

  async versions(): Promise<Record<string, string>> {
    // The programs as found on this machine, without installing anything (unlike make up).
    const firstLine = (program: string | undefined, args: string[]) => {
      if (!program) return 'not installed';
      const result = spawnSync(program, args, { encoding: 'utf8' });
      return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] || 'unknown';
    };
    return {
      system: `${os.type()} ${os.release()} (${os.arch()})`,
      'node (tools and app)': process.version,
      nginx: firstLine(findProgram(['nginx']), ['-v']),
      database: firstLine(findProgram(['mariadbd', 'mysqld']), ['--version']),
    };
  }

  async serviceLog(service: ServiceName, lines: number): Promise<string[]> {
    const file = { mysql: this.paths.mysqlLog, app: this.paths.appLog, nginx: this.paths.nginxErrorLog }[service];
    return tailLines(file, lines);
  }

  // Here, on the machine that runs the stack, each step is taken at once.
  async followUp(step: FollowUp): Promise<string> {
    if (step.kind === 'reload') {
      const problem = await this.reload();
      if (problem) throw new Error(`nginx refused the new configuration; the running one stays in place.\n${problem}`);
      return 'Reloaded nginx (make reload).';
    }
    if (step.kind === 'restart') {
      await this.restart([step.service]);
      return `Restarted ${step.service} (make restart SERVICE=${step.service}).`;
    }
    if (runLearnerCommands(step.file, this.settings.ports) !== 0) throw new Error('The commands stopped at an error (see above).');
    return 'The commands ran.';
  }

  /** A service to start, stop or ask for its pid; "app" stands for all its instances. */
  service(name: ServiceName): Pick<AppService, 'start' | 'stop' | 'pid'> {
    if (name !== 'app') return { mysql: this.mysql, nginx: this.nginx }[name];
    // Stopping looks at every instance a previous `make up APP_REPLICAS=…` may have left running.
    const everyInstance = Array.from({ length: 8 }, (_, i) => this.apps[i] ?? new AppService(this.options, i));
    return {
      start: async () => {
        // The users and their grants as the init script says, before the app migrates: so a database
        // made by an older version gets the migration user, even when MariaDB kept running.
        if (this.mysql.pid()) this.mysql.createUsers();
        for (const app of this.apps) await app.start();
      },
      stop: async () => (await Promise.all(everyInstance.map((app) => app.stop()))).some(Boolean),
      pid: () => this.app.pid(),
    };
  }
}
