// Finding nginx and MariaDB on this machine, and installing them when we may.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// Server programs live in sbin folders, which are not on a normal user's PATH on Debian.
const SEARCH_DIRS = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin'];

export function findProgram(names: string[]): string | undefined {
  for (const name of names) {
    for (const dir of SEARCH_DIRS) {
      const candidate = path.join(dir, name);
      if (dir !== '' && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

// openssl makes the stack's local certificate authority (nginx/tls/local-ca.sh) at the first start.
export type Programs = { nginx: string; mariadbd: string; installDb: string; client: string; openssl: string };

const PACKAGES = ['nginx', 'mariadb-server', 'mariadb-client', 'openssl'];

function lookup(): Partial<Programs> {
  return {
    nginx: findProgram(['nginx']),
    mariadbd: findProgram(['mariadbd', 'mysqld']),
    installDb: findProgram(['mariadb-install-db', 'mysql_install_db']),
    client: findProgram(['mariadb', 'mysql']),
    openssl: findProgram(['openssl']),
  };
}

/** The programs the native runner needs; installs them with apt-get as root, else says how. */
export function requirePrograms(say: (line: string) => void): Programs {
  let found = lookup();
  if (Object.values(found).every(Boolean) && Object.keys(found).length === 5) return found as Programs;
  const missing = Object.entries(found)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  const canInstall = process.getuid?.() === 0 && findProgram(['apt-get']) !== undefined;
  if (!canInstall) {
    throw new Error(
      `The native runner needs nginx, MariaDB and openssl, and these are missing: ${missing.join(', ')}.\n` +
        `Install them once with:\n  sudo apt-get update && sudo apt-get install -y ${PACKAGES.join(' ')}\n` +
        `(or install Docker and run the stack with it: see README.md).`,
    );
  }
  say(`Installing ${PACKAGES.join(', ')} with apt-get (one time only)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '-q', ...PACKAGES], { stdio: 'inherit', env });
  if (result.status !== 0) {
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    result = spawnSync('apt-get', ['install', '-y', '-q', ...PACKAGES], { stdio: 'inherit', env });
  }
  found = lookup();
  if (result.status !== 0 || !Object.values(found).every(Boolean)) {
    throw new Error(`apt-get could not install ${PACKAGES.join(' ')}; see its messages above.`);
  }
  return found as Programs;
}
