// The third hop: each request's log line lists the SQL statements and bcrypt calls of that request
// only, bounded, and never a password, a hash or any other parameter value.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Koa from 'koa';
import type { RowDataPacket } from 'mysql2/promise';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createMemoryLogger } from '../../src/logger.js';
import { requestLog } from '../../src/middleware/request-log.js';
import { MAX_KEPT, type TraceFields } from '../../src/request-trace.js';
import { verifyPassword } from '../../src/security/passwords.js';
import { Browser } from '../browser.js';
import { buildTestApp, GOOD_PASSWORD, registerUser, testConfig } from './test-app.js';

type RequestLine = Partial<TraceFields> & { event: string; path: string; method: string; status: number; requestId: string };

/** A bare Koa app: the real request log, then `handler` with the real (traced) pool. */
async function serve(handler: (ctx: Koa.Context, pool: Pool) => Promise<void>, trace = true) {
  const pool = createPool({ ...testConfig().db, poolSize: 10 });
  const log = createMemoryLogger();
  const app = new Koa();
  app.use(requestLog(log, { trace }));
  app.use((ctx) => handler(ctx, pool));
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lines: () => log.lines.filter((l) => l.event === 'request') as RequestLine[],
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

describe('request trace', () => {
  it('gives each of 200 concurrent requests exactly its own statements and bcrypt calls', async (t) => {
    const hash = await import('bcrypt').then((b) => b.default.hash('x', 4));
    const app = await serve(async (ctx, pool) => {
      const n = Number(ctx.query.n);
      // n % 4 + 1 statements, each naming its request, with pauses so that requests interleave.
      for (let i = 0; i <= n % 4; i++) {
        await pool.execute(`SELECT ? AS request_${n}`, [n]);
        await sleep(Math.random() * 5);
      }
      if (n % 3 === 0) await verifyPassword('x', hash);
      ctx.body = 'ok';
    });
    t.after(app.close);

    const ids = Array.from({ length: 200 }, (_, n) => n);
    const answers = await Promise.all(ids.map((n) => new Browser(app.url).get(`/?n=${n}`)));
    assert.ok(answers.every((a) => a.status === 200));

    const lines = app.lines();
    assert.equal(lines.length, 200);
    for (const line of lines) {
      const n = Number(new URLSearchParams(String((line as { query?: string }).query)).get('n'));
      const statements = line.sql!.statements;
      assert.equal(line.sql!.count, (n % 4) + 1, `request ${n}: its statement count`);
      assert.deepEqual(
        statements.map((s) => s.sql),
        statements.map(() => `SELECT ? AS request_${n}`),
        `request ${n} lists only its own statements`,
      );
      assert.ok(statements.every((s) => s.rows === 1 && typeof s.conn === 'number' && s.ms >= 0));
      assert.equal(line.bcrypt!.count, n % 3 === 0 ? 1 : 0, `request ${n}: its bcrypt calls`);
    }
  });

  it('keeps the line bounded for a request that runs 1,000 statements', async (t) => {
    const app = await serve(async (ctx, pool) => {
      for (let i = 0; i < 1000; i++) await pool.execute('SELECT ? + 1 AS next', [i]);
      ctx.body = 'done';
    });
    t.after(app.close);
    assert.equal((await new Browser(app.url).get('/many')).status, 200);
    const [line] = app.lines();
    assert.equal(line!.sql!.count, 1000);
    assert.equal(line!.sql!.statements.length, MAX_KEPT);
    assert.ok(JSON.stringify(line).length < 12_000, `the line is ${JSON.stringify(line).length} characters`);
  });

  it('records a failed statement with its error code, and the statement still fails', async (t) => {
    const app = await serve(async (ctx, pool) => {
      await pool.execute('SELECT no_such_column FROM users WHERE id = ?', [1]).catch(() => undefined);
      ctx.body = 'ok';
    });
    t.after(app.close);
    await new Browser(app.url).get('/');
    const [line] = app.lines();
    assert.equal(line!.sql!.statements[0]!.error, 'ER_BAD_FIELD_ERROR');
  });

  it('records nothing with TRACE_SQL=false', async (t) => {
    const app = await serve(async (ctx, pool) => {
      await pool.execute('SELECT 1');
      ctx.body = 'ok';
    }, false);
    t.after(app.close);
    await new Browser(app.url).get('/');
    const [line] = app.lines();
    assert.equal(line!.sql, undefined);
    assert.equal(line!.bcrypt, undefined);
  });
});

describe('a sign-in, traced', () => {
  it('runs two statements and one bcrypt compare, and logs no password or hash', async (t) => {
    const app = await buildTestApp();
    t.after(app.close);
    const username = await registerUser(app.browser(), 'traced');
    const browser = app.browser();
    const res = await browser.login(username, GOOD_PASSWORD);
    assert.equal(res.status, 303);

    const line = app.log.lines.find((l) => l.event === 'request' && l.method === 'POST' && l.path === '/login') as RequestLine;
    assert.deepEqual(
      line.sql!.statements.map((s) => s.sql),
      [
        'SELECT id, username, password_hash, created_at FROM users WHERE username = ?',
        'INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), data = VALUES(data), expires_at = VALUES(expires_at)',
      ],
    );
    assert.equal(line.sql!.count, 2);
    assert.deepEqual(line.bcrypt!.calls.map((c) => [c.op, c.cost]), [['compare', 4]]);

    const [rows] = await app.pool.execute<(RowDataPacket & { password_hash: string })[]>('SELECT password_hash FROM users WHERE username = ?', [username]);
    const logged = JSON.stringify(app.log.lines);
    assert.ok(!logged.includes(GOOD_PASSWORD), 'no password in the log');
    assert.ok(!logged.includes(rows[0]!.password_hash), 'no hash in the log');
    assert.ok(!logged.includes(rows[0]!.password_hash.slice(7)), 'no part of the hash in the log');
  });
});
