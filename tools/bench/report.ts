// The one table the bench prints, with the change since the previous run, and the goals under it.
import { bold, dim, green, yellow } from '../lib/terminal.js';
import type { BenchResult } from './results.js';

export function formatReport(result: BenchResult, previous: BenchResult | undefined): string {
  // With the Docker stack measured too (make bench STACK=docker), each of its rows says how it
  // compares with the same row of the native stack in this run.
  const native = result.runs.find((r) => r.replicas === 1 && r.stack !== 'docker');
  const withDocker = result.runs.some((r) => r.stack === 'docker');
  const header = ['app', 'measurement', 'req/s', 'p50', 'p99', 'errors', 'busy cores gen/nginx/app/db', 'vs last', ...(withDocker ? ['docker ÷ native'] : [])];
  const rows: string[][] = [];
  for (const run of result.runs) {
    const before = previous?.runs.find((r) => r.replicas === run.replicas && r.stack === run.stack);
    const name = `${run.stack === 'docker' ? 'docker ' : ''}${run.replicas}×`;
    for (const s of run.steps) {
      const old = before?.steps.find((p) => p.id === s.id);
      const mine = run.stack === 'docker' ? native?.steps.find((p) => p.id === s.id) : undefined;
      const b = s.busyCores;
      rows.push([
        name,
        s.label,
        s.rps >= 100 ? Math.round(s.rps).toString() : s.rps.toFixed(1),
        ms(s.p50Ms),
        ms(s.p99Ms),
        String(s.errors),
        [b.generator, b.nginx, b.app, b.mysql].map((n) => n.toFixed(1)).join(' / '),
        old ? change(s.rps, old.rps) : '',
        ...(withDocker ? [mine ? `${(s.rps / mine.rps).toFixed(2)}×` : ''] : []),
      ]);
    }
    const m = run.memoryMb;
    const mem = (f: typeof m.idle) => `nginx ${mb(f.nginx)} + app ${mb(f.app)} + db ${mb(f.mysql)} = ${mb(f.total)} MB`;
    const note = (text: string, last = '') => rows.push([name, text, '', '', '', '', '', last, ...(withDocker ? [''] : [])]);
    note(`memory (RSS) idle: ${mem(m.idle)}`, before ? change(m.idle.total, before.memoryMb.idle.total) : '');
    note(`memory (RSS) at peak load: ${mem(m.load)}`);
    note(`${run.stack === 'docker' ? 'docker compose up, fresh volumes' : 'make up, warm'} → healthy: ${run.upS.toFixed(1)} s; answering: ${run.instancesSeen.join(', ')}`);
  }

  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r[2] !== '').map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells[2] === '' && cells[3] === '' // a note row: the text runs across the number columns
      ? `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]}${cells[7] ? `  (${cells[7]})` : ''}`
      : cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [bold(line(header)), dim('-'.repeat(widths.reduce((a, w) => a + w + 2, -2)))];
  let lastReplicas = '';
  for (const row of rows) {
    if (lastReplicas && row[0] !== lastReplicas) out.push('');
    lastReplicas = row[0]!;
    out.push(line(row));
  }

  const bc = result.bcrypt;
  out.push(
    '',
    `bcrypt at cost ${bc.cost}: ${(bc.secondsPerHash * 1000).toFixed(0)} ms per hash, ${bc.parallelism} at a time → ceiling ${bc.ceilingPerS.toFixed(1)} logins/s` +
      ` (hashing side by side here reached ${bc.measuredPerS.toFixed(1)}/s)`,
  );
  for (const run of result.runs) {
    const loop = run.eventLoopDuringLogin;
    out.push(
      `${run.stack === 'docker' ? 'docker ' : ''}${run.replicas}× app: logins reached ${fmt(run.loginVsCeiling)} of the ceiling; event-loop delay during logins: ` +
        (loop ? `p50 ${ms(loop.p50Ms)}, p99 ${ms(loop.p99Ms)}, max ${ms(loop.maxMs)}` : 'n/a (the app logged no process_metrics line on SIGUSR2)') +
        (run.proxyRatio !== null ? `; proxy ratio on GET / ${run.proxyRatio.toFixed(2)}` : '') +
        (typeof run.p99Ratio === 'number' ? `, its p99 via nginx ÷ direct ${run.p99Ratio.toFixed(1)}×` : '') +
        (typeof run.accountP99Ratio === 'number' ? ` (GET /account: ${run.accountP99Ratio.toFixed(1)}×)` : '') +
        (typeof run.accountVsPhp === 'number' ? `; GET /account ÷ PHP-FPM ${run.accountVsPhp.toFixed(2)}×` : '') +
        (run.httpsRatio ? `; HTTPS on GET / at ${run.httpsRatio.toFixed(2)} of plain HTTP's rate` : ''),
    );
  }
  const trace = result.traceCost;
  if (trace) {
    const list = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
    out.push(`1× app: GET /account req/s with TRACE_SQL=true: ${list(trace.onRps)}; false: ${list(trace.offRps)} → on ÷ off ${trace.ratio === null ? 'n/a' : trace.ratio.toFixed(3)} (medians)`);
  }
  for (const pair of result.paired ?? []) {
    const list = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
    out.push(
      `${pair.id.startsWith('docker') ? 'docker ' : ''}1× app, paired (${pair.rounds} ${pair.rounds === 1 ? 'round' : 'rounds'} in turn): ${pair.label}: req/s ${list(pair.a.rps)} ÷ ${list(pair.b.rps)} → ${pair.rpsRatio === null ? 'n/a' : pair.rpsRatio.toFixed(2)}` +
        (pair.id === 'proxy' && pair.p99Ratio !== null ? `; p99 ${list(pair.a.p99Ms)} ÷ ${list(pair.b.p99Ms)} ms → ${pair.p99Ratio.toFixed(1)}×` : '') +
        // The pair by nginx's container address only explains the Docker goal's figure.
        (pair.id === 'docker_container' ? ' (medians)' : ' (medians; the goals use these)'),
    );
  }
  const published = result.paired?.find((p) => p.id === 'docker')?.rpsRatio;
  const container = result.paired?.find((p) => p.id === 'docker_container')?.rpsRatio;
  if (published && container) {
    out.push(`docker: through the published port, GET / reached ${(published / container).toFixed(2)} of its rate by nginx's container address: the rest is the published port's cost (docs/performance.md, "Docker or native?")`);
  }
  for (const s of result.skipped) out.push(yellow(`${s.replicas}× app: not measured: ${s.reason}`));
  out.push('', bold('Goals'));
  for (const g of result.goals) {
    const status = g.status === 'pass' ? green('pass') : g.status === 'short' ? yellow('short') : dim('n/a');
    out.push(`  ${status.padEnd(5)}  ${g.name}: ${g.value} (goal ${g.target})`);
  }
  out.push(
    dim(`Load from ${result.generator}${result.generator === 'wrk' ? ` (${result.settings.threads} threads)` : ' (in the bench\'s own process)'}, ${result.settings.connections} connections ` +
      `(${result.settings.authConnections} for sign-in and registration), ${result.settings.durationS} s per step ` +
      `(${result.settings.authDurationS} s for sign-in and registration) after ` +
      `${result.settings.warmupS} s of warm-up, on ${result.machine.cores} cores shared with the stack.`),
  );
  const load = result.machine.loadAverage1m;
  if (load > result.machine.cores) {
    out.push(yellow(`The machine was busy when the bench started (load average ${load.toFixed(1)} on ${result.machine.cores} cores): run it again on a quiet machine before judging the figures.`));
  }
  return out.join('\n');
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const mb = (v: number) => Math.round(v).toString();
const fmt = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
function change(now: number, before: number): string {
  if (!before) return '';
  const pct = ((now - before) / before) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(0)}%`;
}
