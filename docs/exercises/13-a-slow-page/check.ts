// Exercise 13: /activity made fast. The sessions table is big (the seed of step 1); an index that
// starts with created_at, made by a migration; the page's statements (which the app records in its
// log line, see app/src/request-trace.ts) down from one per row to at most three; and EXPLAIN of its
// query on sessions shows that index in use.
import { createHash } from 'node:crypto';
import { defineChecks, type CheckContext, type LogLine } from '../../../tools/course/check-kit.js';

const SEED = 'docs/exercises/13-a-slow-page/seed.sql';
const MIN_ROWS = 50_000;
const MAX_STATEMENTS = 3;
const STEP_1 = `Run step 1: make db-shell < ${SEED}`;

type Statement = { sql: string; ms: number };

/** The indexes of sessions whose first column is created_at. */
async function createdAtIndexes(c: CheckContext): Promise<string[]> {
  const rows = await c.sql(
    `SELECT INDEX_NAME AS name FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sessions' AND COLUMN_NAME = 'created_at' AND SEQ_IN_INDEX = 1`,
  );
  return rows.map((r) => String(r.name));
}

/** GET /activity as a member of the check's own, and the app's log line for that request. */
async function activityRequest(c: CheckContext): Promise<LogLine> {
  const { client } = await c.temporaryUser('check13');
  // The first page after signing in also saves the session (it takes the welcome message out): not this one.
  await client.get('/account');
  const page = await client.get('/activity');
  if (page.status !== 200) c.notYet(`GET /activity answered ${page.status}.`, 'make logs SERVICE=app shows what went wrong.');
  const id = String(page.headers['x-request-id']);
  for (let tries = 0; tries < 20; tries++) {
    const line = (await c.logs()).app.find((l) => l.event === 'request' && l.requestId === id);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 100));
  }
  return c.notInLogs(`The app's log has no line for request ${id}.`, 'Run make check 13 again.');
}

/** The statement count and the kept statements of the line (the app records them unless TRACE_SQL=false). */
function recorded(c: CheckContext, line: LogLine): { count: number; statements: Statement[] } {
  const sql = line.sql as { count?: unknown; statements?: Statement[] } | undefined;
  if (!sql || typeof sql.count !== 'number') {
    return c.notYet(
      "The app's log line for GET /activity lists no SQL statements: the app does not record them.",
      'Set TRACE_SQL=true in .env (as .env.example has it), then make restart SERVICE=app.',
    );
  }
  return { count: sql.count, statements: Array.isArray(sql.statements) ? sql.statements : [] };
}

// The session lookup every page of a signed-in member runs (middleware/session.ts): not the page's own.
const SESSION_LOOKUP = /^SELECT data FROM sessions WHERE id = \?/i;

export default defineChecks([
  {
    name: `the sessions table holds the busy site of step 1 (at least ${MIN_ROWS.toLocaleString('en')} rows)`,
    async run(c) {
      const [row] = await c.sql('SELECT COUNT(*) AS n FROM sessions');
      const n = Number(row?.n ?? 0);
      if (n < MIN_ROWS) c.notYet(`The sessions table has ${n} rows: with so few, every query is fast, and no index is needed.`, STEP_1);
    },
  },
  {
    name: 'sessions has an index that starts with created_at, made by a migration of yours',
    async run(c) {
      const indexes = await createdAtIndexes(c);
      if (indexes.length === 0) {
        const [later] = await c.sql(
          `SELECT INDEX_NAME AS name, SEQ_IN_INDEX AS position FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sessions' AND COLUMN_NAME = 'created_at'`,
        );
        c.notYet(
          later
            ? `The index ${String(later.name)} has created_at as its column ${String(later.position)}, not its first: it is sorted by its first column, so it cannot give the newest sessions of everybody.`
            : 'The sessions table has no index that starts with created_at.',
          'Write the migration of step 5 (CREATE INDEX sessions_created_at ON sessions (created_at);), then make restart SERVICE=app.',
        );
      }
      // Which applied migration made it: a file that names the index, with the checksum the app recorded.
      const applied = await c.sql('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
      const fromMigration = applied.some((m) => {
        const sql = c.readProjectFile(`mysql/migrations/${String(m.version).padStart(3, '0')}-${String(m.name)}.sql`);
        const sameFile = createHash('sha256').update(sql).digest('hex') === String(m.checksum);
        return sameFile && indexes.some((name) => sql.includes(name)) && /created_at/i.test(sql);
      });
      if (!fromMigration) {
        c.notYet(
          `The index ${indexes.join(', ')} is there, but no migration file that the app applied makes it: it was made by hand, and no other copy of the database would get it.`,
          `Drop it the way you made it (DROP INDEX ${indexes[0]} ON sessions;), write the migration of step 5 and run make restart SERVICE=app.`,
        );
      }
    },
  },
  {
    name: `GET /activity runs at most ${MAX_STATEMENTS} SQL statements, not one per member listed`,
    async run(c) {
      const { count, statements } = recorded(c, await activityRequest(c));
      if (count > MAX_STATEMENTS) {
        const times = new Map<string, number>();
        for (const s of statements) times.set(s.sql, (times.get(s.sql) ?? 0) + 1);
        const [repeated, n] = [...times].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
        c.notYet(
          `GET /activity ran ${count} SQL statements; "${repeated}" ${n} times: one query per sign-in listed (an N+1 loop).`,
          'Fetch the names with the sign-ins, in one query (step 6), and make restart SERVICE=app; make inspect ID=… shows the statements.',
        );
      }
    },
  },
  {
    name: "EXPLAIN of the page's query on sessions: it reads the created_at index, not the whole table",
    async run(c) {
      const { statements } = recorded(c, await activityRequest(c));
      const listing = statements.filter((s) => /\bsessions\b/i.test(s.sql) && /^\s*(SELECT|\()/i.test(s.sql) && !SESSION_LOOKUP.test(s.sql));
      if (listing.length === 0) {
        c.notYet('GET /activity ran no query on the sessions table besides the session of the request.', 'The page lists the newest sessions: put findRecentSignIns back in app/src/routes/activity.ts.');
      }
      const indexes = await createdAtIndexes(c);
      for (const statement of listing) {
        // The logged text keeps its ? placeholders; 20 (the page's count) stands in for each.
        const params = Array.from({ length: (statement.sql.match(/\?/g) ?? []).length }, () => 20);
        const plan = await c.sql(`EXPLAIN ${statement.sql}`, params);
        if (plan.some((row) => indexes.includes(String(row.key)))) continue;
        const onSessions = plan.filter((row) => /sessions|^s$/i.test(String(row.table)) || String(row.possible_keys ?? '').includes('sessions_'));
        const how = onSessions.map((row) => `key ${String(row.key ?? 'NULL')}, about ${String(row.rows)} rows${/filesort/i.test(String(row.Extra)) ? ', Using filesort' : ''}`).join('; ');
        c.notYet(
          `EXPLAIN ${statement.sql}: the database reads sessions ${how ? `(${how})` : 'without an index on created_at'}, not through ${indexes.length ? indexes.join(' or ') : 'an index on created_at'}.`,
          indexes.length
            ? 'Let the query take the newest sessions first, ordered by created_at with its LIMIT, before joining users (step 6): then the index fits.'
            : 'Add the index with the migration of step 5, then make restart SERVICE=app.',
        );
      }
    },
  },
]);
