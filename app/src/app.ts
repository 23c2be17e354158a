// Builds the Koa app: the middleware pipeline, top to bottom, in the order a request meets it.
// No port is opened here (server.ts does that), so tests can call app.callback() directly.
import Koa from 'koa';
import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import type { Logger } from './logger.js';
import { verifyCsrf } from './middleware/csrf.js';
import { currentUser } from './middleware/current-user.js';
import { errorHandler } from './middleware/error-handler.js';
import { formBody } from './middleware/form-body.js';
import { installRenderer } from './middleware/render.js';
import { requestLog } from './middleware/request-log.js';
import { absoluteTimeout, sessions } from './middleware/session.js';
import type { ProcessMonitor } from './process-metrics.js';
import { activityRoutes } from './routes/activity.js';
import { accountRoutes } from './routes/account.js';
import { authRoutes } from './routes/auth.js';
import { debugRoutes } from './routes/debug.js';
import { healthRoutes } from './routes/health.js';
import { pageRoutes } from './routes/pages.js';

export type Deps = { pool: Pool; log: Logger; monitor: ProcessMonitor };

export function createApp(config: Config, { pool, log, monitor }: Deps): Koa {
  // proxy: trust X-Forwarded-For/-Proto/-Host, but only one hop of them (the nginx in front of us).
  // Koa would otherwise take the leftmost X-Forwarded-For address, which the client can write itself.
  const app = new Koa({ proxy: true, maxIpsCount: 1, keys: [...config.session.keys], env: config.env });
  installRenderer(app, config);

  app.use(requestLog(log, { trace: config.traceSql })); // outermost: times everything and logs the final status and headers
  // Which app instance answered: useful once several run behind nginx.
  app.use(async (ctx, next) => {
    ctx.set('X-App-Instance', config.instance);
    await next();
  });
  app.use(errorHandler(log)); // inside the logger, so the logged status is the one sent
  // Before sessions: a health check or a debug page must not depend on (or create) a session row.
  app.use(healthRoutes(pool).routes());
  // The debug pages are teaching tools: in production they do not exist (a 404, like any unknown path).
  if (config.env !== 'production') app.use(debugRoutes(monitor).routes());
  app.use(sessions(app, config, pool));
  app.use(absoluteTimeout(config));
  app.use(currentUser());
  app.use(formBody({ maxBytes: 16 * 1024, maxFields: 50 }));
  app.use(verifyCsrf()); // needs the parsed form and the session
  for (const router of [pageRoutes(), authRoutes({ config, pool, log }), accountRoutes(pool)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  const activity = activityRoutes(pool); // who signed in lately (exercise 13 makes it fast)
  app.use(activity.routes());
  app.use(activity.allowedMethods());
  return app;
}
