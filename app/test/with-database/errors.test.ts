// Error responses: an HTML page for browsers, JSON for API clients, the request id on both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type Page } from './test-app.js';

describe('unknown address', () => {
  it('is every spelling of a route but the exact one: routes are case-sensitive and strict', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    assert.equal((await app.request('/login')).status, 200);
    for (const path of ['/LOGIN', '/Login', '/login/', '/account/', '/healthz/', '/HEALTHZ']) {
      assert.equal((await app.request(path)).status, 404, path);
    }
  });

  it('answers 404 with the error page', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/no-such-page', { headers: { accept: 'text/html' } });
    assert.equal(res.status, 404);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.body, /<h1>Page not found<\/h1>/);
    assert.match(res.body, /There is no page at this address\./);
    assert.match(res.body, /This page was sent by the app/); // the app's error.njk, not an nginx page
  });

  it('answers 404 as JSON to a client that asks for JSON', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/no-such-page', { headers: { accept: 'application/json' } });
    assert.equal(res.status, 404);
    const body = res.json<{ error: string; requestId: string }>();
    assert.equal(body.error, 'There is no page at this address.');
    assert.equal(typeof body.requestId, 'string');
  });

  it('shows the request id on the page: the same id as in the log line', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/no-such-page');
    const logged = app.log.lines.find((line) => line.event === 'request' && line.path === '/no-such-page');
    assert.ok(logged, 'the request was logged');
    assert.equal(logged.status, 404);
    assert.match(String(logged.requestId), /^[0-9a-f-]{36}$/, 'made by the app, as no X-Request-ID was sent');
    assert.ok(res.body.includes(`<code>${String(logged.requestId)}</code>`));
  });

  it('uses the request id nginx sends in X-Request-ID', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/no-such-page', { headers: { 'x-request-id': 'from-nginx-0123456789' } });
    assert.match(res.body, /<code>from-nginx-0123456789<\/code>/);
  });
});

describe('wrong method', () => {
  // The CSRF check runs before the routers (it needs the parsed body), so a POST without a valid
  // token is refused with 403 before any router could answer 405 Method Not Allowed.
  it('answers 403 to POST /account without a CSRF token', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/account', { method: 'POST', form: {}, headers: { accept: 'application/json' } });
    assert.equal(res.status, 403);
  });

  it('answers 405, with the allowed methods, to POST /account with a valid token', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const browser = app.browser();
    const _csrf = await browser.csrfFrom('/login');
    const res = await browser.post('/account', { _csrf });
    assert.equal(res.status, 405);
    assert.match(String(res.headers.allow), /GET/);
  });
});

describe('a database that is busy', () => {
  // With every connection taken, queries wait in the pool's queue (DB_POOL_SIZE × 20 of them); the
  // next one is refused at once by mysql2 ("Queue limit reached", an error without a code).
  it('answers 503 "database is busy" when the pool queue is full, and serves the queued requests once a connection is free', async (t) => {
    const app = await buildTestApp({ DB_POOL_SIZE: '1' });
    t.after(app.close);
    const browser = app.browser();
    const _csrf = await browser.csrfFrom('/login');
    const held = await app.pool.getConnection(); // the pool's only connection
    let released = false;
    t.after(() => (released ? undefined : held.release()));

    // 25 sign-ins at once, each needing the database first: 20 fill the queue, 5 find it full.
    const early: Page[] = [];
    const signIns = Array.from({ length: 25 }, () =>
      browser.post('/login', { _csrf, username: 'nobody-at-all', password: 'not-the-password-1' }, { accept: 'text/html' }).then((res) => {
        early.push(res);
        return res;
      }),
    );
    const deadline = Date.now() + 10_000;
    while (early.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(early.length, 5, 'five answers came while the connection was held');
    for (const res of early) {
      assert.equal(res.status, 503);
      assert.match(res.body, /The database is busy right now/);
      assert.equal(res.headers['retry-after'], '5');
    }
    held.release();
    released = true;
    const all = await Promise.all(signIns);
    assert.equal(all.filter((r) => r.status === 401).length, 20, 'the queued ones were answered normally');
    assert.equal(all.filter((r) => r.status === 503).length, 5);
    const logged = app.log.lines.filter((l) => l.event === 'request_failed' && l.status === 503);
    assert.equal(logged.length, 5);
    assert.match(String(logged[0]!.cause), /Queue limit reached/);
  });
});
