// nginx as a local process, with its own prefix in the state folder and the config rendered from
// nginx/ exactly as the Docker runner renders it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isListening, waitFor } from '../../lib/ports.js';
import { runningPid, stopByPidFile, tailFile } from '../../lib/processes.js';
import { repoPath } from '../../lib/repo.js';
import { renderTemplate } from '../../lib/template.js';
import { serviceUser, statePaths, type NativeOptions } from './native-options.js';
import { StartError } from '../runner.js';
import type { Programs } from './programs.js';

export class NginxService {
  readonly name = 'nginx';
  private readonly paths;
  constructor(
    private readonly s: NativeOptions,
    private readonly programs: () => Programs,
  ) {
    this.paths = statePaths(s.stateDir);
  }

  pid(): number | undefined {
    return runningPid(this.paths.nginxPid, 'nginx');
  }

  async start(): Promise<void> {
    if (this.pid()) return;
    const { http, https } = this.s.settings.ports;
    for (const [port, name, other] of [[http, 'HTTP_PORT', 8081], [https, 'HTTPS_PORT', 8444]] as const) {
      if (await isListening(port)) {
        throw new Error(
          `Port ${port} (${name}) is already in use by another program, so nginx cannot start.\n` +
            `Stop that program, or choose another port: ${name}=${other} make up (or set it in .env).`,
        );
      }
    }
    const problem = this.renderAndTest(this.paths.nginxConf);
    if (problem) throw new StartError('nginx', 'nginx did not start: it refuses the configuration in nginx/.', problem);
    // nginx puts itself in the background; its master process writes the pid file.
    const result = spawnSync(this.programs().nginx, this.args(this.paths.nginxConf), { encoding: 'utf8' });
    if (result.status !== 0) throw new StartError('nginx', 'nginx did not start.', result.stderr);
    const up = await waitFor(async () => this.pid() !== undefined && (await isListening(this.s.settings.ports.http)), 10_000);
    if (!up) throw new StartError('nginx', 'nginx did not start.', tailFile(this.paths.nginxErrorLog));
  }

  stop(): Promise<boolean> {
    return stopByPidFile(this.paths.nginxPid, 'nginx');
  }

  /**
   * Renders the config from nginx/ into a fresh folder and tests it with `nginx -t`. Only a config
   * that passes replaces the running one, which then reloads without dropping a connection.
   * Returns nginx's own message when the new config is refused.
   */
  reload(): string | undefined {
    const next = `${this.paths.nginxConf}.next`;
    const problem = this.renderAndTest(next);
    if (problem) {
      rmSync(next, { recursive: true, force: true });
      return problem;
    }
    rmSync(this.paths.nginxConf, { recursive: true, force: true });
    renameSync(next, this.paths.nginxConf);
    const pid = this.pid();
    if (pid) process.kill(pid, 'SIGHUP'); // nginx's signal for "re-read the config"
    return undefined;
  }

