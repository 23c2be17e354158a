// README.md's commands, run exactly as written, in a fresh copy of the project.
// Every ```sh block is run in order; ```shell blocks are shown to readers but not run here
// (`make test` would start this test again).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isListening } from '../tools/lib/ports.js';
import { Client, GOOD_PASSWORD, uniqueName } from './helpers/http.js';
import { repoRoot } from './helpers/test-stack.js';

const README_PORTS = [8080, 3000, 3307];
const blocks = [...readFileSync(path.join(repoRoot, 'README.md'), 'utf8').matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map(
  (m) => m[1]!.trim(),
);

function copyProject(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'stacklab-readme-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    try {
      cpSync(path.join(repoRoot, file), path.join(copy, file));
    } catch {
      // a file listed by git but deleted in the work tree
    }
  }
  // Installed dependencies are shared with the copy rather than installed again.
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'));
  symlinkSync(path.join(repoRoot, 'app/node_modules'), path.join(copy, 'app/node_modules'));
  return copy;
}

function run(copy: string, script: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(STACK_|HTTP_PORT|APP_PORT|DB_|ONLY$)/.test(k)),
  );
  return spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd: copy,
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('README.md', () => {
  let copy = '';
  let busy: number[] = [];

  before(async () => {
    busy = (await Promise.all(README_PORTS.map(async (p) => ((await isListening(p)) ? p : 0)))).filter(Boolean);
    if (busy.length === 0) copy = copyProject();
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
