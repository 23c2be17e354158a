// A browser for tests: keeps its cookies from one request to the next, never follows redirects (the
// tests look at them), and reads the CSRF token from a page's form, as a person's browser would send
// it back. The app's own tests use it, and so do the stack tests and the course's checks (through
// tools/lib/http-client.ts, which gives each client its own address for nginx's rate limit).
import http from 'node:http';
import https from 'node:https';

export type Page = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
};

export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  /** Sent urlencoded, as an HTML form sends it. */
  form?: Record<string, string>;
  /** Sent as JSON (what a script might send instead of a form). */
  json?: unknown;
  body?: string | Buffer;
};

const TIMEOUT_MS = 15_000;

export const GOOD_PASSWORD = 'plum-orbit-canvas-42';

/** A username no other test uses. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export class Browser {
  readonly cookies = new Map<string, string>();

  /**
   * `localAddress`: the address to connect from (127.x.y.z: each its own visitor to nginx).
   * `host`: the Host header to send, when it is not the one of baseUrl (a proxy reached by another name).
   * `ca`: over https://, the certificate authority to trust (the stack's local CA), and `servername`
   * the name to ask for in the TLS handshake (SNI) and to find in the certificate.
   */
  constructor(
    readonly baseUrl: string,
    readonly options: { localAddress?: string; host?: string; ca?: string; servername?: string } = {},
  ) {}

  get localAddress(): string | undefined {
    return this.options.localAddress;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, { headers });
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(path, { method: 'POST', form, headers });
  }

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  request(path: string, { method = 'GET', headers = {}, form, json, body }: RequestOptions = {}): Promise<Page> {
    const url = new URL(path, this.baseUrl);
    const sent: Record<string, string> = { ...headers };
    if (form) {
      body = new URLSearchParams(form).toString();
      sent['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (json !== undefined) {
      body = JSON.stringify(json);
      sent['content-type'] ??= 'application/json';
    }
    if (this.cookies.size > 0) sent.cookie ??= this.cookieHeader();
    if (this.options.host) sent.host ??= this.options.host;
    return new Promise((resolve, reject) => {
      const tls = url.protocol === 'https:' ? { ca: this.options.ca, servername: this.options.servername } : {};
      const send = url.protocol === 'https:' ? https.request : http.request;
      const req = send(url, { method, headers: sent, agent: false, localAddress: this.localAddress, ...tls }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) this.keepCookie(line);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer from ${url} within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  private keepCookie(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';');
    const name = pair.slice(0, pair.indexOf('=')).trim();
    const value = pair.slice(pair.indexOf('=') + 1).trim();
    const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
    if (value === '' || expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  /** The CSRF token from the hidden field of the form at `path` (GETs the page). */
  async csrfFrom(path: string): Promise<string> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF field on ${path} (status ${page.status})`);
    return token;
  }

  async register(username: string, password: string): Promise<Page> {
    return this.post('/register', { _csrf: await this.csrfFrom('/register'), username, password, password_confirm: password });
  }

  async login(username: string, password: string): Promise<Page> {
    return this.post('/login', { _csrf: await this.csrfFrom('/login'), username, password });
  }

  async logout(): Promise<Page> {
    return this.post('/logout', { _csrf: await this.csrfFrom('/') });
  }
}

/** A port that is free right now on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
