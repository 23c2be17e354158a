// The native runner's side of the inspector: reading the newest lines of a log file, and keeping
// log files bounded by rotating them. (The Docker runner does the same inside the nginx container.)
import { copyFileSync, existsSync, renameSync, statSync, truncateSync } from 'node:fs';
import type { EnvMap } from '../lib/env-file.js';
import { tailLines } from '../lib/log-tail.js';
import type { RequestLogs } from '../runner.js';

/** A log file is rotated once it is bigger than this (INSPECTOR_LOG_MAX_BYTES, default 5 MB). */
export function logMaxBytes(env: EnvMap): number {
  const value = Number(env.INSPECTOR_LOG_MAX_BYTES || 5 * 1024 * 1024);
  if (!Number.isInteger(value) || value < 1024) {
    throw new Error(`INSPECTOR_LOG_MAX_BYTES must be a number of bytes (1024 or more), got "${env.INSPECTOR_LOG_MAX_BYTES}". Fix it in .env.`);
  }
  return value;
}

/**
 * Rotates `file` when it is bigger than maxBytes, keeping one old copy (`file.1`, replacing the
 * previous one). So a log never takes more than about twice maxBytes on disk.
 *  - rename (nginx's log): the file is renamed, then `reopen` tells the writer to open a new one
 *    (nginx does so on SIGUSR1). Nothing is lost: until then nginx writes on into the renamed file.
 *  - copy-truncate (the app's log): the app's stdout is the file itself and cannot be reopened, so
 *    the file is copied and then emptied in place. The app appends (O_APPEND), so it goes on writing
 *    at the new end; a line written between the copy and the truncate would be lost.
 */
export function rotateIfLarge(file: string, maxBytes: number, how: 'rename' | 'copy-truncate', reopen?: () => void): boolean {
  if (!existsSync(file) || statSync(file).size <= maxBytes) return false;
  if (how === 'rename') {
    renameSync(file, `${file}.1`);
    reopen?.();
  } else {
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
  }
  return true;
}

/** The newest `count` lines of a rotated log: from the current file, topped up from `file.1`. */
export function newestLines(file: string, count: number): string[] {
  const current = tailLines(file, count);
  return current.length >= count ? current : [...tailLines(`${file}.1`, count - current.length), ...current];
}

type NativeLogFiles = { accessLog: string; appLog: string };

/** Rotates a native stack's request logs that grew past maxBytes. */
export function rotateNativeRequestLogs(files: NativeLogFiles, maxBytes: number, nginxPid: number | undefined): void {
  rotateIfLarge(files.accessLog, maxBytes, 'rename', () => {
    // SIGUSR1 is nginx's "reopen your log files" signal (what `nginx -s reopen` sends).
    if (nginxPid) process.kill(nginxPid, 'SIGUSR1');
  });
  rotateIfLarge(files.appLog, maxBytes, 'copy-truncate');
}

/** Both request logs of a native stack, rotated first if they grew past maxBytes. */
export function readNativeRequestLogs(files: NativeLogFiles, lines: number, maxBytes: number, nginxPid: number | undefined): RequestLogs {
  rotateNativeRequestLogs(files, maxBytes, nginxPid);
  return { nginx: newestLines(files.accessLog, lines), app: newestLines(files.appLog, lines) };
}
