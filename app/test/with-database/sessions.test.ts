// Session timeouts, with the limits shortened to seconds so the tests can wait them out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RowDataPacket } from 'mysql2/promise';
import { createPool } from '../../src/db/pool.js';
import { sessionRowId } from '../../src/middleware/session.js';
import { freePort } from '../browser.js';
import { startServer } from './server-process.js';
import { buildTestApp, GOOD_PASSWORD, registerUser, testConfig, testEnv } from './test-app.js';

describe('idle timeout', () => {
  it('signs the user out after SESSION_IDLE_TIMEOUT_S without a request', async (t) => {
    const app = await buildTestApp({ SESSION_IDLE_TIMEOUT_S: '2' });
    t.after(app.close);
    const browser = app.browser();
    await registerUser(browser, 'idle');
    assert.equal((await browser.get('/account')).status, 200);

    await sleep(2500); // longer than the 2 s idle limit
    const res = await browser.get('/account');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
  });
});

describe('absolute timeout', () => {
  it('keeps an active user signed in, but only for SESSION_ABSOLUTE_TIMEOUT_S after sign-in', async (t) => {
    const app = await buildTestApp({ SESSION_IDLE_TIMEOUT_S: '60', SESSION_ABSOLUTE_TIMEOUT_S: '3' });
    t.after(app.close);
    const browser = app.browser();
    await registerUser(browser, 'absolute');
    const signedInAt = Date.now();

    // A request every second: never idle, so only the absolute limit can end the session.
    for (let second = 1; second <= 2; second++) {
      await sleep(1000);
      assert.equal((await browser.get('/account')).status, 200, `still signed in after ${second} s`);
    }

    await sleep(Math.max(0, signedInAt + 3300 - Date.now()));
    const home = await browser.get('/');
    assert.equal(home.status, 200);
    assert.match(home.body, /You are not signed in/);
    const account = await browser.get('/account');
    assert.equal(account.status, 302);
    assert.equal(account.headers.location, '/login');
  });

  it('redirects to /login when the first request after the absolute timeout is /account', async (t) => {
    const app = await buildTestApp({ SESSION_IDLE_TIMEOUT_S: '60', SESSION_ABSOLUTE_TIMEOUT_S: '2' });
    t.after(app.close);
    const browser = app.browser();
    await registerUser(browser, 'absolute-first');
    await sleep(2300);
    const account = await browser.get('/account');
    assert.equal(account.status, 302);
    assert.equal(account.headers.location, '/login');
    assert.equal((await browser.get('/login')).status, 200, 'the sign-in form works in the new session');
  });
});

describe('sessions that cost nothing until used', () => {
  it('writes no row for the forms, the home page or a refused /account, and one at sign-in', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const browser = app.browser();
    for (const path of ['/', '/login', '/register', '/account', '/login']) {
      await browser.get(path);
      assert.equal(browser.cookies.get('stacklab.sid'), undefined, `no session cookie after GET ${path}`);
    }
    await registerUser(browser, 'lazy');
    const sid = browser.cookies.get('stacklab.sid');
    assert.ok(sid, 'a session once signed in');
    const [rows] = await app.pool.query<RowDataPacket[]>('SELECT user_id FROM sessions WHERE id = ?', [sessionRowId(sid)]);
    assert.equal(rows.length, 1);
    assert.equal(typeof rows[0]!.user_id, 'number', 'the one row belongs to the signed-in user');
  });

  it('a session that ended (absolute timeout) during a sign-in is replaced by a new one', async (t) => {
    const app = await buildTestApp({ SESSION_IDLE_TIMEOUT_S: '60', SESSION_ABSOLUTE_TIMEOUT_S: '2' });
    t.after(app.close);
    const browser = app.browser();
    const name = await registerUser(browser, 'relogin');
    const old = browser.cookies.get('stacklab.sid');
    await sleep(2300);
    const _csrf = await browser.csrfFrom('/login');
    const res = await browser.post('/login', { _csrf, username: name, password: GOOD_PASSWORD });
    assert.equal(res.status, 303);
    assert.notEqual(browser.cookies.get('stacklab.sid'), old);
    assert.equal((await browser.get('/account')).status, 200);
  });
});

describe('expired sessions', () => {
  it('are purged when the app starts, all of them (1,000 at a time), and live ones are kept', async (t) => {
    const pool = createPool(testConfig().db);
    t.after(() => pool.end());
    const tag = `purge-${Date.now().toString(36)}`;
    const past = new Date(Date.now() - 60_000);
    const expired = Array.from({ length: 1500 }, (_, i) => [`${tag}-${i}`.padEnd(64, 'x'), null, '{}', past]);
    const live = [`${tag}-live`.padEnd(64, 'x'), null, '{}', new Date(Date.now() + 3_600_000)];
    await pool.query('INSERT INTO sessions (id, user_id, data, expires_at) VALUES ?', [[...expired, live]]);

    const server = startServer(t, testEnv({ APP_HOST: '127.0.0.1', APP_PORT: String(await freePort()) }));
    const purged = await server.logged('sessions_purged', 20_000);
    assert.ok(Number(purged.removed) >= 1500, `removed ${String(purged.removed)}`);
    await server.logged('listening', 10_000);
    const [left] = await pool.query<RowDataPacket[]>('SELECT id FROM sessions WHERE id LIKE ?', [`${tag}-%`]);
    assert.deepEqual(left.map((r) => String(r.id)), [live[0]]);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited(10_000), 0);
  });
});
