// The command behind `make up`, `make down`, `make ps`, … : one entry point for every runner.
// Usage: node --import tsx tools/stack.ts <command> [service]
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { ensureEnvFile, loadEnv } from './lib/env-file.js';
import { bold, dim, green, red, yellow } from './lib/terminal.js';
import { settingsFrom } from './native/settings.js';
import { NativeStack, SERVICES, type ServiceName } from './native/stack.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The tests point these at a throwaway stack; a learner never needs to set them.
const envFile = process.env.STACK_ENV_FILE ?? path.join(repoRoot, '.env');
const stateDir = process.env.STACK_STATE_DIR ?? path.join(repoRoot, '.stack');
const nginxDir = process.env.STACK_NGINX_DIR ?? path.join(repoRoot, 'nginx');

const commands: Record<string, (stack: NativeStack, arg?: string) => Promise<void>> = {
  up,
  down,
  ps,
  logs,
  reload,
  restart,
  'db-shell': dbShell,
  reset,
};

async function main(): Promise<void> {
  const [command = 'help', arg] = process.argv.slice(2);
  const run = commands[command];
  if (!run) {
    console.log(`Unknown command "${command}". Run ${bold('make help')} to see them all.`);
    process.exitCode = 2;
    return;
  }
  if (ensureEnvFile(envFile, path.join(repoRoot, '.env.example'))) {
    console.log(`Created .env with fresh random passwords and session keys (it is git-ignored; keep it private).`);
  }
  chooseRunner();
  const say = (line: string) => console.log(dim(line));
  const stack = new NativeStack(settingsFrom(repoRoot, stateDir, loadEnv(envFile), say, nginxDir));
  await run(stack, arg || undefined);
}

// STACK=docker|native forces a runner; otherwise a Docker engine that answers would be used.
function chooseRunner(): void {
  const wanted = process.env.STACK ?? 'auto';
  if (wanted === 'native' || wanted === 'auto') return;
  if (wanted === 'docker') {
    throw new Error('The Docker runner is not available in this version yet. Run with STACK=native (or leave STACK unset).');
  }
  throw new Error(`STACK must be "docker" or "native", not "${wanted}".`);
}

async function up(stack: NativeStack): Promise<void> {
  console.log(`${bold('stacklab')} ${dim('(native runner: nginx, MariaDB and the app run as local processes)')}`);
  await stack.up();
  printStatus(stack);
  console.log(`\n${green('Ready:')} open ${bold(stack.url)} in your browser and register an account.`);
  console.log(`Try first: ${bold(`curl -i ${stack.url}/healthz`)}   then ${bold('make ps')}, ${bold('make logs')}, ${bold('make down')}.`);
}

async function down(stack: NativeStack): Promise<void> {
  const stopped = await stack.down();
  console.log(stopped.length ? `Stopped ${stopped.join(', ')}. Your data is kept; ${bold('make up')} brings it back.` : 'Nothing was running.');
}

async function ps(stack: NativeStack): Promise<void> {
  printStatus(stack);
}

function printStatus(stack: NativeStack): void {
  console.log(`\n${'SERVICE'.padEnd(8)} ${'STATE'.padEnd(9)} ${'PID'.padEnd(8)} ADDRESS`);
  for (const { service, pid, address } of stack.status()) {
    const state = pid ? green('running'.padEnd(9)) : red('stopped'.padEnd(9));
    console.log(`${service.padEnd(8)} ${state} ${String(pid ?? '-').padEnd(8)} ${address}`);
  }
}

async function reload(stack: NativeStack): Promise<void> {
  if (!stack.nginx.pid()) throw new Error(`nginx is not running. Start the stack with ${bold('make up')}.`);
  const problem = stack.nginx.reload();
  if (problem) {
    console.log(`${red('nginx refused the new configuration')}; the running one stays in place.\n${problem}`);
    console.log(`\nFix the file named above and run ${bold('make reload')} again.`);
    process.exitCode = 1;
    return;
  }
  console.log(`${green('nginx reloaded')} the configuration from nginx/ (tested with nginx -t first).`);
}

