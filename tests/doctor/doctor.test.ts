// make doctor names the cause, the learner's own file and line, and the next step; make up and make
// restart end with the same diagnosis in one paragraph (not raw log lines). Each fault is made as a
// learner makes it, in a copy of the project run by the native runner with make, then undone.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../tools/lib/ports.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';

describe('make doctor and a failed make restart name the cause in the learner\'s files (native runner)', () => {
  let copy = '';
  let env: NodeJS.ProcessEnv = {};
  let httpPort = 0;
  const make = (...args: string[]) => {
    const r = spawnSync('make', ['--no-print-directory', ...args], { cwd: copy, env, encoding: 'utf8', timeout: 300_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const file = (name: string) => path.join(copy, name);
  const undo = (...paths: string[]) => spawnSync('git', ['checkout', '--', ...paths], { cwd: copy });
  /** The diagnosis a failed command ends with: one paragraph, no JSON log lines, no stack trace. */
  const assertDiagnosis = (out: string, expected: RegExp) => {
    assert.match(out, /^Diagnosis: .*Next step: /m, out);
    assert.match(out.split('\n').find((l) => l.startsWith('Diagnosis:'))!, expected, out);
    assert.doesNotMatch(out, /^\s*\{"time"|^\s+at /m, out);
    assert.doesNotMatch(out, /\.stack\//, out);
  };

  before(async () => {
    copy = copyProject('stacklab-doctor-', { asClone: true });
    httpPort = await freePort();
    env = cleanEnv({ STACK: 'native', HTTP_PORT: String(httpPort), APP_PORT: String(await freePort()), DB_PORT: String(await freePort()) });
    const up = make('up');
    assert.equal(up.status, 0, up.out);
  });

  after(() => {
    if (!copy) return;
    make('down');
    rmSync(copy, { recursive: true, force: true });
  });

  it('a broken line in an nginx snippet: the snippet\'s path in nginx/ and its line, not the rendered copy', () => {
    const snippet = file('nginx/snippets/response-headers.conf');
    const lines = readFileSync(snippet, 'utf8').split('\n');
    const broken = lines.findIndex((l) => /^\s*add_header .*;\s*$/.test(l));
    lines[broken] = lines[broken]!.replace(/;\s*$/, '');
    writeFileSync(snippet, lines.join('\n'));
    const restart = make('restart', 'SERVICE=nginx');
    assert.notEqual(restart.status, 0);
    // nginx reads on to the next line before it sees the missing `;`.
    assertDiagnosis(restart.out, /nginx\/snippets\/response-headers\.conf:\d+/);
    const doctor = make('doctor');
    assert.match(doctor.out, /✗ nginx refuses its configuration: nginx\/snippets\/response-headers\.conf:\d+: /, doctor.out);
    assert.match(doctor.out, /Next step: fix line \d+ of nginx\/snippets\/response-headers\.conf/, doctor.out);
    undo('nginx');
    assert.equal(make('up').status, 0);
  });

  it('a misnamed migration: make restart fails at once with the file and the naming rule', () => {
    writeFileSync(file('mysql/migrations/004_Add_Bio.sql'), 'ALTER TABLE users ADD COLUMN bio TEXT;\n');
    const restart = make('restart', 'SERVICE=app');
    assert.notEqual(restart.status, 0);
    assertDiagnosis(restart.out, /migration mysql\/migrations\/004_Add_Bio\.sql is misnamed/);
    assert.doesNotMatch(restart.out, /within 60 s/, 'a start that cannot succeed is not waited out');
    assert.match(make('doctor').out, /✗ migration mysql\/migrations\/004_Add_Bio\.sql is misnamed/);
    rmSync(file('mysql/migrations/004_Add_Bio.sql'));
  });

  it('a migration whose SQL fails: the file, the statement and the database\'s error', () => {
    writeFileSync(file('mysql/migrations/003-add-bio.sql'), 'ALTER TABLE userz ADD COLUMN bio TEXT;\n');
    const restart = make('restart', 'SERVICE=app');
    assertDiagnosis(restart.out, /mysql\/migrations\/003-add-bio\.sql fails at statement 1 of 1: Table '\w+\.userz' doesn't exist/);
    rmSync(file('mysql/migrations/003-add-bio.sql'));
    assert.equal(make('up').status, 0);
  });

  it('a migration edited after it ran: found by its checksum, while the site works', () => {
    appendFileSync(file('mysql/migrations/002-create-sessions.sql'), '-- a comment added later\n');
    const doctor = make('doctor');
    assert.match(doctor.out, /✗ mysql\/migrations\/002-create-sessions\.sql was edited after it ran/, doctor.out);
    assert.match(doctor.out, /Next step: undo the edit/, doctor.out);
    undo('mysql');
  });

  it('the app crashing at start: the first error line and the learner\'s file and line, no stack trace', () => {
    const pages = file('app/src/routes/pages.ts');
    const lineCount = readFileSync(pages, 'utf8').split('\n').length;
    appendFileSync(pages, "\nthrow new Error('the pages router is not finished');\n");
    const restart = make('restart', 'SERVICE=app');
    assertDiagnosis(restart.out, new RegExp(`the app crashes at start in app/src/routes/pages\\.ts:${lineCount + 1}: Error: the pages router is not finished`));
    assert.match(make('doctor').out, /✗ the app crashes at start in app\/src\/routes\/pages\.ts:\d+/);
    undo('app');
    assert.equal(make('up').status, 0);
  });

  it('a DB_PASSWORD in .env the database does not know', () => {
    const envFile = file('.env');
    const original = readFileSync(envFile, 'utf8');
    writeFileSync(envFile, original.replace(/^DB_PASSWORD=.*$/m, 'DB_PASSWORD=rotated-but-not-in-the-database'));
    const doctor = make('doctor');
    assert.match(doctor.out, /✗ the database refuses the app's user: DB_PASSWORD in \.env/, doctor.out);
    writeFileSync(envFile, original);
  });

  it('the database stopped: named, with the next step', () => {
    assert.equal(make('stop', 'SERVICE=mysql').status, 0);
    const doctor = make('doctor');
    assert.match(doctor.out, /✗ mysql is stopped/, doctor.out);
    assert.match(doctor.out, /Next step: make logs SERVICE=mysql/, doctor.out);
    assert.equal(make('up').status, 0);
  });

  it('HTTP_PORT taken by another program: which one, as the OS tells', async () => {
    assert.equal(make('stop', 'SERVICE=nginx').status, 0);
    const squatter = listen(httpPort, {});
    try {
      await squatter.ready;
      const doctor = make('doctor');
      assert.match(doctor.out, new RegExp(`✗ port ${httpPort} \\(HTTP_PORT\\) is taken by node \\(pid ${squatter.child.pid}\\)`), doctor.out);
      assert.match(doctor.out, /Next step: stop that program, or set HTTP_PORT/, doctor.out);
    } finally {
      squatter.child.kill();
    }
  });

  it('.env records the native runner, but a Docker stack answers on HTTP_PORT', async () => {
    // What answers after a switch whose other stack still runs: an app that names itself after its container.
    const docker = listen(httpPort, { 'X-App-Instance': '3f2a9c1d7e4b' });
    try {
      await docker.ready;
      const doctor = make('doctor');
      assert.match(doctor.out, /✗ \.env records STACK=native, but a Docker stack answers on port \d+ \(app 3f2a9c1d7e4b\)/, doctor.out);
    } finally {
      docker.child.kill();
    }
    assert.equal(make('up').status, 0);
  });
});

/** Another program on the port: a small HTTP server answering 200 with these headers. */
function listen(port: number, headers: Record<string, string>) {
  const code = `require('node:http').createServer((q, r) => { r.writeHead(200, ${JSON.stringify(headers)}); r.end('{}'); }).listen(${port}, '127.0.0.1', () => console.log('ready'))`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { child, ready };
}
