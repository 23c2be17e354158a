// Every failure the app expects, in one registry: a code, a status, and a message that is safe
// to show to the user. Anything else is a bug or an outage and is shown as a plain 500/503 page.
export const errorCodes = {
  BAD_FORM: { status: 400, message: 'The form was not sent as expected. Please reload the page and try again.' },
  NOT_A_STRING: { status: 400, message: 'Each form field must be plain text.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_BODY: { status: 415, message: 'Send forms as application/x-www-form-urlencoded or JSON.' },
  CSRF_FAILED: {
    status: 403,
    message: 'This form has expired or did not come from this site. Please reload the page and try again.',
  },
  SIGN_IN_REQUIRED: { status: 401, message: 'Please sign in to see this page.' },
  NOT_FOUND: { status: 404, message: 'There is no page at this address.' },
  DB_BUSY: {
    status: 503,
    message: 'The database is busy right now. Nothing was changed; please try again in a few seconds.',
  },
  DB_UNAVAILABLE: {
    status: 503,
    message: 'The database is not answering right now. Nothing was changed; please try again in a few seconds.',
  },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** An expected failure: its message is safe to show to the user (koa's `expose`). */
export class AppError extends Error {
  readonly status: number;
  readonly expose = true;
  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? errorCodes[code].message);
    this.status = errorCodes[code].status;
  }
}

// mysql2 error codes meaning "cannot reach the database", as opposed to a bad query.
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_SERVER_GONE_ERROR',
  'POOL_CLOSED',
]);

export function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && connectionErrorCodes.has(code)) return true;
  // "Can't add new command when connection is in closed state" has no code.
  return err instanceof Error && /closed state|connection lost/i.test(err.message);
}

/** True when the pool's queue of waiting queries is full (mysql2 gives this error no code). */
export function isDatabaseBusy(err: unknown): boolean {
  return err instanceof Error && /^Queue limit reached/.test(err.message);
}
