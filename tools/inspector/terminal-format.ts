// How `make inspect` prints requests: one line per request, or one request in full, hop by hop.
// Colour only on a terminal (lib/terminal.ts decides).
import { bold, dim, green, red, yellow } from '../lib/terminal.js';
import type { InspectedRequest, RequestSummary } from './records.js';

export function formatSummary(r: RequestSummary): string {
  const time = (r.time.split('T')[1] ?? r.time).slice(0, 8);
  const where = r.query ? `${r.path}?${r.query}` : r.path;
  const status = paintStatus(r.status, String(r.status));
  const total = `${r.totalMs.toFixed(1)} ms`.padStart(9);
  const upstream = r.answeredBy === 'nginx' ? dim('nginx only'.padEnd(13)) : `app ${`${(r.upstreamMs ?? 0).toFixed(1)} ms`.padStart(9)}`;
  return `${dim(time)} ${r.method.padEnd(6)} ${clip(where, 34).padEnd(34)} ${status} ${total}  ${upstream}  ${dim(r.id)}`;
}

export const HEADER = `${'TIME'.padEnd(8)} ${'METHOD'.padEnd(6)} ${'PATH'.padEnd(34)} ${'CODE'} ${'TOTAL'.padStart(9)}  ${'UPSTREAM'.padEnd(13)}  REQUEST ID`;

function paintStatus(status: number, text: string): string {
  if (status >= 500) return red(text);
  if (status >= 400) return yellow(text);
  if (status >= 200 && status < 300) return green(text);
  return text;
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

const MARK: Record<string, string> = { same: ' ', added: '+', changed: '~', removed: '-', passed: ' ' };

/** One request in full: the three hops and where the time went. */
export function formatDetail(r: InspectedRequest): string {
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  line(`${bold(`${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`)}  →  ${paintStatus(r.status, String(r.status))}   ${dim(r.id)}`);
  line(`${dim('time')} ${r.time}   ${dim('client')} ${r.client}   ${dim('protocol')} ${r.protocol}`);
  line(
    r.answeredBy === 'app'
      ? `${dim('answered by')} the app${r.instance ? ` (instance ${r.instance}${r.upstreamAddr ? ` at ${r.upstreamAddr}` : ''})` : ''}${r.userId ? `, signed in as user ${r.userId}` : ''}`
      : `${dim('answered by')} ${yellow('nginx itself')}: ${r.nginxReason}`,
  );

  line();
  line(bold('① browser → nginx') + dim("   (the headers nginx's log records; nginx does not log the others)"));
  line(`    ${r.transport.tls ? green('🔒 ') : yellow('⚠ ')}${r.transport.browserToNginx}`);
  for (const [name, value] of r.browserHeaders) line(`    ${name}: ${value}`);
  line(`    ${dim(`${r.sizes.requestBytes} bytes (request line, headers and body)`)}`);

  line();
  if (r.answeredBy === 'app') {
    line(bold('② nginx → app') + dim('   (the headers the app received: + added, ~ changed, - removed by nginx)'));
    line(dim(`    ${r.transport.nginxToApp}`));
    for (const h of r.hop) {
      const value = h.change === 'removed' ? h.browser : h.app;
      const text = `  ${MARK[h.change]} ${h.name}: ${value}`;
      const shown = h.change === 'same' || h.change === 'passed' ? text : yellow(text);
      line(shown);
      if (h.change === 'changed') line(dim(`      browser sent: ${h.browser}`));
      if (h.setByNginx && h.why) line(dim(`      ${h.why}`));
    }
    if (r.form) line(`    ${dim('form:')} ${Object.entries(r.form).map(([k, v]) => `${k}=${String(v)}`).join('  ')}`);
    for (const e of r.events) line(`    ${dim('app event:')} ${String(e.event)} ${dim(JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => !['time', 'level', 'event', 'requestId', 'instance'].includes(k)))))}`);
  } else {
    line(bold('② nginx → app') + dim('   none: ') + (r.nginxReason ?? ''));
  }

  line();
  line(bold('③ response') + dim('   (from the app, then what nginx added on the way out)'));
  for (const h of r.response) {
    line(`    ${h.from === 'nginx' ? yellow('nginx') : dim('app  ')} ${h.name}: ${h.value}`);
    if (h.why && h.name.toLowerCase() === 'set-cookie') line(dim(`          ${h.why}`));
  }
  line(`    ${dim(`${r.sizes.responseBytes} bytes sent to the browser${r.sizes.fromAppBytes !== undefined ? `, ${r.sizes.fromAppBytes} received from the app` : ''}`)}`);

  line();
  line(bold('④ where the time went'));
  const t = r.timing;
  if (t.upstreamMs === undefined) {
    line(`    ${t.totalMs.toFixed(1)} ms, all in nginx`);
  } else {
    const parts = [
      `nginx ${t.nginxMs.toFixed(1)} ms (reading the request, sending the answer)`,
      `connect to the app ${(t.connectMs ?? 0).toFixed(1)} ms`,
      `app until its headers ${((t.headerMs ?? 0) - (t.connectMs ?? 0)).toFixed(1)} ms${t.appMs !== undefined ? ` (the app measured ${t.appMs} ms inside itself)` : ''}`,
      `rest of the app's body ${(t.upstreamMs - (t.headerMs ?? 0)).toFixed(1)} ms`,
    ];
    line(`    total ${bold(`${t.totalMs.toFixed(1)} ms`)} = ${parts.join('\n      + ')}`);
  }
  line();
  line(`${dim('copy as curl:')} ${r.curl}`);
  return out.join('\n');
}

