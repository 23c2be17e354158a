// Teaching endpoints: what reached the app after nginx, and how this process is doing. Mounted
// before the session middleware: they never touch a session.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Router from '@koa/router';
import type { Context } from 'koa';
import { redactRawHeaders } from '../security/redact.js';

export function debugRoutes(): Router {
  const router = new Router();
  router.get('/debug/request', debugRequest);
  router.get('/debug/metrics', metrics);

  // How late the event loop runs its callbacks: if a request ever blocked it (a synchronous hash,
  // a huge JSON.parse), every other request would wait, and this delay would show it.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  // For `make bench` and the curious: memory and event-loop delay of this app process.
  // `?reset=1` starts a new measuring window (the bench resets before each run it measures).
  async function metrics(ctx: Context) {
    const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      rssBytes: process.memoryUsage().rss,
      uptimeS: Math.round(process.uptime()),
      eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    };
    if (ctx.query.reset === '1') loopDelay.reset();
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
    headers: redactRawHeaders(ctx.req.rawHeaders),
  };
  ctx.set('Cache-Control', 'no-store');
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.body = { ...info, headers: Object.fromEntries(info.headers) };
  } else {
    await ctx.render('debug-request.njk', { info });
  }
}
