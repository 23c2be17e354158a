// The running stack as the checks see it, whichever runner started it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DockerStack } from '../docker/stack.js';
import { NativeStack } from '../native/stack.js';
import type { Runner } from '../runner.js';
import type { LogLine, StackView } from './kit.js';

export function stackView(runner: Runner, repoRoot: string): StackView {
  const sql = runner instanceof NativeStack ? nativeSql(runner) : dockerSql(runner as DockerStack);
  return {
    url: runner.url,
    sql,
    async nginxConfig() {
      if (runner instanceof NativeStack) return runner.nginx.dumpConfig();
      const result = (runner as DockerStack).run(['exec', '-T', 'nginx', 'nginx', '-T']);
      return `${result.stdout}${result.stderr}`;
    },
    async logs() {
      const raw = await runner.requestLogs(2000);
      return { nginx: parseLines(raw.nginx), app: parseLines(raw.app) };
    },
    readProjectFile(relativePath) {
      try {
        return readFileSync(path.join(repoRoot, relativePath), 'utf8');
      } catch {
        return '';
      }
    },
  };
}

function parseLines(lines: string[]): LogLine[] {
  return lines.flatMap((line) => {
    const json = line.slice(line.indexOf('{'));
    try {
      return [JSON.parse(json) as LogLine];
    } catch {
      return [];
    }
  });
}

// Natively the database listens on 127.0.0.1: connect as the app's user.
function nativeSql(runner: NativeStack): StackView['sql'] {
  const { env, dbPort } = runner.settings;
  return async (query, params = []) => {
    const conn = await mysql.createConnection({
      host: '127.0.0.1',
      port: dbPort,
      user: env.DB_USER,
      password: env.DB_PASSWORD,
      database: env.DB_NAME,
      connectTimeout: 5000,
    });
    try {
      const [rows] = await conn.execute(query, params);
      return rows as Record<string, unknown>[];
    } finally {
      await conn.end();
    }
  };
}

// With Docker the database is on an internal network only: run the query from inside the app's
// container, with its own driver and credentials (placeholders work the same there).
function dockerSql(runner: DockerStack): StackView['sql'] {
  const script = `
    const mysql = require('mysql2/promise');
    const [query, params] = JSON.parse(process.argv[1]);
    (async () => {
      const e = process.env;
      const conn = await mysql.createConnection({ host: e.DB_HOST, port: +e.DB_PORT, user: e.DB_USER, password: e.DB_PASSWORD, database: e.DB_NAME });
      const [rows] = await conn.execute(query, params);
      console.log(JSON.stringify(rows));
      await conn.end();
    })().catch((err) => { console.error(err.message); process.exit(1); });`;
  return async (query, params = []) => {
    const result = runner.run(['exec', '-T', 'app', 'node', '-e', script, JSON.stringify([query, params])]);
    if (result.status !== 0) throw new Error(`SQL failed: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout) as Record<string, unknown>[];
  };
}
