// The Docker runner, for real: the project's docker-compose.yml and Makefile, run in a fresh copy of
// the project under a Docker engine, with locally built stand-ins for the official images (no image
// registry can be reached here; see standins/build.sh). Skipped when no Docker engine answers,
// unless DOCKER_TESTS=required (as in CI), where that is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCapableDocker, composeCommand, dockerEngineAnswers } from '../../tools/runners/docker/docker-clients.js';
import { freePort, isListening, waitFor } from '../../tools/lib/ports.js';
import { Client, GOOD_PASSWORD, uniqueName } from '../../tools/lib/http-client.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';
import { repoRoot } from '../../tools/lib/repo.js';
import { parseEnvFile } from '../../tools/lib/settings.js';

// Building the stand-ins needs a Docker engine, and root and debootstrap for their root filesystem.
const missing = !dockerEngineAnswers()
  ? 'no Docker engine answers (docker info)'
  : process.getuid?.() !== 0
    ? 'building the stand-in images needs root'
    : spawnSync('sh', ['-c', 'command -v debootstrap']).status !== 0
      ? 'debootstrap is not installed'
      : '';
if (missing && process.env.DOCKER_TESTS === 'required') throw new Error(`DOCKER_TESTS=required, but ${missing}`);

// A learner's `make up` uses the project name "stacklab" and port 8080. When this machine already
// runs something under either (a developer's own stack), the test takes a name and a port of its
// own, the one difference from a learner that the machine forces; CI must run with the defaults.
function ownStackInTheWay(): string {
  const containers = spawnSync('docker', ['ps', '-aq', '--filter', 'label=com.docker.compose.project=stacklab'], { encoding: 'utf8' }).stdout.trim();
  const volumes = spawnSync('docker', ['volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project=stacklab'], { encoding: 'utf8' }).stdout.trim();
  return containers || volumes ? 'a compose project named stacklab exists here' : '';
}

