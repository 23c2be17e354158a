// Several app instances behind nginx (APP_REPLICAS=2), on a throwaway stack of their own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { createTestStack, removeTestStack, type TestStackInfo } from '../../tools/testing/test-stack.js';
import type { NativeStack } from '../../tools/runners/native/native-stack.js';

describe('two app instances behind nginx', () => {
  let stack: NativeStack;
  let info: TestStackInfo;
  let url = '';

  before(async () => {
    ({ stack, info } = await createTestStack({ APP_REPLICAS: '2' }));
    await stack.up();
    url = `http://127.0.0.1:${stack.settings.ports.http}`;
  });

  after(async () => {
    await stack?.down();
    if (info) removeTestStack(info);
  });

  it('spreads requests over both instances, each response naming the one that served it', async () => {
    const instances = new Set<string>();
    for (let i = 0; i < 20; i++) instances.add(String((await new Client(url).get('/')).headers['x-app-instance']));
    assert.deepEqual([...instances].sort(), stack.apps.map((app) => `native-${app.port}`).sort());
  });

  it('keeps a session made on one instance valid on the other (sessions live in the database)', async () => {
    const client = new Client(url);
    await client.register(uniqueName('replica'), GOOD_PASSWORD);
    const served = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const res = await client.get('/account');
      assert.equal(res.status, 200, 'signed in, whichever instance answers');
      served.add(String(res.headers['x-app-instance']));
    }
    assert.equal(served.size, 2);
  });

  it('keeps serving through the other instance when one is stopped: no failed request', async () => {
    await stack.apps[1]!.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await new Client(url).get('/')).status);
    assert.deepEqual([...new Set(statuses)], [200]);
    await stack.apps[1]!.start();
  });
});
