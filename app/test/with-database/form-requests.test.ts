// Malformed form bodies sent to the whole app: each gets its own clear status, before any CSRF check.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from './test-app.js';

// The body is read before the CSRF check, so a malformed body gets its own status, not 403.
describe('form bodies sent to the app', () => {
  const json = { accept: 'application/json' };

  it('answers 413 to a body over 16 KB', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/login', {
      method: 'POST',
      body: `username=${'a'.repeat(17 * 1024)}`,
      // Sent as nginx sends every request.
      headers: { ...json, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.7' },
    });
    assert.equal(res.status, 413);
    assert.match(res.json<{ error: string }>().error, /too large/);
  });

  // The client address then comes from the socket, which must still be there when the request is logged.
  it('answers 413 to a body over 16 KB from a client that connects directly (no X-Forwarded-For)', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/login', {
      method: 'POST',
      body: `username=${'a'.repeat(64 * 1024)}`,
      headers: { ...json, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 413);
    const line = app.log.lines.find((l) => l.event === 'request' && l.status === 413);
    assert.equal(line?.ip, '127.0.0.1', 'the request is logged with its address');
  });

  it('answers 415 to a POST body that is neither urlencoded nor JSON', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/login', {
      method: 'POST',
      body: 'username=ada',
      headers: { ...json, 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 415);
  });

  it('answers 400 to invalid JSON', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/login', {
      method: 'POST',
      body: '{"username": ',
      headers: { ...json, 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.match(res.json<{ error: string }>().error, /not valid JSON/);
  });

  it('answers 400 to raw bytes that are not valid UTF-8', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/login', {
      method: 'POST',
      body: Buffer.concat([Buffer.from('username='), Buffer.from([0xc3, 0x28])]),
      headers: { ...json, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 400);
    assert.match(res.json<{ error: string }>().error, /not valid UTF-8/);
  });

  it('answers 403 to a well-formed body without a CSRF token', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const res = await app.request('/login', { method: 'POST', form: { username: 'ada', password: 'x' }, headers: json });
    assert.equal(res.status, 403);
  });
});
