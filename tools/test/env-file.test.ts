// The shell side of .env (tools/lib/env-file.sh), as tools/stacklab.sh uses it: created once with
// fresh secrets, a secret added later filled in, Windows line ends removed, values found.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { parseEnvFile } from '../lib/settings.js';
import { repoPath } from '../lib/repo.js';

let dir = '';
const envFile = () => path.join(dir, '.env');

/** Runs `script` in POSIX sh (dash here) with tools/lib/env-file.sh loaded, in the test's folder. */
function withEnvFile(script: string, env: Record<string, string> = {}) {
  const harness = `say() { printf '%s\\n' "$*"; }; env_file="$PWD/.env"; . "$1"; ${script}`;
  return spawnSync('sh', ['-c', harness, 'sh', repoPath('tools/lib/env-file.sh')], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
}

describe('tools/lib/env-file.sh', () => {
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-env-'));
    copyFileSync(repoPath('.env.example'), path.join(dir, '.env.example'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates .env from .env.example once, private, with fresh secrets of letters and digits', () => {
    const first = withEnvFile('env_file_prepare');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Created \.env with fresh random passwords/);
    assert.equal(statSync(envFile()).mode & 0o777, 0o600);
    const env = parseEnvFile(readFileSync(envFile(), 'utf8'));
    assert.match(env.DB_PASSWORD!, /^[A-Za-z0-9]{24}$/);
    assert.match(env.DB_ROOT_PASSWORD!, /^[A-Za-z0-9]{24}$/);
    assert.match(env.SESSION_KEYS!, /^[A-Za-z0-9]{48}$/);
    assert.match(env.DB_MIGRATION_PASSWORD!, /^[A-Za-z0-9]{24}$/);
    assert.notEqual(env.DB_PASSWORD, env.DB_ROOT_PASSWORD);
    assert.equal(env.APP_IMAGE, '', 'other empty values stay empty (their defaults apply)');
    const again = withEnvFile('env_file_prepare');
    assert.equal(again.stdout, '', 'nothing to do the second time');
    assert.deepEqual(parseEnvFile(readFileSync(envFile(), 'utf8')), env, 'an existing .env is never changed');
  });

  it('fills a secret that is empty or missing in an older .env, says so, and keeps every line that was there', () => {
    // Written before DB_MIGRATION_PASSWORD existed, its last line without a line end (as an editor may leave it).
    const older = '# mine\nHTTP_PORT=8081\nDB_PASSWORD=mine\nDB_ROOT_PASSWORD=\nSESSION_KEYS=keys';
    writeFileSync(envFile(), older);
    const result = withEnvFile('env_file_prepare');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Added a fresh DB_ROOT_PASSWORD to \.env/);
    assert.match(result.stdout, /Added a fresh DB_MIGRATION_PASSWORD to \.env/);
    const text = readFileSync(envFile(), 'utf8');
    assert.ok(text.startsWith('# mine\nHTTP_PORT=8081\nDB_PASSWORD=mine\n'), text);
    assert.match(text, /^SESSION_KEYS=keys$/m, 'the last line is kept whole');
    const env = parseEnvFile(text);
    assert.equal(env.DB_PASSWORD, 'mine');
    assert.equal(env.SESSION_KEYS, 'keys');
    assert.match(env.DB_ROOT_PASSWORD!, /^[A-Za-z0-9]{24}$/);
    assert.match(env.DB_MIGRATION_PASSWORD!, /^[A-Za-z0-9]{24}$/);
  });

  it('removes Windows line ends that an editor saved into .env', () => {
    writeFileSync(envFile(), 'HTTP_PORT=8081\r\nDB_PASSWORD=a\r\nDB_ROOT_PASSWORD=b\r\nDB_MIGRATION_PASSWORD=d\r\nSESSION_KEYS=c\r\n');
    const result = withEnvFile('env_file_prepare');
    assert.match(result.stdout, /Removed the Windows line ends/);
    assert.equal(readFileSync(envFile(), 'utf8'), 'HTTP_PORT=8081\nDB_PASSWORD=a\nDB_ROOT_PASSWORD=b\nDB_MIGRATION_PASSWORD=d\nSESSION_KEYS=c\n');
  });

  it('finds a setting: the shell wins when not empty, then .env (quotes removed), then the default', () => {
    writeFileSync(envFile(), 'HTTP_PORT=8081\nAPP_IMAGE=\nNGINX_IMAGE="nginx:1.30"\nHTTP_PORT=8082\n');
    const value = (script: string, env: Record<string, string> = {}) => withEnvFile(`printf '%s' "$(${script})"`, env).stdout;
    assert.equal(value('setting HTTP_PORT 8080'), '8082', 'the last line wins, as in docker compose');
    assert.equal(value('setting HTTP_PORT 8080', { HTTP_PORT: '9000' }), '9000');
    assert.equal(value('setting HTTP_PORT 8080', { HTTP_PORT: '' }), '8082');
    assert.equal(value('setting APP_IMAGE stacklab-app'), 'stacklab-app', 'empty means the default');
    assert.equal(value('setting NGINX_IMAGE'), 'nginx:1.30');
  });

  it('records a value: replaces the line that sets it, or adds one', () => {
    writeFileSync(envFile(), '# the runner\nSTACK=\nHTTP_PORT=8080\n');
    withEnvFile('env_file_record STACK docker && env_file_record EXTRA yes');
    assert.equal(readFileSync(envFile(), 'utf8'), '# the runner\nSTACK=docker\nHTTP_PORT=8080\nEXTRA=yes\n');
  });
});
