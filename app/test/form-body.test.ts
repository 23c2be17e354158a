// Reading form bodies: the parser's rules one by one, then the same rules through the running app.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../src/errors.js';
import { parseUrlEncoded, readStringFields } from '../src/middleware/form-body.js';
import { buildTestApp } from './helpers.js';

/** A matcher for assert.throws: an AppError with this code and status. */
function appError(code: string, status: number) {
  return (err: unknown) => err instanceof AppError && err.code === code && err.status === status;
}

describe('parseUrlEncoded', () => {
  it('reads name=value pairs', () => {
    assert.deepEqual({ ...parseUrlEncoded('a=1&b=two', 50) }, { a: '1', b: 'two' });
  });

  it('decodes + as a space and %-escapes as UTF-8', () => {
    assert.deepEqual({ ...parseUrlEncoded('name=Jos%C3%A9+Mar%C3%ADa&sum=1%2B1', 50) }, { name: 'José María', sum: '1+1' });
  });

  it('reads a name without = as an empty value, and skips empty pairs', () => {
    assert.deepEqual({ ...parseUrlEncoded('flag&&x=', 50) }, { flag: '', x: '' });
  });

  it('turns a repeated name into an array (which readStringFields then refuses)', () => {
    assert.deepEqual({ ...parseUrlEncoded('a=1&a=2&a=3', 50) }, { a: ['1', '2', '3'] });
  });

  it('keeps a[b][c] as one flat field name: no nesting', () => {
    assert.deepEqual({ ...parseUrlEncoded('a[b][c]=1', 50) }, { 'a[b][c]': '1' });
  });

  it('stores __proto__ as an ordinary field and leaves Object.prototype alone', () => {
    const form = parseUrlEncoded('__proto__=x&__proto__[polluted]=yes&constructor[prototype][polluted]=yes', 50);
    assert.ok(Object.hasOwn(form, '__proto__'));
    assert.equal(form['__proto__'], 'x');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  it('refuses an invalid %-escape with 400', () => {
    assert.throws(() => parseUrlEncoded('a=%zz', 50), appError('BAD_FORM', 400));
    assert.throws(() => parseUrlEncoded('a=100%', 50), appError('BAD_FORM', 400));
  });

  it('refuses %-escapes that are not valid UTF-8, like %C3%28, with 400', () => {
    assert.throws(() => parseUrlEncoded('a=%C3%28', 50), appError('BAD_FORM', 400));
  });

  it('refuses more fields than allowed with 400, and accepts exactly the limit', () => {
    assert.throws(() => parseUrlEncoded('a=1&b=2&c=3', 2), appError('BAD_FORM', 400));
    assert.equal(Object.keys(parseUrlEncoded('a=1&b=2', 2)).length, 2);
  });
});

describe('readStringFields', () => {
  it('returns the named fields as strings, and "" for a missing one', () => {
    const form = { username: 'ada', password: 'x', extra: 'ignored' };
    assert.deepEqual(readStringFields(form, ['username', 'password', 'missing']), {
      username: 'ada',
      password: 'x',
      missing: '',
    });
  });

  it('does not read inherited properties such as toString', () => {
    assert.deepEqual(readStringFields({}, ['toString']), { toString: '' });
  });

  for (const [kind, value] of [
    ['an object', { $ne: '' }],
    ['an array', ['a', 'b']],
    ['a number', 42],
    ['null', null],
  ] as const) {
    it(`refuses a field that is ${kind} with NOT_A_STRING (400)`, () => {
      assert.throws(() => readStringFields({ username: value }, ['username']), appError('NOT_A_STRING', 400));
    });
  }
});

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
