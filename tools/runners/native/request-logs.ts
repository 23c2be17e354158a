// The native stack's request logs, for the inspector and the checks: nginx's JSON access log and
// the app's JSON log, both files in the state folder, kept bounded by rotating them.
import { newestLines, rotateIfLarge } from '../../lib/log-files.js';
import type { RequestLogs } from '../runner.js';

type LogFiles = { accessLog: string; appLog: string };

/** Rotates the request logs that grew past maxBytes. */
export function rotateRequestLogs(files: LogFiles, maxBytes: number, nginxPid: number | undefined): void {
  rotateIfLarge(files.accessLog, maxBytes, 'rename', () => {
    // SIGUSR1 is nginx's "reopen your log files" signal (what `nginx -s reopen` sends).
    if (nginxPid) process.kill(nginxPid, 'SIGUSR1');
  });
  rotateIfLarge(files.appLog, maxBytes, 'copy-truncate');
}

/** The newest lines of both request logs, rotated first if they grew past maxBytes. */
export function readRequestLogs(files: LogFiles, lines: number, maxBytes: number, nginxPid: number | undefined): RequestLogs {
  rotateRequestLogs(files, maxBytes, nginxPid);
  return { nginx: newestLines(files.accessLog, lines), app: newestLines(files.appLog, lines) };
}
