// Session timeouts, with the limits shortened to seconds so the tests can wait them out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, registerUser } from './test-app.js';

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
