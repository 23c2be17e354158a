// The points of the security checklist that are tested from outside, through nginx.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashPassword } from '../../app/src/security/passwords.js';
import { connectAsAppUser, connectAsMigrationUser, queryAsRoot, type RowDataPacket } from '../../tools/testing/database.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { appLogLines } from '../../tools/testing/stack-logs.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { url, info, stack } = currentTestStack();
// The same tests run twice: against the stack as `make up` runs it, then as `make up MODE=prod` does.
const prod = info.mode === 'prod';
const appUrl = `http://127.0.0.1:${stack.settings.ports.app}`;
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
    const res = await client.register(uniqueName('cookie'), GOOD_PASSWORD);
    const cookies = res.headers['set-cookie'] ?? [];
    const sid = cookies.find((c) => c.startsWith('stacklab.sid='));
    assert.ok(sid, 'a session cookie is set at sign-in');
    assert.match(sid, /;\s*httponly/i);
    assert.match(sid, /;\s*samesite=lax/i);
    assert.ok(cookies.some((c) => c.startsWith('stacklab.sid.sig=')), 'the cookie is signed');
    assert.doesNotMatch(sid, /;\s*secure/i, 'not Secure while nginx serves plain HTTP');
  });

  it('sets no session cookie on pages without forms', async () => {
    const res = await new Client(url).get('/healthz');
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('sets no session cookie on the sign-in and registration forms: only the CSRF cookie, HttpOnly, SameSite=Lax, signed', async () => {
    for (const path of ['/login', '/register']) {
      const cookies = (await new Client(url).get(path)).headers['set-cookie'] ?? [];
      assert.deepEqual(cookies.map((c) => c.split('=')[0]).sort(), ['stacklab.csrf', 'stacklab.csrf.sig'], path);
      const csrf = cookies.find((c) => c.startsWith('stacklab.csrf='))!;
      assert.match(csrf, /;\s*httponly/i);
      assert.match(csrf, /;\s*samesite=lax/i);
      assert.doesNotMatch(csrf, /;\s*secure/i);
    }
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
    // A session that exists before the sign-in: the browser's own from an earlier sign-in, or one an
    // attacker planted (their own, valid one). Signing in must not carry on under its id.
    const first = uniqueName('fixation');
    const second = uniqueName('fixation');
    await new Client(url).register(second, GOOD_PASSWORD);
    const client = new Client(url);
    await client.register(first, GOOD_PASSWORD);
    const before = client.cookies.get('stacklab.sid')!;
    assert.equal((await queryAsRoot(info, 'SELECT id FROM sessions WHERE id = ?', [rowId(before)])).length, 1);
    assert.equal((await client.login(second, GOOD_PASSWORD)).status, 303);
    const after = client.cookies.get('stacklab.sid')!;
    assert.notEqual(after, before);
    assert.equal((await queryAsRoot(info, 'SELECT id FROM sessions WHERE id = ?', [rowId(before)])).length, 0);
    assert.match((await client.get('/account')).body, new RegExp(`<dd>${second}</dd>`));
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
  it('ignores an X-Forwarded-For sent by the client: the app logs the real address', async () => {
    const client = new Client(url);
    const res = await client.get('/', { 'x-forwarded-for': '6.6.6.6' });
    assert.equal(res.status, 200);
    const lines = await appLogLines(info, (l) => l.event === 'request' && l.requestId === res.headers['x-request-id']);
    assert.equal(lines[0]?.ip, client.localAddress);
    assert.ok(!JSON.stringify(lines).includes('6.6.6.6'));
  });

  it('shows the real address on /debug/request too (development only)', { skip: prod && 'no /debug/ pages in production' }, async () => {
    const client = new Client(url);
    const res = await client.get('/debug/request', { accept: 'application/json', 'x-forwarded-for': '6.6.6.6' });
    const seen = res.json<{ ip: string; headers: Record<string, string> }>();
    assert.equal(seen.ip, client.localAddress);
    assert.equal(seen.headers['X-Forwarded-For'], client.localAddress);
  });
});

describe('/debug/ pages', () => {
  it('show header names, but values only of harmless headers (development)', { skip: prod && 'no /debug/ pages in production' }, async () => {
    const client = new Client(url);
    client.cookies.set('stacklab.sid', 'secret-session-value');
    const res = await client.get('/debug/request', {
      accept: 'application/json',
      authorization: 'Bearer top-secret',
      'x-api-key': 'KEY123',
      'x-upstream-token': 'internal-456',
      'user-agent': 'lesson-agent/1.0',
    });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.body, /secret-session-value|top-secret|KEY123|internal-456/);
    const { headers } = res.json<{ headers: Record<string, string> }>();
    // (Names as they were sent: this client sends them in lowercase, nginx its own capitalized.)
    assert.equal(headers['x-api-key'], '[redacted]', 'an unknown header: its name, never its value');
    assert.equal(headers['x-upstream-token'], '[redacted]');
    assert.equal(headers.cookie, 'stacklab.sid=[redacted]', 'cookie names, not values');
    assert.equal(headers.authorization, 'Bearer [redacted]', 'the scheme, not the credentials');
    assert.equal(headers['user-agent'], 'lesson-agent/1.0', 'a harmless header keeps its value');
    assert.equal(headers['X-Forwarded-For'], client.localAddress);
  });

  it('shows /debug/request as HTML by default (development)', { skip: prod && 'no /debug/ pages in production' }, async () => {
    const res = await new Client(url).get('/debug/request', { accept: 'text/html' });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.body, /X-Forwarded-For/);
  });

  it('let nobody restart the metrics window with a request (development)', { skip: prod && 'no /debug/ pages in production' }, async () => {
    const client = new Client(url);
    const windowS = async (path: string) => (await client.get(path, { accept: 'application/json' })).json<{ windowS: number }>().windowS;
    const first = await windowS('/debug/metrics');
    await new Promise((r) => setTimeout(r, 300));
    const afterReset = await windowS('/debug/metrics?reset=1');
    assert.ok(afterReset >= first + 0.2, `?reset=1 restarted nothing: ${first} s, then ${afterReset} s`);
    const post = await client.request('/debug/metrics', { method: 'POST', form: { reset: '1' } });
    assert.ok(post.status >= 400, `POST /debug/metrics answered ${post.status}`);
    assert.ok((await windowS('/debug/metrics')) >= afterReset);
  });

  it('do not exist in production: nginx answers 404 itself for every spelling, and so does the app', { skip: !prod && 'development mode' }, async () => {
    for (const path of ['/debug/request', '/debug/metrics', '/DEBUG/REQUEST', '/Debug/Metrics?reset=1', '/debug/request/', '/%64ebug/request', '/debug']) {
      const res = await new Client(url).get(path, { accept: 'application/json' });
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['x-app-instance'], undefined, `${path}: answered by nginx, the app never saw it`);
      assert.match(res.body, /development/, `${path}: nginx's page says why`);
    }
    for (const path of ['/debug/request', '/debug/metrics']) {
      const res = await new Client(appUrl).get(path, { accept: 'application/json' });
      assert.equal(res.status, 404, `${path} straight to the app`);
      assert.ok(res.headers['x-app-instance'], 'answered by the app');
    }
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

  it("the app's database user reads and writes rows, and cannot change the schema: no CREATE, ALTER or DROP TABLE", async () => {
    const conn = await connectAsAppUser(info);
    try {
      const [grants] = await conn.query<RowDataPacket[]>('SHOW GRANTS');
      const onItsDatabase = grants.map((g) => String(Object.values(g)[0])).filter((g) => g.includes(` ON \`${info.env.DB_NAME}\`.`));
      assert.equal(onItsDatabase.length, 1, onItsDatabase.join('\n'));
      assert.match(onItsDatabase[0]!, /^GRANT SELECT, INSERT, UPDATE, DELETE ON /);
      const probe = `probe_${Date.now().toString(36)}`;
      await assert.rejects(conn.query(`CREATE TABLE ${probe} (id INT)`), /denied/i);
      await assert.rejects(conn.query('DROP TABLE sessions'), /denied/i);
      await assert.rejects(conn.query('ALTER TABLE users ADD COLUMN intruder INT'), /denied/i);
      await assert.rejects(conn.query('CREATE INDEX intruder ON users (created_at)'), /denied/i);
      const [rows] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM users');
      assert.ok(Number(rows[0]!.n) > 0, 'it can read its rows');
    } finally {
      await conn.end();
    }
  });

  it('the migration user may change the schema (the migrations run as it)', async () => {
    const conn = await connectAsMigrationUser(info);
    try {
      const probe = `probe_${Date.now().toString(36)}`;
      await conn.query(`CREATE TABLE ${probe} (id INT)`);
      await conn.query(`DROP TABLE ${probe}`);
      await assert.rejects(conn.query('SELECT * FROM mysql.user'), /denied/i, 'its own database only');
    } finally {
      await conn.end();
    }
  });
});

describe('anonymous visitors cost no database write', () => {
  const sessionIds = async () => new Set((await queryAsRoot(info, 'SELECT id FROM sessions')).map((r) => String(r.id)));

  it('1,000 anonymous GET /login and GET /register leave the sessions table as it was', async () => {
    const before = await sessionIds();
    const [{ now }] = (await queryAsRoot(info, 'SELECT NOW(3) AS now')) as [{ now: Date }];
    // Each one a first-time visitor (no cookies), as a script would send them; 25 at a time.
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        const visitor = new Client(url);
        while (next < 1000) {
          const path = next++ % 2 === 0 ? '/login' : '/register';
          const res = await visitor.request(path, { headers: { cookie: '' } });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    assert.deepEqual([...statuses], [[200, 1000]]);
    const created = await queryAsRoot(info, 'SELECT COUNT(*) AS n FROM sessions WHERE created_at >= ?', [now.toISOString().slice(0, 23).replace('T', ' ')]);
    assert.equal(Number(created[0]!.n), 0, 'no session row was created');
    const after = await sessionIds();
    assert.deepEqual([...after].filter((id) => !before.has(id)), [], 'no new row');
  });

  it('and the forms still work: the token of an anonymous form registers and signs in', async () => {
    const name = uniqueName('anon');
    const visitor = new Client(url);
    const before = await sessionIds();
    assert.equal((await visitor.get('/register')).status, 200);
    assert.deepEqual([...(await sessionIds())].filter((id) => !before.has(id)), [], 'showing the form wrote nothing');
    assert.equal((await visitor.register(name, GOOD_PASSWORD)).status, 303, 'registered');
    assert.equal((await visitor.get('/account')).status, 200, 'and signed in: now there is a session');
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 303, 'the sign-in form works too');
  });

  it('still refuses a form without the token, with a wrong one, or with another visitor\'s (403)', async () => {
    const alice = new Client(url);
    const aliceToken = await alice.csrfFrom('/login');
    const bob = new Client(url);
    const bobToken = await bob.csrfFrom('/login');
    const fields = { username: 'nobody-at-all', password: 'not-the-password-1' };
    assert.equal((await alice.post('/login', fields)).status, 403, 'no token');
    assert.equal((await alice.post('/login', { ...fields, _csrf: 'not-the-token' })).status, 403, 'a wrong token');
    assert.equal((await alice.post('/login', { ...fields, _csrf: bobToken })).status, 403, "another visitor's token");
    assert.equal((await new Client(url).post('/register', { ...fields, _csrf: aliceToken })).status, 403, 'a token without its cookie');
    // A cookie set to a value of the attacker's choosing: its signature no longer matches.
    const forged = new Client(url);
    forged.cookies.set('stacklab.csrf', 'chosen-by-the-attacker');
    forged.cookies.set('stacklab.csrf.sig', alice.cookies.get('stacklab.csrf.sig')!);
    assert.equal((await forged.post('/login', { ...fields, _csrf: 'chosen-by-the-attacker' })).status, 403, 'a forged cookie');
    assert.equal((await alice.post('/login', { ...fields, _csrf: aliceToken })).status, 401, 'the right token gets through');
  });

  it('an anonymous GET /account and a sign-out leave no row either (their message travels in a signed cookie)', async () => {
    const name = uniqueName('bye');
    const client = new Client(url);
    await client.register(name, GOOD_PASSWORD);
    const signedIn = client.cookies.get('stacklab.sid')!;
    const before = await sessionIds();
    const stranger = await new Client(url).get('/account');
    assert.equal(stranger.status, 302);
    const flashCookie = (stranger.headers['set-cookie'] ?? []).find((c) => c.startsWith('stacklab.flash='));
    assert.ok(flashCookie, 'the "please sign in" message is a cookie');
    assert.match(flashCookie, /httponly/i);
    assert.equal((await client.logout()).status, 303);
    assert.equal(client.cookies.get('stacklab.sid'), undefined, 'the session cookie is cleared');
    assert.match((await client.get('/')).body, /You are signed out/);
    const after = await sessionIds();
    assert.deepEqual([...after].filter((id) => !before.has(id)), [], 'no new row');
    assert.equal(after.has(rowId(signedIn)), false, 'the signed-in row is gone');
  });
});

describe('one password rule at every door', () => {
  const message = (body: string) => /<p[^>]*role="alert"[^>]*>([^<]*)</.exec(body)?.[1]?.trim();

  it('sign-in refuses a 72-byte password with anything after it, which bcrypt would ignore', async () => {
    const name = uniqueName('bytes72');
    const password = `${GOOD_PASSWORD}-`.padEnd(72, 'q');
    assert.equal(Buffer.byteLength(password), 72);
    assert.equal((await new Client(url).register(name, password)).status, 303);
    for (const longer of [`${password}EXTRA`, `${password}${'x'.repeat(1000)}`]) {
      const res = await new Client(url).login(name, longer);
      assert.equal(res.status, 401, `${Buffer.byteLength(longer)} bytes`);
      assert.equal(message(res.body), 'Wrong username or password.');
    }
    assert.equal((await new Client(url).login(name, password)).status, 303, 'the password itself still signs in');
  });

  it('registration refuses NUL and other control characters; sign-in refuses them, and the empty password, like a wrong one', async () => {
    const name = uniqueName('nul');
    const res = await new Client(url).register(name, '\0'.repeat(8));
    assert.equal(res.status, 422);
    assert.match(res.body, /no control characters/);
    assert.equal((await queryAsRoot(info, 'SELECT id FROM users WHERE username = ?', [name])).length, 0);
    // An account from before the rule: eight NULs, which bcrypt hashes like the empty password.
    const legacy = uniqueName('legacy');
    await queryAsRoot(info, 'INSERT INTO users (username, password_hash) VALUES (?, ?)', [legacy, await hashPassword('\0'.repeat(8), 4)]);
    for (const password of ['', '\0'.repeat(8), '\0'.repeat(9), 'abc\tdefgh']) {
      const login = await new Client(url).login(legacy, password);
      assert.equal(login.status, 401, JSON.stringify(password));
      assert.equal(message(login.body), 'Wrong username or password.');
    }
  });

  it('takes about as long to refuse such a password as a wrong one (a bcrypt compare either way)', async () => {
    const name = uniqueName('timing72');
    await new Client(url).register(name, GOOD_PASSWORD);
    const time = async (password: string) => {
      const client = new Client(url);
      const _csrf = await client.csrfFrom('/login');
      const start = performance.now();
      const res = await client.post('/login', { _csrf, username: name, password });
      assert.equal(res.status, 401);
      return performance.now() - start;
    };
    const wrong = Math.min(await time('not-the-password-1'), await time('not-the-password-2'), await time('not-the-password-3'));
    const refused = Math.min(await time('x'.repeat(80)), await time('\0'.repeat(8)), await time(`${GOOD_PASSWORD}\u0007`));
    // A rough check: without the compare, a refused password would be answered several times faster.
    assert.ok(refused > wrong / 3, `refused ${refused.toFixed(1)} ms vs wrong password ${wrong.toFixed(1)} ms`);
  });
});

describe('usernames that look alike', () => {
  it('refuses a Cyrillic а beside Latin letters, so nobody can pose as admin5307', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const latin = `admin${suffix}`;
    const lookalike = `\u0430dmin${suffix}`; // the first letter is Cyrillic
    assert.equal((await new Client(url).register(latin, GOOD_PASSWORD)).status, 303);
    const res = await new Client(url).register(lookalike, GOOD_PASSWORD);
    assert.equal(res.status, 422);
    assert.match(res.body, /mixes Latin and Cyrillic letters/);
    assert.equal((await queryAsRoot(info, 'SELECT id FROM users WHERE username = ?', [lookalike])).length, 0);
  });
});

