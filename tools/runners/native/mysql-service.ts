// MariaDB as a local process: its own data folder, socket and port inside the state folder,
// configured with the same mysql/conf/stacklab.cnf and the same init script as the Docker image.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isListening, waitFor } from '../../lib/ports.js';
import { readCommand, runningPid, tailFile } from '../../lib/processes.js';
import { repoPath } from '../../lib/repo.js';
import { StartError } from '../runner.js';
import { serviceUser, statePaths, type NativeOptions } from './native-options.js';
import type { Programs } from './programs.js';
import { startSupervised, stopSupervised, supervisorRunning, type SupervisedFiles } from './supervised.js';

export class MysqlService {
  readonly name = 'mysql';
  private readonly paths;
  constructor(
    private readonly s: NativeOptions,
    private readonly programs: () => Programs,
  ) {
    this.paths = statePaths(s.stateDir);
  }

  pid(): number | undefined {
    return runningPid(this.paths.mysqlPid, 'mysqld') ?? runningPid(this.paths.mysqlPid, 'mariadbd');
  }

  private get files(): SupervisedFiles {
    return { supervisorPid: this.paths.mysqlSupervisorPid, servicePid: this.paths.mysqlPid, log: this.paths.mysqlLog };
  }

  async start(): Promise<void> {
    // Running, or between two attempts of its supervisor: either way, not ours to start again.
    if (this.pid() || supervisorRunning(this.files)) return;
    if (await isListening(this.s.settings.ports.db)) {
      throw new Error(
        `Port ${this.s.settings.ports.db} (DB_PORT) is already in use by another program, so MariaDB cannot start.\n` +
          `Stop that program, or choose another port in .env (DB_PORT=…).`,
      );
    }
    this.writeConfig();
    const firstStart = !existsSync(this.paths.mysqlInitialized);
    if (firstStart) this.createDataDir();

    startSupervised('mysql', this.files, this.programs().mariadbd, [`--defaults-file=${this.paths.mysqlCnf}`]);
    const ready = await waitFor(async () => supervisorRunning(this.files) && (await isListening(this.s.settings.ports.db)), 60_000);
    if (!ready) {
      await this.stop(); // no restart loop left behind a failed start
      throw new StartError('mysql', 'MariaDB did not start.', tailFile(this.paths.mysqlLog));
    }
    if (firstStart) {
      this.secureRootAccount();
      writeFileSync(this.paths.mysqlInitialized, `${new Date().toISOString()}\n`);
    }
  }

  stop(): Promise<boolean> {
    const pid = this.pid();
    // MariaDB finishes writing its data before it exits; give it time rather than kill it.
    return stopSupervised(this.files, pid ? readCommand(pid) : 'mariadbd', 60_000);
  }

