// Pages for signed-in users.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Pool } from '../db/pool.js';
import { findUserById } from '../db/users.js';
import { requireSignIn } from '../middleware/current-user.js';
import { createRouter } from './router.js';

const memberSinceFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

export function accountRoutes(pool: Pool): Router {
  const router = createRouter();
  router.get('/account', requireSignIn(), account);

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

  return router;
}
