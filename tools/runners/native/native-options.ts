// What the native runner works with: the settings, and where it keeps its state.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../lib/settings.js';
import { repoRoot } from '../../lib/repo.js';

export type NativeOptions = {
  /** The project's settings (.env), checked. */
  settings: Settings;
  /** Where the stack keeps its data, logs and pid files: .stack/ of the project, or a throwaway folder. */
  stateDir: string;
  /** The nginx config folder to render (nginx/ of the project unless a test points elsewhere). */
  nginxDir: string;
  /** Prints progress lines (the CLI passes console.log; tests pass a quiet function). */
  say: (line: string) => void;
};

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
    /** The local certificate authority and the site's certificate (nginx/tls/local-ca.sh). */
    tls: path.join(stateDir, 'tls'),
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
export function serviceUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = statSync(repoRoot).uid;
  if (uid === 0) return 'root';
  return execFileSync('id', ['-nu', String(uid)], { encoding: 'utf8' }).trim();
}
