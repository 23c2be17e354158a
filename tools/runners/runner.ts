// What the tools (course checks, doctor, inspector) see of a running stack, and what a runner that
// starts and stops it offers the make targets, the same whichever runner is in use.
//  - Stack: the running stack seen from outside: its services, logs, database and nginx's loaded
//    configuration, and an HTTP client that reaches it as a visitor would. Both runners have one.
//  - Runner: a Stack that is also started and stopped from here: the native runner. (The Docker
//    runner's lifecycle is docker compose, driven by tools/runners/docker/docker-runner.sh.)
import type { Client } from '../lib/http-client.js';
import type { Settings } from '../lib/settings.js';

export const SERVICES = ['mysql', 'app', 'nginx'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type ClientOptions = { https?: boolean };

export type ServiceStatus = {
  service: ServiceName;
  /** running, stopped, starting (not healthy yet) or unhealthy */
  state: string;
  /** A process id (native) or a container id (Docker). */
  id: string;
  /** Where it listens. */
  address: string;
};

export interface Stack {
  /** One line saying which runner this is, shown by `make up` and `make doctor`. */
  readonly description: string;
  /** The site's address as the learner opens it, e.g. http://localhost:8080 */
  readonly url: string;
  /** The settings (.env, checked) the stack runs with. */
  readonly settings: Settings;
  /** The site over HTTPS as the learner opens it, e.g. https://localhost:8443 */
  readonly httpsUrl: string;
  /** The local certificate authority's certificate (nginx/tls/local-ca.sh), as a path the tools can read. */
  readonly caFile: string;
  /**
   * A new browser-like HTTP client for the site through nginx (its own address for the rate limit):
   * over HTTPS (trusting the local CA) when `https` says so, or by default when HTTPS_ONLY=1 (plain
   * HTTP only redirects then); else over plain HTTP.
   */
  client(options?: ClientOptions): Client;
  status(): Promise<ServiceStatus[]>;
  /**
   * The newest lines (up to `lines` of each) of nginx's JSON access log and of the app's log, for the
   * request inspector and the checks. Logs are kept bounded by rotation (INSPECTOR_LOG_MAX_BYTES).
   */
  requestLogs(lines: number): Promise<RequestLogs>;
  /** Rows of one statement (with ? placeholders for `params`), run as the app's database user. */
  sql(query: string, params?: SqlValue[]): Promise<SqlRow[]>;
  /** `nginx -T`: the configuration nginx has loaded, every included file spelled out. */
  nginxConfig(): Promise<string>;
  /**
   * `nginx -t` of the configuration in nginx/ as it would be loaded now: nginx's complaint, or
   * undefined when it passes (or cannot be tested from here).
   */
  nginxTest(): Promise<string | undefined>;
  /** What runs the stack, for a mentor: the system, and the versions of Docker, Node.js, nginx and the database. */
  versions(): Promise<Record<string, string>>;
  /** The newest lines of a service's own output (the app's log with its crashes, nginx's error log, the database's log). */
  serviceLog(service: ServiceName, lines: number): Promise<string[]>;
  /**
   * A step only the machine that runs the stack can take (make reload, make restart, commands typed
   * in the learner's shell): natively taken at once; from the tools' container, which cannot reach the
   * Docker engine, taken by tools/stacklab.sh as soon as the command ends. Says what happens, in a line.
   */
  followUp(step: FollowUp): Promise<string>;
}

/** make reload, make restart SERVICE=…, or a file of shell commands run as the learner would type them. */
export type FollowUp = { kind: 'reload' } | { kind: 'restart'; service: ServiceName } | { kind: 'commands'; file: string };

export interface Runner extends Stack {
  up(): Promise<void>;
  /** Stops what this runner started; returns the services that were running. */
  down(): Promise<ServiceName[]>;
  restart(services: readonly ServiceName[]): Promise<void>;
  /** Stops some services and leaves the others running (to see what happens without them). */
  stop(services: readonly ServiceName[]): Promise<void>;
  /** Tests and applies nginx's config; returns nginx's complaint when the config is refused. */
  reload(): Promise<string | undefined>;
  logs(service: ServiceName | undefined, follow: boolean): Promise<void>;
  dbShell(): Promise<void>;
  /** Stops everything and deletes all data. */
  reset(): Promise<void>;
}

export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/** Raw log lines, oldest first; the inspector parses and joins them. */
export type RequestLogs = { nginx: string[]; app: string[] };

/**
 * A service that did not start. The message is one line; `details` keeps the raw output (the
 * commands print the doctor's diagnosis instead, which reads the logs itself).
 */
export class StartError extends Error {
  constructor(
    readonly service: ServiceName,
    message: string,
    readonly details = '',
  ) {
    super(message);
  }
}

export function serviceName(name: string): ServiceName {
  if ((SERVICES as readonly string[]).includes(name)) return name as ServiceName;
  throw new Error(`SERVICE must be one of ${SERVICES.join(', ')}, not "${name}".`);
}
