// CSRF protection with a synchronizer token: a random token kept in the session is put into every
// form as a hidden field, and every POST must send it back. Another site can make a browser send
// our cookie, but it cannot read our pages, so it cannot know the token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { AppError } from '../errors.js';

export const CSRF_FIELD = '_csrf';

/** The session's token, created on first use (so pages without forms create no session). */
export function csrfToken(ctx: Context): string {
  const session = ctx.session!;
  session.csrf ??= randomBytes(32).toString('base64url');
  return session.csrf;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Rejects any state-changing request whose token is missing or wrong. Runs after the body parser. */
export function verifyCsrf(): Middleware {
  return async function checkCsrfToken(ctx, next) {
    if (!SAFE_METHODS.has(ctx.method)) {
      const sent = ctx.request.form[CSRF_FIELD] ?? ctx.get('X-CSRF-Token');
      const expected = ctx.session?.csrf;
      if (typeof sent !== 'string' || !expected || !sameToken(sent, expected)) {
        throw new AppError('CSRF_FAILED');
      }
    }
    await next();
  };
}

// Constant-time comparison, so response timing does not reveal how many characters matched.
function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
