// The doctor's reading of nginx's complaints and the app's log, on the texts both runners produce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appStartFinding, diagnosisParagraph, inLearnerPaths, learnerNginxPath, nginxConfigFinding, upstreamFinding } from '../course/diagnosis.js';

describe('diagnosis', () => {
  it('maps the rendered nginx paths of both runners to the learner\'s files', () => {
    assert.equal(learnerNginxPath('/home/a/stacklab/.stack/nginx/conf.next/snippets/proxy-to-app.conf'), 'nginx/snippets/proxy-to-app.conf');
    assert.equal(learnerNginxPath('/etc/nginx/snippets/response-headers.conf'), 'nginx/snippets/response-headers.conf');
    assert.equal(learnerNginxPath('/etc/nginx/conf.d/default.conf'), 'nginx/templates/stacklab.conf.template');
    assert.equal(learnerNginxPath('/x/.stack/nginx/conf/conf.d/stacklab.conf'), 'nginx/templates/stacklab.conf.template');
    assert.equal(learnerNginxPath('/etc/nginx/nginx.conf'), 'nginx/nginx.conf');
  });

  it('reads nginx -t as it comes from Docker', () => {
    const f = nginxConfigFinding('2026/12/07 10:00:00 [emerg] 1#1: unknown directive "add_heder" in /etc/nginx/snippets/response-headers.conf:12\nnginx: configuration file /etc/nginx/nginx.conf test failed');
    assert.equal(f.text, 'nginx refuses its configuration: nginx/snippets/response-headers.conf:12: unknown directive "add_heder"');
  });

  it('reads the app\'s log of its latest start only', () => {
    const old = JSON.stringify({ event: 'migration_failed', error: 'old.sql: migration files are named like 003-add-display-name.sql' });
    const lines = [old, JSON.stringify({ event: 'starting' }), JSON.stringify({ event: 'db_waiting', message: 'database not reachable yet (ER_ACCESS_DENIED_ERROR); retrying in 0.5s' })];
    assert.match(appStartFinding(lines)!.text, /refuses the app's user/);
    assert.equal(appStartFinding([old, JSON.stringify({ event: 'starting' }), JSON.stringify({ event: 'listening' })]), undefined);
  });

  it('finds the learner\'s line in a crash, not node_modules\' nor node\'s', () => {
    const lines = [
      JSON.stringify({ event: 'starting' }),
      'file:///p/app/dist/routes/auth.js:9',
      "TypeError: Cannot read properties of undefined (reading 'x')",
      '    at file:///p/app/node_modules/koa/lib/application.js:10:3',
      '    at file:///p/app/src/routes/auth.ts:12:7',
      JSON.stringify({ event: 'supervisor', message: 'app exited (code 1) without being asked to; starting it again in 1s' }),
    ];
    assert.equal(appStartFinding(lines)!.text, "the app crashes at start in app/src/routes/auth.ts:12: TypeError: Cannot read properties of undefined (reading 'x')");
  });

  it('ends a failed command with one paragraph', () => {
    const text = diagnosisParagraph([{ ok: true, text: 'mysql is running' }, { ok: false, text: 'a', next: 'b' }, { ok: false, text: 'c' }]);
    assert.equal(text, 'Diagnosis: a; c. Next step: b.');
  });
});

describe('nginx output in the learner\'s paths', () => {
  it('rewrites every rendered path nginx names, and leaves nginx\'s words alone', () => {
    const out = inLearnerPaths('nginx: [emerg] unknown directive "add_headr" in /p/.stack/nginx/conf.next/conf.d/stacklab.conf:42\nnginx: configuration file /p/.stack/nginx/conf.next/nginx.conf test failed');
    assert.equal(out, 'nginx: [emerg] unknown directive "add_headr" in nginx/templates/stacklab.conf.template:42\nnginx: configuration file nginx/nginx.conf test failed');
  });
});

describe('a setting the app refuses', () => {
  it('names the setting and sends the learner to .env', () => {
    const f = appStartFinding([
      JSON.stringify({ event: 'supervisor', message: 'app exited (code 1) without being asked to' }),
      'The app cannot start, its configuration is incomplete:',
      '  - BCRYPT_COST must be a whole number from 4 to 15, not "fast"',
      'Set these in .env (see .env.example for every variable and its meaning).',
      JSON.stringify({ event: 'supervisor', message: 'app exited (code 1) without being asked to; starting it again in 1s' }),
    ])!;
    assert.equal(f.text, 'the app stops at start: BCRYPT_COST must be a whole number from 4 to 15, not "fast"');
    assert.match(f.next!, /fix that setting in \.env/);
  });

  it('a 502 while the app runs: the address nginx tried, from its error log', () => {
    const log = [
      '2026/12/07 15:01:02 [error] 31#31: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET /healthz HTTP/1.1", upstream: "http://127.0.0.1:3999/healthz", host: "localhost:8080"',
      '2026/12/07 15:01:03 [notice] 30#30: signal process started',
    ];
    const f = upstreamFinding(log, '127.0.0.1:3000')!;
    assert.equal(f.text, "nginx answers 502 though the app runs (127.0.0.1:3000): nginx's error log says it tried http://127.0.0.1:3999 (Connection refused)");
    assert.match(f.next!, /proxy_pass in nginx\/snippets\/proxy-to-app\.conf/);
    assert.equal(upstreamFinding(log.slice(1), '127.0.0.1:3000'), undefined);
  });
});
