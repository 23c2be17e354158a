// "Copy as curl": the request again as a curl command; redacted values become placeholders to fill in.
import { REDACTED } from '../../app/src/security/redact.js';
import { fieldText } from '../lib/json-lines.js';
import type { InspectedRequest } from './records.js';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The request again, as a curl command; redacted values become placeholders to fill in. */
export function curlFor(r: InspectedRequest, appHeaders?: Record<string, unknown>): string {
  const url = `${r.scheme}://${r.host || 'localhost:8080'}${r.path}${r.query ? `?${r.query}` : ''}`;
  const parts = ['curl', '-i'];
  const hasForm = r.form && Object.keys(r.form).length > 0;
  if (r.method !== 'GET' && !(r.method === 'POST' && hasForm)) parts.push('-X', r.method);
  parts.push(shellQuote(url.replace(/\[redacted\]/g, 'REDACTED')));
  for (const [name, value] of r.browserHeaders) {
    if (/^(accept|content-type|origin|x-request-id)$/i.test(name)) parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  const cookieNames = fieldText(appHeaders?.Cookie ?? appHeaders?.cookie)
    .split(';')
    .map((p) => p.split('=')[0]!.trim())
    .filter(Boolean);
  if (cookieNames.length) parts.push('-b', shellQuote(cookieNames.map((c) => `${c}=REDACTED`).join('; ')));
  if (hasForm) {
    for (const [k, v] of Object.entries(r.form!)) parts.push('--data-urlencode', shellQuote(`${k}=${fieldText(v) === REDACTED ? 'REDACTED' : fieldText(v)}`));
  }
  return parts.join(' ');
}
