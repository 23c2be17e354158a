// Reading migration files: splitting them into statements and ordering them. No database needed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { MigrationError, readMigrations, splitStatements } from '../src/db/migrations.js';

describe('splitStatements', () => {
  it('splits on a ; at the end of a line and drops the ;', () => {
    assert.deepEqual(splitStatements('SELECT 1;\nSELECT 2;\n'), ['SELECT 1', 'SELECT 2']);
  });

  it('skips -- comment lines and blank lines between statements', () => {
    const sql = '-- the users\n\nSELECT 1;\n\n  -- indented comment\nSELECT 2;\n-- trailing comment\n';
    assert.deepEqual(splitStatements(sql), ['SELECT 1', 'SELECT 2']);
  });

  it('keeps a statement over several lines together, comment lines inside it removed', () => {
    const sql = 'CREATE TABLE t (\n  -- the key\n  id INT PRIMARY KEY,\n  name TEXT\n);\n';
    assert.deepEqual(splitStatements(sql), ['CREATE TABLE t (\n  id INT PRIMARY KEY,\n  name TEXT\n)']);
  });

  it('does not split on a ; inside a line', () => {
    assert.deepEqual(splitStatements("INSERT INTO t VALUES ('a;b');\n"), ["INSERT INTO t VALUES ('a;b')"]);
  });

  it('keeps a last statement that has no ;', () => {
    assert.deepEqual(splitStatements('SELECT 1;\nSELECT 2'), ['SELECT 1', 'SELECT 2']);
  });

  it('returns nothing for a file of comments only', () => {
    assert.deepEqual(splitStatements('-- nothing yet\n\n'), []);
  });
});

/** A temporary folder holding `files` (name → SQL), deleted after the test. */
async function migrationsDir(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'stacklab-migrations-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

describe('readMigrations', () => {
  it('orders the files by number and reads version, name and statements', async (t) => {
    const dir = await migrationsDir(t, {
      '010-add-index.sql': 'CREATE INDEX i ON users (name);\n',
      '002-create-users.sql': 'CREATE TABLE users (id INT);\nCREATE TABLE roles (id INT);\n',
      '001-start.sql': 'SELECT 1;\n',
      'README.md': 'not a migration: only .sql files are read',
    });
    const migrations = await readMigrations(dir);
    assert.deepEqual(
      migrations.map((m) => [m.version, m.name, m.file]),
      [
        [1, 'start', '001-start.sql'],
        [2, 'create-users', '002-create-users.sql'],
        [10, 'add-index', '010-add-index.sql'],
      ],
    );
    assert.deepEqual(migrations[1]!.statements, ['CREATE TABLE users (id INT)', 'CREATE TABLE roles (id INT)']);
  });

  it('orders by version number, not by file name: 999 before 1000', async (t) => {
    const dir = await migrationsDir(t, { '1000-later.sql': 'SELECT 2;\n', '999-earlier.sql': 'SELECT 1;\n' });
    assert.deepEqual((await readMigrations(dir)).map((m) => m.version), [999, 1000]);
  });

  it('refuses a file named out of pattern instead of skipping it', async (t) => {
    for (const bad of ['1-start.sql', '001_start.sql', '001-Start.sql', 'start.sql']) {
      const dir = await migrationsDir(t, { [bad]: 'SELECT 1;\n' });
      await assert.rejects(readMigrations(dir), (err) => err instanceof MigrationError && err.message.includes(bad));
    }
  });

  it('refuses two files with the same number', async (t) => {
    const dir = await migrationsDir(t, { '001-start.sql': 'SELECT 1;\n', '0001-again.sql': 'SELECT 2;\n' });
    await assert.rejects(readMigrations(dir), (err) => err instanceof MigrationError && /already has number/.test(err.message));
  });

  it('gives each file the SHA-256 of its text as checksum, the same on every read', async (t) => {
    const sql = 'CREATE TABLE users (id INT);\n';
    const dir = await migrationsDir(t, { '001-create-users.sql': sql });
    const [first] = await readMigrations(dir);
    const [second] = await readMigrations(dir);
    assert.equal(first!.checksum, createHash('sha256').update(sql).digest('hex'));
    assert.equal(second!.checksum, first!.checksum);
  });

  it('gives a different checksum once the file is edited', async (t) => {
    const before = await migrationsDir(t, { '001-create-users.sql': 'CREATE TABLE users (id INT);\n' });
    const after = await migrationsDir(t, { '001-create-users.sql': 'CREATE TABLE users (id BIGINT);\n' });
    assert.notEqual((await readMigrations(before))[0]!.checksum, (await readMigrations(after))[0]!.checksum);
  });

  it('reads the real migrations of this project, each with at least one statement', async () => {
    const migrations = await readMigrations(path.resolve(import.meta.dirname, '../../mysql/migrations'));
    assert.ok(migrations.length > 0);
    assert.ok(migrations.every((m) => m.statements.length > 0));
  });
});
