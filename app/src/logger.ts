// One JSON object per line on stdout: easy to read with `jq`, easy for the inspector to join
// with nginx's access log by request id. Never pass a password or a session id in `fields`.
import { openSync, writeSync } from 'node:fs';

export type Fields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
}

type Write = (line: string, event: string) => void;

/**
 * The events written to the file alone when there is one: a line for every request. With Docker,
 * stdout is Docker's log, and each line of it passes through the container runtime and the engine,
 * which store it as JSON: at a few thousand requests a second that took more CPU than the page itself
 * (see docs/performance.md). So, as nginx's access log, they go to the file on the logs volume, which
 * `make logs` and the tools read; start, stop, sign-ins, warnings and errors go to both.
 */
const FILE_ONLY_EVENTS = new Set(['request']);

/**
 * Writes each line to stdout and, when `file` is given (LOG_FILE), appends it to that file too
 * (request lines: to the file only, above). With Docker, stdout goes to Docker's log; the file sits on
 * a volume that the tools' container reads. One write per line to a file opened for appending: lines
 * of several app instances never mix.
 */
export function stdoutAndFile(file: string | undefined, toStdout: (line: string) => void = (line) => process.stdout.write(line)): Write {
  if (!file) return toStdout;
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch (err) {
    toStdout(JSON.stringify({ time: new Date().toISOString(), level: 'warn', event: 'log_file_unavailable', file, error: (err as Error).message }) + '\n');
    return toStdout;
  }
  return (line, event) => {
    if (!FILE_ONLY_EVENTS.has(event)) toStdout(line);
    writeSync(fd, line);
  };
}

export function createLogger(base: Fields = {}, write: Write = (line) => process.stdout.write(line)): Logger {
  const log = (level: string, event: string, fields: Fields = {}) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields }) + '\n', event);
  };
  return {
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}

/** A logger that keeps its lines in memory: for tests that assert on what was logged. */
export function createMemoryLogger(): Logger & { lines: Fields[] } {
  const lines: Fields[] = [];
  const logger = createLogger({}, (line) => lines.push(JSON.parse(line) as Fields));
  return Object.assign(logger, { lines });
}

/** The parts of an error worth logging: never the SQL parameters mysql2 attaches. */
export function describeError(err: unknown): Fields {
  if (!(err instanceof Error)) return { error: String(err) };
  const code = (err as { code?: unknown }).code;
  return { error: err.message, code, stack: err.stack };
}
