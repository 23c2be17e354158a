// Password rules and hashing. bcrypt is slow on purpose (the cost factor doubles the work per step),
// so a stolen table of hashes takes years to guess through; its async API runs the hashing on
// libuv's thread pool, so the event loop keeps serving other requests meanwhile.
import bcrypt from 'bcrypt';
import { traceBcrypt } from '../request-trace.js';
import { commonPasswords } from './common-passwords.js';

export const PASSWORD_MIN_CHARS = 8;
// bcrypt reads at most 72 bytes and silently ignores the rest, so longer passwords are refused
// rather than quietly weakened. 72 bytes is 72 ASCII letters but only 18 emoji.
export const PASSWORD_MAX_BYTES = 72;

// Control characters (NUL, tab, escape, …) are never part of a typed password. NUL matters most:
// bcrypt stops reading at the first one, so "\0\0\0\0\0\0\0\0" would be stored as the empty password.
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Why a password could never have been registered (too short, over 72 bytes, a control character), or
 * undefined. Sign-in checks this too, so that bcrypt never compares what registration would refuse.
 */
export function checkPasswordShape(password: string): string | undefined {
  if ([...password].length < PASSWORD_MIN_CHARS) {
    return `Choose a password of at least ${PASSWORD_MIN_CHARS} characters.`;
  }
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `Choose a password of at most ${PASSWORD_MAX_BYTES} bytes (about ${PASSWORD_MAX_BYTES} letters; accented letters and emoji count as 2–4).`;
  }
  if (CONTROL_CHARACTER.test(password)) {
    return 'Use letters, digits, spaces and symbols only: no control characters (such as a tab or NUL).';
  }
  return undefined;
}

/** Returns why a new password is not acceptable, or undefined when it is. */
export function checkPasswordRules(password: string, username: string): string | undefined {
  const shapeProblem = checkPasswordShape(password);
  if (shapeProblem) return shapeProblem;
  if (commonPasswords.has(password.toLowerCase())) {
    return 'This password is on every list of common passwords; choose one that is harder to guess.';
  }
  if (password.toLowerCase() === username.toLowerCase()) {
    return 'Your password must not be your username.';
  }
  return undefined;
}

// Both are recorded in the request's trace (the cost and the time, never the password or the hash),
// so the inspector can show how much of a sign-in is bcrypt.
export function hashPassword(password: string, cost: number): Promise<string> {
  return traceBcrypt('hash', cost, () => bcrypt.hash(password, cost));
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return traceBcrypt('compare', roundsOrZero(hash), () => bcrypt.compare(password, hash));
}

// A malformed hash from the table must still give "no match", not an error while tracing it.
function roundsOrZero(hash: string): number {
  try {
    return bcrypt.getRounds(hash);
  } catch {
    return 0;
  }
}

/**
 * A hash to compare against when the username does not exist, so that "no such user" takes as
 * long as "wrong password" and the response time does not reveal which usernames are taken.
 */
export function createDummyHash(cost: number): Promise<string> {
  return bcrypt.hash('not a real password, only here to spend the same time', cost);
}

export function hashRounds(hash: string): number {
  return bcrypt.getRounds(hash);
}
