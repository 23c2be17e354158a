// What an exercise's check.ts works with: the running stack, seen from outside (HTTP through nginx,
// SQL as the app's user, nginx's config and logs), and a way to say "not yet" kindly.
//
//   export default defineChecks([
//     { name: 'the page answers', async run(c) { … c.notYet('why', 'what to do next') … } },
//   ]);
import { Client, type Response } from '../lib/http-client.js';
import type { JsonLine } from '../lib/json-lines.js';
import type { Settings } from '../lib/settings.js';
import type { SqlRow, SqlValue } from '../runners/runner.js';

/** A check that did not pass: `reason` says what was seen, `next` what to try. */
export class NotYet extends Error {
  constructor(
    readonly reason: string,
    readonly next: string,
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
  /** A new browser-like client for the site through nginx (cookies kept, its own address for the rate limit). */
  client(): Client;
  /** Rows of a read-only query, run as the app's database user. */
  sql(query: string, params?: SqlValue[]): Promise<SqlRow[]>;
  /** `nginx -T`: the whole configuration nginx has loaded. */
  nginxConfig(): Promise<string>;
  /** The newest lines of nginx's JSON access log and of the app's JSON log. */
  logs(): Promise<{ nginx: LogLine[]; app: LogLine[] }>;
  /** A file of the project, '' when it does not exist. */
  readProjectFile(relativePath: string): string;
}

export type CheckContext = StackView & {
  /** A random name with a prefix, printed with the results so the learner can look it up. */
  random(prefix: string): string;
  /** Registers a user for this check; it is deleted again after the checks. */
  temporaryUser(prefix: string): Promise<{ username: string; password: string; client: Client; response: Response }>;
  notYet(reason: string, next: string): never;
};

export type Check = { name: string; run(c: CheckContext): Promise<void> };

export function defineChecks(checks: Check[]): Check[] {
  return checks;
}
