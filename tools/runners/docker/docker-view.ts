// The Docker stack as the tools see it from inside their own container, where docker-runner.sh runs
// them (there is no Node.js on a Docker-only machine). That container shares nginx's network, so the
// site is at 127.0.0.1:80 as nginx sees a visitor, and the app and the database answer to their
// names; the two JSON logs are files on volumes mounted here. What only the Docker engine knows
// (which containers run) and nginx's loaded configuration were read by docker-runner.sh beforehand.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from '../../lib/http-client.js';
import { caFile, httpsClient } from '../../lib/local-ca.js';
import { newestLines } from '../../lib/log-files.js';
import { repoPath } from '../../lib/repo.js';
import type { Settings } from '../../lib/settings.js';
import { SERVICES, type ClientOptions, type FollowUp, type RequestLogs, type ServiceName, type ServiceStatus, type SqlRow, type SqlValue, type Stack } from '../runner.js';

const NGINX_LOG = '/var/log/nginx/stacklab/access.json';
/** The steps docker-runner.sh takes once the command in this container has ended, one per line. */
const FOLLOW_UPS = repoPath('.stack/docker/follow-ups');
const APP_LOG = '/var/log/stacklab/app.log';
/** What docker-runner.sh read from the engine for the doctor: each service's output, and nginx -t of nginx/. */
const HANDED_OVER = repoPath('.stack/docker/handed-over');

export class DockerView implements Stack {
  readonly description = process.env.STACKLAB_RUNNER_DESCRIPTION || 'Docker runner: each service in its own container';

  constructor(readonly settings: Settings) {}

  get url(): string {
    return `http://localhost:${this.settings.ports.http}`;
  }

  get httpsUrl(): string {
    return `https://localhost:${this.settings.ports.https}`;
  }

  get caFile(): string {
    return caFile(repoPath('.stack'));
  }

  client({ https = this.settings.httpsOnly }: ClientOptions = {}): Client {
    // nginx listens on ports 80 and 443 in its container; the Host is the one the learner's browser sends.
    if (https) return httpsClient(repoPath('.stack'), '127.0.0.1:443', this.settings.ports.https);
    return new Client('http://127.0.0.1:80', { host: `localhost:${this.settings.ports.http}` });
  }

  // One line per container from docker-runner.sh: "SERVICE STATE ID ADDRESS".
  async status(): Promise<ServiceStatus[]> {
    const rows = (process.env.STACKLAB_STATUS ?? '').split('\n').flatMap((line) => {
      const [service = '', state = 'stopped', id = '-', ...address] = line.trim().split(/\s+/);
      return (SERVICES as readonly string[]).includes(service) ? [{ service: service as ServiceName, state, id, address: address.join(' ') }] : [];
    });
    return rows.length > 0 ? rows : SERVICES.map((service) => ({ service, state: 'unknown', id: '-', address: '' }));
  }

  async requestLogs(lines: number): Promise<RequestLogs> {
    return { nginx: newestLines(NGINX_LOG, lines), app: newestLines(APP_LOG, lines) };
  }

  async sql(query: string, params: SqlValue[] = []): Promise<SqlRow[]> {
    const { db } = this.settings;
    const conn = await mysql.createConnection({ host: 'mysql', port: 3306, user: db.user, password: db.password, database: db.name, connectTimeout: 5000 });
    try {
      const [rows] = await conn.execute(query, params);
      return rows as SqlRow[];
    } finally {
      await conn.end();
    }
  }

  async nginxConfig(): Promise<string> {
    try {
      return readFileSync(repoPath('.stack/docker/nginx-loaded.conf'), 'utf8');
    } catch {
      return '';
    }
  }

  // Written by docker-runner.sh (docker_hand_over) just before the doctor or the help report runs.
  async nginxTest(): Promise<string | undefined> {
    const output = readOrEmpty(path.join(HANDED_OVER, 'nginx-test.txt')).trim();
    return output === '' || output === 'ok' ? undefined : output;
  }

  // "name: value" lines, read on the learner's machine and in the containers by docker-runner.sh.
  async versions(): Promise<Record<string, string>> {
    const lines = readOrEmpty(path.join(HANDED_OVER, 'versions.txt')).split('\n');
    return Object.fromEntries(lines.flatMap((line) => (/^([^:]+):\s*(.*)$/.exec(line) ? [[line.split(':')[0]!.trim(), line.slice(line.indexOf(':') + 1).trim()]] : [])));
  }

  async serviceLog(service: ServiceName, lines: number): Promise<string[]> {
    // compose logs prefixes each line with "container | ": the doctor reads what the service wrote.
    const text = readOrEmpty(path.join(HANDED_OVER, `${service}.log`));
    return text.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/^\S+\s+\|\s?/, '')).slice(-lines);
  }

  async followUp(step: FollowUp): Promise<string> {
    const line = step.kind === 'reload' ? 'reload' : step.kind === 'restart' ? `restart ${step.service}` : `commands ${path.relative(repoPath(), step.file)}`;
    mkdirSync(path.dirname(FOLLOW_UPS), { recursive: true });
    appendFileSync(FOLLOW_UPS, `${line}\n`);
    const what = step.kind === 'reload' ? 'make reload' : step.kind === 'restart' ? `make restart SERVICE=${step.service}` : `the commands of ${path.relative(repoPath(), step.file)}`;
    return `${what} runs as soon as this command ends.`;
  }
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
