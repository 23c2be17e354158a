// The break-and-diagnose labs (docs/labs/), proven on one stack in a copy of the project as a learner
// has it (native runner). For each lab: make break NAME, then
//  - make check lab-NAME says not yet, and make doctor names the cause (where the doctor can see it);
//  - plausible wrong fixes are refused, with a reason that names the mistake (each is taken back to
//    the broken state before the next);
//  - make unbreak alone is refused as "undone, not fixed";
//  - broken again and fixed by the reference fix (make solution lab-NAME APPLY=1 FORCE=1), it passes,
//    and the files are as they were before the lab.
// LABS_ONLY=wrong-port,bad-setting tries only those labs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadLabs } from '../../tools/course/labs.js';
import { loadHints } from '../../tools/course/exercises.js';
import { freePort } from '../../tools/lib/ports.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';

type WrongFix = { what: string; edit: (text: string) => string; file: string; then?: string[]; refused: RegExp };
type LabCase = { doctor?: RegExp; wrongFixes: WrongFix[] };

const cases: Record<string, LabCase> = {
  'wrong-port': {
    doctor: /✗ nginx answers 502 though the app runs .*nginx's error log says it tried http:\/\/127\.0\.0\.1:3999 \(Connection refused\)/,
    wrongFixes: [
      { what: 'the file fixed, but nginx not reloaded', file: 'nginx/snippets/proxy-to-app.conf', edit: (t) => t.replace('127.0.0.1:3999', 'stacklab_app'), refused: /nginx still runs it: make reload/ },
      { what: 'proxy_pass to the app\'s own port, past the upstream group', file: 'nginx/snippets/proxy-to-app.conf', edit: (t) => t.replace(/127\.0\.0\.1:3999/, `127.0.0.1:${'APP_PORT'}`), then: ['reload'], refused: /a single address, not the upstream group/ },
    ],
  },
  'restart-typo': {
    doctor: /✗ nginx refuses its configuration: nginx\/snippets\/response-headers\.conf:\d+: /,
    wrongFixes: [
      { what: 'the broken line deleted', file: 'nginx/snippets/response-headers.conf', edit: (t) => t.replace(/^add_header X-Frame-Options "DENY" always\n/m, ''), then: ['restart', 'SERVICE=nginx'], refused: /without X-Frame-Options: DENY/ },
      { what: 'the file fixed, but nginx not started again', file: 'nginx/snippets/response-headers.conf', edit: (t) => t.replace(/always$/m, 'always;'), refused: /Nothing answers|could not reach|did not answer/ },
    ],
  },
  'bad-setting': {
    doctor: /✗ .*SESSION_IDLE_TIMEOUT_S/,
    wrongFixes: [
      { what: '30 (seconds, not minutes)', file: '.env', edit: (t) => t.replace(/^SESSION_IDLE_TIMEOUT_S=.*$/m, 'SESSION_IDLE_TIMEOUT_S=30'), then: ['restart', 'SERVICE=app'], refused: /after 30 seconds; the team asked for 30 minutes/ },
      { what: '.env fixed, but the app not restarted', file: '.env', edit: (t) => t.replace(/^SESSION_IDLE_TIMEOUT_S=.*$/m, 'SESSION_IDLE_TIMEOUT_S=1800'), refused: /the app behind it does not/ },
    ],
  },
  'route-typo': {
    doctor: /✗ the app crashes at start in app\/src\/routes\/account\.ts:\d+: .*Missing parameter name/,
    wrongFixes: [
      { what: 'the route deleted', file: 'app/src/routes/account.ts', edit: (t) => t.replace(/^ {2}router\.get\('\/account\/:'.*\n/m, ''), then: ['restart', 'SERVICE=app'], refused: /GET \/account answered 404/ },
      { what: 'a parameter name added: /account/:name', file: 'app/src/routes/account.ts', edit: (t) => t.replace("'/account/:'", "'/account/:name'"), then: ['restart', 'SERVICE=app'], refused: /GET \/account answered 404/ },
    ],
  },
  'static-folder': {
    // nginx -t passes and the site answers; the doctor asks for the stylesheet and reads nginx's error log.
    doctor: /✗ GET \/static\/css\/site\.css answered 404, though app\/public\/css\/site\.css is there: nginx's error log says it tried app\/public\/css\/css\/site\.css \(No such file or directory\)/,
    wrongFixes: [
      { what: 'root instead of alias', file: 'nginx/templates/stacklab.conf.template', edit: (t) => t.replace('alias "${STATIC_ROOT}/css/";', 'root "${STATIC_ROOT}/";'), then: ['reload'], refused: /GET \/static\/css\/site\.css answered 404/ },
      { what: '/static/ sent to the app', file: 'nginx/templates/stacklab.conf.template', edit: (t) => t.replace('alias "${STATIC_ROOT}/css/";', 'include snippets/proxy-to-app.conf;'), then: ['reload'], refused: /answered 404|came from the app/ },
    ],
  },
  'leaked-connections': {
    doctor: /✗ requests wait for a database connection, yet the app holds \d+ \(DB_POOL_SIZE=10\), all idle/,
    wrongFixes: [
      { what: 'the app restarted, the code unchanged', file: 'app/src/db/pool.ts', edit: (t) => t, then: ['restart', 'SERVICE=app'], refused: /request \d+ of 15 to \/healthz got no answer/ },
      {
        what: 'release() after a statement that succeeds only',
        file: 'app/src/db/pool.ts',
        edit: (t) => t.replace('      return result;\n', '      conn.release();\n      return result;\n'),
        then: ['restart', 'SERVICE=app'],
        refused: /after a statement fails, its connection is not given back/,
      },
    ],
  },
};

describe('the break-and-diagnose labs: broken, diagnosed, wrong fixes refused, unbreak is not a fix, the reference fix passes', () => {
  let copy = '';
  let env: NodeJS.ProcessEnv = {};
  let appPort = 0;
  const make = (...args: string[]) => {
    const r = spawnSync('make', ['--no-print-directory', ...args], { cwd: copy, env, encoding: 'utf8', timeout: 300_000 });
    return `${r.stdout}${r.stderr}`;
  };
  const file = (name: string) => path.join(copy, name);
  const passes = (out: string) => /Fixed!/.test(out);

  before(async () => {
    copy = copyProject('stacklab-labs-', { asClone: true });
    appPort = await freePort();
    env = cleanEnv({ STACK: 'native', HTTP_PORT: String(await freePort()), HTTPS_PORT: String(await freePort()), APP_PORT: String(appPort), DB_PORT: String(await freePort()) });
    const up = spawnSync('make', ['up'], { cwd: copy, env, encoding: 'utf8', timeout: 600_000 });
    assert.equal(up.status, 0, `${up.stdout}${up.stderr}`);
  });

  after(() => {
    if (!copy) return;
    make('down');
    rmSync(copy, { recursive: true, force: true });
  });

  it('every lab in the manifest has a README, hints, a reference fix, a check and a case here', () => {
    for (const lab of loadLabs()) {
      for (const name of ['README.md', 'hints.md', 'solution.md', 'check.ts']) assert.ok(readFileSync(path.join(lab.dir, name), 'utf8').length > 0, `${lab.name}/${name}`);
      assert.ok(loadHints(lab).length >= 2, `${lab.name}: at least two hints`);
      assert.ok(cases[lab.name], `a test case for lab ${lab.name}`);
    }
    assert.ok(Object.keys(cases).length >= 4);
  });

  it('a lab not broken yet has nothing to fix', () => {
    const out = make('check', 'lab-wrong-port');
    assert.match(out, /not broken yet/, out);
    assert.ok(!passes(out), out);
  });

  const only = (process.env.LABS_ONLY ?? '').split(',').filter(Boolean);
  for (const [name, labCase] of Object.entries(cases).filter(([n]) => only.length === 0 || only.includes(n))) {
    it(`lab ${name}`, (t) => {
      // A failure here leaves the lab broken: undo it, so the next lab starts from a working stack.
      t.after(() => void make('unbreak'));
      const before = Object.fromEntries(['.env', ...labCase.wrongFixes.map((w) => w.file)].map((f) => [f, readFileSync(file(f), 'utf8')]));
      const broke = make('break', name);
      assert.match(broke, /Something in your stack just broke/, broke);
      const check = make('check', `lab-${name}`);
      assert.ok(!passes(check) && /not yet|error/.test(check), `broken: ${check}`);
      if (labCase.doctor) {
        const doctor = make('doctor');
        assert.match(doctor, labCase.doctor, doctor);
      }
      assert.match(make('break', 'wrong-port'), /broken already|still broken/, 'one lab at a time');

      for (const wrong of labCase.wrongFixes) {
        const broken = readFileSync(file(wrong.file), 'utf8');
        writeFileSync(file(wrong.file), wrong.edit(broken).replaceAll('APP_PORT', String(appPort)));
        if (wrong.then) make(...wrong.then);
        const out = make('check', `lab-${name}`);
        assert.ok(!passes(out) && /not yet|error/.test(out), `wrong fix "${wrong.what}" must be refused: ${out}`);
        assert.match(out, wrong.refused, `wrong fix "${wrong.what}": the reason names the mistake`);
        // Back to the broken lab, applied, for the next answer. (After the last one, make unbreak
        // below starts from this wrong fix, as a learner who gives up would.)
        if (wrong === labCase.wrongFixes.at(-1)) break;
        // (A wrong fix that changed no file, only restarted something, needs nothing put back.)
        if (wrong.edit(broken) === broken) continue;
        writeFileSync(file(wrong.file), broken);
        if (wrong.then?.[0] === 'reload' || wrong.file.startsWith('nginx/')) make('restart', 'SERVICE=nginx');
        if (wrong.file === '.env' || wrong.file.startsWith('app/')) make('restart', 'SERVICE=app');
      }

      const unbroken = make('unbreak');
      assert.match(unbroken, new RegExp(`lab ${name} back`), unbroken);
      const afterUnbreak = make('check', `lab-${name}`);
      assert.match(afterUnbreak, /undone, not fixed/, afterUnbreak);
      assert.ok(!passes(afterUnbreak), afterUnbreak);

      assert.match(make('break', name), /just broke/);
      const applied = make('solution', `lab-${name}`, 'APPLY=1', 'FORCE=1');
      assert.match(applied, /Applied the reference fix/, applied);
      const fixed = make('check', `lab-${name}`);
      assert.ok(passes(fixed), `the reference fix passes: ${fixed}`);
      for (const [f, text] of Object.entries(before)) assert.equal(readFileSync(file(f), 'utf8'), text, `${f} as before the lab`);
      assert.match(make('unbreak'), /No lab is broken/);
    });
  }
});
