// Where the native runner keeps its state, and which ports and secrets it uses.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { EnvMap } from '../lib/env-file.js';

export type Settings = {
  repoRoot: string;
  stateDir: string;
  /** The nginx config folder to render (nginx/ of the project unless a test points elsewhere). */
  nginxDir: string;
  /** .env merged with the environment: the app's variables and the secrets. */
  env: EnvMap;
  httpPort: number;
  appPort: number;
  dbPort: number;
  /** How many app instances run behind nginx, on ports appPort, appPort + 1, … */
  appReplicas: number;
  /** Prints progress lines (the CLI passes console.log; tests pass a quiet function). */
  say: (line: string) => void;
};

export function settingsFrom(
  repoRoot: string,
  stateDir: string,
  env: EnvMap,
  say: Settings['say'],
  nginxDir = path.join(repoRoot, 'nginx'),
): Settings {
  const port = (name: string, fallback: number) => {
    const value = Number(env[name] || fallback); // empty means the default, as in docker-compose.yml
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new Error(`${name} must be a port number (1-65535), got "${env[name]}". Fix it in .env.`);
    }
    return value;
  };
  return {
    repoRoot,
    stateDir,
    nginxDir,
    env,
    httpPort: port('HTTP_PORT', 8080),
    appPort: port('APP_PORT', 3000),
    dbPort: port('DB_PORT', 3307),
    appReplicas: replicas(env.APP_REPLICAS),
    say,
  };
}

function replicas(value: string | undefined): number {
  const n = Number(value || 1);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`APP_REPLICAS must be a whole number from 1 to 8, got "${value}".`);
  return n;
}

export function statePaths(stateDir: string) {
  const run = path.join(stateDir, 'run');
  const logs = path.join(stateDir, 'logs');
  return {
    root: stateDir,
    run,
    logs,
    mysqlDir: path.join(stateDir, 'mysql'),
    mysqlData: path.join(stateDir, 'mysql', 'data'),
    mysqlCnf: path.join(stateDir, 'mysql', 'my.cnf'),
    mysqlInitialized: path.join(stateDir, 'mysql', 'initialized'),
    mysqlSocket: path.join(run, 'mysqld.sock'),
    mysqlPid: path.join(run, 'mysql.pid'),
    mysqlSupervisorPid: path.join(run, 'mysql.supervisor.pid'),
    mysqlLog: path.join(logs, 'mysql.log'),
    nginxPrefix: path.join(stateDir, 'nginx'),
    nginxConf: path.join(stateDir, 'nginx', 'conf'),
    nginxPid: path.join(run, 'nginx.pid'),
    nginxErrorLog: path.join(logs, 'nginx-error.log'),
    accessLog: path.join(logs, 'access.json'),
    appPid: path.join(run, 'app.pid'),
    appSupervisorPid: path.join(run, 'app.supervisor.pid'),
    /** Pid files of app instance `index` (0 is the first: app.pid; then app-2.pid, …). */
    appInstancePids: (index: number) =>
      index === 0
        ? { servicePid: path.join(run, 'app.pid'), supervisorPid: path.join(run, 'app.supervisor.pid') }
        : { servicePid: path.join(run, `app-${index + 1}.pid`), supervisorPid: path.join(run, `app-${index + 1}.supervisor.pid`) },
    appLog: path.join(logs, 'app.log'),
  };
}

export type StatePaths = ReturnType<typeof statePaths>;

/**
 * When run as root, nginx workers and MariaDB must run as some user: we use the owner of the
 * project folder, so they can read the project's files and write its state folder.
 */
export function serviceUser(repoRoot: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = statSync(repoRoot).uid;
  if (uid === 0) return 'root';
  return execFileSync('id', ['-nu', String(uid)], { encoding: 'utf8' }).trim();
}
