// What an exercise's check.ts works with: the running stack, seen from outside (HTTP through nginx,
// SQL as the app's user, nginx's config and logs), and a way to say "not yet" kindly.
//
//   export default defineChecks([
//     { name: 'the page answers', async run(c) { … c.notYet('why', 'what to do next') … } },
//   ]);
//
// Checks use only what this kit gives them, never a runner's internals, so every check works the
// same whichever runner started the stack.
import type { Client, Response } from '../lib/http-client.js';
export { CHECKER_USER_AGENT } from '../lib/http-client.js';
import type { JsonLine } from '../lib/json-lines.js';
import type { Settings } from '../lib/settings.js';
import type { ClientOptions, SqlRow, SqlValue } from '../runners/runner.js';

/**
 * A check that did not pass: `reason` says what was seen, `next` what to try. `evidence` says what
 * the check was looking at: the stack's present state, or the logs, which keep the newest lines
 * only (so a pass recorded earlier stays a pass when its log lines have gone).
 */
export class NotYet extends Error {
  constructor(
    readonly reason: string,
    readonly next: string,
    readonly evidence: 'state' | 'logs' = 'state',
  ) {
    super(reason);
  }
}

export type LogLine = JsonLine;

export interface StackView {
  /** The site's address through nginx, e.g. http://localhost:8080 */
  readonly url: string;
  /** The stack's settings: .env (merged with the shell's values), checked. */
  readonly settings: Settings;
  /** The site over HTTPS, e.g. https://localhost:8443 */
  readonly httpsUrl: string;
  /**
   * A new browser-like client for the site through nginx (cookies kept, its own address for the rate
   * limit); `{ https: true }` over HTTPS, trusting the stack's local CA (by default: with HTTPS_ONLY=1).
   */
  client(options?: ClientOptions): Client;
  /** Rows of one statement (with ? placeholders), run as the app's database user. */
  sql(query: string, params?: SqlValue[]): Promise<SqlRow[]>;
  /** `nginx -T`: the configuration nginx has loaded, every included file spelled out. */
  nginxConfig(): Promise<string>;
  /** The newest lines of nginx's JSON access log and of the app's JSON log. */
  logs(): Promise<{ nginx: LogLine[]; app: LogLine[] }>;
  /** A file of the project, '' when it does not exist. */
  readProjectFile(relativePath: string): string;
}

export type TemporaryUser = { username: string; password: string; client: Client; response: Response };

export type CheckContext = StackView & {
  /** A new browser-like client (cookies kept, its own address for the rate limit); `{ https: true }` over HTTPS. */
  client(options?: ClientOptions): Client;
  /** A random name with a prefix, printed with the results so the learner can look it up. */
  random(prefix: string): string;
  /**
   * A member for this check, signed in: `client` holds the session, `response` is the sign-in's
   * answer. Deleted again after the checks.
   */
  temporaryUser(prefix: string): Promise<TemporaryUser>;
  /** `count` members who joined one after the other (the last is the newest); deleted after the checks. */
  temporaryMembers(prefix: string, count: number): Promise<string[]>;
  /** Not yet: the stack does not do it (yet). */
  notYet(reason: string, next: string): never;
  /** Not yet: the logs do not show it (they keep the newest lines only): `next` names the step to do again. */
  notInLogs(reason: string, next: string): never;
};

export type Check = { name: string; run(c: CheckContext): Promise<void> };

export type ExerciseChecks = {
  checks: Check[];
  /**
   * Before the checks run, the stack must answer: nginx, and the app behind it (/healthz). An
   * exercise about a stopped app sets appMayBeDown, and then nginx alone must answer.
   */
  appMayBeDown: boolean;
};

export function defineChecks(checks: Check[], options: { appMayBeDown?: boolean } = {}): ExerciseChecks {
  return { checks, appMayBeDown: options.appMayBeDown ?? false };
}
