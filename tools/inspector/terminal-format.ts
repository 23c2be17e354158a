// How `make inspect` prints requests: one line per request, or one request in full, hop by hop.
// Colour only on a terminal (lib/terminal.ts decides).
import { bold, dim, green, red, yellow } from '../lib/terminal.js';
import type { BelowTheApp, InspectedRequest, RequestSummary, TimePart } from './records.js';

export function formatSummary(r: RequestSummary): string {
  const time = (r.time.split('T')[1] ?? r.time).slice(0, 8);
  const where = r.query ? `${r.path}?${r.query}` : r.path;
  const status = paintStatus(r.status, String(r.status));
  const total = `${r.totalMs.toFixed(1)} ms`.padStart(9);
  const upstream = r.answeredBy === 'nginx' ? dim('nginx only'.padEnd(13)) : `app ${`${(r.upstreamMs ?? 0).toFixed(1)} ms`.padStart(9)}`;
  const sql = r.statements === undefined ? dim('-'.padStart(3)) : String(r.statements).padStart(3);
  return `${dim(time)} ${r.method.padEnd(6)} ${clip(where, 34).padEnd(34)} ${status} ${total}  ${upstream}  ${sql}  ${dim(r.id)}`;
}

export const HEADER = `${'TIME'.padEnd(8)} ${'METHOD'.padEnd(6)} ${'PATH'.padEnd(34)} ${'CODE'} ${'TOTAL'.padStart(9)}  ${'UPSTREAM'.padEnd(13)}  SQL  REQUEST ID`;

function paintStatus(status: number, text: string): string {
  if (status >= 500) return red(text);
  if (status >= 400) return yellow(text);
  if (status >= 200 && status < 300) return green(text);
  return text;
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

const MARK: Record<string, string> = { same: ' ', added: '+', changed: '~', removed: '-', passed: ' ' };

/** One request in full: the hops and where the time went. */
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

  if (r.answeredBy === 'app') {
    line();
    formatBelow(r.below, line);
  }

  line();
  line(bold('④ response') + dim('   (from the app, then what nginx added on the way out)'));
  for (const h of r.response) {
    line(`    ${h.from === 'nginx' ? yellow('nginx') : dim('app  ')} ${h.name}: ${h.value}`);
    if (h.why && h.name.toLowerCase() === 'set-cookie') line(dim(`          ${h.why}`));
  }
  line(`    ${dim(`${r.sizes.responseBytes} bytes sent to the browser${r.sizes.fromAppBytes !== undefined ? `, ${r.sizes.fromAppBytes} received from the app` : ''}`)}`);

  line();
  line(bold('⑤ where the time went') + `   total ${bold(`${r.timing.totalMs.toFixed(1)} ms`)}`);
  const t = r.timing;
  const widest = Math.max(...t.split.map((p) => p.ms), 0.001);
  for (const p of t.split) {
    // One bar per part, scaled to the largest, so a 200 ms bcrypt call beside 2 ms of SQL is plain to see.
    const bar = '█'.repeat(Math.round((p.ms / widest) * 30)) || (p.ms > 0 ? '▏' : '');
    line(`    ${`${p.ms.toFixed(1)} ms`.padStart(9)}  ${PAINT[p.part](bar.padEnd(30))}  ${p.label}`);
  }
  if (t.upstreamMs !== undefined) {
    line(dim(`    (nginx's own clock: connect ${(t.connectMs ?? 0).toFixed(1)} ms, headers after ${(t.headerMs ?? 0).toFixed(1)} ms, whole answer after ${t.upstreamMs.toFixed(1)} ms${t.appMs !== undefined ? `; the app measured ${t.appMs} ms inside itself` : ''})`));
  }
  line();
  line(`${dim('copy as curl:')} ${r.curl}`);
  return out.join('\n');
}

const PAINT: Record<TimePart['part'], (text: string) => string> = { nginx: yellow, app: green, database: red, bcrypt: bold, rest: dim };

/** The third hop: the SQL statements the app ran for this request, and its bcrypt calls. */
function formatBelow(below: BelowTheApp | undefined, line: (text?: string) => void): void {
  if (!below) {
    line(bold('③ app → database') + dim('   not recorded (TRACE_SQL=false in .env, or an app that does not record it)'));
    return;
  }
  const { sql, bcrypt } = below;
  line(
    bold('③ app → database') +
      dim(`   ${sql.count} SQL statement${sql.count === 1 ? '' : 's'}, ${sql.ms.toFixed(1)} ms (as the app wrote them: each ? is a value sent apart, never logged)`),
  );
  for (const s of sql.statements) {
    const result = s.error ? `error ${s.error}` : s.rows !== undefined ? `${s.rows} row${s.rows === 1 ? '' : 's'}` : `${s.affected ?? 0} changed`;
    line(`    ${`${s.ms.toFixed(1)} ms`.padStart(9)}  ${dim(`conn ${s.conn ?? '?'}`.padEnd(9))} ${(s.error ? red : String)(result.padEnd(10))} ${s.sql}`);
  }
  if (sql.count > sql.statements.length) line(yellow(`    … and ${sql.count - sql.statements.length} more (the app keeps the first ${sql.statements.length} of a request)`));
  if (bcrypt.count > 0) {
    line(`    ${dim('bcrypt:')} ${bcrypt.calls.map((c) => `${c.op} (cost ${c.cost}) ${c.ms.toFixed(1)} ms`).join(', ')}${dim('   on the thread pool: slow on purpose')}`);
  }
}
