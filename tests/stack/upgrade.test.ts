// A learner who updates stacklab keeps their data: their .env and their database were made by an
// older version (no migration user, an app user that could change the schema), and `make up` brings
// both up to date. Run as a learner does, with make (native runner), on a .env and a state folder of
// its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../tools/lib/ports.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { parseEnvFile } from '../../tools/lib/settings.js';
import { connectAsAppUser, queryAsRoot, type RowDataPacket } from '../../tools/testing/database.js';
import { repoRoot } from '../../tools/lib/repo.js';
import { cleanEnv } from '../../tools/testing/project-copy.js';
import type { TestStackInfo } from '../../tools/testing/test-stack.js';

describe('make up on a checkout made by an older version', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let url = '';
  const make = (target: string) => spawnSync('make', ['--no-print-directory', target], { cwd: repoRoot, env, encoding: 'utf8', timeout: 300_000 });
  const envFile = () => path.join(dir, '.env');
  // The stack's settings: its .env, with the ports this test gives make in the shell.
  const stackInfo = (): TestStackInfo => ({
    stateDir: path.join(dir, 'state'),
    envFile: envFile(),
    env: { ...parseEnvFile(readFileSync(envFile(), 'utf8')), DB_PORT: env.DB_PORT! },
    mode: 'dev',
  });

  before(async () => {
    // make's own .env and state folder, in a folder of this test's (a learner's are .env and .stack/).
    dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-upgrade-'));
    const port = String(await freePort());
    env = cleanEnv({
      STACK: 'native',
      STACK_ENV_FILE: envFile(),
      STACK_STATE_DIR: path.join(dir, 'state'),
      HTTP_PORT: port,
      // Every port free, HTTPS's too: the tests in the second lane hold the learner's defaults.
      HTTPS_PORT: String(await freePort()),
      APP_PORT: String(await freePort()),
      DB_PORT: String(await freePort()),
      BCRYPT_COST: '10',
    });
    url = `http://127.0.0.1:${port}`;
  });

  after(() => {
    if (!dir) return;
    make('down');
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the new secret to .env, gives the database the migration user, takes the schema rights from the app user, and keeps the data', async () => {
    const first = make('up');
    assert.equal(first.status, 0, first.stdout + first.stderr);
    const name = uniqueName('older');
    assert.equal((await new Client(url).register(name, GOOD_PASSWORD)).status, 303);

    // Make it what an older version left behind: a database whose app user may change the schema
    // and that has no migration user, and an .env without the migration user's lines.
    const { DB_NAME: db, DB_USER: user } = stackInfo().env;
    await queryAsRoot(stackInfo(), "DROP USER 'stacklab_migrate'@'%'");
    await queryAsRoot(stackInfo(), `GRANT CREATE, ALTER, INDEX, DROP, REFERENCES ON \`${db}\`.* TO '${user}'@'%'`);
    assert.equal(make('down').status, 0);
    const older = readFileSync(envFile(), 'utf8').split('\n').filter((line) => !line.startsWith('DB_MIGRATION_')).join('\n');
    writeFileSync(envFile(), older);

    const again = make('up');
    assert.equal(again.status, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /Added a fresh DB_MIGRATION_PASSWORD to \.env/);
    assert.match(parseEnvFile(readFileSync(envFile(), 'utf8')).DB_MIGRATION_PASSWORD ?? '', /^[A-Za-z0-9]{24}$/);
    assert.ok(readFileSync(envFile(), 'utf8').startsWith(older), 'every line the learner had is kept');

    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 303, 'the account survived');
    const conn = await connectAsAppUser(stackInfo());
    try {
      const [grants] = await conn.query<RowDataPacket[]>('SHOW GRANTS');
      const onDb = grants.map((g) => String(Object.values(g)[0])).filter((g) => g.includes(` ON \`${db}\`.`));
      assert.deepEqual(onDb.map((g) => /^GRANT (.*) ON /.exec(g)?.[1]), ['SELECT, INSERT, UPDATE, DELETE']);
      await assert.rejects(conn.query('CREATE TABLE intruder (id INT)'), /denied/i);
    } finally {
      await conn.end();
    }
    const migrationUser = await queryAsRoot(stackInfo(), "SELECT User FROM mysql.user WHERE User = 'stacklab_migrate'");
    assert.equal(migrationUser.length, 1, 'the migration user exists again');
  });
});
