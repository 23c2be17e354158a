// Pages anyone may see.
import Router from '@koa/router';
import type { Context } from 'koa';

export function pageRoutes(): Router {
  const router = new Router();
  router.get('/', home);
  return router;
}

// The home page: says whether you are signed in (the layout reads ctx.state.currentUser).
async function home(ctx: Context) {
  await ctx.render('home.njk');
}
