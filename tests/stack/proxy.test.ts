// What nginx does on its own: static files, error pages, limits, headers, request ids, reload.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '../../tools/lib/ports.js';
import { Client, type Response } from '../../tools/lib/http-client.js';
import { accessLogLines, appLogLines } from '../../tools/testing/stack-logs.js';
import { cleanEnv } from '../../tools/testing/project-copy.js';
import { repoRoot } from '../../tools/lib/repo.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { url, info, stack } = currentTestStack();

const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'x-request-id',
];

function assertSecurityHeaders(res: Response, what: string) {
  for (const name of SECURITY_HEADERS) assert.ok(res.headers[name], `${name} on ${what} (${res.status})`);
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers.server, 'nginx', `no version in the Server header on ${what}`);
}

describe('security headers on every kind of response', () => {
  it('200, 302, 404, 413 and 429 all carry them', async () => {
    const client = new Client(url);
    const ok = await client.get('/');
    assert.equal(ok.status, 200);
    assertSecurityHeaders(ok, 'a page');
    const redirect = await client.get('/account');
    assert.equal(redirect.status, 302);
    assertSecurityHeaders(redirect, 'a redirect');
    const missing = await client.get('/no-such-page');
    assert.equal(missing.status, 404);
    assertSecurityHeaders(missing, "the app's 404");
    const missingStatic = await client.get('/static/no-such-file.css');
    assert.equal(missingStatic.status, 404);
    assertSecurityHeaders(missingStatic, "nginx's 404");
    const big = await client.request('/login', { method: 'POST', body: 'x'.repeat(64 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(big.status, 413);
    assertSecurityHeaders(big, 'a 413');
    assert.match(big.body, /Request too large/);

    const flooder = new Client(url);
    let limited: Response | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await flooder.post('/login', { username: 'x', password: 'y' });
      if (res.status === 429) limited = res;
    }
    assert.ok(limited, 'rapid sign-in posts from one address get 429');
    assertSecurityHeaders(limited, 'a 429');
    assert.match(limited.body, /Too many requests/);
  });
});

describe('rate limit', () => {
  it('answers 429 after rapid sign-ins from one address, but not for other addresses or for GET', async () => {
    const flooder = new Client(url);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await flooder.post('/login', { username: 'x', password: 'y' })).status);
    assert.ok(statuses.includes(429), `statuses: ${statuses.join(' ')}`);
    assert.notEqual(statuses[0], 429, 'the first posts get through');
    assert.equal((await flooder.get('/login')).status, 200, 'showing the form is never limited');
    assert.equal((await new Client(url).get('/login')).status, 200);
  });
});

describe('static files', () => {
  it('are served by nginx even with the app stopped', async () => {
    await stack.app.stop();
    try {
      const css = await new Client(url).get('/static/css/site.css');
      assert.equal(css.status, 200);
      assert.match(css.headers['content-type'] ?? '', /text\/css/);
      assert.match(String(css.headers['cache-control']), /max-age=/);
      const lines = await accessLogLines(info, (l) => l.request_id === css.headers['x-request-id']);
      assert.equal(lines[0]?.upstream_addr, '', 'nginx answered without asking the app');
    } finally {
      await stack.app.start();
    }
  });
});

describe('when the app is down', () => {
  it('nginx answers with its 502 page (with security headers), then serves again once the app is back', async () => {
    await stack.app.stop();
    try {
      const res = await new Client(url).get('/');
      assert.equal(res.status, 502);
      assert.match(res.body, /not answering/i);
      assert.match(res.body, /nginx/);
      assertSecurityHeaders(res, 'a 502');
    } finally {
      await stack.app.start();
    }
    const back = await new Client(url).get('/');
    assert.equal(back.status, 200);
  });
});

describe('request id', () => {
  it('is the same in the response, the nginx log line and the app log line', async () => {
    const res = await new Client(url).get('/');
    const id = String(res.headers['x-request-id']);
    assert.match(id, /^[0-9a-f]{32}$/);
    const nginxLines = await accessLogLines(info, (l) => l.request_id === id);
    assert.equal(nginxLines.length, 1);
    assert.equal(nginxLines[0]!.status, 200);
    assert.ok(nginxLines[0]!.upstream_addr, 'nginx passed it to the app');
    const appLines = await appLogLines(info, (l) => l.event === 'request' && l.requestId === id);
    assert.equal(appLines.length, 1);
    assert.equal(appLines[0]!.path, '/');
  });

  it('passes on a well-formed id sent by the client, and replaces a malformed one', async () => {
    const mine = `trace-${Date.now()}`;
    const kept = await new Client(url).get('/', { 'x-request-id': mine });
    assert.equal(kept.headers['x-request-id'], mine);
    const replaced = await new Client(url).get('/', { 'x-request-id': 'bad id with spaces"{}' });
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f]{32}$/);
  });
});

describe('make reload', () => {
  const nginxCopy = mkdtempSync(path.join(os.tmpdir(), 'stacklab-nginx-'));
  cpSync(path.join(repoRoot, 'nginx'), nginxCopy, { recursive: true });
  const template = path.join(nginxCopy, 'templates/stacklab.conf.template');
  const original = readFileSync(template, 'utf8');
  const makeReload = () =>
    spawnSync('make', ['--no-print-directory', 'reload'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: cleanEnv({ STACK: 'native', STACK_STATE_DIR: info.stateDir, STACK_ENV_FILE: info.envFile, STACK_NGINX_DIR: nginxCopy }),
    });
  after(() => {
    // Leave the stack on the project's own config.
    spawnSync('make', ['--no-print-directory', 'reload'], {
      cwd: repoRoot,
      env: cleanEnv({ STACK: 'native', STACK_STATE_DIR: info.stateDir, STACK_ENV_FILE: info.envFile }),
    });
    rmSync(nginxCopy, { recursive: true, force: true });
  });

  it('applies a valid change without stopping', async () => {
    writeFileSync(template, original.replace('location / {', 'location / {\n        add_header X-Lesson "reloaded" always;\n        include snippets/response-headers.conf;'));
    const result = makeReload();
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.ok(await waitFor(async () => (await new Client(url).get('/')).headers['x-lesson'] === 'reloaded', 5000));
  });

  it("refuses a broken config with nginx's own message, and keeps serving", async () => {
    // A typo in a directive name, as a learner might make.
    writeFileSync(template, original.replace('server_name _;', 'server_name _;\n    add_headr X-Typo "1";'));
    const result = makeReload();
    assert.notEqual(result.status, 0);
    assert.match(result.stdout + result.stderr, /nginx: \[emerg\] unknown directive "add_headr"/);
    assert.match(result.stdout, /refused/);
    const res = await new Client(url).get('/');
    assert.equal(res.status, 200);
  });
});