  /** `nginx -t` of nginx/ as it is now, in a folder of its own (the running config is left alone). */
  test(): string | undefined {
    const dir = `${this.paths.nginxConf}.check`;
    try {
      return this.renderAndTest(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * The local certificate authority and the site's certificate, made by the same script the Docker
   * runner's nginx runs at its start (once; the site's certificate again when it nears its end).
   */
  private makeCertificates(): void {
    const result = spawnSync('sh', [repoPath('nginx/tls/local-ca.sh'), this.paths.tls], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`The local certificate authority could not be made:\n${(result.stderr || result.stdout).trim()}`);
    for (const line of result.stdout.split('\n').filter(Boolean)) this.s.say(line);
  }

  /** `nginx -T`: the configuration as nginx reads it, every included file spelled out. */
  dumpConfig(): string {
    const result = spawnSync(this.programs().nginx, [...this.args(this.paths.nginxConf), '-T'], { encoding: 'utf8' });
    return `${result.stdout}${result.stderr}`;
  }

  private args(confDir: string): string[] {
    const user = serviceUser();
    // Paths in quotes: the project folder may have a space in its name.
    const globals = [`pid "${this.paths.nginxPid}";`, `error_log "${this.paths.nginxErrorLog}" warn;`];
    if (user) globals.push(`user ${user};`);
    return [
      '-p', `${this.paths.nginxPrefix}/`,
      '-c', path.join(confDir, 'nginx.conf'),
      '-e', this.paths.nginxErrorLog,
      '-g', globals.join(' '),
    ];
  }

  /** Writes nginx.conf, snippets and the rendered site into confDir; returns nginx -t's complaint, if any. */
  private renderAndTest(confDir: string): string | undefined {
    const nginxDir = this.s.nginxDir;
    rmSync(confDir, { recursive: true, force: true });
    mkdirSync(path.join(confDir, 'conf.d'), { recursive: true });
    mkdirSync(this.paths.logs, { recursive: true });
    mkdirSync(this.paths.run, { recursive: true });
    for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      mkdirSync(path.join(this.paths.nginxPrefix, 'temp', dir), { recursive: true });
    }
    this.makeCertificates();
    cpSync(path.join(nginxDir, 'nginx.conf'), path.join(confDir, 'nginx.conf'));
    cpSync(path.join(nginxDir, 'snippets'), path.join(confDir, 'snippets'), { recursive: true });
    cpSync(this.mimeTypesFile(), path.join(confDir, 'mime.types'));
    const template = readFileSync(path.join(nginxDir, 'templates/stacklab.conf.template'), 'utf8');
    writeFileSync(path.join(confDir, 'conf.d/stacklab.conf'), renderTemplate(template, this.templateValues()));
    writeFileSync(path.join(confDir, 'conf.d/00-native-paths.conf'), this.nativePaths());

    const test = spawnSync(this.programs().nginx, [...this.args(confDir), '-t', '-q'], { encoding: 'utf8' });
    return test.status === 0 ? undefined : (test.stderr || test.stdout).trim();
  }

  /** The values for nginx/templates/*.template (the Docker runner sets the same names). */
  templateValues(): Record<string, string> {
    return {
      NGINX_LISTEN: `127.0.0.1:${this.s.settings.ports.http}`,
      // nginx before 1.25.1 (Debian 12 has 1.22) turns HTTP/2 on with a parameter of the listen line.
      NGINX_TLS_LISTEN: `127.0.0.1:${this.s.settings.ports.https}${this.hasHttp2Directive() ? '' : ' http2'}`,
      HTTP2: this.hasHttp2Directive() ? 'http2 on;' : '# (HTTP/2: this nginx is older than 1.25.1, so `http2` is on the listen line above)',
      TLS_DIR: this.paths.tls,
      HTTPS_PORT: String(this.s.settings.ports.https),
      HTTPS_ONLY: this.s.settings.httpsOnly ? '1' : '0',
      APP_UPSTREAM_SERVERS: Array.from({ length: this.s.settings.appReplicas }, (_, i) => `server 127.0.0.1:${this.s.settings.ports.app + i};`).join('\n    '),
      STATIC_ROOT: repoPath('app/public'),
      ERROR_PAGES_ROOT: path.join(this.s.nginxDir, 'errors'),
      NGINX_LOG_DIR: this.paths.logs,
      AUTH_RATE_PER_MINUTE: String(this.s.settings.authLimit.ratePerMinute),
      AUTH_BURST: String(this.s.settings.authLimit.burst),
      STACKLAB_MODE: this.s.settings.mode,
    };
  }

  // Debian's nginx was built to keep temporary files under /var/lib/nginx, which only root may
  // write; a stack of our own keeps them in its state folder instead.
  private nativePaths(): string {
    const temp = path.join(this.paths.nginxPrefix, 'temp');
    return [
      '# Written by the native runner: temporary files inside the state folder.',
      `client_body_temp_path "${temp}/client_body";`,
      `proxy_temp_path "${temp}/proxy";`,
      `fastcgi_temp_path "${temp}/fastcgi";`,
      `uwsgi_temp_path "${temp}/uwsgi";`,
      `scgi_temp_path "${temp}/scgi";`,
      '',
    ].join('\n');
  }

  private hasHttp2Directive(): boolean {
    const [major = 0, minor = 0, patch = 0] = (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(this.versionText())?.slice(1) ?? []).map(Number);
    return major * 1_000_000 + minor * 1000 + patch >= 1_025_001;
  }

  private versionText(): string {
    this.version ??= spawnSync(this.programs().nginx, ['-V'], { encoding: 'utf8' }).stderr;
    return this.version;
  }
  private version: string | undefined;

  private mimeTypesFile(): string {
    const version = this.versionText();
    const confPath = /--conf-path=(\S+)/.exec(version)?.[1] ?? '/etc/nginx/nginx.conf';
    const candidate = path.join(path.dirname(confPath), 'mime.types');
    return existsSync(candidate) ? candidate : '/etc/nginx/mime.types';
  }
}
