// Exercise 5: users registered with bcrypt hashes; one hash copied onto another user, who then
// signed in with the first user's password.
import { defineChecks, type CheckContext } from '../../../tools/course/check-kit.js';

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** The "hash-" users whose exact password_hash another "hash-" user has too: id → username. */
async function usersSharingAHash(c: CheckContext): Promise<Map<number, string>> {
  const rows = await c.sql("SELECT id, username, password_hash FROM users WHERE username LIKE 'hash-%'");
  // Compared here, not in SQL: the column's collation ignores case, and hashes are case-sensitive.
  const count = new Map<string, number>();
  for (const r of rows) count.set(String(r.password_hash), (count.get(String(r.password_hash)) ?? 0) + 1);
  return new Map(rows.filter((r) => count.get(String(r.password_hash))! >= 2).map((r) => [Number(r.id), String(r.username)]));
}

export default defineChecks([
  {
    name: 'users whose names start with "hash-" are registered, with bcrypt hashes',
    async run(c) {
      const rows = await c.sql("SELECT username, password_hash FROM users WHERE username LIKE 'hash-%' ORDER BY id");
      if (rows.length < 2) {
        c.notYet(
          `The users table has ${rows.length === 0 ? 'no user' : 'only one user'} whose name starts with "hash-".`,
          'Register hash-ada, hash-bob and hash-cy with curl, as in step 1.',
        );
      }
      const odd = rows.find((r) => !BCRYPT.test(String(r.password_hash)));
      if (odd) {
        c.notYet(
          `${String(odd.username)}'s password_hash is not a bcrypt hash: ${String(odd.password_hash).slice(0, 20)}…`,
          'Copy a whole hash from another user (step 4), or delete that user and register it again with curl.',
        );
      }
    },
  },
  {
    name: "one user's hash was copied onto another (two \"hash-\" users share one password_hash)",
    async run(c) {
      if ((await usersSharingAHash(c)).size < 2) {
        c.notYet(
          'Every "hash-" user has a hash of their own: the salt makes them differ even for the same password.',
          "Copy hash-ada's password_hash onto hash-cy in make db-shell, with the SET and UPDATE of step 4.",
        );
      }
    },
  },
  {
    // The sign-in must be the copied hash's doing: the user's own password refused, then the other
    // user's accepted. (A user signing in with their own password, like hash-ada, proves nothing.)
    name: "the user who got the copy was refused with their own password, then signed in with the other user's",
    async run(c) {
      const sharing = await usersSharingAHash(c);
      const { app } = await c.logs();
      const refusedOwn = new Set<string>();
      let onlySignedIn: string | undefined;
      for (const line of app) {
        if (line.event === 'login_failed' && line.reason === 'wrong_password') refusedOwn.add(String(line.username).toLowerCase());
        if (line.event !== 'login_succeeded' || !sharing.has(Number(line.userId))) continue;
        const username = sharing.get(Number(line.userId))!;
        if (refusedOwn.has(username.toLowerCase())) return;
        onlySignedIn = username;
      }
      if (onlySignedIn) {
        c.notInLogs(
          `${onlySignedIn} signed in, but nothing shows the copied hash let them in: their own password was not refused before.`,
          "Sign in as the user who got the copy (hash-cy) with her own password first (401), then with hash-ada's (303), as in step 5.",
        );
      }
      c.notInLogs(
        "The app's log has no sign-in of a user whose hash was copied (it keeps the newest lines only).",
        "Do step 5: sign in as hash-cy with her own password (401), then with hash-ada's password (303).",
      );
    },
  },
]);