describe('make up with Docker (docker-compose.yml, stand-in images)', { skip: missing || false }, () => {
  let project = 'stacklab';
  let copy = '';
  let env: NodeJS.ProcessEnv = {};
  let url = '';
  let docker = 'docker';

  const make = (target: string, extra: Record<string, string> = {}) =>
    spawnSync('make', ['--no-print-directory', target], { cwd: copy, env: { ...env, ...extra }, encoding: 'utf8', timeout: 600_000 });
  const compose = (...args: string[]) => {
    const [command, ...base] = composeCommand();
    const files = ['-f', 'docker-compose.yml', '-f', 'docker-compose.override.yml'];
    return spawnSync(command!, [...base, '-p', project, ...files, ...args], { cwd: copy, env, encoding: 'utf8' });
  };
  const containerOf = (service: string) => compose('ps', '-q', service).stdout.trim();
  const inspect = (id: string, format: string) =>
    spawnSync(docker, ['inspect', '-f', format, id], { encoding: 'utf8' }).stdout.trim();

  before(async () => {
    docker = buildCapableDocker();
    const built = spawnSync(path.join(repoRoot, 'tests/docker/standins/build.sh'), {
      encoding: 'utf8',
      env: { ...process.env, DOCKER: docker },
      timeout: 900_000,
    });
    assert.equal(built.status, 0, `building the stand-in images failed:\n${built.stderr}`);
    const images = Object.fromEntries(built.stdout.trim().split('\n').map((line) => line.split('=') as [string, string]));
    copy = copyProject('stacklab-docker-');
    // As a learner starts: a fresh copy, no .env (make up creates it), nothing set but the stand-ins.
    env = cleanEnv(images);
    const inTheWay = [
      ownStackInTheWay(),
      (await isListening(8080)) ? 'port 8080 is in use' : '',
      // Several test runs share this machine (never set on CI).
      process.env.STACKLAB_FREE_PORTS === '1' ? 'STACKLAB_FREE_PORTS=1' : '',
    ].filter(Boolean).join('; ');
    if (inTheWay) {
      if (process.env.CI) assert.fail(`${inTheWay}: CI must run the Docker test exactly as a learner starts`);
      project = `stacklabtest${Date.now().toString(36)}`;
      env = { ...env, STACK_PROJECT: project, APP_IMAGE: `${project}-app`, HTTP_PORT: String(await freePort()) };
      console.log(`  (${inTheWay}: this run uses project ${project} and port ${env.HTTP_PORT})`);
    }
    url = `http://127.0.0.1:${env.HTTP_PORT ?? 8080}`;
  });

  after(() => {
    if (!copy) return;
    // Containers, networks and volumes of this project, and its app images: gone, even after a failure.
    make('reset', { FORCE: '1' });
    for (const tag of ['dev', 'prod']) spawnSync(docker, ['rmi', '-f', `${env.APP_IMAGE || 'stacklab-app'}:${tag}`], { stdio: 'ignore' });
    rmSync(copy, { recursive: true, force: true });
  });

  it('make up builds the app, waits for every service to be healthy and prints the URL', () => {
    const up = make('up');
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /Docker runner/);
    assert.match(up.stdout, /Ready: open http:\/\/localhost:\d+/);
    const ps = make('ps');
    for (const service of ['mysql', 'app', 'nginx']) assert.match(ps.stdout, new RegExp(`${service}\\s+running`));
  });

  it('has a valid docker-compose.yml (with the .env make up created)', () => {
    const config = compose('config', '-q');
    assert.equal(config.status, 0, config.stderr);
  });

  it('serves register → login → account → logout through nginx, /healthz and static files', async () => {
    const name = uniqueName('docker');
    const browser = new Client(url);
    assert.equal((await browser.register(name, GOOD_PASSWORD)).status, 303);
    assert.match((await browser.get('/account')).body, new RegExp(name));
    assert.equal((await browser.logout()).status, 303);
    assert.equal((await browser.login(name, GOOD_PASSWORD)).status, 303);
    const health = await new Client(url).get('/healthz');
    assert.deepEqual(health.json(), { status: 'ok', db: 'ok' });
    const css = await new Client(url).get('/static/css/site.css');
    assert.equal(css.status, 200);
  });

  it('publishes only nginx, on 127.0.0.1; the app and MySQL are not reachable from the host', () => {
    assert.equal(inspect(containerOf('app'), '{{json .NetworkSettings.Ports}}').includes('HostPort'), false);
    assert.equal(inspect(containerOf('mysql'), '{{json .NetworkSettings.Ports}}').includes('HostPort'), false);
    assert.match(inspect(containerOf('nginx'), '{{json .NetworkSettings.Ports}}'), /"HostIp":"127\.0\.0\.1"/);
  });

  it('runs the app as a non-root user', () => {
    const uid = spawnSync(docker, ['exec', containerOf('app'), 'id', '-u'], { encoding: 'utf8' }).stdout.trim();
    assert.notEqual(uid, '0');
    assert.match(uid, /^\d+$/);
  });

  // SQL in the mysql container, as `user` (with its password from .env), through the client there.
  const sqlAs = (user: 'root' | 'app' | 'migration', sql: string) => {
    const dotEnv = parseEnvFile(readFileSync(path.join(copy, '.env'), 'utf8'));
    const [name, password] =
      user === 'root'
        ? ['root', dotEnv.DB_ROOT_PASSWORD]
        : user === 'app'
          ? [dotEnv.DB_USER, dotEnv.DB_PASSWORD]
          : // (An older .env has no DB_MIGRATION_USER line: its default applies.)
            [dotEnv.DB_MIGRATION_USER || 'stacklab_migrate', dotEnv.DB_MIGRATION_PASSWORD];
    return compose('exec', '-T', '-e', `MYSQL_PWD=${password ?? ''}`, 'mysql', 'mysql', `-u${name}`, '--batch', '-e', sql, dotEnv.DB_NAME ?? 'stacklab');
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
    assert.equal(make('down').status, 0);
    const envFile = path.join(copy, '.env');
    writeFileSync(envFile, readFileSync(envFile, 'utf8').split('\n').filter((line) => !line.startsWith('DB_MIGRATION_')).join('\n'));

    const up = make('up');
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.match(up.stdout, /Added DB_MIGRATION_PASSWORD to \.env/);
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 303, 'the account survived');
    assert.match(sqlAs('app', 'SHOW GRANTS').stdout, /GRANT SELECT, INSERT, UPDATE, DELETE ON `stacklab`\.\*/);
    assert.match(sqlAs('app', 'CREATE TABLE intruder (id INT)').stderr, /denied/i, 'the app user lost its schema rights');
    assert.equal(sqlAs('migration', 'SELECT 1').status, 0, 'the migration user exists, with the password .env holds now');
  });

  it('answers with the 502 page while the app container is stopped, and recovers when it starts', async () => {
    assert.equal(compose('stop', 'app').status, 0);
    try {
      const res = await new Client(url).get('/');
      // A stopped container's address no longer answers at all, so nginx may give up connecting after
      // proxy_connect_timeout (504) rather than be refused at once (502): the same page either way.
      assert.ok([502, 504].includes(res.status), `status ${res.status}`);
      assert.match(res.body, /not answering/);
    } finally {
      assert.equal(compose('start', 'app').status, 0);
    }
    assert.ok(await waitFor(async () => (await new Client(url).get('/')).status === 200, 90_000, 1000), 'serving again');
  });

  it('keeps the data across make down and make up, and make reset removes it', async () => {
    const name = uniqueName('persist');
    assert.equal((await new Client(url).register(name, GOOD_PASSWORD)).status, 303);
    assert.equal(make('down').status, 0);
    assert.equal(make('up').status, 0);
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 303, 'the account survived');

    const reset = make('reset', { FORCE: '1' });
    assert.equal(reset.status, 0, reset.stderr);
    assert.equal(make('up').status, 0);
    assert.equal((await new Client(url).login(name, GOOD_PASSWORD)).status, 401, 'the account is gone');
  });

  it('runs two app containers with APP_REPLICAS=2, nginx spreading requests over both', async () => {
    const up = make('up', { APP_REPLICAS: '2' });
    assert.equal(up.status, 0, up.stdout + up.stderr);
    assert.equal((up.stdout.match(/^app\s+running/gm) ?? []).length, 2, up.stdout);
    // (nginx looks the app's name up when it starts; make up restarts it when a new app container came.)
    const instances = new Set<string>();
    for (let i = 0; i < 20; i++) instances.add(String((await new Client(url).get('/')).headers['x-app-instance']));
    assert.equal(instances.size, 2, [...instances].join(', '));
  });

  it('make reload tests and applies the nginx config', () => {
    const reload = make('reload');
    assert.equal(reload.status, 0, reload.stdout + reload.stderr);
    assert.match(reload.stdout, /nginx reloaded/);
  });
});
