// Teaching endpoints, for development only (app.ts leaves them out in production, and nginx answers
// 404 for /debug/ with MODE=prod): what reached the app after nginx, and how this process is doing.
// Mounted before the session middleware: they never touch a session.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ProcessMonitor } from '../process-metrics.js';
import { displayRawHeaders } from '../security/redact.js';
import { createRouter } from './router.js';

export function debugRoutes(monitor: ProcessMonitor): Router {
  const router = createRouter();
  router.get('/debug/request', debugRequest);
  router.get('/debug/metrics', metrics);

  // Memory and event-loop delay of this app process, over the current window. Read-only: the window
  // is restarted by a signal to the process (kill -USR2, see server.ts), never by a request.
  async function metrics(ctx: Context) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = monitor.read();
  }

  return router;
}

// Shows what reached the app after nginx: compare with what your browser sent to see what the proxy changed.
async function debugRequest(ctx: Context) {
  const info = {
    method: ctx.method,
    url: ctx.originalUrl,
    httpVersion: ctx.req.httpVersion,
    ip: ctx.ip, // from X-Forwarded-For, because the app trusts exactly one proxy (nginx)
    ips: ctx.ips,
    socketAddress: ctx.req.socket.remoteAddress, // who really connected: nginx
    protocol: ctx.protocol, // from X-Forwarded-Proto
    secure: ctx.secure,
    host: ctx.host,
    requestId: ctx.state.requestId,
    headers: displayRawHeaders(ctx.req.rawHeaders),
  };
  ctx.set('Cache-Control', 'no-store');
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.body = { ...info, headers: Object.fromEntries(info.headers) };
  } else {
    await ctx.render('debug-request.njk', { info });
  }
}
