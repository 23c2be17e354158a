// The redaction rules: what the app logs and what the inspector shows never hold a secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, redactFields, redactHeader, redactQuery, redactRawHeaders, redactResponseHeaders, redactText } from '../src/security/redact.js';

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

describe('redactText (free text: logs, diffs, reports)', () => {
  it('replaces secrets after secret-looking names, in JSON, assignments, queries and header lines', () => {
    const text = [
      '{"event":"debug","password":"Hunter2 x","username":"ann"}',
      "+const dbPassword = 'hunter2secret';",
      'DB_PASSWORD=s3cr3t',
      'GET /login?password=x&next=/',
      'Cookie: stacklab.sid=abc; theme=dark',
      '< Set-Cookie: stacklab.sid=abcd; path=/; httponly',
      'Authorization: Bearer abc.def',
    ].join('\n');
    assert.equal(
      redactText(text),
      [
        '{"event":"debug","password":"[redacted]","username":"ann"}',
        "+const dbPassword = '[redacted]';",
        'DB_PASSWORD=[redacted]',
        'GET /login?password=[redacted]&next=/',
        'Cookie: stacklab.sid=[redacted]; theme=[redacted]',
        '< Set-Cookie: stacklab.sid=[redacted]; path=/; httponly',
        'Authorization: Bearer [redacted]',
      ].join('\n'),
    );
  });

  it('replaces session cookies and bcrypt hashes wherever they are, and leaves other text alone', () => {
    const hash = '$2b$12$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyz01234';
    assert.equal(redactText(`saw stacklab.sid=xyz and ${hash}.`), 'saw stacklab.sid=[redacted] and [redacted].');
    const harmless = '{"event":"session_created","userId":3,"set-cookie":["a=[redacted]"]}';
    assert.equal(redactText(harmless), harmless);
  });
});

describe('redactText inside a harmless value', () => {
  it('redacts a password in the request line nginx quotes in its error log', () => {
    const line = '[error] 21#21: *326 connect() failed, request: "GET /nope?password=Pass-4242&token=abc HTTP/1.1", upstream: "http://app:3000/nope?password=Pass-4242"';
    const safe = redactText(line);
    assert.ok(!safe.includes('Pass-4242'), safe);
    assert.match(safe, /request: "GET \/nope\?password=\[redacted\]&token=\[redacted\] HTTP\/1\.1"/);
  });
});
