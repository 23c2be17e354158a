// The native runner: the three services as local processes, started in dependency order
// (database, then app, then the web server in front) and stopped in the reverse order.
import { mkdirSync } from 'node:fs';
import { AppService } from './app.js';
import { MysqlService } from './mysql.js';
import { NginxService } from './nginx.js';
import { requirePrograms, type Programs } from './programs.js';
import { statePaths, type Settings } from './settings.js';

export const SERVICES = ['mysql', 'app', 'nginx'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type ServiceStatus = { service: ServiceName; pid: number | undefined; address: string };

export class NativeStack {
  readonly mysql: MysqlService;
  readonly app: AppService;
  readonly nginx: NginxService;
  readonly paths;
  private programs?: Programs;

  constructor(readonly settings: Settings) {
    // Programs are looked up (and installed if need be) only when something must start.
    const programs = () => (this.programs ??= requirePrograms(settings.say));
    this.mysql = new MysqlService(settings, programs);
    this.app = new AppService(settings);
    this.nginx = new NginxService(settings, programs);
    this.paths = statePaths(settings.stateDir);
  }

  get url(): string {
    return `http://localhost:${this.settings.httpPort}`;
  }

  /** Starts whatever is not running yet; running services are left alone (so `up` twice is harmless). */
  async up(): Promise<void> {
    mkdirSync(this.paths.root, { recursive: true });
    for (const name of SERVICES) await this.service(name).start();
  }

  async down(): Promise<ServiceName[]> {
    const stopped: ServiceName[] = [];
    for (const name of [...SERVICES].reverse()) {
      if (await this.service(name).stop()) stopped.push(name);
    }
    return stopped;
  }

  async restart(names: readonly ServiceName[] = SERVICES): Promise<void> {
    for (const name of [...names].reverse()) await this.service(name).stop();
    for (const name of SERVICES) if (names.includes(name)) await this.service(name).start();
  }

  status(): ServiceStatus[] {
    const s = this.settings;
    const address: Record<ServiceName, string> = {
      mysql: `127.0.0.1:${s.dbPort}`,
      app: `127.0.0.1:${s.appPort}`,
      nginx: `127.0.0.1:${s.httpPort}`,
    };
    return SERVICES.map((service) => ({ service, pid: this.service(service).pid(), address: address[service] }));
  }

  service(name: ServiceName): MysqlService | AppService | NginxService {
    return { mysql: this.mysql, app: this.app, nginx: this.nginx }[name];
  }
}
