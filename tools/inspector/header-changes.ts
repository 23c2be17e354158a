// How nginx changed the headers on each hop: the request headers the app received compared with what
// the browser sent (nginx's log records the browser's side), and who set each response header.
import { redactHeader } from '../../app/src/security/redact.js';
import { fieldText, type JsonLine } from '../lib/json-lines.js';
import { COOKIE_FLAGS, LOGGED_REQUEST_HEADERS, addedResponseHeaders, proxySetHeaders } from './nginx-rules.js';
import type { HeaderChange, HeaderRow, ResponseHeaderRow } from './records.js';

/** nginx → app: each header the app received, compared with what the browser sent. */
export function compareHeaders(n: JsonLine, appHeaders: Record<string, unknown>): HeaderRow[] {
  const rules = proxySetHeaders();
  const browser = new Map<string, { name: string; value: string }>();
  for (const [field, header] of LOGGED_REQUEST_HEADERS) {
    if (field in n) browser.set(header.toLowerCase(), { name: header, value: fieldText(n[field]) });
  }
  const rows: HeaderRow[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of Object.entries(appHeaders)) {
    const key = name.toLowerCase();
    seen.add(key);
    const value = redactHeader(key, fieldText(raw)); // the app redacted already; twice is harmless
    const rule = rules.get(key);
    const sent = browser.get(key);
    const known = sent !== undefined && !(key === 'cookie' || key === 'authorization');
    let change: HeaderChange;
    if (key === 'cookie' || key === 'authorization') change = 'passed'; // values are not in nginx's log
    else if (!known) change = rule ? 'added' : 'passed';
    else if (sent.value === '') change = 'added';
    else change = sent.value === value ? 'same' : 'changed';
    rows.push({
      name,
      browser: known && sent.value !== '' ? sent.value : sent?.value === 'present' ? '(sent; nginx logs no values)' : undefined,
      app: value,
      change,
      setByNginx: !!rule,
      // Headers without a note were passed on unchanged (nginx's log does not record them all).
      why: rule ? rule.why : key === 'cookie' || key === 'authorization' ? 'passed on unchanged; values redacted here and in both logs' : undefined,
    });
  }
  // Sent by the browser but not passed on: nginx removed it (Connection), or set it to "".
  for (const [key, sent] of browser) {
    if (seen.has(key) || sent.value === '') continue;
    const rule = rules.get(key);
    rows.push({ name: sent.name, browser: sent.value, change: 'removed', setByNginx: !!rule, why: rule?.why ?? 'not passed on by nginx' });
  }
  return rows;
}

export function responseHeaders(n: JsonLine, app: JsonLine | undefined): ResponseHeaderRow[] {
  const rows: ResponseHeaderRow[] = [];
  const fromApp = app?.responseHeaders && typeof app.responseHeaders === 'object' ? (app.responseHeaders as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(fromApp)) {
    for (const one of ([] as unknown[]).concat(value)) {
      const text = redactHeader(name, fieldText(one));
      rows.push({ name, value: text, from: 'app', why: name.toLowerCase() === 'set-cookie' ? cookieFlags(text) : undefined });
    }
  }
  const has = (name: string) => rows.some((r) => r.name.toLowerCase() === name.toLowerCase());
  // What nginx itself sent (as its log records them), when the app did not set them.
  const nginxSent: [string, string, string][] = [
    ['Content-Type', 'resp_content_type', app ? '' : 'from nginx (mime.types for files, its own error pages)'],
    ['Content-Length', 'resp_content_length', ''],
    ['Content-Encoding', 'resp_content_encoding', 'nginx compressed the body on the way out (gzip on)'],
    ['Location', 'resp_location', ''],
    ['Cache-Control', 'resp_cache_control', 'from nginx (expires in the static locations)'],
  ];
  for (const [name, field, why] of nginxSent) {
    if (fieldText(n[field]) !== '' && !has(name)) rows.push({ name, value: fieldText(n[field]), from: 'nginx', why: why || undefined });
  }
  for (const name of addedResponseHeaders()) {
    if (!has(name)) {
      rows.push({
        name,
        value: name.toLowerCase() === 'x-request-id' ? fieldText(n.request_id) : '(see nginx/snippets/response-headers.conf)',
        from: 'nginx',
        why: 'added by nginx to every answer (add_header … always)',
      });
    }
  }
  return rows;
}

/** "stacklab.sid=[redacted]; path=/; httponly" → what each flag means. */
function cookieFlags(setCookie: string): string {
  const flags = setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim())
    .filter(Boolean)
    .map((a) => {
      const key = a.split('=')[0]!.toLowerCase();
      return COOKIE_FLAGS[key] ? `${a}: ${COOKIE_FLAGS[key]}` : a;
    });
  if (!flags.some((f) => /^httponly/i.test(f))) flags.push('no HttpOnly: page scripts can read this cookie');
  return flags.join('; ');
}
