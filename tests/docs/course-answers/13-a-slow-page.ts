// Exercise 13: /activity made fast with an index (by a migration) and one query instead of an N+1 loop.
import { asRoot, inDbShell, patchWith, patchWithout, referencePatch, type ExerciseAnswers } from './answers.js';

const MIGRATION = 'mysql/migrations/004-index-sessions-created-at.sql';
const REFERENCE = referencePatch('13-a-slow-page');
/** The one query of step 6, without the migration of step 5. */
const QUERY_ONLY = patchWithout(REFERENCE, MIGRATION);
/** The migration of step 5 alone. */
const MIGRATION_ONLY = REFERENCE.split(/^(?=diff --git )/m).filter((part) => part.startsWith(`diff --git a/${MIGRATION} `)).join('');
const INDEX_LINE = '+CREATE INDEX sessions_created_at ON sessions (created_at);';
// Every answer starts from the busy site of step 1, and ends by taking it out (the members' sessions go with them).
const SEED = 'make db-shell < docs/exercises/13-a-slow-page/seed.sql';
const UNSEED = inDbShell("DELETE FROM users WHERE username LIKE 'member___' AND password_hash LIKE '$2b$12$vmT6Akqlowjb9M1YUSSMW%';");
// As root: the app's own user may not change the schema. (IF EXISTS: MariaDB's, which the test's stack runs.)
const UNDO_MIGRATION = `${UNSEED}${asRoot('DELETE FROM schema_migrations WHERE version = 4;\nDROP INDEX IF EXISTS sessions_created_at ON sessions;\nDROP INDEX IF EXISTS sessions_user_created ON sessions;\nDROP INDEX IF EXISTS sessions_newest ON sessions;')}`;

export default {
  readmeSays: {
    1: [/sessions\s+\d{5,}/],
    2: [/sign in: 303/, /activity: 200 in [\d.]+ s/],
    3: [/③ app → database\s+22 SQL statements/, /SELECT user_id, created_at FROM sessions WHERE user_id IS NOT NULL ORDER BY created_at DESC LIMIT \?/],
    7: [/③ app → database\s+2 SQL statements/],
  },
  solutionAtStep: 5,
  wrong: [
    {
      what: 'the index added by its migration, but the loop left as it was (one query per sign-in)',
      patch: MIGRATION_ONLY,
      commands: `${SEED}\nmake restart SERVICE=app`,
      undo: UNDO_MIGRATION,
      expect: /GET \/activity ran 22 SQL statements; "SELECT id, username, [^"]*FROM users WHERE id = \?" 20 times: one query per sign-in listed/,
    },
    {
      what: 'one query, but no index: the database still sorts the whole table',
      patch: QUERY_ONLY,
      commands: `${SEED}\nmake restart SERVICE=app`,
      undo: UNSEED,
      expect: /The sessions table has no index that starts with created_at/,
    },
    {
      what: 'an index on (user_id, created_at), by a migration: it starts with the wrong column',
      patch: patchWith(REFERENCE, INDEX_LINE, '+CREATE INDEX sessions_user_created ON sessions (user_id, created_at);'),
      commands: `${SEED}\nmake restart SERVICE=app`,
      undo: UNDO_MIGRATION,
      expect: /The index sessions_user_created has created_at as its column 2, not its first/,
    },
    {
      what: 'the index made by hand with the administrator password from .env, and no migration file',
      patch: QUERY_ONLY,
      commands: `${SEED}\n${asRoot('CREATE INDEX sessions_created_at ON sessions (created_at);')}\nmake restart SERVICE=app`,
      undo: UNDO_MIGRATION,
      expect: /The index sessions_created_at is there, but no migration file that the app applied makes it/,
    },
  ],
  alternative: {
    what: 'two queries (the newest sign-ins, then their names with IN), and an index of another name by ALTER TABLE in 004-faster-activity.sql',
    commands: `${SEED}\nprintf -- '-- Who signed in lately: the newest sessions first.\\nALTER TABLE sessions ADD INDEX sessions_newest (created_at);\\n' > mysql/migrations/004-faster-activity.sql
cat > app/src/routes/activity.ts <<'TS'
// Who signed in lately: a page for signed-in members.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { RowDataPacket } from 'mysql2/promise';
import type { Pool } from '../db/pool.js';
import { findRecentSignIns } from '../db/sessions.js';
import { requireSignIn } from '../middleware/current-user.js';
import { createRouter } from './router.js';

const signedInFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function activityRoutes(pool: Pool): Router {
  const router = createRouter();
  router.get('/activity', requireSignIn(), activity);

  async function activity(ctx: Context) {
    const signIns = await findRecentSignIns(pool, 20);
    const ids = [...new Set(signIns.map((s) => s.userId))];
    const [members] = ids.length
      ? await pool.query<(RowDataPacket & { id: number; username: string })[]>('SELECT id, username FROM users WHERE id IN (?)', [ids])
      : [[]];
    const names = new Map(members.map((m) => [m.id, m.username]));
    await ctx.render('activity.njk', {
      signIns: signIns.filter((s) => names.has(s.userId)).map((s) => ({ username: names.get(s.userId), signedInAt: signedInFormat.format(s.signedInAt) })),
    });
  }

  return router;
}
TS
make restart SERVICE=app`,
    undo: UNDO_MIGRATION,
  },
} satisfies ExerciseAnswers;
