// Puts the signed-in user (from the session, no database query) on ctx.state for pages and logs.
import type { Middleware } from 'koa';
import { AppError } from '../errors.js';
import { addFlash } from './session.js';

export type CurrentUser = { id: number; username: string };

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    currentUser?: CurrentUser;
  }
}

export function currentUser(): Middleware {
  return async function loadCurrentUser(ctx, next) {
    const { userId, username } = ctx.session ?? {};
    if (typeof userId === 'number' && typeof username === 'string') {
      ctx.state.currentUser = { id: userId, username };
    }
    await next();
  };
}

/** For routes that need a signed-in user: others are sent to the sign-in page. */
export function requireSignIn(): Middleware {
  return async function checkSignedIn(ctx, next) {
    if (!ctx.state.currentUser) {
      if (ctx.accepts('html', 'json') === 'json') throw new AppError('SIGN_IN_REQUIRED');
      addFlash(ctx, 'error', 'Please sign in to see this page.');
      ctx.redirect('/login');
      return;
    }
    await next();
  };
}
