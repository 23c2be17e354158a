// The real server process (src/server.ts) for tests: started with exactly the given environment,
// its JSON log lines collected, and killed after the test if it is still running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

const appDir = path.resolve(import.meta.dirname, '../..');

export type LogLine = Record<string, unknown>;

/** `promise`, or a failure after `ms` (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${failure} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `node src/server.ts` with exactly `env`; the process is killed after the test if still running. */
export function startServer(t: TestContext, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const lines: LogLine[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(JSON.parse(line) as LogLine));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    child,
    lines,
    stderr: () => stderr,
    /** The exit code, or a failure if the process is still running after `ms`. */
    exited: (ms: number) => within(exitCode, ms, 'the server did not exit'),
    /** The first log line of this event, waiting for it up to `ms`. */
    async logged(event: string, ms = 10_000): Promise<LogLine> {
      const deadline = Date.now() + ms;
      for (;;) {
        const line = lines.find((l) => l.event === event);
        if (line) return line;
        if (Date.now() > deadline || child.exitCode !== null) {
          assert.fail(`no "${event}" log line within ${ms} ms; stderr: ${stderr}`);
        }
        await sleep(50);
      }
    },
  };
}

