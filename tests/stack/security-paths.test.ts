// The layers agree on paths: every spelling of /login and /register that reaches the app's sign-in
// or registration handler is rate-limited by nginx, and the app serves the exact spellings only
// (any other is a 404). Tested both ways round, straight to the app and through nginx, because
// each layer alone must hold: nginx limits paths, the app routes them.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { queryAsRoot } from '../../tools/testing/database.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { url, info, stack } = currentTestStack();
const appUrl = `http://127.0.0.1:${stack.settings.ports.app}`;
const burst = stack.settings.authLimit.burst;

// Other spellings of the two paths: case, a trailing slash, repeated slashes, %-escapes (%6C is
// "l", %2F is "/"), a ";" suffix, dot segments. nginx reads each of them as /login or /register, or
// as a path that starts so; Node and Koa leave them as they are.
const OTHER_LOGIN_SPELLINGS = ['/LOGIN', '/Login', '/login/', '/LOGIN/', '//login', '/%6Cogin', '/%6cogin', '/log%69n', '/login%2F', '/login;x', '/./login', '/x/../login'];
const OTHER_REGISTER_SPELLINGS = ['/REGISTER', '/Register', '/register/', '//register', '/%72egister', '/register;x'];

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A POST with `path` sent exactly as written: no URL parsing (which would turn //login into a host name). */
function postRaw(base: string, path: string, client: Client, form: Record<string, string>): Promise<Answer> {
  const { hostname, port } = new URL(base);
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: hostname,
        port,
        path,
        method: 'POST',
        localAddress: client.localAddress,
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: client.cookieHeader() },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to POST ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function userExists(username: string): Promise<boolean> {
  return (await queryAsRoot(info, 'SELECT id FROM users WHERE username = ?', [username])).length > 0;
}

describe('the app routes the exact paths only (straight to the app, no nginx in front)', () => {
  it('signs in at /login (with or without a query string), and answers 404 to every other spelling, even with the right password', async () => {
    const name = uniqueName('paths');
    assert.equal((await new Client(url).register(name, GOOD_PASSWORD)).status, 303);
    for (const path of ['/login', '/login?next=1', ...OTHER_LOGIN_SPELLINGS]) {
      const visitor = new Client(appUrl);
      const _csrf = await visitor.csrfFrom('/login');
      const res = await postRaw(appUrl, path, visitor, { _csrf, username: name, password: GOOD_PASSWORD });
      const expected = path.startsWith('/login?') || path === '/login' ? 303 : 404;
      assert.equal(res.status, expected, `POST ${path} straight to the app`);
    }
  });

  it('registers at /register only: every other spelling is a 404 and creates nobody', async () => {
    for (const path of OTHER_REGISTER_SPELLINGS) {
      const visitor = new Client(appUrl);
      const _csrf = await visitor.csrfFrom('/register');
      const name = uniqueName('spelling');
      const res = await postRaw(appUrl, path, visitor, { _csrf, username: name, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
      assert.equal(res.status, 404, `POST ${path} straight to the app`);
      assert.equal(await userExists(name), false, `${path} created no user`);
    }
  });
});

describe('nginx limits every spelling that starts like /login or /register', () => {
  // One visitor (its own address, so its own allowance) per spelling, sending 1 + AUTH_BURST + 2
  // posts of a wrong password at once (all at once, so that the allowance does not refill meanwhile,
  // however slow the sign-ins are): nginx lets 1 + AUTH_BURST through and answers the rest 429 by
  // itself. Every answer that got through is the app's: 401 for the real path, 404 for the others.
  for (const path of ['/login', '/login?next=1', ...OTHER_LOGIN_SPELLINGS, '/register', ...OTHER_REGISTER_SPELLINGS]) {
    it(`POST ${path}: limited after ${burst + 1} posts`, async () => {
      const visitor = new Client(url);
      const _csrf = await visitor.csrfFrom('/login');
      const answers = await Promise.all(
        Array.from({ length: burst + 3 }, (_, i) => postRaw(url, path, visitor, { _csrf, username: 'nobody-at-all', password: `guess-number-${i}` })),
      );
      const statuses = answers.map((res) => res.status).sort();
      const limited = answers.filter((res) => res.status === 429);
      assert.ok(limited.length >= 1, `statuses: ${statuses.join(' ')}`);
      for (const res of limited) assert.equal(res.headers['x-app-instance'], undefined, 'the 429 comes from nginx, not the app');
      const served = path.startsWith('/login?') || path === '/login' ? 401 : path === '/register' ? 422 : 404;
      assert.ok(statuses.every((s) => s === served || s === 429), `statuses: ${statuses.join(' ')}`);
    });
  }

  it('the right password sent to /LOGIN through nginx signs nobody in', async () => {
    const name = uniqueName('upper');
    assert.equal((await new Client(url).register(name, GOOD_PASSWORD)).status, 303);
    const visitor = new Client(url);
    const _csrf = await visitor.csrfFrom('/login');
    const res = await postRaw(url, '/LOGIN', visitor, { _csrf, username: name, password: GOOD_PASSWORD });
    assert.equal(res.status, 404);
    assert.equal((await visitor.get('/account')).status, 302, 'still signed out');
  });
});
