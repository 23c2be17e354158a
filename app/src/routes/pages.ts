// Pages anyone may see.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createRouter } from './router.js';

export function pageRoutes(): Router {
  const router = createRouter();
  router.get('/', home);
  return router;
}

// The home page: says whether you are signed in (the layout reads ctx.state.currentUser).
async function home(ctx: Context) {
  await ctx.render('home.njk');
}
