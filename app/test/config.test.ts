// loadConfig: every problem in the environment is reported at start, by variable name.
// No database needed: loadConfig only reads the object it is given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

const KEY = 'k'.repeat(32);
/** The three variables without a default; everything else may be left out. */
const required = { DB_PASSWORD: 'secret', DB_MIGRATION_PASSWORD: 'migrate', SESSION_KEYS: KEY };

/** The ConfigError message loadConfig throws for `env` (fails the test if it does not throw one). */
function problemsWith(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('loadConfig accepted an invalid environment');
}

describe('loadConfig: missing values', () => {
  it('names DB_PASSWORD, DB_MIGRATION_PASSWORD and SESSION_KEYS when they are missing, in one error', () => {
    const message = problemsWith({});
    assert.match(message, /DB_PASSWORD is missing/);
    assert.match(message, /DB_MIGRATION_PASSWORD is missing/);
    assert.match(message, /SESSION_KEYS is missing/);
  });

  it('treats a value of only spaces as missing', () => {
    assert.match(problemsWith({ ...required, DB_PASSWORD: '   ' }), /DB_PASSWORD is missing/);
  });

  it('lists every problem at once, one per line', () => {
    const message = problemsWith({ APP_PORT: 'abc', BCRYPT_COST: '3', NODE_ENV: 'staging' });
    const lines = message.split('\n').filter((line) => line.startsWith('  - '));
    assert.equal(lines.length, 6);
    for (const name of ['APP_PORT', 'BCRYPT_COST', 'NODE_ENV', 'DB_PASSWORD', 'DB_MIGRATION_PASSWORD', 'SESSION_KEYS']) {
      assert.match(message, new RegExp(name));
    }
  });
});

describe('loadConfig: malformed values', () => {
  for (const port of ['abc', '70000', '0', '-1', '3000.5']) {
    it(`refuses APP_PORT=${port}`, () => {
      assert.match(
        problemsWith({ ...required, APP_PORT: port }),
        new RegExp(`APP_PORT must be a whole number from 1 to 65535 \\(got "${port}"\\)`),
      );
    });
  }

  for (const cost of ['3', '17']) {
    it(`refuses BCRYPT_COST=${cost} (allowed: 4 to 16)`, () => {
      assert.match(problemsWith({ ...required, BCRYPT_COST: cost }), /BCRYPT_COST must be a whole number from 4 to 16/);
    });
  }

  it('refuses a NODE_ENV it does not know, and says which are allowed', () => {
    assert.match(
      problemsWith({ ...required, NODE_ENV: 'staging' }),
      /NODE_ENV must be one of development, production, test \(got "staging"\)/,
    );
  });

  it('refuses a session key shorter than 32 characters, also as the second key of a list', () => {
    const short = 'k'.repeat(31);
    for (const keys of [short, `${KEY},${short}`]) {
      assert.match(problemsWith({ ...required, SESSION_KEYS: keys }), /SESSION_KEYS must hold keys of at least 32 characters/);
    }
  });

  it('refuses COOKIE_SECURE values other than true/false/1/0', () => {
    assert.match(problemsWith({ ...required, COOKIE_SECURE: 'yes' }), /COOKIE_SECURE must be true or false/);
  });

  // koa refuses to set a Secure cookie over plain HTTP: with it, every form page used to be a 500.
  it('refuses COOKIE_SECURE=true (or 1) unless HTTPS_ONLY=1, in one sentence that names both ways out', () => {
    for (const value of ['true', '1']) {
      for (const httpsOnly of ['', '0']) {
        const lines = problemsWith({ ...required, COOKIE_SECURE: value, HTTPS_ONLY: httpsOnly }).split('\n').filter((line) => line.startsWith('  - '));
        assert.deepEqual(lines, ['  - COOKIE_SECURE=true needs HTTPS_ONLY=1 (plain HTTP would get no cookie back): set HTTPS_ONLY=1, or leave COOKIE_SECURE empty.']);
      }
    }
  });

  it('refuses COOKIE_SECURE=false with HTTPS_ONLY=1, and HTTPS_ONLY values other than 0 and 1, saying which are accepted', () => {
    assert.match(problemsWith({ ...required, COOKIE_SECURE: 'false', HTTPS_ONLY: '1' }), /COOKIE_SECURE=false does not go with HTTPS_ONLY=1 .*leave COOKIE_SECURE empty\./);
    for (const value of ['true', 'yes', '2']) {
      assert.match(problemsWith({ ...required, HTTPS_ONLY: value }), new RegExp(`HTTPS_ONLY must be one of 0, 1 \\(got "${value}"\\)`));
    }
    assert.match(problemsWith({ ...required, COOKIE_SECURE: 'yes' }), /COOKIE_SECURE must be true or false, or 1 or 0 \(got "yes"\)/);
  });

  it('marks cookies Secure with HTTPS_ONLY=1, whether COOKIE_SECURE is empty or says so too', () => {
    for (const cookieSecure of ['', 'true', '1']) {
      const config = loadConfig({ ...required, HTTPS_ONLY: '1', COOKIE_SECURE: cookieSecure });
      assert.equal(config.httpsOnly, true);
      assert.equal(config.session.cookieSecure, true);
    }
  });
});

describe('loadConfig: a valid environment', () => {
  it('applies the defaults for everything left out', () => {
    const config = loadConfig(required);
    assert.equal(config.env, 'development');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3000);
    assert.deepEqual(config.db, {
      host: '127.0.0.1',
      port: 3306,
      name: 'stacklab',
      user: 'stacklab',
      password: 'secret',
      poolSize: 10,
      migrationUser: 'stacklab_migrate',
      migrationPassword: 'migrate',
    });
    assert.equal(config.session.idleTimeoutS, 30 * 60);
    assert.equal(config.session.absoluteTimeoutS, 12 * 3600);
    assert.equal(config.session.cookieSecure, false);
    assert.equal(config.httpsOnly, false);
    assert.equal(config.bcryptCost, 12);
    assert.match(config.paths.views, /views$/);
  });

  it('reads the values it is given, trimmed', () => {
    const config = loadConfig({ ...required, APP_PORT: ' 8081 ', NODE_ENV: 'production', COOKIE_SECURE: '0', DB_MIGRATION_USER: ' schema_owner ' });
    assert.equal(config.port, 8081);
    assert.equal(config.env, 'production');
    assert.equal(config.session.cookieSecure, false);
    assert.equal(config.db.migrationUser, 'schema_owner');
  });

  it('splits SESSION_KEYS on commas, newest key first', () => {
    const older = 'o'.repeat(40);
    const config = loadConfig({ ...required, SESSION_KEYS: `${KEY} , ${older}` });
    assert.deepEqual(config.session.keys, [KEY, older]);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig(required);
    for (const part of [config, config.db, config.session, config.session.keys, config.paths]) {
      assert.ok(Object.isFrozen(part));
    }
    // Modules are strict mode code, where writing to a frozen object throws.
    assert.throws(() => {
      (config.db as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => (config.session.keys as string[]).push('another key'), TypeError);
  });
});
