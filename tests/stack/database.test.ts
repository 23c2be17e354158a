// The app and the database: health, outages and recovery, migrations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../../tools/lib/ports.js';
import { queryAsRoot } from '../../tools/testing/database.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { url, info, stack } = currentTestStack();

describe('/healthz', () => {
  it('says ok when the database answers', async () => {
    const res = await new Client(url).get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { status: 'ok', db: 'ok' });
  });
});

describe('when the database goes away', () => {
  it('answers 503 (health and pages, without internals), and recovers by itself when it returns', async () => {
    const name = uniqueName('outage');
    const client = new Client(url);
    await client.register(name, GOOD_PASSWORD);
    const appPid = stack.app.pid();

    await stack.mysql.stop();
    try {
      const health = await new Client(url).get('/healthz');
      assert.equal(health.status, 503);
      assert.equal(health.json().db, 'down');

      const started = Date.now();
      const page = await client.get('/account');
      assert.equal(page.status, 503);
      assert.ok(Date.now() - started < 5000, 'the 503 comes within 5 s');
      assert.match(page.body, /database is not answering/);
      assert.doesNotMatch(page.body, /SELECT|ECONNREFUSED|\.js:\d|node_modules/);
      assert.equal(page.headers['retry-after'], '5');

      const post = await client.request('/logout', { method: 'POST', form: { _csrf: 'x' } });
      assert.equal(post.status, 503, 'a POST with a session cookie needs the session store: 503 too');
    } finally {
      await stack.mysql.start();
    }
    assert.ok(await waitFor(async () => (await new Client(url).get('/healthz')).status === 200, 15_000));
    assert.equal((await client.get('/account')).status, 200, 'the session survived the outage');
    assert.equal(stack.app.pid(), appPid, 'the app was not restarted');
  });
});

describe('migrations', () => {
  it('are recorded once each', async () => {
    const rows = await queryAsRoot(info, 'SELECT version, name FROM schema_migrations ORDER BY version');
    assert.deepEqual(
      rows.map((r) => [r.version, r.name]),
      [
        [1, 'create-users'],
        [2, 'create-sessions'],
      ],
    );
  });

  it('apply nothing on a second run (safe at every start)', async () => {
    await stack.app.stop();
    await stack.app.start();
    const rows = await queryAsRoot(info, 'SELECT COUNT(*) AS n FROM schema_migrations');
    assert.equal(Number(rows[0]!.n), 2);
  });
});