describe('oversized request headers', () => {
  const header = (bytes: number) => 'h'.repeat(bytes);

  it('what nginx lets through, the app accepts: three header lines of 7 KB each', async () => {
    const res = await new Client(url).get('/', { 'x-big-1': header(7000), 'x-big-2': header(7000), 'x-big-3': header(7000) });
    assert.equal(res.status, 200);
    assert.ok(res.headers['x-app-instance'], 'answered by the app');
  });

  it('more, or a longer line, gets nginx\'s page with the reason (400)', async () => {
    const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x-big-${i}`, header(7000)]));
    for (const [what, headers] of [['five lines of 7 KB', many], ['one line of 9 KB', { 'x-big': header(9000) }]] as const) {
      const res = await new Client(url).get('/', headers);
      assert.equal(res.status, 400, what);
      assert.equal(res.headers['x-app-instance'], undefined, `${what}: nginx refused it, the app never saw it`);
      assert.match(res.body, /Request headers too large/, what);
      assert.match(res.body, /8 KB for any one header/, what);
    }
  });

  it('an address over 8 KB gets nginx\'s page with the reason (414)', async () => {
    const res = await new Client(url).get(`/${'a'.repeat(9000)}`);
    assert.equal(res.status, 414);
    assert.match(res.body, /Address too long/);
  });
});
