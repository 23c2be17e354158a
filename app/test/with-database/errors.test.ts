// Error responses: an HTML page for browsers, JSON for API clients, the request id on both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from './test-app.js';

describe('unknown address', () => {
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
