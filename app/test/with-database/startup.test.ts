// Starting before the database: the app waits with a growing pause and a clear log line, instead of
// crashing and being restarted in a loop, and serves as soon as the database answers.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from '../browser.js';
import { testEnv } from './test-app.js';
import { startServer } from './server-process.js';

describe('a database that is not there yet at start', () => {
  it('is waited for with backoff, then the app migrates and listens', async (t) => {
    // The app is pointed at a port where nothing listens yet; later a relay to the real database opens there.
    const dbPort = await freePort();
    const appPort = await freePort();
    const realDbPort = Number(testEnv().DB_PORT);
    const server = startServer(t, testEnv({ APP_HOST: '127.0.0.1', APP_PORT: String(appPort), DB_PORT: String(dbPort) }));

    const first = await server.logged('db_waiting');
    assert.match(String(first.message), /database not reachable yet \(ECONNREFUSED\); retrying in 0\.5s/);
    await waitForLines(() => server.lines.filter((l) => l.event === 'db_waiting').length >= 3, 10_000);
    const delays = server.lines.filter((l) => l.event === 'db_waiting').map((l) => /retrying in ([\d.]+)s/.exec(String(l.message))?.[1]);
    assert.deepEqual(delays.slice(0, 3), ['0.5', '1', '2'], 'the pause grows');
    assert.equal(server.child.exitCode, null, 'still running, not crashed');

    const relay = net.createServer((client) => {
      const db = net.connect(realDbPort, '127.0.0.1');
      client.pipe(db).pipe(client);
      const close = () => (client.destroy(), db.destroy());
      client.on('error', close);
      db.on('error', close);
    });
    await new Promise<void>((resolve) => relay.listen(dbPort, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => relay.close(() => resolve())));

    await server.logged('db_ready', 15_000);
    await server.logged('listening', 15_000);
    const res = await fetch(`http://127.0.0.1:${appPort}/healthz`);
    assert.equal(res.status, 200);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited(10_000), 0);
  });
});

async function waitForLines(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
