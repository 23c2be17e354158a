// SQL for the sessions table. Rows are keyed by a hash of the cookie's id (see the migration).
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

export async function findSessionData(pool: Pool, id: string): Promise<string | undefined> {
  // One lookup by primary key per request that carries a session cookie.
  const [rows] = await pool.execute<(RowDataPacket & { data: string })[]>(
    'SELECT data FROM sessions WHERE id = ? AND expires_at > ?',
    [id, new Date()],
  );
  return rows[0]?.data;
}

export async function saveSession(
  pool: Pool,
  id: string,
  data: string,
  userId: number | null,
  expiresAt: Date,
): Promise<void> {
  await pool.execute(
    `INSERT INTO sessions (id, user_id, data, expires_at) VALUES (?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), data = VALUES(data), expires_at = VALUES(expires_at)`,
    [id, userId, data, expiresAt],
  );
}

export type SignIn = { userId: number; signedInAt: Date };

/** The `limit` newest sessions of signed-in members, newest first: who signed in lately. */
export async function findRecentSignIns(pool: Pool, limit: number): Promise<SignIn[]> {
  const [rows] = await pool.execute<(RowDataPacket & { user_id: number; created_at: Date })[]>(
    'SELECT user_id, created_at FROM sessions WHERE user_id IS NOT NULL ORDER BY created_at DESC LIMIT ?',
    [limit],
  );
  return rows.map((row) => ({ userId: row.user_id, signedInAt: row.created_at }));
}

export async function deleteSession(pool: Pool, id: string): Promise<void> {
  await pool.execute('DELETE FROM sessions WHERE id = ?', [id]);
}

/**
 * Removes every expired row, 1000 at a time so the table is never locked for long; returns how many.
 */
export async function deleteExpiredSessions(pool: Pool): Promise<number> {
  let removed = 0;
  for (;;) {
    const [result] = await pool.execute<ResultSetHeader>('DELETE FROM sessions WHERE expires_at < ? LIMIT 1000', [new Date()]);
    removed += result.affectedRows;
    if (result.affectedRows < 1000) return removed; // less than a full batch: none are left
  }
}

