// One JSON object per line on stdout: easy to read with `jq`, easy for the inspector to join
// with nginx's access log by request id. Never pass a password or a session id in `fields`.
export type Fields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
}

type Write = (line: string) => void;

export function createLogger(base: Fields = {}, write: Write = (line) => process.stdout.write(line)): Logger {
  const log = (level: string, event: string, fields: Fields = {}) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields }) + '\n');
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
