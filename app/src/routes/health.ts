// The health check, used by the runners, Docker's healthcheck and `make doctor`. Mounted before the
// session middleware: a health check must not depend on (or create) a session row.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Pool } from '../db/pool.js';
import { pingDatabase } from '../db/pool.js';
import { createRouter } from './router.js';

export function healthRoutes(pool: Pool): Router {
  const router = createRouter();
  router.get('/healthz', healthz);

  // Is the app up, and can it reach the database?
  async function healthz(ctx: Context) {
    const dbUp = await pingDatabase(pool);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = dbUp ? 200 : 503;
    ctx.body = { status: dbUp ? 'ok' : 'unavailable', db: dbUp ? 'ok' : 'down' };
  }

  return router;
}
