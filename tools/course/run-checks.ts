// Runs one exercise's checks against the running stack and reports each as pass / not yet / error.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
};

const CHECK_TIMEOUT_MS = 15_000;

/** The running stack as the checks see it, whichever runner started it. */
export function stackView(stack: Stack): StackView {
  return {
    url: stack.url,
    settings: stack.settings,
    client: () => stack.client(),
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

export async function runChecks(exercise: Exercise, view: StackView): Promise<{ results: CheckResult[]; inputs: string[] }> {
  let checks;
  try {
    checks = await loadChecks(exercise);
  } catch (err) {
    const reason = `its check could not be loaded (${(err as Error).message.split('\n')[0]})`;
    return { results: [{ name: 'load the checks', outcome: 'error', reason, next: `look at docs/exercises/${exercise.id}/check.ts` }], inputs: [] };
  }
  const inputs: string[] = [];
  const createdUsers: string[] = [];
  const context: CheckContext = {
    ...view,
    client: () => view.client(),
    random(prefix) {
      const value = `${prefix}-${randomBytes(3).toString('hex')}`;
      inputs.push(value);
      return value;
    },
    async temporaryUser(prefix) {
      const username = context.random(prefix);
      const client = view.client();
      const response = await client.register(username, GOOD_PASSWORD);
      if (response.status !== 303) {
        throw new Error(`registering the check's own user ${username} answered ${response.status}`);
      }
      createdUsers.push(username);
      return { username, password: GOOD_PASSWORD, client, response };
    },
    notYet(reason, next) {
      throw new NotYet(reason, next);
    },
  };

  const results: CheckResult[] = [];
  try {
    for (const check of checks) {
      results.push(await runOne(check.name, () => check.run(context)));
      // Later checks usually build on earlier ones: stop at the first that does not pass.
      if (results.at(-1)!.outcome !== 'pass') break;
    }
  } finally {
    // Leave no trace: the rows the checks created are deleted (their sessions go with them).
    for (const username of createdUsers) {
      await view.sql('DELETE FROM users WHERE username = ?', [username]).catch(() => {});
    }
  }
  return { results, inputs };
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
    if (err instanceof NotYet) return { name, outcome: 'not yet', reason: err.reason, next: err.next };
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
