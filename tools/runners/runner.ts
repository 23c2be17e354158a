// What every runner (native processes or Docker containers) offers the make targets and the tools
// (course checks, inspector, doctor), so that each behaves, and prints, the same whichever runner is in use.
import type { Settings } from '../lib/settings.js';

export const SERVICES = ['mysql', 'app', 'nginx'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type ServiceStatus = {
  service: ServiceName;
  /** running, stopped, starting (not healthy yet) or unhealthy */
  state: string;
  /** A process id (native) or a container id (Docker). */
  id: string;
  /** Where it listens. */
  address: string;
};

export interface Runner {
  /** One line saying which runner this is, shown by `make up`. */
  readonly description: string;
  readonly url: string;
  /** The settings (.env, checked) the stack runs with. */
  readonly settings: Settings;
  up(): Promise<void>;
  /** Stops what this runner started; returns the services that were running. */
  down(): Promise<ServiceName[]>;
  restart(services: readonly ServiceName[]): Promise<void>;
  /** Stops some services and leaves the others running (to see what happens without them). */
  stop(services: readonly ServiceName[]): Promise<void>;
  status(): Promise<ServiceStatus[]>;
  /** Tests and applies nginx's config; returns nginx's complaint when the config is refused. */
  reload(): Promise<string | undefined>;
  logs(service: ServiceName | undefined, follow: boolean): Promise<void>;
  dbShell(): Promise<void>;
  /** Stops everything and deletes all data. */
  reset(): Promise<void>;
  /**
   * The newest lines (up to `lines` of each) of nginx's JSON access log and of the app's log, for the
   * request inspector and the checks. First rotates a log that has grown past its size cap
   * (INSPECTOR_LOG_MAX_BYTES), so the files it reads never grow without end.
   */
  requestLogs(lines: number): Promise<RequestLogs>;
  /** Rows of one statement (with ? placeholders for `params`), run as the app's database user. */
  sql(query: string, params?: SqlValue[]): Promise<SqlRow[]>;
  /** `nginx -T`: the configuration the running nginx has loaded, every included file spelled out. */
  nginxConfig(): Promise<string>;
}

export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/** Raw log lines, oldest first; the inspector parses and joins them. */
export type RequestLogs = { nginx: string[]; app: string[] };

export function serviceName(name: string): ServiceName {
  if ((SERVICES as readonly string[]).includes(name)) return name as ServiceName;
  throw new Error(`SERVICE must be one of ${SERVICES.join(', ')}, not "${name}".`);
}
