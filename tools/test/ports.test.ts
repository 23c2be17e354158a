// The ports the tests' and the bench's throwaway stacks get: free, and never from the range the OS
// hands out for outgoing connections' local ends (where any connection could take one first).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort, freePortRange } from '../lib/ports.js';

const outgoing = (port: number) => port >= 32_768; // Linux starts there; macOS and Windows at 49152

describe('free ports for throwaway stacks', () => {
  it('picks ports that are free now, below the range of outgoing connections', async () => {
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      assert.ok(port >= 10_240 && !outgoing(port), `port ${port}`);
      const range = await freePortRange(3);
      assert.ok(range >= 10_240 && !outgoing(range + 2), `ports ${range}–${range + 2}`);
    }
  });
});
