// Pages for signed-in users.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Pool } from '../db/pool.js';
import { findRecentSignIns } from '../db/sessions.js';
import { findUserById } from '../db/users.js';
import { requireSignIn } from '../middleware/current-user.js';
import { createRouter } from './router.js';

const memberSinceFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const signedInFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const RECENT_SIGN_INS = 20;

export function accountRoutes(pool: Pool): Router {
  const router = createRouter();
  router.get('/account', requireSignIn(), account);
  router.get('/activity', requireSignIn(), activity);

  // Shows the account, read fresh from the database (the session holds only the id and name).
  async function account(ctx: Context) {
    const user = await findUserById(pool, ctx.state.currentUser!.id);
    if (!user) {
      // The account was deleted while signed in: end the session.
      ctx.session = null;
      ctx.redirect('/login');
      return;
    }
    await ctx.render('account.njk', {
      user: { username: user.username, memberSince: memberSinceFormat.format(user.createdAt) },
    });
  }

  // Who signed in lately: the newest sessions, each with its member's name.
  async function activity(ctx: Context) {
    const signIns = await findRecentSignIns(pool, RECENT_SIGN_INS);
    const rows: { username: string; signedInAt: string }[] = [];
    for (const signIn of signIns) {
      const member = await findUserById(pool, signIn.userId);
      if (member) rows.push({ username: member.username, signedInAt: signedInFormat.format(signIn.signedInAt) });
    }
    await ctx.render('activity.njk', { signIns: rows });
  }

  return router;
}
