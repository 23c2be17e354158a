// Page rendering with nunjucks. Autoescape is on: every {{ value }} is HTML-escaped, so a
// username like <script> shows as text. Every page also gets the values the layout needs.
import type Koa from 'koa';
import nunjucks from 'nunjucks';
import type { Config } from '../config.js';
import { takeFlash } from './session.js';
import { csrfToken } from './csrf.js';

declare module 'koa' {
  interface BaseContext {
    render(view: string, context?: Record<string, unknown>): Promise<void>;
  }
}

export function installRenderer(app: Koa, config: Config): void {
  // In development the loader reads a template from disk on every render, so an edit shows on the
  // next request; in production each is compiled once and cached. (noCache is an option of the
  // loader: the Environment does not read it.)
  const loader = new nunjucks.FileSystemLoader(config.paths.views, { noCache: config.env === 'development' });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });

  // The home page links to /debug/request only where it exists (not in production).
  const debugPages = config.env !== 'production';

  app.context.render = async function render(this: Koa.Context, view, context = {}) {
    const page = await new Promise<string>((resolve, reject) => {
      env.render(view, { ...pageGlobals(this), debugPages, ...context }, (err, html) =>
        err ? reject(err) : resolve(html ?? ''),
      );
    });
    this.type = 'html';
    this.body = page;
  };
}

function pageGlobals(ctx: Koa.Context) {
  return {
    currentUser: ctx.state.currentUser,
    requestId: ctx.state.requestId,
    flash: takeFlash(ctx),
    csrfToken: () => csrfToken(ctx),
  };
}
