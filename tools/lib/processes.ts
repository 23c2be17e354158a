// Starting and stopping the stack's processes by the pid files the runner wrote, and only those:
// a pid is trusted only if that process still runs the program we started.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tailLines } from './log-files.js';

export type Started = { pid: number };

/** Starts a program in the background, detached from this terminal, with output appended to logFile. */
export function startDetached(
  command: string,
  args: string[],
  { logFile, env, cwd }: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Started {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env, cwd });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return { pid: child.pid };
}

export function writePid(pidFile: string, pid: number): void {
  writeFileSync(pidFile, `${pid}\n`);
}

/** The pid in pidFile if that process is alive and its command line contains `expect`. */
export function runningPid(pidFile: string, expect: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (!isAlive(pid)) return undefined;
  // Guard against a recycled pid: the process must still be the program we started.
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(expect)) return undefined;
  } catch {
    // No /proc (not Linux): the liveness check above has to do.
  }
  return pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An exited child not yet reaped by its parent (a zombie) still answers kill(pid, 0).
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Sends SIGTERM to the process in pidFile (if it is ours and alive), waits up to graceMs for it
 * to exit, then SIGKILL. Removes the pid file. Returns true if something was stopped.
 */
export async function stopByPidFile(pidFile: string, expect: string, graceMs = 15_000): Promise<boolean> {
  const pid = runningPid(pidFile, expect);
  if (pid === undefined) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
  rmSync(pidFile, { force: true });
  return true;
}

/** The last `count` lines of a log file, for error messages. */
export function tailFile(file: string, count = 15): string {
  if (!existsSync(file)) return '(no log yet)';
  return tailLines(file, count).join('\n');
}

/** The program name of a running process ('' when unknown). */
export function readCommand(pid: number): string {
  try {
    return path.basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '');
  } catch {
    return '';
  }
}
