// The redaction rules: what the app logs and what the inspector shows never hold a secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, redactFields, redactHeader, redactQuery, redactRawHeaders, redactResponseHeaders } from '../src/security/redact.js';

describe('redaction', () => {
  it('keeps cookie names and hides their values', () => {
    assert.equal(redactHeader('Cookie', 'stacklab.sid=abc; stacklab.sid.sig=def'), `stacklab.sid=${REDACTED}; stacklab.sid.sig=${REDACTED}`);
  });

  it('keeps a Set-Cookie name and its flags, hides the value', () => {
    assert.equal(redactHeader('set-cookie', 'stacklab.sid=abc; path=/; httponly'), `stacklab.sid=${REDACTED}; path=/; httponly`);
    assert.deepEqual(redactResponseHeaders({ 'set-cookie': ['a=1; path=/', 'b=2'], 'content-type': 'text/html' }), {
      'set-cookie': [`a=${REDACTED}; path=/`, `b=${REDACTED}`],
      'content-type': 'text/html',
    });
  });

  it('keeps the scheme of credentials and hides the rest', () => {
    assert.equal(redactHeader('Authorization', 'Bearer secret-token'), `Bearer ${REDACTED}`);
    assert.deepEqual(redactRawHeaders(['Host', 'x', 'X-CSRF-Token', 'abc']), [['Host', 'x'], ['X-CSRF-Token', REDACTED]]);
  });

  it('hides every field whose name says it is a secret, whatever the form calls it', () => {
    assert.deepEqual(redactFields({ username: 'ada', password: 'p', password_confirm: 'p', _csrf: 't', api_token: 'k', sessionId: 's' }), {
      username: 'ada',
      password: REDACTED,
      password_confirm: REDACTED,
      _csrf: REDACTED,
      api_token: REDACTED,
      sessionId: REDACTED,
    });
  });

  it('hides secret-looking query parameters and keeps the others', () => {
    assert.equal(redactQuery('page=2&password=hunter2&token=x'), `page=2&password=${REDACTED}&token=${REDACTED}`);
  });
});
