// A small HTTP client for the tests and the exercise checks: keeps cookies like a browser, never
// follows redirects, and sends from its own loopback address (127.x.y.z), so each client is a
// separate "visitor" to nginx's per-address rate limit, as people on different machines would be.
import http from 'node:http';

export type Response = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
};

export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
};

let nextAddress = 2 + Math.floor(Math.random() * 200) * 256;

export class Client {
  readonly cookies = new Map<string, string>();
  readonly localAddress: string;

  constructor(
    readonly baseUrl: string,
    localAddress?: string,
  ) {
    nextAddress += 1;
    this.localAddress = localAddress ?? `127.${(nextAddress >> 16) & 255 || 1}.${(nextAddress >> 8) & 255}.${nextAddress & 255 || 1}`;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { method: 'POST', form, headers });
  }

  request(path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined = options.body;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    if (this.cookies.size > 0 && !('cookie' in headers)) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: options.method ?? 'GET', headers, localAddress: this.localAddress, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            this.keepCookies(res.headers['set-cookie'] ?? []);
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  private keepCookies(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The CSRF token from the hidden field of the form at `path` (GETs the page). */
  async csrfFrom(path: string): Promise<string> {
    const page = await this.get(path);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF field on ${path} (status ${page.status})`);
    return token;
  }

  async register(username: string, password: string): Promise<Response> {
    const _csrf = await this.csrfFrom('/register');
    return this.post('/register', { _csrf, username, password, password_confirm: password });
  }

  async login(username: string, password: string): Promise<Response> {
    const _csrf = await this.csrfFrom('/login');
    return this.post('/login', { _csrf, username, password });
  }

  async logout(): Promise<Response> {
    const _csrf = await this.csrfFrom('/');
    return this.post('/logout', { _csrf });
  }
}

/** A username no other test uses. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export const GOOD_PASSWORD = 'plum-orbit-canvas-42';
