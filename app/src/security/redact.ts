// What must never be shown or logged in full: passwords, CSRF tokens, session cookies, credentials.
export const REDACTED = '[redacted]';

const SECRET_FIELDS = new Set(['password', 'password_confirm', '_csrf']);

/** A header value made safe to show: cookie values and credentials are replaced, names are kept. */
export function redactHeader(name: string, value: string): string {
  switch (name.toLowerCase()) {
    case 'cookie':
      // Keep the cookie names (useful to see which cookies arrived), hide their values.
      return value
        .split(';')
        .map((pair) => `${pair.split('=')[0]!.trim()}=${REDACTED}`)
        .join('; ');
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

/** A parsed form with passwords and CSRF tokens replaced. */
export function redactForm(form: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? REDACTED : v]));
}
