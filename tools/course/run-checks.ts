// Runs one exercise's checks against the running stack and reports each as pass / not yet / error.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GOOD_PASSWORD } from '../lib/http-client.js';
import { parseJsonLines } from '../lib/json-lines.js';
import { repoPath } from '../lib/repo.js';
import type { Stack } from '../runners/runner.js';
import { NotYet, type CheckContext, type StackView } from './check-kit.js';
import { loadChecks, type Exercise } from './exercises.js';

export type CheckResult = {
  name: string;
  outcome: 'pass' | 'not yet' | 'error';
  reason?: string;
  next?: string;
  /** For "not yet": whether the stack's state or the logs (which keep the newest lines only) lacked it. */
  evidence?: 'state' | 'logs';
};

export type CheckRun = {
  results: CheckResult[];
  /** The random names the checks used, to find their requests in the logs. */
  inputs: string[];
  durationMs: number;
  /** The checks read the logs or the database: their answer can change without any file changing. */
  readState: boolean;
};

const CHECK_TIMEOUT_MS = 15_000;

// The checks' own members sign in with GOOD_PASSWORD, stored as this bcrypt hash of it with the
// lowest cost (4): the app checks it in a millisecond instead of the quarter second (or more) that
// BCRYPT_COST 12 takes, which keeps every check within a few seconds. These rows live for one check
// run only, and only the check knows their password.
const TEMPORARY_PASSWORD_HASH = '$2b$04$7rQR25bmX0sqM83YBeClPOY2.VooN.CnRJ.9il7syDMu9zRNt8l6q';

/** The running stack as the checks see it, whichever runner started it. */
export function stackView(stack: Stack): StackView {
  return {
    url: stack.url,
    httpsUrl: stack.httpsUrl,
    settings: stack.settings,
    client: (options) => stack.client(options),
    sql: (query, params) => stack.sql(query, params),
    nginxConfig: () => stack.nginxConfig(),
    async logs() {
      const raw = await stack.requestLogs(2000);
      return { nginx: parseJsonLines(raw.nginx), app: parseJsonLines(raw.app) };
    },
    readProjectFile(relativePath) {
      try {
        return readFileSync(repoPath(relativePath), 'utf8');
      } catch {
        return '';
      }
    },
  };
}

export async function runChecks(exercise: Exercise, view: StackView): Promise<CheckRun> {
  const started = performance.now();
  const run = (results: CheckResult[], inputs: string[] = [], readState = false): CheckRun => ({
    results,
    inputs,
    durationMs: performance.now() - started,
    readState,
  });
  let loaded;
  try {
    loaded = await loadChecks(exercise);
  } catch (err) {
    const reason = `its check could not be loaded (${(err as Error).message.split('\n')[0]})`;
    return run([{ name: 'load the checks', outcome: 'error', reason, next: `look at ${path.relative(repoPath(), path.join(exercise.dir, 'check.ts'))}` }]);
  }
  const unreachable = await stackProblem(view, loaded.appMayBeDown);
  if (unreachable) return run([unreachable]);

  const inputs: string[] = [];
  const createdUsers: string[] = [];
  let readState = false;
  const context: CheckContext = {
    ...view,
    sql(query, params) {
      readState = true;
      return view.sql(query, params);
    },
    logs() {
      readState = true;
      return view.logs();
    },
    random(prefix) {
      const value = `${prefix}-${randomBytes(3).toString('hex')}`;
      inputs.push(value);
      return value;
    },
    async temporaryUser(prefix) {
      const [username] = await insertMembers(prefix, 1);
      const client = view.client();
      const response = await client.login(username!, GOOD_PASSWORD);
      if (response.status !== 303) throw new Error(`signing in the check's own user ${username} answered ${response.status}`);
      return { username: username!, password: GOOD_PASSWORD, client, response };
    },
    temporaryMembers: (prefix, count) => insertMembers(prefix, count),
    notYet(reason, next) {
      throw new NotYet(reason, next, 'state');
    },
    notInLogs(reason, next) {
      throw new NotYet(reason, next, 'logs');
    },
  };

  // Straight into the table, in one statement: they joined a millisecond apart, oldest first, and the
  // last is the newest member of the site.
  async function insertMembers(prefix: string, count: number): Promise<string[]> {
    const names = Array.from({ length: count }, () => context.random(prefix));
    createdUsers.push(...names);
    const rows = names.map((_, i) => `(?, ?, NOW(3) - INTERVAL ${(count - 1 - i) * 1000} MICROSECOND)`);
    await view.sql(
      `INSERT INTO users (username, password_hash, created_at) VALUES ${rows.join(', ')}`,
      names.flatMap((name) => [name, TEMPORARY_PASSWORD_HASH]),
    );
    return names;
  }

  const results: CheckResult[] = [];
  try {
    for (const check of loaded.checks) {
      results.push(await runOne(check.name, () => check.run(context)));
      // Later checks usually build on earlier ones: stop at the first that does not pass.
      if (results.at(-1)!.outcome !== 'pass') break;
    }
  } finally {
    // Leave no trace: the rows the checks created are deleted (their sessions go with them).
    if (createdUsers.length > 0) {
      await view.sql(`DELETE FROM users WHERE username IN (${createdUsers.map(() => '?').join(', ')})`, createdUsers).catch(() => {});
    }
  }
  return run(results, inputs, readState);
}

/** Why the checks cannot run at all: nginx (and, unless appMayBeDown, the app behind it) must answer. */
async function stackProblem(view: StackView, appMayBeDown: boolean): Promise<CheckResult | undefined> {
  const problem = (reason: string, next: string): CheckResult => ({ name: 'the stack answers', outcome: 'error', reason, next });
  const url = view.url;
  const client = view.client();
  try {
    const nginx = await client.get('/_nginx/health');
    if (nginx.status !== 204) return problem(`nginx's own health check, ${url}/_nginx/health, answered ${nginx.status}.`, 'make doctor says what is wrong.');
    if (appMayBeDown) return undefined;
    const app = await client.get('/healthz');
    if (app.status === 200) return undefined;
    if (app.status === 502 || app.status === 504) {
      return problem(`nginx answers, but the app behind it does not (/healthz: ${app.status}).`, 'make up starts the app again; make logs SERVICE=app shows why it stopped.');
    }
    if (app.status === 503) return problem('The app answers, but the database does not (/healthz: 503).', 'make doctor says why; make up starts what is stopped.');
    return problem(`/healthz answered ${app.status}.`, 'make doctor says what is wrong; make logs SERVICE=app shows the app\'s errors.');
  } catch (err) {
    return problem(`Nothing answers at ${url} (${(err as Error).message.split('\n')[0]}).`, 'make up starts the stack; make doctor says what is wrong.');
  }
}

async function runOne(name: string, run: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([run(), timeout]);
    return { name, outcome: 'pass' };
  } catch (err) {
    if (err instanceof NotYet) return { name, outcome: 'not yet', reason: err.reason, next: err.next, evidence: err.evidence };
    const message = err instanceof Error ? err.message : String(err);
    return {
      name,
      outcome: 'error',
      reason: /ECONNREFUSED|ECONNRESET|socket hang up|no answer/.test(message)
        ? `the stack did not answer (${message.split('\n')[0]})`
        : message.split('\n')[0],
      next: 'make doctor explains what is wrong with the stack',
    };
  } finally {
    clearTimeout(timer);
  }
}
