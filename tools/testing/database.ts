// Direct SQL access for assertions, as root over the test stack's socket, or as the app's user.
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { statePaths } from '../runners/native/native-options.js';
import type { TestStackInfo } from './test-stack.js';

export type { RowDataPacket };

export async function queryAsRoot<T extends RowDataPacket>(info: TestStackInfo, sql: string, params: (string | number | null)[] = []): Promise<T[]> {
  const conn = await mysql.createConnection({
    socketPath: statePaths(info.stateDir).mysqlSocket,
    user: 'root',
    password: info.env.DB_ROOT_PASSWORD,
    database: info.env.DB_NAME,
  });
  try {
    const [rows] = await conn.execute<T[]>(sql, params);
    return rows;
  } finally {
    await conn.end();
  }
}

/** A connection as the app's own database user, the way the app connects (TCP). */
export function connectAsAppUser(info: TestStackInfo) {
  return mysql.createConnection({
    host: '127.0.0.1',
    port: Number(info.env.DB_PORT),
    user: info.env.DB_USER,
    password: info.env.DB_PASSWORD,
    database: info.env.DB_NAME,
  });
}

/** A connection as the migration user, the one allowed to change the schema. */
export function connectAsMigrationUser(info: TestStackInfo) {
  return mysql.createConnection({
    host: '127.0.0.1',
    port: Number(info.env.DB_PORT),
    user: info.env.DB_MIGRATION_USER,
    password: info.env.DB_MIGRATION_PASSWORD,
    database: info.env.DB_NAME,
  });
}
