// Reading form bodies: the parser's rules one by one (the same rules through the running app: with-database/form-requests.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../src/errors.js';
import { parseUrlEncoded, readStringFields } from '../src/middleware/form-body.js';

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
