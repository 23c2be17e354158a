// Applies the numbered SQL files in mysql/migrations/ in order, once each, recording what ran
// in schema_migrations. Safe to run at every start, and by several app instances at once.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Logger } from '../logger.js';

export type Migration = { version: number; name: string; file: string; checksum: string; statements: string[] };

const MIGRATION_FILE = /^(\d{3,})-([a-z0-9-]+)\.sql$/;
const LOCK_NAME = 'stacklab_migrations';

export class MigrationError extends Error {}

/** Reads and orders the migration files; a file named out of pattern is an error, not skipped. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) {
      throw new MigrationError(`${file}: migration files are named like 003-add-display-name.sql`);
    }
    const sql = await readFile(path.join(dir, file), 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new MigrationError(`${file}: another migration already has number ${match[1]}`);
    }
    migrations.push({
      version,
      name: match[2]!,
      file,
      checksum: createHash('sha256').update(sql).digest('hex'),
      statements: splitStatements(sql),
    });
  }
  // By number, not by name: 1000-x.sql comes after 999-y.sql.
  return migrations.sort((a, b) => a.version - b.version);
}

/**
 * Splits a migration into statements: each ends with a `;` at the end of a line.
 * (The pool never allows several statements in one call, so they are sent one by one.)
 * Lines starting with `--` are comments.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of sql.split('\n')) {
    if (/^\s*--/.test(line) || (current.length === 0 && line.trim() === '')) continue;
    current.push(line);
    if (/;\s*$/.test(line)) {
      statements.push(current.join('\n').replace(/;\s*$/, '').trim());
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest !== '') statements.push(rest);
  return statements;
}

/** Applies every pending migration; returns the versions it applied. */
export async function migrate(pool: Pool, dir: string, log: Logger): Promise<number[]> {
  const migrations = await readMigrations(dir);
  const conn = await pool.getConnection();
  try {
    // A named lock, so two app instances starting together do not apply the same migration twice.
    const [lockRows] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, 60) AS got', [LOCK_NAME]);
    if (lockRows[0]?.got !== 1) throw new MigrationError('another process held the migration lock for 60 s');
    try {
      await createMigrationsTable(conn);
      const applied = await findAppliedMigrations(conn);
      const done: number[] = [];
      for (const migration of migrations) {
        const previous = applied.get(migration.version);
        if (previous !== undefined) {
          if (previous !== migration.checksum) {
            log.warn('migration_changed', {
              message: `${migration.file} changed after it was applied; write a new migration instead of editing an old one`,
            });
          }
          continue;
        }
        await applyMigration(conn, migration);
        log.info('migration_applied', { version: migration.version, file: migration.file });
        done.push(migration.version);
      }
      return done;
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    conn.release();
  }
}

async function createMigrationsTable(conn: PoolConnection): Promise<void> {
  await conn.query(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INT UNSIGNED NOT NULL PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      checksum CHAR(64) NOT NULL,
      applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
}

async function findAppliedMigrations(conn: PoolConnection): Promise<Map<number, string>> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT version, checksum FROM schema_migrations');
  return new Map(rows.map((r) => [Number(r.version), String(r.checksum)]));
}

// MySQL commits each DDL statement on its own, so a migration cannot be rolled back as a whole:
// if one fails half-way, the error names the file and statement so it can be fixed by hand.
async function applyMigration(conn: PoolConnection, migration: Migration): Promise<void> {
  for (const [i, statement] of migration.statements.entries()) {
    try {
      await conn.query(statement);
    } catch (err) {
      throw new MigrationError(
        `${migration.file}, statement ${i + 1} of ${migration.statements.length} failed: ${(err as Error).message}`,
      );
    }
  }
  await conn.execute('INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)', [
    migration.version,
    migration.name,
    migration.checksum,
  ]);
}
