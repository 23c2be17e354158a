// A checkout made the Windows way (git with core.autocrlf=true), in a folder whose path has a space:
// the scripts, the Makefile and every config keep their LF line ends (.gitattributes), and the stack
// starts from it. (The Docker test runs from a folder with a space in its path too.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '../../tools/lib/http-client.js';
import { freePort } from '../../tools/lib/ports.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';

describe('a Windows-style checkout (core.autocrlf=true) in a folder with a space', () => {
  let source = '';
  let parent = '';
  let clone = '';
  let env: NodeJS.ProcessEnv = {};
  let url = '';
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd, encoding: 'utf8' });
    assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const make = (target: string) => spawnSync('make', ['--no-print-directory', target], { cwd: clone, env, encoding: 'utf8', timeout: 400_000 });

  before(async () => {
    // The project as it is now (uncommitted changes too), committed into a repository of its own.
    source = copyProject('stacklab-crlf-source-', { dependencies: false });
    git(source, 'init', '-q');
    git(source, 'add', '-A');
    git(source, 'commit', '-q', '-m', 'the project');
    parent = mkdtempSync(path.join(os.tmpdir(), 'stacklab crlf '));
    clone = path.join(parent, 'stacklab');
    git(parent, '-c', 'core.autocrlf=true', 'clone', '-q', '--config', 'core.autocrlf=true', source, clone);
    const port = await freePort();
    env = cleanEnv({ STACK: 'native', HTTP_PORT: String(port), APP_PORT: String(await freePort()), DB_PORT: String(await freePort()) });
    url = `http://127.0.0.1:${port}`;
  });

  after(() => {
    if (clone) make('down');
    for (const dir of [source, parent]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has LF line ends in every script, config and SQL file', () => {
    const files = git(clone, 'ls-files').split('\n').filter((f) => /(\.sh|\.sql|\.cnf|\.conf|\.template|\.ya?ml|Makefile|\.env\.example)$/.test(f));
    assert.ok(files.length > 15, files.join(' '));
    const withCr = files.filter((f) => readFileSync(path.join(clone, f), 'utf8').includes('\r'));
    assert.deepEqual(withCr, []);
  });

  it('starts with make up (which installs the dependencies, as in a fresh clone) and serves the site', async () => {
    const up = make('up');
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.equal((await new Client(url).get('/healthz')).status, 200);
    assert.equal((await new Client(url).get('/static/css/site.css')).status, 200);
    assert.equal(make('down').status, 0);
  });
});
