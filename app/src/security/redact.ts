// What must never be shown or logged in full: passwords, CSRF tokens, session cookies, credentials.
// The one set of rules: the app applies them before it writes a log line, and the request inspector
// (tools/inspector) applies them again to everything it shows, in case a line slipped through.
export const REDACTED = '[redacted]';

/** A form field, query parameter or log field whose name says it holds a secret. */
const SECRET_NAME = /pass|csrf|token|secret|session/i;

/** Whether a field, setting or parameter name says it holds a secret (DB_PASSWORD, SESSION_KEYS, csrf, …). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A header value made safe to show: cookie values and credentials are replaced, names and flags are kept. */
export function redactHeader(name: string, value: string): string {
  switch (name.toLowerCase()) {
    case 'cookie':
      // Keep the cookie names (useful to see which cookies arrived), hide their values.
      return value
        .split(';')
        .map((pair) => `${pair.split('=')[0]!.trim()}=${REDACTED}`)
        .join('; ');
    case 'set-cookie': {
      // Keep the name and the attributes (Path, HttpOnly, SameSite, …): what a learner wants to check.
      const [pair = '', ...attributes] = value.split(';');
      return [`${pair.split('=')[0]!.trim()}=${REDACTED}`, ...attributes.map((a) => a.trim())].join('; ');
    }
    case 'authorization':
    case 'proxy-authorization':
      // Keep the scheme ("Basic", "Bearer"), hide the credentials.
      return `${value.split(' ')[0]} ${REDACTED}`;
    case 'x-csrf-token':
      return REDACTED;
    default:
      return value;
  }
}

/** Raw header pairs as Node received them ([name, value, name, value, …]), redacted. */
export function redactRawHeaders(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i]!, redactHeader(rawHeaders[i]!, rawHeaders[i + 1]!)]);
  }
  return pairs;
}

// Headers whose values /debug/request shows: what the request looks like and how nginx routed it.
const HARMLESS_HEADERS = new Set([
  'host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'connection', 'content-type',
  'content-length', 'cache-control', 'pragma', 'upgrade-insecure-requests', 'dnt', 'origin', 'priority',
  'sec-fetch-dest', 'sec-fetch-mode', 'sec-fetch-site', 'sec-fetch-user', 'sec-ch-ua', 'sec-ch-ua-mobile',
  'sec-ch-ua-platform', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'x-request-id',
]);

/**
 * Raw header pairs made safe to echo back to whoever sent them (/debug/request): every name, but a
 * value only for the harmless headers above, the cookie names and the Authorization scheme. An
 * allow-list, not a deny-list: a header nobody thought of (X-Api-Key, a token a proxy adds on the
 * way) shows as [redacted] too.
 */
export function displayRawHeaders(rawHeaders: readonly string[]): [string, string][] {
  return redactRawHeaders(rawHeaders).map(([name, value]) => {
    const lower = name.toLowerCase();
    const shown = HARMLESS_HEADERS.has(lower) || ['cookie', 'authorization', 'proxy-authorization'].includes(lower);
    return [name, shown ? value : REDACTED];
  });
}

/** Response headers as Koa holds them (a Set-Cookie may be a list), redacted. */
export function redactResponseHeaders(headers: Record<string, unknown>): Record<string, string | string[]> {
  const safe: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    safe[name] = Array.isArray(value)
      ? value.map((one) => redactHeader(name, String(one)))
      : redactHeader(name, String(value));
  }
  return safe;
}

/** A parsed form (or any record of fields) with passwords, CSRF tokens and other secrets replaced. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, SECRET_NAME.test(k) ? REDACTED : v]));
}

/** A query string ("a=1&password=x") with the values of secret-looking parameters replaced. */
export function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0]!;
      return SECRET_NAME.test(name) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

// In free text (a log line, a diff, a report): `name=value`, `name: value` or `"name":"value"` where
// the name says it holds a secret, or is a cookie or credential header; and bcrypt hashes, which
// must not leave the database even hashed.
const NAMED_VALUE = /(["']?)([\w.-]*)\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s&;,"'[{][^\s&;,"']*)/g;
const CREDENTIAL_HEADER = /^(cookie|set-cookie|authorization|proxy-authorization)$/i;
const BCRYPT_HASH = /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g;
/** A session cookie's value wherever it appears: a cookie named …sid (stacklab.sid=…, stacklab.sid.sig=…). */
const SESSION_COOKIE_VALUE = /(\b[\w.-]*sid(?:\.sig)?=)[^\s;,"'&]+/gi;

/** Free text with the values of secrets replaced, by the same names as above. */
export function redactText(text: string): string {
  return text
    .replace(BCRYPT_HASH, REDACTED)
    .replace(SESSION_COOKIE_VALUE, `$1${REDACTED}`)
    .split('\n')
    .map((line) => {
      // A header line as curl -v or a log shows it: the header's own rule keeps the cookie names.
      const header = /^([\s<>+-]*)([\w-]+)(:\s*)(.+)$/.exec(line);
      if (header && CREDENTIAL_HEADER.test(header[2]!)) return `${header[1]}${header[2]}${header[3]}${redactHeader(header[2]!, header[4]!)}`;
      return redactNamedValues(line);
    })
    .join('\n');
}

// Each `name=value` of a line; the value of a harmless name is searched too (nginx's error log quotes
// a whole request line, `request: "GET /x?password=… HTTP/1.1"`, after a harmless name).
function redactNamedValues(line: string): string {
  const named = new RegExp(NAMED_VALUE.source, 'g');
  let out = '';
  let from = 0;
  for (let m = named.exec(line); m; m = named.exec(line)) {
    const [whole, quote = '', name = '', sep = '', value = ''] = m;
    if (!(SECRET_NAME.test(name) || CREDENTIAL_HEADER.test(name))) {
      named.lastIndex = m.index + whole.length - value.length + (/^["']/.test(value) ? 1 : 0);
      continue;
    }
    const quoted = /^["']/.test(value) ? `${value[0]}${REDACTED}${value[0]}` : REDACTED;
    out += `${line.slice(from, m.index)}${quote}${name}${quote}${sep}${quoted}`;
    from = m.index + whole.length;
  }
  return out + line.slice(from);
}
