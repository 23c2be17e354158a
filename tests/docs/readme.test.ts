// README.md's commands (and docs/README.md's), run exactly as written, in a fresh copy of the project.
// Every ```sh block is run in order; ```shell blocks are shown to readers but not run here
// (`make test` would start this test again). The README's ports are used when they are free; when
// something already listens there (the learner's own stack), the copy gets free ports instead and
// the commands are run with those ports put in, the way README.md tells a learner to use another port.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, isListening } from '../../tools/lib/ports.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';
import { repoRoot } from '../../tools/lib/repo.js';

// README.md's blocks, then those of the course's front page (docs/README.md), in that order.
const shBlocks = (file: string) =>
  [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trim());
const blocks = [...shBlocks('README.md'), ...shBlocks('docs/README.md')];

const ports = { HTTP_PORT: 8080, HTTPS_PORT: 8443, APP_PORT: 3000, DB_PORT: 3307 };

function run(copy: string, script: string) {
  return spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script.replaceAll('localhost:8080', `localhost:${ports.HTTP_PORT}`).replaceAll('localhost:8443', `localhost:${ports.HTTPS_PORT}`)], {
    cwd: copy,
    // The native runner, also where a Docker engine answers (the Docker runner has its own test).
    env: cleanEnv({ STACK: 'native', ...(ports.HTTP_PORT === 8080 ? {} : Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)]))) }),
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('README.md', () => {
  let copy = '';
  let url = '';

  before(async () => {
    const busy = (await Promise.all(Object.values(ports).map(async (p) => ((await isListening(p)) ? p : 0)))).filter(Boolean);
    // STACKLAB_FREE_PORTS=1: several test runs share this machine (never set on CI).
    if (busy.length > 0 || process.env.STACKLAB_FREE_PORTS === '1') {
      // On CI nothing else runs: the README must be tried with its own ports there.
      if (process.env.CI) assert.fail(`ports ${busy.join(', ')} are in use`);
      for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
      console.log(`  (the README's commands run on ports ${Object.values(ports).join(', ')}: ${busy.length ? `${busy.join(', ')} are in use` : 'STACKLAB_FREE_PORTS=1'})`);
    }
    url = `http://127.0.0.1:${ports.HTTP_PORT}`;
    copy = copyProject('stacklab-readme-');
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

  it('every ```sh block works as written, and data survives make down / make up', async () => {
    const name = uniqueName('readme');
    for (const [i, block] of blocks.entries()) {
      const result = run(copy, block);
      assert.equal(result.status, 0, `README block ${i + 1} failed:\n${block}\n--- output ---\n${result.stdout}${result.stderr}`);
      if (i === 0) {
        assert.match(result.stdout, new RegExp(`http://localhost:${ports.HTTP_PORT}`), 'make up prints the URL');
        const registered = await new Client(url).register(name, GOOD_PASSWORD);
        assert.equal(registered.status, 303);
      }
    }
    // After the README's `make down` / `make up` / `make down`, the account is still there.
    assert.equal(run(copy, 'make up').status, 0);
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 303);
    const again = run(copy, 'make up');
    assert.equal(again.status, 0, 'make up twice is harmless');
    const down = run(copy, 'make down');
    assert.match(down.stdout, /Stopped nginx, app, mysql/);
    assert.match(run(copy, 'make down').stdout, /Nothing was running/);
  });
});
