// The real server process (src/server.ts): a clean stop on SIGTERM, and a clear refusal to start
// when the configuration is incomplete.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, freePort } from '../browser.js';
import { testEnv } from './test-app.js';
import { startServer } from './server-process.js';


describe('SIGTERM', () => {
  // A sign-in form whose body is still arriving when the signal comes: the request is in flight.
  async function requestInFlightAtSigterm(t: TestContext, agent: http.Agent | false) {
    const port = await freePort();
    const server = startServer(t, testEnv({ APP_HOST: '127.0.0.1', APP_PORT: String(port) }));
    await server.logged('listening');
    const url = `http://127.0.0.1:${port}`;

    const browser = new Browser(url);
    const _csrf = await browser.csrfFrom('/login');
    const body = new URLSearchParams({ _csrf, username: 'nobody-here', password: 'not-the-password' }).toString();
    const request = http.request(`${url}/login`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        accept: 'application/json',
        cookie: browser.cookieHeader(),
      },
    });
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      request.on('response', resolve).on('error', reject);
    });
    request.write(body.slice(0, 10));
    await sleep(200); // the app has the headers and waits for the rest of the form

    server.child.kill('SIGTERM');
    await server.logged('stopping');
    request.end(body.slice(10));

    // The request gets the answer it would have got anyway: the form was checked against the database.
    const res = await response;
    res.resume();
    assert.equal(res.statusCode, 401);

    assert.equal(await server.exited(10_000), 0);
    assert.deepEqual(
      server.lines.filter((l) => ['stopping', 'stopped', 'stopped_forcefully'].includes(String(l.event))).map((l) => l.event),
      ['stopping', 'stopped'],
    );
  }

  it('lets a request in flight finish, then closes, logs "stopped" and exits with code 0', async (t) => {
    await requestInFlightAtSigterm(t, false); // a connection for this request only
  });

  it('also when the request in flight came on a keep-alive connection (as nginx sends them)', async (t) => {
    const agent = new http.Agent({ keepAlive: true });
    t.after(() => agent.destroy());
    await requestInFlightAtSigterm(t, agent);
  });

  it('does not wait for idle keep-alive connections (nginx keeps some open for 65 s)', async (t) => {
    const port = await freePort();
    const server = startServer(t, testEnv({ APP_HOST: '127.0.0.1', APP_PORT: String(port) }));
    await server.logged('listening');
    const agent = new http.Agent({ keepAlive: true });
    t.after(() => agent.destroy());
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`http://127.0.0.1:${port}/`, { agent }, resolve).on('error', reject);
    });
    res.resume();
    await once(res, 'end'); // the answer is complete: the connection is now idle
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers.connection, 'keep-alive');

    server.child.kill('SIGTERM');
    // Far sooner than the 75 s keep-alive timeout, and than the 10 s forced exit.
    assert.equal(await server.exited(3000), 0);
  });
});

describe('incomplete configuration', () => {
  it('exits with code 1 and names DB_PASSWORD when it is missing, without a stack trace', async (t) => {
    const env = testEnv({ APP_HOST: '127.0.0.1', APP_PORT: String(await freePort()) });
    delete env.DB_PASSWORD;
    const server = startServer(t, env);

    assert.equal(await server.exited(10_000), 1);
    assert.match(server.stderr(), /DB_PASSWORD is missing/);
    assert.doesNotMatch(server.stderr(), /^\s+at /m);
    assert.deepEqual(server.lines, [], 'nothing logged: the app did not start');
  });

  // Without HTTPS_ONLY=1 plain HTTP serves the site, and koa refuses to set a Secure cookie there:
  // every form page was a 500.
  it('refuses COOKIE_SECURE=true without HTTPS_ONLY=1 at start, in one sentence, instead of failing every page', async (t) => {
    const server = startServer(t, testEnv({ APP_HOST: '127.0.0.1', APP_PORT: String(await freePort()), COOKIE_SECURE: 'true' }));
    assert.equal(await server.exited(10_000), 1);
    assert.match(server.stderr(), /COOKIE_SECURE=true needs HTTPS_ONLY=1 \(plain HTTP would get no cookie back\): set HTTPS_ONLY=1, or leave COOKIE_SECURE empty\./);
    assert.doesNotMatch(server.stderr(), /^\s+at /m);
    assert.deepEqual(server.lines, [], 'nothing logged: the app did not start');
  });
});

describe('migrations at start', () => {
  it('run as the migration user: a wrong DB_MIGRATION_PASSWORD stops the start with a line that says what to do', async (t) => {
    const server = startServer(t, testEnv({ APP_HOST: '127.0.0.1', APP_PORT: String(await freePort()), DB_MIGRATION_PASSWORD: 'not-the-password' }));
    const failed = await server.logged('migration_failed', 15_000);
    assert.match(String(failed.message), /refused the migration user stacklab_migrate.*make up creates it/);
    assert.equal(await server.exited(10_000), 1);
  });
});
