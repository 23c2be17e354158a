// `make doctor`: why the stack cannot be reached, one finding per line, each with the learner's own
// file and line where there is one, and what to do about it. `make up` and `make restart` end with
// the same findings in one paragraph when a service does not start (see diagnosis.ts for the wording).
import { existsSync } from 'node:fs';
import { readMigrations } from '../../app/src/db/migrations.js';
import { isListening, portOwner } from '../lib/ports.js';
import { repoPath } from '../lib/repo.js';
import { bold, green, red } from '../lib/terminal.js';
import type { ServiceStatus, Stack } from '../runners/runner.js';
import { appStartFinding, changedMigrationFinding, databaseErrorFinding, diagnosisParagraph, nginxConfigFinding, upstreamFinding, type Finding } from './diagnosis.js';

export type { Finding } from './diagnosis.js';

const APP_LOG_LINES = 400;

export async function runDoctor(stack: Stack): Promise<boolean> {
  console.log(bold(`Checking the stack (${stack.description})`));
  const findings = await diagnose(stack, (f) => console.log(`  ${f.ok ? green('✓') : red('✗')} ${f.text}`));
  const problem = findings.find((f) => !f.ok);
  console.log(problem ? `\nNext step: ${bold(problem.next ?? 'make up')}` : `\n${green('All good.')} make check shows your progress.`);
  return !problem;
}

/** The one paragraph a failed make up / make restart ends with. */
export async function diagnosisOf(stack: Stack): Promise<string> {
  return diagnosisParagraph(await diagnose(stack));
}

