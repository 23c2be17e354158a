// make help-report: one Markdown file for a mentor, with every part a mentor asks for and no secret
// in it. The test plants the real secrets of .env, a member's password, their session cookie and
// their bcrypt hash in the logs, in the learner's changes and in failed requests, then reads the
// report for each of them; once with the stack running, once with it stopped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, uniqueName } from '../../tools/lib/http-client.js';
import { freePort } from '../../tools/lib/ports.js';
import { parseEnvFile } from '../../tools/lib/settings.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';

describe('make help-report (native runner)', () => {
  let copy = '';
  let env: NodeJS.ProcessEnv = {};
  let httpPort = 0;
  const secrets: Record<string, string> = {};
  const make = (...args: string[]) => {
    const r = spawnSync('make', ['--no-print-directory', ...args], { cwd: copy, env, encoding: 'utf8', timeout: 300_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const report = () => {
    const run = make('help-report');
    assert.equal(run.status, 0, run.out);
    const file = /Wrote (\S+\.md)/.exec(run.out)?.[1];
    assert.ok(file, run.out);
    return readFileSync(path.resolve(copy, file), 'utf8');
  };
  const assertNoSecret = (text: string) => {
    for (const [what, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `the report shows ${what}`);
  };

  before(async () => {
    copy = copyProject('stacklab-help-report-', { asClone: true });
    httpPort = await freePort();
    env = cleanEnv({ STACK: 'native', HTTP_PORT: String(httpPort), APP_PORT: String(await freePort()), DB_PORT: String(await freePort()) });
    const up = make('up');
    assert.equal(up.status, 0, up.out);
    const dotEnv = parseEnvFile(readFileSync(path.join(copy, '.env'), 'utf8'));
    for (const name of ['DB_PASSWORD', 'DB_ROOT_PASSWORD', 'DB_MIGRATION_PASSWORD']) secrets[name] = dotEnv[name]!;
    dotEnv.SESSION_KEYS!.split(',').forEach((key, i) => (secrets[`session key ${i + 1}`] = key));

    // A member signs in: their password, their session cookie, their hash in the database.
    const member = new Client(`http://127.0.0.1:${httpPort}`);
    const username = uniqueName('mentee');
    secrets.password = 'Learner-Pass-4242-xyz';
    assert.equal((await member.register(username, secrets.password)).status, 303);
    secrets['session cookie'] = member.cookies.get('stacklab.sid')!;
    assert.ok(secrets['session cookie']);
    const hash = spawnSync('make', ['--no-print-directory', 'db-shell'], {
      cwd: copy, env, encoding: 'utf8', input: `SELECT password_hash FROM users WHERE username = '${username}';\n`,
    }).stdout.match(/\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/)?.[0];
    assert.ok(hash, 'the member\'s bcrypt hash');
    secrets['bcrypt hash'] = hash;

    // Failed requests carrying them: a wrong sign-in, and a missing page with the cookie and secrets in the query.
    await member.get(`/no-such-page?password=${secrets.password}&token=${secrets.DB_PASSWORD}`);
    await new Client(`http://127.0.0.1:${httpPort}`).post('/login', { username, password: secrets.password });
    // In the logs, as a careless line of the learner's own code would write them.
    appendFileSync(path.join(copy, '.stack/logs/app.log'), [
      JSON.stringify({ event: 'debug', password: secrets.password, cookie: `stacklab.sid=${secrets['session cookie']}` }),
      `connecting with ${secrets.DB_PASSWORD} as the app, hash ${secrets['bcrypt hash']}`,
      `Cookie: stacklab.sid=${secrets['session cookie']}`,
      `keys ${dotEnv.SESSION_KEYS}`,
      '',
    ].join('\n'));
    // nginx's error log quotes the whole request line when the app does not answer.
    appendFileSync(path.join(copy, '.stack/logs/nginx-error.log'),
      `2026/12/07 14:34:47 [error] 21#21: *326 connect() failed (111: Connection refused) while connecting to upstream, request: "GET /x?password=${secrets.password} HTTP/1.1", upstream: "http://127.0.0.1:1/x?password=${secrets.password}"\n`);
    // In the learner's changes (git diff).
    appendFileSync(path.join(copy, 'app/src/config.ts'), [
      '',
      `// const password = '${secrets.password}';`,
      `// DB_ROOT_PASSWORD=${secrets.DB_ROOT_PASSWORD} hash: ${secrets['bcrypt hash']}`,
      `// migrate as ${secrets.DB_MIGRATION_PASSWORD}`,
      '',
    ].join('\n'));
  });

  after(() => {
    if (!copy) return;
    make('down');
    rmSync(copy, { recursive: true, force: true });
  });

  it('has every part a mentor needs, and no secret, while the stack runs', () => {
    const text = report();
    for (const heading of ['System and versions', 'Settings', 'make ps', 'make doctor', 'Course progress', "mysql's log", "app's log", "nginx's log", 'git status', 'git diff', 'failed requests']) {
      assert.match(text, new RegExp(`^## .*${heading}`, 'm'), heading);
    }
    assert.match(text, /- system: /);
    assert.match(text, /- nginx: nginx version/);
    assert.match(text, /^DB_PASSWORD=\[redacted\]$/m);
    assert.match(text, new RegExp(`^HTTP_PORT=${httpPort}$`, 'm'), 'settings that are no secret are shown');
    assert.match(text, /app \s+running/);
    assert.match(text, /the site answers through nginx/);
    assert.match(text, /M app\/src\/config\.ts/);
    assert.match(text, /\+\/\/ const password = '\[redacted\]';/);
    assert.match(text, /GET \/no-such-page\?password=\[redacted\]&token=\[redacted\]\s+404/);
    assert.match(text, /^SESSION_IDLE_TIMEOUT_S=\d+$/m, 'a number is no secret');
    assertNoSecret(text);
  });

  it('works with the stack stopped, and still shows no secret', () => {
    assert.equal(make('down').status, 0);
    const text = report();
    assert.match(text, /mysql\s+stopped/);
    assert.match(text, /✗ /);
    assert.match(text, /connecting with \[redacted\]/, 'the logs are read from their files');
    assertNoSecret(text);
  });
});
