// The PHP-FPM peer of `make bench`, a yardstick and not part of stacklab: php-peer/account.php does
// what the app's GET /account does (read the session, look the user up by primary key, render a
// small page) the usual PHP way. It runs only when php-fpm is installed, on the bench's throwaway
// stack: PHP-FPM with 8 static children on a free port, behind an nginx with the stack's own
// configuration plus one location for the page, so the two pages are compared in the same run.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, GOOD_PASSWORD } from '../lib/http-client.js';
import { freePort, isListening, waitFor } from '../lib/ports.js';
import { runningPid, stopByPidFile, tailFile } from '../lib/processes.js';
import { repoPath } from '../lib/repo.js';
import { serviceUser } from '../runners/native/native-options.js';
import { findProgram } from '../runners/native/programs.js';
import type { BenchStack } from './bench-stack.js';
import { replace } from './tail-variants.js';
import { startVariantNginx, type VariantNginx } from './variant-nginx.js';

export const PHP_PEER_PATH = '/peer/account.php';

export type PhpPeer = {
  /** The peer nginx, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A signed-in PHP session for the bench's user. */
  cookie: string;
  /** The peer's nginx master and PHP-FPM's master (their workers are their children), for busy cores. */
  pids(): { nginx: number[]; app: number[] };
  stop(): Promise<void>;
};

/** Starts PHP-FPM and its nginx, and signs the bench's user in there; undefined without php-fpm. */
export async function startPhpPeer(bench: BenchStack, username: string, say: (line: string) => void): Promise<PhpPeer | undefined> {
  const fpm = findProgram(['php-fpm', 'php-fpm8.4', 'php-fpm8.3', 'php-fpm8.2', 'php-fpm8.1']);
  if (!fpm) {
    say('php-fpm is not installed: the PHP peer row is left out (sudo apt-get install -y php-fpm php-mysql to add it).');
    return undefined;
  }
  const dir = path.join(bench.stateDir, 'php-peer');
  mkdirSync(path.join(dir, 'sessions'), { recursive: true });
  const port = await freePort();
  const pidFile = path.join(dir, 'php-fpm.pid');
  const { db, ports } = bench.stack.settings;
  const user = serviceUser();
  if (user && user !== 'root') {
    const { uid, gid } = statSync(repoPath('.'));
    chownSync(path.join(dir, 'sessions'), uid, gid); // PHP writes its session files as that user
  }
  writeFileSync(
    path.join(dir, 'php-fpm.conf'),
    [
      '[global]',
      `pid = ${pidFile}`,
      `error_log = ${path.join(dir, 'php-fpm.log')}`,
      '[peer]',
      // Started as root (as the native runner starts nginx), the workers run as the project's owner.
      ...(user ? [`user = ${user}`] : []),
      `listen = 127.0.0.1:${port}`,
      // A fixed number of workers, as a tuned PHP site runs: 8 pages at a time, each with its own
      // database connection.
      'pm = static',
      'pm.max_children = 8',
      'clear_env = yes',
      'env[DB_HOST] = 127.0.0.1',
      `env[DB_PORT] = ${ports.db}`,
      `env[DB_NAME] = ${db.name}`,
      `env[DB_USER] = ${db.user}`,
      `env[DB_PASSWORD] = ${db.password}`,
      `php_admin_value[session.save_path] = ${path.join(dir, 'sessions')}`,
      'php_admin_value[session.cookie_httponly] = 1',
      'php_admin_value[session.use_strict_mode] = 1',
      `php_admin_value[error_log] = ${path.join(dir, 'php-errors.log')}`,
      'php_admin_flag[log_errors] = on',
      'php_admin_flag[display_errors] = off',
      '',
    ].join('\n'),
  );
  // php-fpm puts itself in the background and writes its pid file (not started as root, it runs as us).
  const started = spawnSync(fpm, ['--fpm-config', path.join(dir, 'php-fpm.conf'), ...(user === 'root' ? ['--allow-to-run-as-root'] : [])], { encoding: 'utf8' });
  const stopFpm = () => stopByPidFile(pidFile, 'php-fpm').then(() => undefined);
  if (started.status !== 0 || !(await waitFor(() => isListening(port), 10_000))) {
    await stopFpm();
    throw new Error(`php-fpm did not start:\n${started.stderr}\n${tailFile(path.join(dir, 'php-fpm.log'))}`);
  }
  let nginx: VariantNginx | undefined;
  const stop = async () => {
    await nginx?.stop();
    await stopFpm();
  };
  try {
    nginx = await startVariantNginx(bench, 'php-peer', replace('site', '    # Everything else goes to the app.', phpLocation(port)));
    const url = `http://127.0.0.1:${nginx.port}`;
    const client = new Client(url);
    const signIn = await client.post(PHP_PEER_PATH, { username, password: GOOD_PASSWORD });
    const page = await client.get(PHP_PEER_PATH);
    if (signIn.status !== 303 || page.status !== 200) throw new Error(`signing in on the PHP peer failed (${signIn.status}, then ${page.status}): ${tailFile(path.join(dir, 'php-errors.log'))}`);
    const peerNginx = nginx;
    const pids = () => ({ nginx: [peerNginx.pid()].filter((p) => p !== undefined), app: [runningPid(pidFile, 'php-fpm')].filter((p) => p !== undefined) });
    return { url, cookie: client.cookieHeader(), pids, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// The location added to the peer nginx's site, in front of the stack's own catch-all location.
function phpLocation(fpmPort: number): string {
  const params = ['REQUEST_METHOD $request_method', 'QUERY_STRING $query_string', 'CONTENT_TYPE $content_type', 'CONTENT_LENGTH $content_length', 'REQUEST_URI $request_uri', 'SERVER_PROTOCOL $server_protocol', 'REMOTE_ADDR $remote_addr'];
  return [
    `    location = ${PHP_PEER_PATH} {`,
    `        fastcgi_pass 127.0.0.1:${fpmPort};`,
    `        fastcgi_param SCRIPT_FILENAME "${repoPath('tools/bench/php-peer/account.php')}";`,
    ...params.map((p) => `        fastcgi_param ${p};`),
    '    }',
    '',
    '    # Everything else goes to the app.',
  ].join('\n');
}
