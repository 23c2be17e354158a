// What nginx does to headers, read from the project's own nginx config (so the inspector explains the
// config a learner actually runs, also after they changed it), plus one line of "why" per header.
import { existsSync, readFileSync } from 'node:fs';
import { repoPath } from '../lib/repo.js';

/** Why nginx sets each of these request headers (see nginx/snippets/proxy-to-app.conf). */
const WHY_SET: Record<string, string> = {
  host: 'nginx passes on the host name and port the browser asked for ($http_host), so the app knows which site was meant.',
  'x-forwarded-for':
    "the client's address as nginx saw it: the app's own connection comes from nginx, so it could not know it otherwise. Whatever the client sent here is replaced.",
  'x-real-ip': "the client's address again, as one plain value.",
  'x-forwarded-proto': "the scheme the browser used (http or https); the app's own connection from nginx is always plain http.",
  'x-forwarded-host': 'the host name the browser used, for links the app builds.',
  'x-request-id': "the id that ties nginx's log line to the app's line for this request; nginx made it (or kept a well-formed one the client sent).",
  connection:
    'hop-by-hop: it describes one connection only. nginx talks to the app over its own pooled keep-alive connections (proxy_set_header Connection "").',
};

/** Request headers nginx sets towards the app: lower-case name → the nginx value expression. */
export function proxySetHeaders(): Map<string, { name: string; value: string; why: string }> {
  const file = repoPath('nginx/snippets/proxy-to-app.conf');
  const rules = new Map<string, { name: string; value: string; why: string }>();
  if (!existsSync(file)) return rules;
  for (const match of readFileSync(file, 'utf8').matchAll(/^\s*proxy_set_header\s+(\S+)\s+(.+?);/gm)) {
    const name = match[1]!;
    const value = match[2]!;
    rules.set(name.toLowerCase(), { name, value, why: WHY_SET[name.toLowerCase()] ?? `set by nginx to ${value}.` });
  }
  return rules;
}

/** Response headers nginx adds to every answer (nginx/snippets/response-headers.conf). */
export function addedResponseHeaders(): string[] {
  const file = repoPath('nginx/snippets/response-headers.conf');
  if (!existsSync(file)) return [];
  return [...readFileSync(file, 'utf8').matchAll(/^\s*add_header\s+(\S+)/gm)].map((m) => m[1]!);
}

/**
 * The browser's request headers that nginx's access log records (its req_* fields and a few older
 * ones). Other headers the browser sent are not logged by nginx, so only the app's side shows them.
 */
export const LOGGED_REQUEST_HEADERS: [field: string, header: string][] = [
  ['host', 'Host'],
  ['user_agent', 'User-Agent'],
  ['req_accept', 'Accept'],
  ['req_accept_encoding', 'Accept-Encoding'],
  ['req_accept_language', 'Accept-Language'],
  ['req_content_type', 'Content-Type'],
  ['req_content_length', 'Content-Length'],
  ['req_connection', 'Connection'],
  ['referer', 'Referer'],
  ['req_origin', 'Origin'],
  ['xff_received', 'X-Forwarded-For'],
  ['req_x_forwarded_proto', 'X-Forwarded-Proto'],
  ['req_x_forwarded_host', 'X-Forwarded-Host'],
  ['req_x_real_ip', 'X-Real-IP'],
  ['req_x_request_id', 'X-Request-ID'],
  // Logged as "present" only: nginx's log never holds cookie values or credentials.
  ['req_cookie', 'Cookie'],
  ['req_authorization', 'Authorization'],
];

/** Why the browser sees a Set-Cookie attribute: one line each. */
export const COOKIE_FLAGS: Record<string, string> = {
  httponly: "page scripts cannot read the cookie (document.cookie), so injected JavaScript cannot steal it",
  secure: 'sent over HTTPS only',
  samesite: 'whether the browser sends it on requests started by other sites (lax: only on top-level links)',
  path: 'the URL paths the browser sends it to',
  expires: 'when the browser deletes it (none: at the end of the browser session)',
  'max-age': 'seconds until the browser deletes it',
  domain: 'the host names the browser sends it to',
};
