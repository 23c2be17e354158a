// The points of the security checklist that are tested from outside, through nginx.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { connectAsAppUser, queryAsRoot, type RowDataPacket } from '../../tools/testing/database.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { appLogLines } from '../../tools/testing/stack-logs.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { url, info } = currentTestStack();
const rowId = (cookieValue: string) => createHash('sha256').update(cookieValue).digest('hex');

describe('SQL injection', () => {
  const payloads = ["' OR 1=1 -- ", "admin'--", '" OR ""="', "x'); DROP TABLE users; --"];

  for (const payload of payloads) {
    it(`stores ${JSON.stringify(payload)} literally and never signs anyone in with it`, async () => {
      const name = `${payload}${Math.random().toString(36).slice(2, 6)}`.trim();
      const registered = await new Client(url).register(name, GOOD_PASSWORD);
      assert.equal(registered.status, 303);
      const rows = await queryAsRoot(info, 'SELECT username FROM users WHERE username = ?', [name]);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.username, name);

      const asUsername = await new Client(url).login(payload, 'anything-at-all');
      assert.equal(asUsername.status, 401);
      const asPassword = await new Client(url).login(name, payload);
      assert.equal(asPassword.status, 401);
    });
  }

  it('answers 400 when a field is a JSON object instead of text (and stores nothing)', async () => {
    const client = new Client(url);
    const _csrf = await client.csrfFrom('/login');
    const res = await client.request('/login', {
      method: 'POST',
      json: { _csrf, username: { username: 'x' }, password: GOOD_PASSWORD },
      headers: { accept: 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.match(res.json<{ error: string }>().error, /must be plain text/);

    const name = uniqueName('obj');
    const register = await client.request('/register', {
      method: 'POST',
      json: { _csrf, username: name, password: [GOOD_PASSWORD], password_confirm: GOOD_PASSWORD },
    });
    assert.equal(register.status, 400);
    assert.equal((await queryAsRoot(info, 'SELECT id FROM users WHERE username = ?', [name])).length, 0);
  });

  it('treats a repeated form field as an error, not as a list', async () => {
    const client = new Client(url);
    const _csrf = await client.csrfFrom('/login');
    const body = `_csrf=${_csrf}&username=a&username=b&password=x`;
    const res = await client.request('/login', {
      method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 400);
  });
});

describe('CSRF', () => {
  it('refuses a POST without a token, or with a wrong one, with 403', async () => {
    const client = new Client(url);
    await client.csrfFrom('/login'); // the session exists and has a token
    const missing = await client.post('/login', { username: 'x', password: 'y' });
    assert.equal(missing.status, 403);
    const wrong = await client.post('/login', { _csrf: 'not-the-token', username: 'x', password: 'y' });
    assert.equal(wrong.status, 403);
    const noSession = await new Client(url).post('/register', { _csrf: 'guess', username: 'x', password: 'y' });
    assert.equal(noSession.status, 403);
  });

  it('accepts the right token (the POST goes through to the form logic)', async () => {
    const res = await new Client(url).login(uniqueName('csrf'), 'whatever-password');
    assert.equal(res.status, 401);
  });
});

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, signed, and not readable by scripts', async () => {
    const client = new Client(url);
    const res = await client.get('/login');
    const cookies = res.headers['set-cookie'] ?? [];
    const sid = cookies.find((c) => c.startsWith('stacklab.sid='));
    assert.ok(sid, 'a session cookie is set when a form is shown');
    assert.match(sid, /;\s*httponly/i);
    assert.match(sid, /;\s*samesite=lax/i);
    assert.ok(cookies.some((c) => c.startsWith('stacklab.sid.sig=')), 'the cookie is signed');
    assert.doesNotMatch(sid, /;\s*secure/i, 'not Secure while nginx serves plain HTTP');
  });

  it('sets no session cookie on pages without forms', async () => {
    const res = await new Client(url).get('/healthz');
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('treats a tampered cookie as anonymous', async () => {
    const name = uniqueName('tamper');
    const client = new Client(url);
    await client.register(name, GOOD_PASSWORD);
    assert.equal((await client.get('/account')).status, 200);
    const sid = client.cookies.get('stacklab.sid')!;
    const last = sid.at(-1) === 'A' ? 'B' : 'A';
    client.cookies.set('stacklab.sid', sid.slice(0, -1) + last);
    const res = await client.get('/account');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
  });

  it('gets a new id at sign-in; the old one is no longer in the store', async () => {
    const name = uniqueName('fixation');
    await new Client(url).register(name, GOOD_PASSWORD);
    const client = new Client(url);
    const _csrf = await client.csrfFrom('/login');
    const before = client.cookies.get('stacklab.sid')!;
    assert.equal((await queryAsRoot(info, 'SELECT id FROM sessions WHERE id = ?', [rowId(before)])).length, 1);
    await client.post('/login', { _csrf, username: name, password: GOOD_PASSWORD });
    const after = client.cookies.get('stacklab.sid')!;
    assert.notEqual(after, before);
    assert.equal((await queryAsRoot(info, 'SELECT id FROM sessions WHERE id = ?', [rowId(before)])).length, 0);
  });

  it('is worthless after sign-out: replaying it is anonymous and its row is gone', async () => {
    const name = uniqueName('replay');
    const client = new Client(url);
    await client.register(name, GOOD_PASSWORD);
    const signedIn = client.cookies.get('stacklab.sid')!;
    const signature = client.cookies.get('stacklab.sid.sig')!;
    const [row] = await queryAsRoot(info, 'SELECT user_id FROM sessions WHERE id = ?', [rowId(signedIn)]);
    assert.ok(row?.user_id, 'the session row holds the user id');
    await client.logout();
    assert.equal((await queryAsRoot(info, 'SELECT id FROM sessions WHERE id = ?', [rowId(signedIn)])).length, 0);

    const attacker = new Client(url);
    attacker.cookies.set('stacklab.sid', signedIn);
    attacker.cookies.set('stacklab.sid.sig', signature);
    const res = await attacker.get('/account');
    assert.equal(res.status, 302);
  });
});

describe('client address', () => {
  it('ignores an X-Forwarded-For sent by the client: the app sees the real address', async () => {
    const client = new Client(url);
    const res = await client.get('/debug/request', { accept: 'application/json', 'x-forwarded-for': '6.6.6.6' });
    const seen = res.json<{ ip: string; headers: Record<string, string> }>();
    assert.equal(seen.ip, client.localAddress);
    assert.equal(seen.headers['X-Forwarded-For'], client.localAddress);
    const lines = await appLogLines(info, (l) => l.event === 'request' && l.requestId === res.headers['x-request-id']);
    assert.equal(lines[0]?.ip, client.localAddress);
    assert.ok(!JSON.stringify(lines).includes('6.6.6.6'));
  });

  it('redacts cookies and Authorization on /debug/request', async () => {
    const client = new Client(url);
    client.cookies.set('stacklab.sid', 'secret-session-value');
    const res = await client.get('/debug/request', { accept: 'application/json', authorization: 'Bearer top-secret' });
    assert.doesNotMatch(res.body, /secret-session-value|top-secret/);
    assert.match(res.body, /stacklab\.sid=\[redacted\]/);
    assert.match(res.body, /Bearer \[redacted\]/);
  });

  it('shows /debug/request as HTML by default', async () => {
    const res = await new Client(url).get('/debug/request', { accept: 'text/html' });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.body, /X-Forwarded-For/);
  });
});

