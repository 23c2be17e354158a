// make watch finds a saved file by its modification time (file-system events do not cross every
// Docker bind mount), and ignores what is not the learner's: dependencies, build output, the stack's state.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { projectSnapshot, sameSnapshot } from '../course/watch.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'stacklab-watch-'));
after(() => rmSync(root, { recursive: true, force: true }));
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

describe('projectSnapshot', () => {
  write('nginx/snippets/response-headers.conf', 'add_header X-Request-ID $id always;\n');
  write('.env', 'HTTP_PORT=8080\n');
  const before = projectSnapshot(root);

  it('sees the project files, .env included', () => {
    assert.ok(before.has(path.join(root, 'nginx/snippets/response-headers.conf')));
    assert.ok(before.has(path.join(root, '.env')));
  });

  it('ignores dependencies, build output and the stack state', () => {
    write('tools/node_modules/x/index.js', '1');
    write('app/dist/server.js', '1');
    write('.stack/logs/access.json', '{}\n');
    write('.git/index', '1');
    assert.ok(sameSnapshot(before, projectSnapshot(root)));
  });

  it('notices a file saved again, a new file and a removed one', () => {
    const file = path.join(root, 'nginx/snippets/response-headers.conf');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(sameSnapshot(before, projectSnapshot(root)), false);
    const saved = projectSnapshot(root);
    write('app/public/hello.txt', 'hello\n');
    assert.equal(sameSnapshot(saved, projectSnapshot(root)), false);
    const added = projectSnapshot(root);
    rmSync(path.join(root, 'app/public/hello.txt'));
    assert.equal(sameSnapshot(added, projectSnapshot(root)), false);
  });
});
