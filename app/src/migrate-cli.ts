// `npm run migrate`: applies pending migrations without starting the web server.
import { ConfigError, loadConfig } from './config.js';
import { createPool } from './db/pool.js';
import { migrate } from './db/migrations.js';
import { createLogger, describeError } from './logger.js';

try {
  const config = loadConfig();
  const log = createLogger({ instance: 'migrate' });
  // As the migration user: the only one allowed to change the schema.
  const pool = createPool({ ...config.db, user: config.db.migrationUser, password: config.db.migrationPassword, poolSize: 1 });
  try {
    const applied = await migrate(pool, config.paths.migrations, log);
    log.info('migrations_done', { applied });
  } finally {
    await pool.end();
  }
} catch (err) {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `${JSON.stringify(describeError(err))}\n`);
  process.exitCode = 1;
}
