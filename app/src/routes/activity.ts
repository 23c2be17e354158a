// Who signed in lately: a page for signed-in members.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Pool } from '../db/pool.js';
import { findRecentSignIns } from '../db/sessions.js';
import { findUserById } from '../db/users.js';
import { requireSignIn } from '../middleware/current-user.js';
import { createRouter } from './router.js';

const RECENT_SIGN_INS = 20;
const signedInFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function activityRoutes(pool: Pool): Router {
  const router = createRouter();
  router.get('/activity', requireSignIn(), activity);

  // The newest sessions, each with its member's name.
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