async function restart(stack: NativeStack, service?: string): Promise<void> {
  const names = service ? [serviceName(service)] : SERVICES;
  await stack.restart(names);
  console.log(`Restarted ${names.join(', ')}.`);
  printStatus(stack);
}

function serviceName(name: string): ServiceName {
  if ((SERVICES as readonly string[]).includes(name)) return name as ServiceName;
  throw new Error(`SERVICE must be one of ${SERVICES.join(', ')}, not "${name}".`);
}

// Prints the last lines of each log; keeps following them when run in a terminal (Ctrl-C stops).
async function logs(stack: NativeStack, service?: string): Promise<void> {
  const p = stack.paths;
  const files: [ServiceName, string][] = [
    ['mysql', p.mysqlLog],
    ['app', p.appLog],
    ['nginx', p.nginxErrorLog],
    ['nginx', p.accessLog],
  ];
  const chosen = files.filter(([name]) => !service || name === serviceName(service));
  const offsets = new Map<string, number>();
  for (const [name, file] of chosen) {
    if (!existsSync(file)) continue;
    const lines = readFrom(file, 0).trimEnd().split('\n').filter(Boolean).slice(-Number(process.env.LINES ?? 20));
    for (const line of lines) console.log(`${dim(`${name.padEnd(5)} |`)} ${line}`);
    offsets.set(file, statSync(file).size);
  }
  const follow = process.env.FOLLOW ? process.env.FOLLOW === '1' : process.stdout.isTTY === true;
  if (!follow) return;
  console.log(dim('… following the logs; Ctrl-C to stop.'));
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    for (const [name, file] of chosen) {
      if (!existsSync(file)) continue;
      const size = statSync(file).size;
      const from = offsets.get(file) ?? 0;
      if (size < from) offsets.set(file, 0); // the file was truncated or replaced
      if (size <= from) continue;
      const text = readFrom(file, from);
      offsets.set(file, from + Buffer.byteLength(text));
      for (const line of text.split('\n').filter(Boolean)) console.log(`${dim(`${name.padEnd(5)} |`)} ${line}`);
    }
  }
}

function readFrom(file: string, offset: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

async function dbShell(stack: NativeStack): Promise<void> {
  if (!stack.mysql.pid()) throw new Error(`MariaDB is not running. Start the stack with ${bold('make up')}.`);
  const client = ['mariadb', 'mysql'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0) ?? 'mysql';
  const { args, env } = stack.mysql.clientArgs();
  console.log(dim(`Connected as the app's user. Try: SHOW TABLES;  SELECT id, username, created_at FROM users;  (quit with \\q)`));
  const child = spawn(client, args, { stdio: 'inherit', env });
  await new Promise((resolve) => child.on('exit', resolve));
}

async function reset(stack: NativeStack): Promise<void> {
  if (process.env.FORCE !== '1') {
    if (!process.stdin.isTTY) {
      throw new Error(`make reset deletes every user and session. To confirm without a prompt: ${bold('make reset FORCE=1')}`);
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`${yellow('This deletes all data')} (every user and session, all logs). Type "yes" to go on: `);
    rl.close();
    if (answer.trim() !== 'yes') {
      console.log('Nothing was deleted.');
      return;
    }
  }
  await stack.down();
  rmSync(stack.paths.root, { recursive: true, force: true });
  console.log(`All data deleted. ${bold('make up')} starts again from an empty database.`);
}

main().catch((err: unknown) => {
  console.error(`${red('✗')} ${err instanceof Error ? err.message : String(err)}`);
  console.error(dim(`If you are stuck: ${bold('make ps')} shows what runs, ${bold('make logs')} shows why; README.md has a troubleshooting section.`));
  process.exitCode = 1;
});
