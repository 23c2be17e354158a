// Templates: in development an edited template shows on the next request, without a restart (as
// .env.example promises); in production each is compiled once and cached.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Koa from 'koa';
import { loadConfig, type Config } from '../src/config.js';
import { installRenderer } from '../src/middleware/render.js';

const views = mkdtempSync(path.join(os.tmpdir(), 'stacklab-views-'));
after(() => rmSync(views, { recursive: true, force: true }));

/** An app that renders from a folder of our own, in the given mode. */
function appIn(env: Config['env']): Koa {
  const config = loadConfig({ DB_PASSWORD: 'secret', DB_MIGRATION_PASSWORD: 'migrate', SESSION_KEYS: 'k'.repeat(32), NODE_ENV: env });
  const app = new Koa();
  installRenderer(app, { ...config, paths: { ...config.paths, views } });
  return app;
}

/** page.njk as `app` renders it for one request (in-process: no port, no socket traffic). */
async function page(app: Koa): Promise<string> {
  const req = new http.IncomingMessage(new Socket());
  const ctx = app.createContext(req, new http.ServerResponse(req));
  await ctx.render('page.njk', { name: '<b>Ada</b>' });
  return String(ctx.body);
}

describe('templates', () => {
  it('in development, shows an edited template on the next request', async () => {
    writeFileSync(path.join(views, 'page.njk'), 'first: {{ name }}');
    const app = appIn('development');
    assert.equal(await page(app), 'first: &lt;b&gt;Ada&lt;/b&gt;');
    writeFileSync(path.join(views, 'page.njk'), 'second: {{ name }}');
    assert.equal(await page(app), 'second: &lt;b&gt;Ada&lt;/b&gt;');
  });

  it('in production, keeps the template it compiled first', async () => {
    writeFileSync(path.join(views, 'page.njk'), 'first: {{ name }}');
    const app = appIn('production');
    assert.equal(await page(app), 'first: &lt;b&gt;Ada&lt;/b&gt;');
    writeFileSync(path.join(views, 'page.njk'), 'second: {{ name }}');
    assert.equal(await page(app), 'first: &lt;b&gt;Ada&lt;/b&gt;');
  });
});
