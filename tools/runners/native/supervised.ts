// Running a native service under supervise.sh (beside this file), which restarts it when it crashes.
// Two pid files per service: the supervisor's (stopped first, so it does not restart anything) and
// the service's own (what `make ps` shows, and what a crash test kills).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningPid, startDetached, stopByPidFile, writePid } from '../../lib/processes.js';

const SUPERVISE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'supervise.sh');

export type SupervisedFiles = { supervisorPid: string; servicePid: string; log: string };

export function supervisorRunning(files: SupervisedFiles): boolean {
  return runningPid(files.supervisorPid, 'supervise.sh') !== undefined;
}

export function startSupervised(
  name: string,
  files: SupervisedFiles,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): void {
  const { pid } = startDetached('bash', [SUPERVISE, name, files.servicePid, '--', command, ...args], {
    logFile: files.log,
    ...options,
  });
  writePid(files.supervisorPid, pid);
}

/** Stops the supervisor (which stops its service), then makes sure the service is gone too. */
export async function stopSupervised(files: SupervisedFiles, serviceCommand: string, graceMs: number): Promise<boolean> {
  const hadSupervisor = await stopByPidFile(files.supervisorPid, 'supervise.sh', graceMs);
  const hadService = await stopByPidFile(files.servicePid, serviceCommand, graceMs);
  return hadSupervisor || hadService;
}
