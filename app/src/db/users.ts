// SQL for the users table. Every value goes through a `?` placeholder: the driver sends it
// separately from the SQL text, so a username like `' OR 1=1 -- ` is stored as those characters.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

export type User = { id: number; username: string; passwordHash: string; createdAt: Date };

type UserRow = RowDataPacket & { id: number; username: string; password_hash: string; created_at: Date };

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, passwordHash: row.password_hash, createdAt: row.created_at };
}

export async function findUserByUsername(pool: Pool, username: string): Promise<User | undefined> {
  const [rows] = await pool.execute<UserRow[]>(
    'SELECT id, username, password_hash, created_at FROM users WHERE username = ?',
    [username],
  );
  return rows[0] && toUser(rows[0]);
}

export async function findUserById(pool: Pool, id: number): Promise<User | undefined> {
  const [rows] = await pool.execute<UserRow[]>(
    'SELECT id, username, password_hash, created_at FROM users WHERE id = ?',
    [id],
  );
  return rows[0] && toUser(rows[0]);
}

export class DuplicateUsernameError extends Error {}

/** Inserts a user and returns its id; resolves only once the row is committed. */
export async function insertUser(pool: Pool, username: string, passwordHash: string): Promise<number> {
  try {
    const [result] = await pool.execute<ResultSetHeader>(
      'INSERT INTO users (username, password_hash) VALUES (?, ?)',
      [username, passwordHash],
    );
    return result.insertId;
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw new DuplicateUsernameError(username);
    throw err;
  }
}
