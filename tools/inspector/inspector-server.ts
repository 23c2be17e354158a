// The inspector's web page: a small HTTP server on 127.0.0.1 only (never behind nginx, so its own
// requests never show up in nginx's log, and so never in its own list). Serves the page from page/
// and the records as JSON; the page polls /api/requests once a second.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from '../runners/runner.js';
import { matches } from './filters.js';
import { loadRequests } from './load-requests.js';
import { summary, type InspectedRequest } from './records.js';

const pageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page');
const FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/inspector.js': ['inspector.js', 'text/javascript; charset=utf-8'],
  '/inspector.css': ['inspector.css', 'text/css; charset=utf-8'],
};

export type InspectorServer = { url: string; close(): Promise<void> };

/**
 * `listenHost`: 127.0.0.1 (only this machine). In the tools' container it is 0.0.0.0, and Docker
 * publishes the port on the host's 127.0.0.1 only, so the page is still for this machine alone.
 */
export async function startInspectorServer(stack: Stack, max: number, port: number, listenHost = '127.0.0.1'): Promise<InspectorServer> {
  // Several open pages poll at once: read the logs at most once per 700 ms, and one read at a time.
  let cached: { at: number; records: Promise<InspectedRequest[]> } | undefined;
  const records = () => {
    if (!cached || Date.now() - cached.at > 700) cached = { at: Date.now(), records: loadRequests(stack, max) };
    return cached.records;
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, 'application/json', JSON.stringify({ error: err instanceof Error ? err.message : String(err) })));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Only this machine, by name: a page on another site cannot reach us by pointing its own host name
    // at 127.0.0.1 (DNS rebinding), because its requests would carry that other Host.
    const { port: actual } = server.address() as AddressInfo;
    if (![`127.0.0.1:${actual}`, `localhost:${actual}`, ...forwardedHosts(actual)].includes(req.headers.host ?? '')) {
      send(res, 421, 'text/plain', 'The inspector answers only at 127.0.0.1 or localhost.\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = FILES[url.pathname];
    if (req.method === 'GET' && file) {
      send(res, 200, file[1], readFileSync(path.join(pageDir, file[0])));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/requests') {
      const q = (name: string) => url.searchParams.get(name) ?? '';
      const filter = { path: q('path'), status: q('status'), method: q('method'), slow: q('slow'), statements: q('statements') };
      const list = (await records()).filter((r) => matches(r, filter)).map(summary).reverse(); // newest first
      send(res, 200, 'application/json', JSON.stringify({ max, requests: list }));
      return;
    }
    const one = /^\/api\/requests\/([A-Za-z0-9._-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const found = (await records()).find((r) => r.id === one[1]);
      if (found) send(res, 200, 'application/json', JSON.stringify(found));
      else send(res, 404, 'application/json', JSON.stringify({ error: `no request ${one[1]} among the last ${max}` }));
      return;
    }
    send(res, 404, 'text/plain', 'Not found\n');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // This machine only: the inspector shows headers and forms, so nobody else may reach it.
    server.listen(port, listenHost, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    // The page runs its own script only, and shows log data as text (never as HTML).
    'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

/**
 * In GitHub Codespaces the browser reaches a forwarded port by a name of the codespace's own
 * (NAME-PORT.DOMAIN, from variables Codespaces sets), behind GitHub's sign-in: that name is allowed too.
 */
function forwardedHosts(port: number): string[] {
  const { CODESPACE_NAME: name, GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN: domain } = process.env;
  return name && domain ? [`${name}-${port}.${domain}`] : [];
}
