// README.md's commands (and docs/README.md's), run exactly as written, in a fresh copy of the project.
// Every ```sh block is run in order; ```shell blocks are shown to readers but not run here
// (`make test` would start this test again).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isListening } from '../tools/lib/ports.js';
import { Client, GOOD_PASSWORD, uniqueName } from './helpers/http.js';
import { cleanEnv, copyProject } from './helpers/project-copy.js';
import { repoRoot } from './helpers/test-stack.js';

const README_PORTS = [8080, 3000, 3307];
// README.md's blocks, then those of the course's front page (docs/README.md), in that order.
const shBlocks = (file: string) =>
  [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trim());
const blocks = [...shBlocks('README.md'), ...shBlocks('docs/README.md')];

function run(copy: string, script: string) {
  return spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd: copy,
    // The native runner, also where a Docker engine answers (the Docker runner has its own test).
    env: cleanEnv({ STACK: 'native' }),
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('README.md', () => {
  let copy = '';
  let busy: number[] = [];

  before(async () => {
    busy = (await Promise.all(README_PORTS.map(async (p) => ((await isListening(p)) ? p : 0)))).filter(Boolean);
    if (busy.length === 0) copy = copyProject('stacklab-readme-');
  });

  after(() => {
    if (!copy) return;
    run(copy, 'make down');
    rmSync(copy, { recursive: true, force: true });
  });

  it('has commands to run', () => {
    assert.ok(blocks.length >= 3, `found ${blocks.length} sh blocks`);
    assert.match(blocks[0]!, /make up/);
  });

  it('every ```sh block works as written, and data survives make down / make up', async (t) => {
    if (busy.length > 0) {
      const why = `ports ${busy.join(', ')} are in use (your own stack? run make down first)`;
      // On CI nothing else runs: a busy port there is a real failure.
      if (process.env.CI) assert.fail(why);
      t.skip(why);
      return;
    }
    const name = uniqueName('readme');
    for (const [i, block] of blocks.entries()) {
      const result = run(copy, block);
      assert.equal(result.status, 0, `README block ${i + 1} failed:\n${block}\n--- output ---\n${result.stdout}${result.stderr}`);
      if (i === 0) {
        assert.match(result.stdout, /http:\/\/localhost:8080/, 'make up prints the URL');
        const registered = await new Client('http://127.0.0.1:8080').register(name, GOOD_PASSWORD);
        assert.equal(registered.status, 303);
      }
    }
    // After the README's `make down` / `make up` / `make down`, the account is still there.
    assert.equal(run(copy, 'make up').status, 0);
    assert.equal((await new Client('http://127.0.0.1:8080').login(name, GOOD_PASSWORD)).status, 303);
    const again = run(copy, 'make up');
    assert.equal(again.status, 0, 'make up twice is harmless');
    const down = run(copy, 'make down');
    assert.match(down.stdout, /Stopped nginx, app, mysql/);
    assert.match(run(copy, 'make down').stdout, /Nothing was running/);
  });
});
