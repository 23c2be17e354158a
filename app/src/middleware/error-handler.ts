// The one place errors become responses. Expected errors (AppError, koa's ctx.throw) show their
// message; anything else is logged with the request id and answered with a plain page that
// reveals nothing about the code or the SQL.
import type { Context, Middleware } from 'koa';
import { AppError, isDatabaseBusy, isDatabaseDown } from '../errors.js';
import { describeError, type Logger } from '../logger.js';

type HttpError = Error & { status?: number; expose?: boolean; headers?: Record<string, string> };

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Please sign in',
  403: 'Forbidden',
  404: 'Page not found',
  405: 'Method not allowed',
  413: 'Request too large',
  415: 'Unsupported form encoding',
  500: 'Something went wrong',
  503: 'Service unavailable',
};

export function errorHandler(log: Logger): Middleware {
  return async function handleErrors(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('NOT_FOUND');
    } catch (caught) {
      const err = (
        isDatabaseDown(caught) ? new AppError('DB_UNAVAILABLE') : isDatabaseBusy(caught) ? new AppError('DB_BUSY') : caught
      ) as HttpError;
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
      const message = err.expose
        ? err.message
        : status >= 500
          ? 'The server could not answer this request. It has been logged; please try again.'
          : (titles[status] ?? 'Request failed');
      if (status >= 500) {
        log.error('request_failed', {
          requestId: ctx.state.requestId,
          status,
          ...(caught === err ? describeError(caught) : { cause: describeError(caught).code ?? describeError(caught).error }),
        });
      }
      await respondWithError(ctx, status, message);
    }
  };
}

async function respondWithError(ctx: Context, status: number, message: string): Promise<void> {
  ctx.status = status;
  if (status === 503) ctx.set('Retry-After', '5');
  ctx.set('Cache-Control', 'no-store');
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.body = { error: message, requestId: ctx.state.requestId };
    return;
  }
  const title = titles[status] ?? 'Error';
  try {
    await ctx.render('error.njk', { status, title, message });
  } catch {
    // The error page itself failed (a broken template?): plain text still tells the user something.
    ctx.type = 'text/plain';
    ctx.body = `${status} ${title}\n${message}\n`;
  }
}