describe('XSS', () => {
  it('escapes a username like <script>', async () => {
    const name = `<script>alert(${Math.floor(Math.random() * 1e6)})</script>`.slice(0, 32);
    const client = new Client(url);
    assert.equal((await client.register(name, GOOD_PASSWORD)).status, 303);
    const page = await client.get('/account');
    assert.ok(!page.body.includes(name));
    assert.ok(page.body.includes(name.replace(/</g, '&lt;').replace(/>/g, '&gt;')));
  });
});

describe('least privilege', () => {
  it("the app's database user can use its own database only", async () => {
    const conn = await connectAsAppUser(info);
    try {
      const [grants] = await conn.query<RowDataPacket[]>('SHOW GRANTS');
      const text = grants.map((g) => Object.values(g)[0]).join('\n');
      assert.doesNotMatch(text, /GRANT OPTION|ALL PRIVILEGES ON \*\.\*|\bFILE\b|CREATE USER/);
      await assert.rejects(conn.query("CREATE USER 'intruder'@'%' IDENTIFIED BY 'x'"), /denied/i);
      await assert.rejects(conn.query('SELECT * FROM mysql.user'), /denied/i);
      await assert.rejects(conn.query("SELECT LOAD_FILE('/etc/passwd') AS f").then(([rows]) => {
        if ((rows as { f: unknown }[])[0]?.f !== null) throw new Error('read a file');
        throw new Error('denied (LOAD_FILE returned NULL)');
      }), /denied/i);
    } finally {
      await conn.end();
    }
  });
});
