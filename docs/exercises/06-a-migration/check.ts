// Exercise 6: a new column added by a numbered migration, applied by the app, shown on the account page.
import { createHash } from 'node:crypto';
import { defineChecks } from '../../../tools/course/check-kit.js';

const MIGRATION_FILE = 'mysql/migrations/003-add-display-name.sql';
const FIX_TYPE =
  'An applied migration never runs again, so editing 003 changes nothing: write the next one, 004-fix-display-name.sql, with ALTER TABLE users MODIFY display_name VARCHAR(40) NULL; and run make restart SERVICE=app.';

export default defineChecks([
  {
    name: 'the users table has a display_name column: text of up to 40 characters, NULL allowed',
    async run(c) {
      const [column] = await c.sql(
        `SELECT DATA_TYPE AS type, CHARACTER_MAXIMUM_LENGTH AS length, IS_NULLABLE AS nullable
           FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'display_name'`,
      );
      if (!column) {
        return c.notYet(
          'The users table has no display_name column.',
          c.readProjectFile(MIGRATION_FILE)
            ? `${MIGRATION_FILE} is there, but the app has not applied it: run make restart SERVICE=app, and if the column is still missing, make logs SERVICE=app shows why.`
            : `Write ${MIGRATION_FILE} (step 2), then run make restart SERVICE=app: the app applies new migrations when it starts.`,
        );
      }
      if (String(column.type).toLowerCase() !== 'varchar' || Number(column.length) !== 40) {
        c.notYet(
          `display_name is ${String(column.type)}(${String(column.length)}), not VARCHAR(40).`,
          FIX_TYPE,
        );
      }
      if (column.nullable !== 'YES') {
        c.notYet(
          'display_name is NOT NULL, so "not set" cannot be stored.',
          FIX_TYPE,
        );
      }
    },
  },
  {
    name: 'the column came from your migration file, applied by the app (its checksum recorded in schema_migrations)',
    async run(c) {
      const [row] = await c.sql('SELECT name, checksum FROM schema_migrations WHERE version = 3');
      if (!row) {
        return c.notYet(
          'The column exists, but schema_migrations has no version 3: migration 003 did not add it.',
          `Name your migration ${MIGRATION_FILE}. A column made another way (by hand, by a migration of another number) must go first: make reset starts from an empty database (it deletes your users), and make up then applies every migration.`,
        );
      }
      const file = `mysql/migrations/003-${String(row.name)}.sql`;
      const sql = c.readProjectFile(file);
      // make db-shell's user may delete rows but not change the schema: a column made by hand goes with make reset.
      const undo = 'Take out what was done by hand: DELETE FROM schema_migrations WHERE version = 3; in make db-shell (and a column added by hand goes with make reset, which deletes your users)';
      if (sql === '') {
        return c.notYet(
          `schema_migrations says migration 3 (${String(row.name)}) ran, but there is no file ${file}: the row was written by hand, and no other copy of the project would get the column.`,
          `${undo}, write ${MIGRATION_FILE} (step 2) and run make restart SERVICE=app: the app applies it and records it.`,
        );
      }
      // The app records the SHA-256 of each file it applies (app/src/db/migrations.ts).
      if (createHash('sha256').update(sql).digest('hex') !== String(row.checksum)) {
        c.notYet(
          `${file} is not the file that was applied: its SHA-256 differs from the checksum in schema_migrations (a row written by hand, or the file edited after it ran).`,
          `An applied migration never runs again: put the file back as it was when it ran and make further changes in a new one (004-….sql). If the row was written by hand: ${undo}, then make restart SERVICE=app.`,
        );
      }
      if (!/display_name/i.test(sql)) {
        c.notYet(`${file} does not mention display_name: the column did not come from it.`, `The migration is the one statement of step 2: ALTER TABLE users ADD COLUMN display_name VARCHAR(40) NULL;`);
      }
    },
  },
  {
    name: 'the account page has a "Display name" row, "(not set)" for a new member',
    async run(c) {
      const { client } = await c.temporaryUser('display');
      const page = await client.get('/account');
      if (page.status !== 200) {
        c.notYet(`The account page answered ${page.status}.`, 'make logs SERVICE=app shows what went wrong.');
      }
      if (!/Display name/.test(page.body)) {
        c.notYet(
          'The account page of a new member has no "Display name" row.',
          'Add the <dt>/<dd> pair of step 5 to app/views/account.njk, pass displayName from app/src/routes/account.ts, then make restart SERVICE=app.',
        );
      }
      if (!page.body.includes('(not set)')) {
        c.notYet(
          'A new member has no display name yet, but the page does not say "(not set)".',
          'In app/views/account.njk, show "(not set)" when user.displayName is empty: {% if user.displayName %}…{% else %}(not set){% endif %}.',
        );
      }
    },
  },
]);
