// Registration, sign-in, account and sign-out through nginx, against the real database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queryAsRoot } from '../../tools/testing/database.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { appLogLines, appLogText } from '../../tools/testing/stack-logs.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { url, info } = currentTestStack();

describe('register → login → account → logout', () => {
  it('walks the whole flow through nginx', async () => {
    const name = uniqueName('flow');
    const browser = new Client(url);

    const registered = await browser.register(name, GOOD_PASSWORD);
    assert.equal(registered.status, 303);
    assert.equal(registered.headers.location, '/account');

    const account = await browser.get('/account');
    assert.equal(account.status, 200);
    assert.match(account.body, new RegExp(`<dd>${name}</dd>`));
    assert.match(account.body, /Member since/);

    const home = await browser.get('/');
    assert.match(home.body, new RegExp(`signed in as <strong>${name}</strong>|signed in as ${name}`, 'i'));

    const out = await browser.logout();
    assert.equal(out.status, 303);
    const afterLogout = await browser.get('/account');
    assert.equal(afterLogout.status, 302, 'the account page sends a signed-out visitor to sign in');
    assert.equal(afterLogout.headers.location, '/login');

    const again = await browser.login(name, GOOD_PASSWORD);
    assert.equal(again.status, 303);
    assert.equal((await browser.get('/account')).status, 200);
  });

  it('stores a bcrypt hash with at least 10 rounds, never the password', async () => {
    const name = uniqueName('hash');
    await new Client(url).register(name, GOOD_PASSWORD);
    const [row] = await queryAsRoot(info, 'SELECT password_hash FROM users WHERE username = ?', [name]);
    const hash = String(row?.password_hash);
    assert.match(hash, /^\$2b\$(\d\d)\$/);
    assert.ok(Number(hash.slice(4, 6)) >= 10);
    assert.ok(!hash.includes(GOOD_PASSWORD));
    assert.ok(!appLogText(info).includes(GOOD_PASSWORD), 'the password never appears in the app log');
  });
});

describe('registration rules', () => {
  it('refuses a username that is taken, case-insensitively, keeping what was typed', async () => {
    const name = uniqueName('dup');
    assert.equal((await new Client(url).register(name, GOOD_PASSWORD)).status, 303);
    const second = await new Client(url).register(name.toUpperCase(), GOOD_PASSWORD);
    assert.equal(second.status, 409);
    assert.match(second.body, /This username is taken/);
    assert.match(second.body, new RegExp(`value="${name.toUpperCase()}"`));
    assert.doesNotMatch(second.body, new RegExp(GOOD_PASSWORD), 'the password is never sent back');
  });

  it('leaves exactly one row when two people register the same name at the same moment', async () => {
    const name = uniqueName('race');
    const clients = Array.from({ length: 6 }, () => new Client(url));
    const tokens = await Promise.all(clients.map((c) => c.csrfFrom('/register')));
    const results = await Promise.all(
      clients.map((c, i) =>
        c.post('/register', { _csrf: tokens[i]!, username: name, password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [303, 409, 409, 409, 409, 409]);
    const rows = await queryAsRoot(info, 'SELECT id FROM users WHERE username = ?', [name]);
    assert.equal(rows.length, 1);
  });

  it('refuses a 7-character password with a clear message', async () => {
    const res = await new Client(url).register(uniqueName('short'), 'abc1234');
    assert.equal(res.status, 422);
    assert.match(res.body, /at least 8 characters/);
  });

  it('refuses a 73-byte password instead of letting bcrypt cut it', async () => {
    const res = await new Client(url).register(uniqueName('long'), 'x'.repeat(71) + 'é'); // 71 + 2 bytes
    assert.equal(res.status, 422);
    assert.match(res.body, /at most 72 bytes/);
    const ok = await new Client(url).register(uniqueName('long'), 'y'.repeat(70) + 'é'); // 72 bytes
    assert.equal(ok.status, 303);
  });

  it('refuses a very common password and mismatched confirmation', async () => {
    const common = await new Client(url).register(uniqueName('common'), 'password123');
    assert.equal(common.status, 422);
    assert.match(common.body, /common passwords/);
    const client = new Client(url);
    const _csrf = await client.csrfFrom('/register');
    const mismatch = await client.post('/register', {
      _csrf, username: uniqueName('mm'), password: GOOD_PASSWORD, password_confirm: `${GOOD_PASSWORD}x`,
    });
    assert.equal(mismatch.status, 422);
    assert.match(mismatch.body, /do not match/);
  });
});

describe('sign-in answers', () => {
  it('gives the same answer for an unknown user and a wrong password', async () => {
    const name = uniqueName('enum');
    await new Client(url).register(name, GOOD_PASSWORD);
    const wrong = await new Client(url).login(name, 'not-the-password-1');
    const unknown = await new Client(url).login(uniqueName('nobody'), 'not-the-password-1');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    const message = (body: string) => /<p[^>]*role="alert"[^>]*>([^<]*)</.exec(body)?.[1]?.trim();
    assert.equal(message(wrong.body), 'Wrong username or password.');
    assert.equal(message(unknown.body), message(wrong.body));
  });

  it('takes about as long for an unknown user as for a wrong password (a bcrypt compare either way)', async () => {
    const name = uniqueName('timing');
    await new Client(url).register(name, GOOD_PASSWORD);
    const time = async (username: string) => {
      const client = new Client(url);
      const _csrf = await client.csrfFrom('/login');
      const start = performance.now();
      await client.post('/login', { _csrf, username, password: 'not-the-password-1' });
      return performance.now() - start;
    };
    const wrong = Math.min(await time(name), await time(name), await time(name));
    const unknown = Math.min(await time(uniqueName('nobody')), await time(uniqueName('nobody')), await time(uniqueName('nobody')));
    // A rough check: without the dummy compare, the unknown user would answer several times faster.
    assert.ok(unknown > wrong / 3, `unknown user ${unknown.toFixed(1)} ms vs wrong password ${wrong.toFixed(1)} ms`);
  });

  it('writes audit lines for failed and successful sign-ins, with address and request id, never the password', async () => {
    const name = uniqueName('audit');
    await new Client(url).register(name, GOOD_PASSWORD);
    const client = new Client(url);
    const failed = await client.login(name, 'wrong-password-77');
    const ok = await client.login(name, GOOD_PASSWORD);
    const failedLines = await appLogLines(info, (l) => l.event === 'login_failed' && l.requestId === failed.headers['x-request-id']);
    assert.equal(failedLines.length, 1);
    assert.equal(failedLines[0]!.ip, client.localAddress);
    const okLines = await appLogLines(info, (l) => l.event === 'login_succeeded' && l.requestId === ok.headers['x-request-id']);
    assert.equal(okLines.length, 1);
    assert.ok(!appLogText(info).includes('wrong-password-77'));
  });
});
