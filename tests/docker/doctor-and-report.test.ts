// With Docker alone: a failed make restart ends with the doctor's diagnosis (the learner's file and
// line, not the container's path nor raw log lines), make doctor says the same from the tools'
// container, and make help-report holds no secret planted in the logs, the diff and the requests.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Client, uniqueName } from '../../tools/lib/http-client.js';
import { parseEnvFile } from '../../tools/lib/settings.js';
import { DockerLearner, dockerTestsMissing } from '../../tools/testing/docker-learner.js';

const missing = dockerTestsMissing();

describe('make doctor, a failed make restart and make help-report with Docker', { skip: missing || false }, () => {
  let learner: DockerLearner;
  const file = (name: string) => path.join(learner.copy, name);
  const run = (target: string) => {
    const r = learner.make(target);
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const undo = (...paths: string[]) => spawnSync('git', ['checkout', '--', ...paths], { cwd: learner.copy });
  const assertDiagnosis = (out: string, expected: RegExp) => {
    assert.match(out, /^Diagnosis: .*Next step: /m, out);
    assert.match(out.split('\n').find((l) => l.startsWith('Diagnosis:'))!, expected, out);
    assert.doesNotMatch(out, /\{"time"|^\s+at |\/etc\/nginx\//m, out);
  };

  before(async () => {
    learner = await DockerLearner.create('stacklab-docker-doctor-');
    const up = run('up');
    assert.equal(up.status, 0, up.out);
  });

  after(() => learner?.remove());

  it('a broken nginx snippet applied by restart: the snippet in nginx/ and its line', () => {
    const snippet = file('nginx/snippets/response-headers.conf');
    const lines = readFileSync(snippet, 'utf8').split('\n');
    const broken = lines.findIndex((l) => /^\s*add_header .*;\s*$/.test(l));
    lines[broken] = lines[broken]!.replace(/;\s*$/, '');
    writeFileSync(snippet, lines.join('\n'));
    const restart = run('restart SERVICE=nginx');
    assert.notEqual(restart.status, 0);
    assertDiagnosis(restart.out, /nginx\/snippets\/response-headers\.conf:\d+/);
    const doctor = run('doctor');
    assert.match(doctor.out, /✗ nginx refuses its configuration: nginx\/snippets\/response-headers\.conf:\d+: /, doctor.out);
    undo('nginx');
    assert.equal(run('up').status, 0);
  });

  it('a misnamed migration: make restart SERVICE=app names it, without waiting out the health check', () => {
    writeFileSync(file('mysql/migrations/004_Add_Bio.sql'), 'ALTER TABLE users ADD COLUMN bio TEXT;\n');
    const started = Date.now();
    const restart = run('restart SERVICE=app');
    assert.notEqual(restart.status, 0);
    assertDiagnosis(restart.out, /migration mysql\/migrations\/004_Add_Bio\.sql is misnamed/);
    console.log(`  make restart SERVICE=app with a misnamed migration ended after ${Math.round((Date.now() - started) / 1000)} s`);
    assert.match(run('doctor').out, /✗ migration mysql\/migrations\/004_Add_Bio\.sql is misnamed/);
    rmSync(file('mysql/migrations/004_Add_Bio.sql'));
    assert.equal(run('restart SERVICE=app').status, 0);
  });

  // A lab with Docker: make break and make solution run their reload or restart from the tools'
  // container (handed back to the shell), and the check and the doctor read the containers. (One lab:
  // the others take the same path, and tests/docs/labs.test.ts proves each of them natively.)
  for (const [lab, doctorSays] of [['wrong-port', /✗ nginx answers 502 though the app runs .*tried http:\/\/127\.0\.0\.1:3999 \(Connection refused\)/]] as const) {
    it(`lab ${lab}: broken, seen by its check and by the doctor, and the reference fix passes`, (t) => {
      // A failure here leaves the lab broken: undo it, so the next test starts from a working stack.
      t.after(() => void run('unbreak'));
      assert.match(run(`break ${lab}`).out, /Something in your stack just broke/);
      const broken = run(`check lab-${lab}`);
      assert.match(broken.out, /not yet/, broken.out);
      const doctor = run('doctor');
      assert.match(doctor.out, doctorSays, doctor.out);
      const applied = run(`solution lab-${lab} APPLY=1 FORCE=1`);
      assert.match(applied.out, /Applied the reference fix/, applied.out);
      const fixed = run(`check lab-${lab}`);
      assert.match(fixed.out, /Fixed!/, fixed.out);
      assert.match(run('unbreak').out, /No lab is broken/);
      assert.equal(spawnSync('git', ['status', '--porcelain', 'nginx', 'app'], { cwd: learner.copy, encoding: 'utf8' }).stdout, '', 'the files as before the lab');
    });
  }

  it('make help-report shows no secret, with the stack up and down', async () => {
    const dotEnv = parseEnvFile(readFileSync(file('.env'), 'utf8'));
    const secrets: Record<string, string> = {};
    for (const name of ['DB_PASSWORD', 'DB_ROOT_PASSWORD', 'DB_MIGRATION_PASSWORD']) secrets[name] = dotEnv[name]!;
    dotEnv.SESSION_KEYS!.split(',').forEach((key, i) => (secrets[`session key ${i + 1}`] = key));
    const member = new Client(learner.url);
    const username = uniqueName('mentee');
    secrets.password = 'Learner-Pass-4242-xyz';
    assert.equal((await member.register(username, secrets.password)).status, 303);
    secrets['session cookie'] = member.cookies.get('stacklab.sid')!;
    const hash = learner.make('db-shell', {}, `SELECT password_hash FROM users WHERE username = '${username}';\n`).stdout.match(/\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/)?.[0];
    assert.ok(hash);
    secrets['bcrypt hash'] = hash;
    await member.get(`/no-such-page?password=${secrets.password}&token=${secrets.DB_PASSWORD}`);
    const planted = [
      JSON.stringify({ event: 'debug', password: secrets.password, cookie: `stacklab.sid=${secrets['session cookie']}` }),
      `connecting with ${secrets.DB_PASSWORD} as the app, hash ${secrets['bcrypt hash']}`,
    ].join('\n');
    const plant = learner.compose('exec', '-T', 'app', 'sh', '-c', `cat >> /var/log/stacklab/app.log <<'EOF'\n${planted}\nEOF`);
    assert.equal(plant.status, 0, plant.stderr);
    appendFileSync(file('app/src/config.ts'), `\n// const password = '${secrets.password}'; DB_ROOT_PASSWORD=${secrets.DB_ROOT_PASSWORD} ${hash}\n`);

    for (const state of ['up', 'down']) {
      if (state === 'down') assert.equal(run('down').status, 0);
      const made = run('help-report');
      assert.equal(made.status, 0, made.out);
      const report = readFileSync(path.resolve(learner.copy, /Wrote (\S+\.md)/.exec(made.out)![1]!), 'utf8');
      assert.match(report, /- docker: client /);
      assert.match(report, /^DB_PASSWORD=\[redacted\]$/m);
      assert.match(report, /M app\/src\/config\.ts/);
      for (const [what, value] of Object.entries(secrets)) assert.ok(!report.includes(value), `the report (stack ${state}) shows ${what}`);
      if (state === 'up') assert.match(report, /GET \/no-such-page\?password=\[redacted\]/);
    }
    undo('app');
  });
});
