// The outermost middleware: takes the request id nginx assigned, times the request, and writes
// one JSON line when it ends. The inspector joins these lines with nginx's access log by id.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import { RequestTrace, runWithTrace } from '../request-trace.js';
import { redactFields, redactQuery, redactRawHeaders, redactResponseHeaders } from '../security/redact.js';

// Same rule as nginx's: accept a well-formed id from upstream, otherwise make one.
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** `trace`: also record the request's SQL statements and bcrypt calls in its line (TRACE_SQL). */
export function requestLog(log: Logger, { trace: tracing }: { trace: boolean } = { trace: true }): Middleware {
  return async function logRequest(ctx, next) {
    const started = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-ID');
    ctx.state.requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    // Read now: once a request's body stream has been cut off (a body over the limit), Node drops
    // its socket and the address can no longer be read.
    const ip = ctx.ip;
    const trace = tracing ? new RequestTrace() : undefined;
    try {
      await (trace ? runWithTrace(trace, next) : next());
    } finally {
      // Health checks from Docker or the runner (not through nginx, so no request id) would fill the
      // log with a line every few seconds; they are left out unless they fail.
      const quietHealthCheck = ctx.path === '/healthz' && !incoming && ctx.status === 200;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!quietHealthCheck) {
        log.info('request', {
          requestId: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path,
          query: ctx.querystring ? redactQuery(ctx.querystring) : undefined,
          status: ctx.status,
          ms: Math.round(ms * 100) / 100,
          userId: ctx.state.currentUser?.id ?? null,
          ip,
          headers: Object.fromEntries(redactRawHeaders(ctx.req.rawHeaders)),
          // For the inspector: the form as parsed (passwords and CSRF token replaced) and the
          // response headers the app set (cookie values replaced, their flags kept).
          form: ctx.request.form && Object.keys(ctx.request.form).length > 0 ? redactFields(ctx.request.form) : undefined,
          responseHeaders: redactResponseHeaders(ctx.response.headers),
          // The hop below the app: its SQL statements and bcrypt calls (at most 50 of each, and the counts).
          ...trace?.toLog(),
        });
      }
    }
  };
}
