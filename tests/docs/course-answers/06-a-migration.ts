// Exercise 6: a display_name column by a numbered migration the app applies, shown on the account page.
import { asRoot, inDbShell, patchWith, patchWithout, referencePatch, type ExerciseAnswers } from './answers.js';

const FILE = 'mysql/migrations/003-add-display-name.sql';
const REFERENCE = referencePatch('06-a-migration');
/** The code of steps 4 and 5 (the reference solution without its migration file). */
const CODE_ONLY = patchWithout(REFERENCE, FILE);
// (IF EXISTS: MariaDB's, which the test's stack runs. As root: the app's user may not change the schema.)
const DROP_COLUMN = asRoot('DELETE FROM schema_migrations WHERE version = 3;\nALTER TABLE users DROP COLUMN IF EXISTS display_name;');

export default {
  readmeSays: { 3: [/"event":"migration_applied"[^\n]*"file":"003-add-display-name.sql"/], 5: [/register: 303/, /sign in: 303/, /<dt>Display name/] },
  solutionAtStep: 2,
  wrong: [
    {
      what: 'a row for migration 3 written by hand in make db-shell (where ALTER TABLE is refused), and no migration file',
      patch: CODE_ONLY,
      commands: `${inDbShell("INSERT INTO schema_migrations (version, name, checksum) VALUES (3, 'add-display-name', REPEAT('0', 64));")}
make restart SERVICE=app`,
      undo: DROP_COLUMN,
      expect: /The users table has no display_name column/,
    },
    {
      what: 'the column added by hand with the administrator password from .env, and a row for migration 3 written by hand, with no migration file',
      patch: CODE_ONLY,
      commands: `${asRoot(`
ALTER TABLE users ADD COLUMN display_name VARCHAR(40) NULL;
INSERT INTO schema_migrations (version, name, checksum) VALUES (3, 'add-display-name', REPEAT('0', 64));`)}
make restart SERVICE=app`,
      undo: DROP_COLUMN,
      expect: /there is no file mysql\/migrations\/003-add-display-name.sql: the row was written by hand/,
    },
    {
      what: 'the migration file written, but the app not restarted, so it never ran',
      commands: `printf 'ALTER TABLE users ADD COLUMN display_name VARCHAR(40) NULL;\\n' > ${FILE}`,
      expect: /003-add-display-name.sql is there, but the app has not applied it/,
    },
    {
      what: 'the migration applied, then its file edited afterwards (which never runs again)',
      patch: REFERENCE,
      commands: `make restart SERVICE=app\nsed -i 's/VARCHAR(40)/VARCHAR(60)/' ${FILE}`,
      undo: DROP_COLUMN,
      expect: /003-add-display-name.sql is not the file that was applied: its SHA-256 differs/,
    },
    {
      what: 'a column of 100 characters instead of 40',
      patch: patchWith(REFERENCE, '+ALTER TABLE users ADD COLUMN display_name VARCHAR(40) NULL;', '+ALTER TABLE users ADD COLUMN display_name VARCHAR(100) NULL;'),
      commands: 'make restart SERVICE=app',
      undo: DROP_COLUMN,
      expect: /display_name is varchar\(100\), not VARCHAR\(40\)/,
    },
    {
      what: 'the page shows the display name, but an empty row when there is none',
      patch: patchWith(
        REFERENCE,
        '+    <dd>{% if user.displayName %}{{ user.displayName }}{% else %}<span class="muted">(not set)</span>{% endif %}</dd>',
        '+    <dd>{{ user.displayName }}</dd>',
      ),
      commands: 'make restart SERVICE=app',
      undo: DROP_COLUMN,
      expect: /does not say "\(not set\)"/,
    },
  ],
  alternative: {
    what: 'a migration of another name and form (DEFAULT NULL, AFTER username), and "(not set)" by a nunjucks "or"',
    patch: patchWith(
      CODE_ONLY,
      '+    <dd>{% if user.displayName %}{{ user.displayName }}{% else %}<span class="muted">(not set)</span>{% endif %}</dd>',
      '+    <dd>{{ user.displayName or "(not set)" }}</dd>',
    ),
    commands: `printf -- '-- How a member wants to be called (NULL: not chosen yet).\\nALTER TABLE users\\n  ADD display_name VARCHAR(40) DEFAULT NULL AFTER username;\\n' > mysql/migrations/003-users-display-name.sql
make restart SERVICE=app`,
    undo: DROP_COLUMN,
  },
} satisfies ExerciseAnswers;
