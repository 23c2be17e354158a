// CSRF protection: a random token is put into every form as a hidden field, and every POST must send
// it back. Another site can make a browser send our cookies along with its form posts, but it cannot
// read our pages, so it cannot know the token. Where the token is kept depends on the visitor:
// - signed in: in the session (a synchronizer token), renewed at every sign-in (routes/auth.ts);
// - not signed in: in a signed cookie of its own (a signed double-submit cookie), so that showing the
//   sign-in or registration form writes nothing to the database. Its signature (SESSION_KEYS) means
//   nobody can plant a token of their choosing in the browser.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { AppError } from '../errors.js';
import { isSignedIn } from './session.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_COOKIE = 'stacklab.csrf';

/** The token for this visitor's forms, created on first use (so pages without forms set nothing). */
export function csrfToken(ctx: Context): string {
  const session = ctx.session;
  if (isSignedIn(session)) {
    session.csrf ??= newToken();
    return session.csrf;
  }
  let token = ctx.cookies.get(CSRF_COOKIE, { signed: true });
  if (!token) {
    token = newToken();
    // No expiry: it lasts as long as the browser is open, like the form it protects.
    ctx.cookies.set(CSRF_COOKIE, token, ctx.cookieAttributes);
  }
  return token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Rejects any state-changing request whose token is missing or wrong. Runs after the body parser. */
export function verifyCsrf(): Middleware {
  return async function checkCsrfToken(ctx, next) {
    if (!SAFE_METHODS.has(ctx.method)) {
      const sent = ctx.request.form[CSRF_FIELD] ?? ctx.get('X-CSRF-Token');
      const session = ctx.session;
      const expected = isSignedIn(session) ? session.csrf : ctx.cookies.get(CSRF_COOKIE, { signed: true });
      if (typeof sent !== 'string' || !expected || !sameToken(sent, expected)) {
        throw new AppError('CSRF_FAILED');
      }
    }
    await next();
  };
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

// Constant-time comparison, so response timing does not reveal how many characters matched.
function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