/** Every finding, in the order a learner should read them; `say` sees each as it is found. */
export async function diagnose(stack: Stack, say: (f: Finding) => void = () => {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (f: Finding | undefined) => {
    if (!f || findings.some((seen) => seen.text === f.text)) return;
    findings.push(f);
    say(f);
  };
  const statuses = await stack.status();
  const state = (service: string) => statuses.find((s) => s.service === service)?.state ?? 'stopped';
  for (const s of statuses) if (s.state === 'running') add({ ok: true, text: `${s.service} is running (${s.address})` });

  add(await runnerMismatch(stack, state('nginx') === 'running'));
  if (state('mysql') !== 'running') add(stoppedService(statuses, 'mysql'));
  if (state('app') !== 'running') add((await appStartProblem(stack)) ?? stoppedService(statuses, 'app'));
  const nginxProblem = await stack.nginxTest();
  if (state('nginx') !== 'running') add(nginxProblem ? nginxConfigFinding(nginxProblem) : await stoppedNginx(stack, statuses));
  else if (nginxProblem) {
    const finding = nginxConfigFinding(nginxProblem);
    add({ ...finding, text: `nginx runs with its previous configuration; ${finding.text.replace(/^nginx refuses/, 'it refuses')} (make reload would be refused)` });
  }

  const health = await healthz(stack);
  if (health === 200) add({ ok: true, text: `the site answers through nginx at ${stack.url}, and the app reaches the database` });
  else if (health === 502 || health === 504) {
    // The app's own log says why, even while its supervisor keeps restarting it.
    const explained = state('app') !== 'running';
    const cause = explained ? undefined : await appStartProblem(stack);
    const app = statuses.find((s) => s.service === 'app');
    const misrouted = explained || cause || !app ? undefined : upstreamFinding(await stack.serviceLog('nginx', 50), app.address);
    const held = explained || cause || misrouted ? undefined : await heldConnections(stack);
    if (!explained) add(cause ?? misrouted ?? held ?? { ok: false, text: `nginx answers ${health}: the app behind it is not answering`, next: 'make logs SERVICE=app, then make restart SERVICE=app' });
  } else if (health === 503) {
    add((await heldConnections(stack)) ?? { ok: false, text: 'the app answers, but not the database', next: 'make logs SERVICE=mysql, then make restart SERVICE=mysql' });
  } else if (health === undefined) {
    const held = state('app') === 'running' && state('mysql') === 'running' ? await heldConnections(stack) : undefined;
    if (!findings.some((f) => !f.ok)) add(held ?? { ok: false, text: `nothing answers at ${stack.url}`, next: 'make up' });
  } else add({ ok: false, text: `/healthz answered ${health}`, next: 'make logs' });
  if (state('nginx') === 'running') add(await staticFilesFinding(stack));

  if (state('mysql') === 'running') {
    // A migration named in a finding above (it fails) is not listed again as pending.
    const named = findings.map((f) => f.text).join(' ');
    for (const f of await databaseFindings(stack, named)) add(f);
  }
  return findings;
}

async function healthz(stack: Stack): Promise<number | undefined> {
  try {
    return (await stack.client().get('/healthz')).status;
  } catch {
    return undefined;
  }
}

/**
 * Requests hang (or the pool's queue is full) though the app runs: does the app hold every connection
 * of its pool, all idle? A connection taken from the pool and never given back (leaked) sits in the
 * database's process list as "Sleep", for longer and longer, and the requests wait for one in vain.
 * (The doctor's own connection is there too, running this statement: "Query", not counted.)
 */
async function heldConnections(stack: Stack): Promise<Finding | undefined> {
  const poolSize = Number(stack.settings.values.DB_POOL_SIZE ?? '') || 10;
  const instances = stack.settings.appReplicas;
  let rows;
  try {
    rows = await stack.sql("SELECT COUNT(*) AS idle, COALESCE(MIN(TIME), 0) AS seconds FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND = 'Sleep'", [stack.settings.db.user]);
  } catch {
    return undefined;
  }
  const idle = Number(rows[0]?.idle ?? 0);
  if (idle < poolSize * instances) return undefined;
  const pool = instances > 1 ? `${instances} instances × DB_POOL_SIZE=${poolSize}` : `DB_POOL_SIZE=${poolSize}`;
  return {
    ok: false,
    text: `requests wait for a database connection, yet the app holds ${idle} (${pool}), all idle for ${Number(rows[0]?.seconds ?? 0)} s or more: connections taken from the pool and never given back`,
    next: "make db-shell, then SHOW PROCESSLIST; then find where app/src takes a connection (getConnection) and where it gives it back (release())",
  };
}

// A file every page links to, in app/public/ (nginx serves that folder at /static/).
const STYLESHEET = { url: '/static/css/site.css', file: 'app/public/css/site.css' };

/**
 * nginx serves the stylesheet from app/public/; when it cannot, its error log names the file it
 * tried to open (as nginx sees it: natively the path on this machine, with Docker the container's,
 * where app/public/ is mounted at STATIC_ROOT).
 */
async function staticFilesFinding(stack: Stack): Promise<Finding | undefined> {
  let status: number;
  try {
    status = (await stack.client().get(STYLESHEET.url)).status;
  } catch {
    return undefined;
  }
  if (status === 200) return { ok: true, text: `nginx serves the static files (${STYLESHEET.url})` };
  const escaped = STYLESHEET.url.replaceAll('/', '\\/').replaceAll('.', '\\.');
  const tried = [...(await stack.serviceLog('nginx', 50))].reverse().map((l) => new RegExp(`open\\(\\) "([^"]+)" failed \\(\\d+: ([^)]+)\\).*request: "GET ${escaped}`).exec(l)).find(Boolean);
  const where = tried ? `: nginx's error log says it tried ${learnerPath(tried[1]!)} (${tried[2]})` : '';
  const file = existsSync(repoPath(STYLESHEET.file)) ? `though ${STYLESHEET.file} is there` : `and ${STYLESHEET.file} is missing (git status shows it)`;
  return {
    ok: false,
    text: `GET ${STYLESHEET.url} answered ${status}, ${file}${where}`,
    next: 'see the location /static/ in nginx/templates/stacklab.conf.template (its alias and the folder it names), then make reload',
  };
}

/** A path nginx opened, as the learner's: app/public/… (natively an absolute path, with Docker STATIC_ROOT). */
function learnerPath(opened: string): string {
  const native = repoPath('app/public');
  if (opened.startsWith(`${native}/`)) return `app/public/${opened.slice(native.length + 1)}`;
  return opened.replace(/^\/usr\/share\/nginx\/static\//, 'app/public/');
}

function stoppedService(statuses: ServiceStatus[], service: 'mysql' | 'app'): Finding {
  const state = statuses.find((s) => s.service === service)?.state ?? 'stopped';
  return {
    ok: false,
    text: `${service} is ${state}`,
    next: service === 'app' ? 'make logs SERVICE=app shows why; make up starts it again' : 'make logs SERVICE=mysql shows why; make up starts it again',
  };
}

/** Why the app's latest start failed, from its own log. */
async function appStartProblem(stack: Stack): Promise<Finding | undefined> {
  return appStartFinding(await stack.serviceLog('app', APP_LOG_LINES));
}

/** nginx is stopped and its config passes: is another program holding one of its ports? */
async function stoppedNginx(stack: Stack, statuses: ServiceStatus[]): Promise<Finding> {
  const state = statuses.find((s) => s.service === 'nginx')?.state ?? 'stopped';
  const ports = [
    // (From the tools' container the learner's machine cannot be seen: docker-runner.sh looks for us.)
    { port: stack.settings.ports.http, name: 'HTTP_PORT', other: 8081, seen: process.env.STACKLAB_PORT_OWNER },
    { port: stack.settings.ports.https, name: 'HTTPS_PORT', other: 8444, seen: process.env.STACKLAB_HTTPS_PORT_OWNER },
  ];
  for (const { port, name, other, seen } of ports) {
    const owner = seen || ((await isListening(port)) && process.env.STACKLAB_IN_CONTAINER !== '1' ? (portOwner(port) ?? 'another program') : undefined);
    if (owner) return { ok: false, text: `port ${port} (${name}) is taken by ${owner}, so nginx cannot use it`, next: `stop that program, or set ${name}=${other} (a free port) in .env, then make up` };
  }
  return { ok: false, text: `nginx is ${state}`, next: 'make up starts it' };
}

/**
 * The runner .env records (STACK=) against the one that answers on HTTP_PORT: after switching, the
 * other runner's stack may still hold the port. The app names itself in X-App-Instance: native-PORT
 * natively, the container's name with Docker.
 */
async function runnerMismatch(stack: Stack, nginxRunning: boolean): Promise<Finding | undefined> {
  const recorded = stack.settings.stack;
  if (recorded === 'auto') return undefined;
  if (recorded === 'docker' && process.env.STACKLAB_PORT_ANSWER && !nginxRunning) {
    return {
      ok: false,
      text: `.env records STACK=docker, but the site on port ${stack.settings.ports.http} is answered by ${process.env.STACKLAB_PORT_ANSWER}`,
      next: 'make up STACK=native then make down stops that stack; or stop it, then make up',
    };
  }
  if (recorded !== 'native' || nginxRunning || process.env.STACKLAB_IN_CONTAINER === '1') return undefined;
  try {
    const res = await stack.client().get('/healthz');
    const instance = String(res.headers['x-app-instance'] ?? '');
    if (instance && !instance.startsWith('native-')) {
      return {
        ok: false,
        text: `.env records STACK=native, but a Docker stack answers on port ${stack.settings.ports.http} (app ${instance})`,
        next: 'make up STACK=docker then make down stops the Docker stack (make up STACK=native switches back); or keep using it: make up STACK=docker',
      };
    }
  } catch {
    // nothing answers: no mismatch to report
  }
  return undefined;
}

/** The database as the app's user sees it: reachable, and every migration applied as written. */
async function databaseFindings(stack: Stack, alreadyNamed: string): Promise<Finding[]> {
  try {
    await stack.sql('SELECT 1');
  } catch (err) {
    return [databaseErrorFinding(err as Error & { code?: string })];
  }
  let migrations;
  try {
    migrations = await readMigrations(repoPath('mysql/migrations'));
  } catch (err) {
    // The app's own rule (app/src/db/migrations.ts): the same words as in its log.
    return [appStartFinding([JSON.stringify({ event: 'migration_failed', error: (err as Error).message })])!];
  }
  let applied: Map<number, string>;
  try {
    const rows = await stack.sql('SELECT version, checksum FROM schema_migrations');
    applied = new Map(rows.map((r) => [Number(r.version), String(r.checksum)]));
  } catch (err) {
    return [{ ok: false, text: `could not read the migrations table (${(err as Error).message})`, next: 'make restart SERVICE=app (the app creates it when it starts)' }];
  }
  const findings: Finding[] = [];
  const pending = migrations.filter((m) => !applied.has(m.version) && !alreadyNamed.includes(m.file));
  for (const m of migrations) {
    const checksum = applied.get(m.version);
    if (checksum !== undefined && checksum !== m.checksum) findings.push(changedMigrationFinding(m.file));
  }
  if (pending.length > 0) {
    findings.push({
      ok: false,
      text: `migrations not applied yet: ${pending.map((m) => m.file).join(', ')}`,
      next: 'make restart SERVICE=app (the app applies migrations when it starts); make doctor then says why if one fails',
    });
  }
  if (findings.length === 0) findings.push({ ok: true, text: `all ${migrations.length} migrations are applied as written` });
  return findings;
}