  /** The mariadb client, connected as the app's user (for `make db-shell`). */
  clientCommand(): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
    return {
      command: this.programs().client,
      args: [`--socket=${this.paths.mysqlSocket}`, `--user=${this.s.settings.db.user}`, this.s.settings.db.name],
      env: { ...process.env, MYSQL_PWD: this.s.settings.db.password },
    };
  }

  /** Runs SQL as root through the socket (for the runner and tests). */
  runAsRoot(sql: string): string {
    return execFileSync(this.programs().client, [`--socket=${this.paths.mysqlSocket}`, '-uroot', '--batch', '-e', sql], {
      env: { ...process.env, MYSQL_PWD: this.s.settings.db.rootPassword },
      encoding: 'utf8',
    });
  }

  private writeConfig(): void {
    mkdirSync(this.paths.mysqlDir, { recursive: true });
    mkdirSync(this.paths.run, { recursive: true });
    mkdirSync(this.paths.logs, { recursive: true });
    const user = serviceUser();
    const lines = [
      '# Written by the native runner at every start; edit mysql/conf/stacklab.cnf instead.',
      `!include ${repoPath('mysql/conf/stacklab.cnf')}`,
      '[mysqld]',
      `datadir = ${this.paths.mysqlData}`,
      `socket = ${this.paths.mysqlSocket}`,
      `port = ${this.s.settings.ports.db}`,
      // Only this machine may connect: the database is never exposed to the network.
      'bind-address = 127.0.0.1',
      `pid-file = ${path.join(this.paths.run, 'mariadbd.pid')}`,
      `log-error = ${this.paths.mysqlLog}`,
      ...(user ? [`user = ${user}`] : []),
      '[client]',
      `socket = ${this.paths.mysqlSocket}`,
      `port = ${this.s.settings.ports.db}`,
      '',
    ];
    writeFileSync(this.paths.mysqlCnf, lines.join('\n'));
  }

  private createDataDir(): void {
    // A data folder without the "initialized" marker is left from a first start that failed: redo it.
    rmSync(this.paths.mysqlData, { recursive: true, force: true });
    this.s.say('Creating a new MariaDB data folder (first start only)…');
    // mariadb-install-db is a shell script that breaks on a path with a space in it: in a project
    // folder like that, it works through a space-free link to the same folder, made for this step only.
    const link = /\s/.test(this.paths.mysqlDir) ? spaceFreeLink(this.paths.mysqlDir) : undefined;
    const cnf = link ? path.join(link.path, 'install.cnf') : this.paths.mysqlCnf;
    if (link) {
      const user = serviceUser();
      const settings = [readFileSync(repoPath('mysql/conf/stacklab.cnf'), 'utf8'), '[mysqld]', `datadir = ${link.path}/data`];
      writeFileSync(cnf, [...settings, ...(user ? [`user = ${user}`] : []), ''].join('\n'));
    }
    try {
      const result = spawnSync(
        this.programs().installDb,
        [
          `--defaults-file=${cnf}`,
          // root starts with no password here; secureRootAccount() sets one right after the first start.
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
        ],
        { encoding: 'utf8' },
      );
      if (result.status !== 0 || !existsSync(path.join(this.paths.mysqlData, 'mysql'))) {
        throw new Error(`mariadb-install-db failed:\n${result.stdout}\n${result.stderr}`);
      }
    } finally {
      if (link) {
        rmSync(cnf, { force: true });
        link.remove();
      }
    }
  }

  private secureRootAccount(): void {
    const rootPassword = this.s.settings.db.rootPassword;
    execFileSync(
      this.programs().client,
      [
        `--socket=${this.paths.mysqlSocket}`,
        '-uroot',
        '-e',
        // No anonymous accounts, and a password for root (from .env).
        `DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES; ` +
          `ALTER USER 'root'@'localhost' IDENTIFIED BY '${rootPassword}';`,
      ],
      { env: { ...process.env, MYSQL_PWD: '' }, encoding: 'utf8' },
    );
  }

  /**
   * Creates the database, the app's user and the migration user, and sets their passwords and
   * grants as .env and the script say: the same script the official image runs from
   * /docker-entrypoint-initdb.d. Idempotent: the native stack runs it before every start of the app.
   */
  createUsers(): void {
    const script = repoPath('mysql/init/10-create-app-user.sh');
    const clientDir = path.dirname(this.programs().client);
    const result = spawnSync('sh', [script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${clientDir}:${process.env.PATH ?? ''}`,
        MYSQL_SOCKET: this.paths.mysqlSocket,
        MYSQL_ROOT_PASSWORD: this.s.settings.db.rootPassword,
        DB_NAME: this.s.settings.db.name,
        DB_USER: this.s.settings.db.user,
        DB_PASSWORD: this.s.settings.db.password,
        DB_MIGRATION_USER: this.s.settings.db.migrationUser,
        DB_MIGRATION_PASSWORD: this.s.settings.db.migrationPassword,
      },
    });
    if (result.status !== 0) {
      throw new Error(`Creating the database's users failed:\n${result.stderr}`);
    }
  }
}

/** A symlink to `target` in a fresh temporary folder (whose path has no spaces), and how to remove it. */
function spaceFreeLink(target: string): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-mysql-'));
  const link = path.join(dir, 'mysql');
  symlinkSync(target, link);
  return { path: link, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
