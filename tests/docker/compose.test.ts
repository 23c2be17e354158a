// The Docker runner, for real, on a machine with Docker alone: the project's docker-compose.yml and
// Makefile in a fresh copy (in a folder whose path has a space), make run with no node, npm or npx on
// PATH, .env exactly as make up writes it. The official images are replaced by local stand-ins (no
// registry can be reached here; see standins/build.sh). Skipped when no Docker engine answers,
// unless DOCKER_TESTS=required (as in CI), where that is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { waitFor } from '../../tools/lib/ports.js';
import { parseEnvFile } from '../../tools/lib/settings.js';
import { DockerLearner, dockerTestsMissing } from '../../tools/testing/docker-learner.js';

const missing = dockerTestsMissing();

describe('make up with Docker alone (docker-compose.yml, stand-in images, no Node.js on PATH)', { skip: missing || false }, () => {
  let learner: DockerLearner;
  let url = '';
  const inspect = (id: string, format: string) => spawnSync('docker', ['inspect', '-f', format, id], { encoding: 'utf8' }).stdout.trim();

  before(async () => {
    learner = await DockerLearner.create('stacklab-docker-');
    url = learner.url;
  });

  after(() => learner?.remove());

  it('has no Node.js to use: node, npm and npx are not on the PATH make runs with', () => {
    for (const program of ['node', 'npm', 'npx']) {
      assert.notEqual(spawnSync('sh', ['-c', `command -v ${program}`], { env: learner.env }).status, 0, `${program} is hidden`);
    }
  });

  it('make up creates .env, records the Docker runner, builds, waits for every service to be healthy and prints the URL', () => {
    const up = learner.make('up');
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /Created \.env with fresh random passwords/);
    assert.match(up.stdout, /Docker runner/);
    assert.match(up.stdout, /Ready: open http:\/\/localhost:\d+/);
    console.log(`  first make up: ${/up in (\d+) s/.exec(up.stdout)?.[1]} s`);
    const env = readFileSync(path.join(learner.copy, '.env'), 'utf8');
    assert.match(env, /^STACK=docker$/m, 'the runner is recorded');
    for (const secret of ['DB_PASSWORD', 'DB_ROOT_PASSWORD', 'SESSION_KEYS']) assert.match(env, new RegExp(`^${secret}=[A-Za-z0-9]{24,}$`, 'm'));
    const ps = learner.make('ps');
    for (const service of ['mysql', 'app', 'nginx']) assert.match(ps.stdout, new RegExp(`${service}\\s+running`));
  });

  it('answers curl --cacert <the local CA> https://localhost:PORT/healthz with 200 over HTTP/2; the CA stays in the git-ignored .stack/tls, owned by the learner', () => {
    const curl = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{http_version}', '--cacert', learner.caFile, `${learner.httpsUrl}/healthz`], { encoding: 'utf8' });
    assert.equal(curl.stdout, '200 2', curl.stderr);
    const key = path.join(path.dirname(learner.caFile), 'ca.key');
    assert.equal(statSync(key).uid, statSync(learner.copy).uid, 'the key belongs to the project folder\'s owner, not to the container\'s root');
    assert.equal(statSync(key).mode & 0o077, 0, 'only its owner may read the key');
    const status = spawnSync('git', ['status', '--porcelain', '--ignored', '.stack'], { cwd: learner.copy, encoding: 'utf8' });
    assert.match(status.stdout, /^!! \.stack\//m, 'git ignores it');
    const ca = learner.make('ca');
    assert.equal(ca.status, 0, ca.stdout + ca.stderr);
    assert.ok(ca.stdout.includes('.stack/tls/ca.crt'), ca.stdout);
  });

  it('has a valid docker-compose.yml (with the .env make up created)', () => {
    const config = learner.compose('config', '-q');
    assert.equal(config.status, 0, config.stderr);
  });

  it('serves register → login → account → logout through nginx, /healthz and static files', async () => {
    const name = uniqueName('docker');
    const browser = new Client(url);
    assert.equal((await browser.register(name, GOOD_PASSWORD)).status, 303);
    assert.match((await browser.get('/account')).body, new RegExp(name));
    assert.equal((await browser.logout()).status, 303);
    assert.equal((await browser.login(name, GOOD_PASSWORD)).status, 303);
    assert.equal((await browser.get('/account')).status, 200);
    const health = await new Client(url).get('/healthz');
    assert.deepEqual(health.json(), { status: 'ok', db: 'ok' });
    const css = await new Client(url).get('/static/css/site.css');
    assert.equal(css.status, 200);
  });

  it("make logs SERVICE=app shows each request's line (from the app's log file); Docker's own log of the app has none", async () => {
    const res = await new Client(url).get('/?logs-test=1');
    const id = res.headers['x-request-id'];
    assert.ok(id, 'nginx tags the request');
    const logs = learner.make('logs', { SERVICE: 'app' });
    assert.equal(logs.status, 0, logs.stdout + logs.stderr);
    assert.match(logs.stdout, new RegExp(`"event":"request".*"requestId":"${id}"`), 'the request line, read from the file');
    assert.match(logs.stdout, /"event":"listening"/, "Docker's log: the app's start");
    // Every request line through Docker's logging would cost more CPU than the page (docs/performance.md).
    const dockerLog = spawnSync('docker', ['logs', learner.containerOf('app')], { encoding: 'utf8' });
    assert.doesNotMatch(dockerLog.stdout + dockerLog.stderr, /"event":"request"/);
    assert.match(dockerLog.stdout, /"event":"listening"/);
  });

  it('make check 1, make inspect ID=… and make db-shell work from the tools container', async () => {
    // Exercise 1 done as its README says (curl is on the learner's machine).
    const sh = (script: string) => spawnSync('bash', ['-c', script.replaceAll('localhost:8080', new URL(url).host)], { cwd: learner.copy, env: learner.env, encoding: 'utf8' });
    const notYet = learner.make('check 1');
    assert.equal(notYet.status, 0, notYet.stdout + notYet.stderr);
    assert.match(notYet.stdout, /not yet/);
    const solution = sh(readFileSync(path.join(learner.copy, 'docs/exercises/01-http-by-hand/solution.sh'), 'utf8'));
    assert.equal(solution.status, 0, solution.stdout + solution.stderr);
    const check = learner.make('check 1');
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /Done!/, check.stdout);

    const res = await new Client(url).get('/login');
    const id = String(res.headers['x-request-id']);
    const one = learner.make('inspect', { ID: id });
    assert.equal(one.status, 0, one.stdout + one.stderr);
    assert.match(one.stdout, /GET \/login/);
    assert.match(one.stdout, /nginx → app/);

    // The third hop with Docker too: a sign-in's SQL statements and its bcrypt compare, from the app's log file.
    const member = uniqueName('dockerhop');
    assert.equal((await new Client(url).register(member, GOOD_PASSWORD)).status, 303);
    const signIn = await new Client(url).login(member, GOOD_PASSWORD);
    assert.equal(signIn.status, 303);
    const hop = learner.make('inspect', { ID: String(signIn.headers['x-request-id']) });
    assert.equal(hop.status, 0, hop.stdout + hop.stderr);
    assert.match(hop.stdout, /③ app → database\s+2 SQL statements/, hop.stdout);
    assert.match(hop.stdout, /SELECT id, username, password_hash, created_at FROM users WHERE username = \?/);
    assert.match(hop.stdout, /bcrypt: compare \(cost \d+\)/);
    assert.ok(!hop.stdout.includes(GOOD_PASSWORD), 'no password');

    const sql = learner.make('db-shell', {}, "SELECT COUNT(*) AS users FROM users;\n");
    assert.equal(sql.status, 0, sql.stdout + sql.stderr);
    assert.match(sql.stdout, /users\s+\d+/);
    const failed = learner.make('db-shell', {}, 'SELECT * FROM no_such_table;\n');
    assert.notEqual(failed.status, 0, 'a failed statement fails make db-shell');
  });

  it('make solution 3 APPLY=1 applies the patch from the tools container, then the shell reloads nginx', async () => {
    const apply = learner.make('solution 3', { APPLY: '1', FORCE: '1' });
    assert.equal(apply.status, 0, apply.stdout + apply.stderr);
    assert.match(apply.stdout, /Applied docs\/exercises\/03-change-nginx\/solution\.patch/);
    assert.match(apply.stdout, /nginx reloaded/);
    assert.equal((await new Client(url).get('/')).headers['x-learning'], 'stacklab');
    const check = learner.make('check 3');
    assert.match(check.stdout, /Done!/, check.stdout);
    const again = learner.make('solution 3', { APPLY: '1', FORCE: '1' });
    assert.match(again.stdout, /in your files already/);
  });

  it('make doctor finds every service running, from the tools container', () => {
    const doctor = learner.make('doctor');
    assert.equal(doctor.status, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /the site answers through nginx/);
    assert.match(doctor.stdout, /migrations are applied/);
  });

  it('publishes only nginx, on 127.0.0.1; the app and MySQL are not reachable from the host', () => {
    assert.equal(inspect(learner.containerOf('app'), '{{json .NetworkSettings.Ports}}').includes('HostPort'), false);
    assert.equal(inspect(learner.containerOf('mysql'), '{{json .NetworkSettings.Ports}}').includes('HostPort'), false);
    assert.match(inspect(learner.containerOf('nginx'), '{{json .NetworkSettings.Ports}}'), /"HostIp":"127\.0\.0\.1"/);
  });

  it('runs the app as a non-root user', () => {
    const uid = spawnSync('docker', ['exec', learner.containerOf('app'), 'id', '-u'], { encoding: 'utf8' }).stdout.trim();
    assert.notEqual(uid, '0');
    assert.match(uid, /^\d+$/);
  });

  // SQL in the mysql container, as `user` (with its password from .env), through the client there.
  const sqlAs = (user: 'root' | 'app' | 'migration', sql: string) => {
    const dotEnv = parseEnvFile(readFileSync(path.join(learner.copy, '.env'), 'utf8'));
    const [name, password] =
      user === 'root'
        ? ['root', dotEnv.DB_ROOT_PASSWORD]
        : user === 'app'
          ? [dotEnv.DB_USER, dotEnv.DB_PASSWORD]
          : // (An older .env has no DB_MIGRATION_USER line: its default applies.)
            [dotEnv.DB_MIGRATION_USER || 'stacklab_migrate', dotEnv.DB_MIGRATION_PASSWORD];
    return learner.compose('exec', '-T', '-e', `MYSQL_PWD=${password ?? ''}`, 'mysql', 'mysql', `-u${name}`, '--batch', '-e', sql, dotEnv.DB_NAME ?? 'stacklab');
  };

  it("gives the app's database user rows only: it cannot CREATE or DROP a table; the migration user can", () => {
    const grants = sqlAs('app', 'SHOW GRANTS');
    assert.equal(grants.status, 0, grants.stderr);
    assert.match(grants.stdout, /GRANT SELECT, INSERT, UPDATE, DELETE ON `stacklab`\.\*/);
    const create = sqlAs('app', 'CREATE TABLE intruder (id INT)');
    assert.notEqual(create.status, 0);
    assert.match(create.stderr, /denied/i);
    const drop = sqlAs('app', 'DROP TABLE sessions');
    assert.notEqual(drop.status, 0);
    assert.match(drop.stderr, /denied/i);
    const migrate = sqlAs('migration', 'CREATE TABLE probe (id INT); DROP TABLE probe;');
    assert.equal(migrate.status, 0, migrate.stderr);
  });

  it('make up upgrades a database volume and an .env made by an older version, keeping the data', async () => {
    const name = uniqueName('older');
    assert.equal((await new Client(url).register(name, GOOD_PASSWORD)).status, 303);
    // What an older version left behind: no migration user, an app user that may change the schema,
    // and an .env without the migration user's lines.
    assert.equal(sqlAs('root', "DROP USER 'stacklab_migrate'@'%'").status, 0);
    assert.equal(sqlAs('root', "GRANT CREATE, ALTER, INDEX, DROP, REFERENCES ON `stacklab`.* TO 'stacklab'@'%'").status, 0);
    assert.equal(learner.make('down').status, 0);
    const envFile = path.join(learner.copy, '.env');
    writeFileSync(envFile, readFileSync(envFile, 'utf8').split('\n').filter((line) => !line.startsWith('DB_MIGRATION_')).join('\n'));

    const up = learner.make('up');
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /Added a fresh DB_MIGRATION_PASSWORD to \.env/);
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 303, 'the account survived');
    assert.match(sqlAs('app', 'SHOW GRANTS').stdout, /GRANT SELECT, INSERT, UPDATE, DELETE ON `stacklab`\.\*/);
    assert.match(sqlAs('app', 'CREATE TABLE intruder (id INT)').stderr, /denied/i, 'the app user lost its schema rights');
    assert.equal(sqlAs('migration', 'SELECT 1').status, 0, 'the migration user exists, with the password .env holds now');
  });

  it('answers with the 502 page at once while the app container is stopped, and recovers when it starts', async () => {
    const stop = learner.make('stop', { SERVICE: 'app' });
    assert.equal(stop.status, 0, stop.stdout + stop.stderr);
    try {
      const started = Date.now();
      const res = await new Client(url).get('/');
      const took = Date.now() - started;
      assert.equal(res.status, 502, `status ${res.status}`);
      assert.match(res.body, /not answering/);
      assert.ok(took < 1000, `the 502 page came after ${took} ms, not at once`);
    } finally {
      const up = learner.make('up');
      assert.equal(up.status, 0, up.stdout + up.stderr);
    }
    assert.ok(await waitFor(async () => (await new Client(url).get('/')).status === 200, 30_000, 250), 'serving again');
  });

  it('keeps the data across make down and make up (warm start timed), and make reset removes it', async () => {
    const name = uniqueName('persist');
    assert.equal((await new Client(url).register(name, GOOD_PASSWORD)).status, 303);
    assert.equal(learner.make('down').status, 0);
    const warm = learner.make('up');
    assert.equal(warm.status, 0, warm.stdout + warm.stderr);
    console.log(`  warm make up (images and volume kept): ${/up in (\d+) s/.exec(warm.stdout)?.[1]} s`);
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 303, 'the account survived');

    const reset = learner.make('reset', { FORCE: '1' });
    assert.equal(reset.status, 0, reset.stderr);
    assert.equal(learner.make('up').status, 0);
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 401, 'the account is gone');
  });

  it('runs two app containers with APP_REPLICAS=2, nginx finding both by itself', async () => {
    const nginxBefore = learner.containerOf('nginx');
    const started = inspect(nginxBefore, '{{.State.StartedAt}}');
    const up = learner.make('up', { APP_REPLICAS: '2' });
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.equal((up.stdout.match(/^app\s+running/gm) ?? []).length, 2, up.stdout);
    assert.equal(inspect(learner.containerOf('nginx'), '{{.State.StartedAt}}'), started, 'nginx was not restarted');
    const instances = new Set<string>();
    await waitFor(async () => {
      for (let i = 0; i < 10; i++) instances.add(String((await new Client(url).get('/')).headers['x-app-instance']));
      return instances.size === 2;
    }, 10_000, 500);
    assert.equal(instances.size, 2, [...instances].join(', '));
  });

  it('make reload tests and applies the nginx config', () => {
    const reload = learner.make('reload');
    assert.equal(reload.status, 0, reload.stdout + reload.stderr);
    assert.match(reload.stdout, /nginx reloaded/);
  });

  it('make down stops everything', () => {
    const down = learner.make('down');
    assert.equal(down.status, 0, down.stdout + down.stderr);
    assert.match(down.stdout, /Stopped nginx, app, mysql/);
    assert.match(learner.make('ps').stdout, /nginx\s+stopped/);
  });
});
