// The native runner restarts a crashed app or database by itself, as Docker's restart policy does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../../tools/lib/ports.js';
import { Client } from '../../tools/lib/http-client.js';
import { appLogText } from '../../tools/testing/stack-logs.js';
import { currentTestStack } from '../../tools/testing/test-stack.js';

const { url, stack, info } = currentTestStack();

describe('supervision (native runner)', () => {
  it('restarts the app after kill -9, with a log line saying so; serving resumes within 10 s', async () => {
    const before = stack.app.pid()!;
    process.kill(before, 'SIGKILL');
    const started = Date.now();
    const back = await waitFor(async () => (await new Client(url).get('/')).status === 200, 10_000, 100);
    assert.ok(back, 'serving again within 10 s');
    const recovery = Date.now() - started;
    assert.notEqual(stack.app.pid(), before, 'a new app process');
    assert.match(appLogText(info), /"event":"supervisor".*app exited/);
    console.log(`  app back after ${recovery} ms`);
  });

  it('restarts MariaDB after kill -9; the app reconnects by itself', async () => {
    const appPid = stack.app.pid();
    process.kill(stack.mysql.pid()!, 'SIGKILL');
    const started = Date.now();
    const back = await waitFor(async () => (await new Client(url).get('/healthz')).status === 200, 30_000, 200);
    assert.ok(back, 'healthy again within 30 s');
    console.log(`  database back after ${Date.now() - started} ms`);
    assert.equal(stack.app.pid(), appPid, 'the app was not restarted');
  });

  it('make up leaves a supervised service alone, so it is never started twice', async () => {
    const pids = [stack.mysql.pid(), stack.app.pid(), stack.nginx.pid()];
    await stack.up();
    assert.deepEqual([stack.mysql.pid(), stack.app.pid(), stack.nginx.pid()], pids);
  });
});
