// HTTPS at the gate: the local CA, nginx's TLS settings, what the app learns (X-Forwarded-Proto), and
// HTTPS_ONLY=1 (redirect, HSTS, Secure cookies) on a throwaway stack of its own. curl and openssl are
// run as a learner runs them, trusting the CA file and nothing else (no -k anywhere).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { existsSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { accessLogLines } from '../../tools/testing/stack-logs.js';
import { createTestStack, currentTestStack, removeTestStack, type TestStackInfo } from '../../tools/testing/test-stack.js';
import type { NativeStack } from '../../tools/runners/native/native-stack.js';

const { stack, info: stackInfo } = currentTestStack();
const httpsPort = stack.settings.ports.https;

/** curl as a learner types it, with the stack's CA: -s, -o /dev/null and a -w format of our own. */
function curl(args: string[]): { code: number; out: string; err: string } {
  const result = spawnSync('curl', ['-s', '--max-time', '10', ...args], { encoding: 'utf8' });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

function opensslConnect(args: string[], input = ''): string {
  const result = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${httpsPort}`, '-servername', 'localhost', '-CAfile', stack.caFile, ...args], {
    input,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return `${result.stdout}${result.stderr}`;
}

describe('HTTPS with the local certificate authority (HTTPS_ONLY=0, as make up starts it)', () => {
  it('made a CA whose key only its owner may read, and answers curl --cacert on https://localhost:PORT/healthz with 200 over HTTP/2', () => {
    assert.ok(existsSync(stack.caFile), stack.caFile);
    assert.equal(statSync(stack.caFile.replace(/ca\.crt$/, 'ca.key')).mode & 0o077, 0, 'ca.key: owner only');
    const res = curl(['--cacert', stack.caFile, '-o', '/dev/null', '-w', '%{http_code} %{http_version} %{scheme}', `https://localhost:${httpsPort}/healthz`]);
    assert.equal(res.out, '200 2 HTTPS', res.err);
    // And by address: the certificate names 127.0.0.1 too.
    assert.equal(curl(['--cacert', stack.caFile, '-o', '/dev/null', '-w', '%{http_code}', `https://127.0.0.1:${httpsPort}/healthz`]).out, '200');
  });

  it('is refused by a client that does not trust the local CA (nothing is ignored)', () => {
    const res = curl(['-o', '/dev/null', '-w', '%{http_code}', '--cacert', '/dev/null', `https://localhost:${httpsPort}/healthz`]);
    assert.notEqual(res.code, 0);
    assert.equal(res.out, '000');
  });

  it('speaks TLS 1.2 and 1.3 and refuses 1.1, with forward-secret AEAD ciphers only', () => {
    for (const [max, version] of [['1.2', 'TLSv1.2'], ['1.3', 'TLSv1.3']]) {
      const res = curl(['--cacert', stack.caFile, '--tls-max', max!, '-o', '/dev/null', '-w', '%{http_code}', `https://localhost:${httpsPort}/healthz`]);
      assert.equal(res.out, '200', `${version}: ${res.err}`);
    }
    assert.notEqual(curl(['--cacert', stack.caFile, '--tlsv1.1', '--tls-max', '1.1', `https://localhost:${httpsPort}/healthz`]).code, 0, 'TLS 1.1 refused');
    const weak = opensslConnect(['-tls1_2', '-cipher', 'AES128-SHA'], 'Q\n');
    assert.match(weak, /handshake failure|no cipher|alert/i, 'a cipher without forward secrecy is refused');
    const good = opensslConnect(['-tls1_2'], 'Q\n');
    assert.match(good, /Cipher is ECDHE-(ECDSA|RSA)-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)/);
    assert.match(good, /Verify return code: 0 \(ok\)/);
    assert.doesNotMatch(good, /OCSP response: .*successful/, 'no OCSP stapling with a local CA');
  });

  it('resumes a TLS 1.2 session from the shared cache instead of a full handshake', () => {
    const result = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${httpsPort}`, '-servername', 'localhost', '-CAfile', stack.caFile, '-tls1_2', '-reconnect'], {
      input: '',
      encoding: 'utf8',
      timeout: 15_000,
    });
    assert.match(`${result.stdout}`, /^Reused, TLSv1\.2/m);
  });

  it('tells the app the request came over HTTPS (X-Forwarded-Proto), and the app builds its URLs with it', async () => {
    const client = stack.client({ https: true });
    const seen = (await client.get('/debug/request', { accept: 'application/json' })).json<{ protocol: string; headers: Record<string, string> }>();
    assert.equal(seen.protocol, 'https');
    const forwarded = Object.entries(seen.headers).find(([name]) => name.toLowerCase() === 'x-forwarded-proto');
    assert.equal(forwarded?.[1], 'https');
    const plain = (await stack.client({ https: false }).get('/debug/request', { accept: 'application/json' })).json<{ protocol: string }>();
    assert.equal(plain.protocol, 'http');
  });

  it('serves plain HTTP too, with no HSTS and no Secure cookie', async () => {
    const client = stack.client({ https: false });
    const res = await client.get('/register');
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], undefined);
    const overHttps = await stack.client({ https: true }).get('/register');
    assert.equal(overHttps.headers['strict-transport-security'], undefined, 'HSTS only with HTTPS_ONLY=1');
    for (const line of overHttps.headers['set-cookie'] ?? []) assert.doesNotMatch(line, /;\s*secure/i);
  });

  it("logs each request's TLS facts for the inspector: protocol, cipher, SNI name, HTTP version", async () => {
    const marker = uniqueName('tlslog');
    await stack.client({ https: true }).get(`/?${marker}`);
    await stack.client({ https: false }).get(`/?${marker}-plain`);
    const [tls] = await accessLogLines(stackInfo, (l) => l.uri === `/?${marker}`);
    const [plain] = await accessLogLines(stackInfo, (l) => l.uri === `/?${marker}-plain`);
    assert.ok(tls && plain);
    assert.equal(tls.scheme, 'https');
    assert.match(String(tls.tls_protocol), /^TLSv1\.[23]$/);
    assert.ok(String(tls.tls_cipher).length > 0);
    assert.equal(tls.tls_server_name, 'localhost');
    assert.equal(plain.scheme, 'http');
    assert.equal(plain.tls_protocol, '');
  });
});

describe('HTTPS_ONLY=1: plain HTTP redirects, HSTS, Secure cookies (a stack of its own)', () => {
  let only: NativeStack;
  let info: TestStackInfo;

  before(async () => {
    ({ stack: only, info } = await createTestStack({ HTTPS_ONLY: '1' }));
    await only.up();
  });

  after(async () => {
    await only?.down();
    if (info) removeTestStack(info);
  });

  it('sends every plain HTTP request to the same address over HTTPS (307: the method and body are kept)', async () => {
    const plain = only.client({ https: false });
    const res = await plain.get('/login?next=1');
    assert.equal(res.status, 307);
    assert.equal(res.headers.location, `https://localhost:${only.settings.ports.https}/login?next=1`);
    assert.equal(res.headers['strict-transport-security'], undefined, 'never HSTS over plain HTTP');
    const post = await plain.post('/login', { username: 'x', password: 'y' });
    assert.equal(post.status, 307);
  });

  it('sends HSTS over HTTPS with a short max-age (development)', async () => {
    const res = await only.client().get('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], 'max-age=300');
    assert.ok(res.headers['content-security-policy'], 'the other security headers are still there');
  });

  it('a sign-in over HTTPS sets Secure cookies, and the session holds over HTTPS', async () => {
    const client = only.client();
    const username = uniqueName('secure');
    const registered = await client.register(username, GOOD_PASSWORD);
    assert.equal(registered.status, 303);
    await client.logout();
    const signedIn = await client.login(username, GOOD_PASSWORD);
    assert.equal(signedIn.status, 303);
    assert.doesNotMatch(String(signedIn.headers.location), /^http:/, "the app never sends the browser back to plain HTTP");
    const cookies = signedIn.headers['set-cookie'] ?? [];
    assert.ok(cookies.length > 0, 'the sign-in sets the session cookie');
    for (const line of cookies) assert.match(line, /;\s*secure/i, line);
    assert.equal((await client.get('/account')).status, 200);
  });
});

describe('a taken HTTPS port', () => {
  it('stops nginx from starting with a message that names HTTPS_PORT and how to choose another', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const { stack: blocked, info: blockedInfo } = await createTestStack({ HTTPS_PORT: String(port) });
    try {
      await assert.rejects(blocked.nginx.start(), new RegExp(`Port ${port} \\(HTTPS_PORT\\) is already in use by another program[\\s\\S]*HTTPS_PORT=8444 make up`));
    } finally {
      taken.close();
      removeTestStack(blockedInfo);
    }
  });
});
