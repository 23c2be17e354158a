// `make bench TAIL=1`: where does the p99 of GET / through nginx come from? One throwaway stack (one
// app, one database), and beside its nginx one more nginx per experiment (tail-variants.ts), each the
// stack's own configuration with one change, on its own port, all in front of the same app. Then
// rounds: in each round every variant gets the same load in turn (rotated, so none is always first),
// and each figure is the median over the rounds. Side by side in one run, a change is compared
// with the baseline under the same machine load, which is what makes a 10 % difference visible on a
// noisy machine. Explained in docs/performance.md.
//
// Settings (environment): BENCH_TAIL_ROUNDS (default 5), BENCH_TAIL_SECONDS (per run, default 8),
// BENCH_TAIL_ONLY=workers-1,gzip-off (some experiments only), BENCH_SHORT=1 (1 round of 2 s).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { NginxService } from '../runners/native/nginx-service.js';
import type { BenchStack } from './bench-stack.js';
import { cpuSeconds } from './proc.js';
import { median, type Generator, type LoadResult } from './load-plan.js';
import { pickVariants, roundOrder, type TailVariant } from './tail-variants.js';
import { startVariantNginx } from './variant-nginx.js';

export type TailRun = LoadResult & { busyNginx: number; busyApp: number; upstreamClosedPerS: number | null };
export type TailFigures = {
  id: string;
  change: string;
  runs: TailRun[];
  /** Medians over the rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  busyNginx: number;
  busyApp: number;
  /** Connections to the app closed per second (new TIME-WAIT sockets): connections not reused. */
  upstreamClosedPerS: number | null;
};
export type TailResult = {
  kind: 'tail-experiments';
  startedAt: string;
  finishedAt: string;
  /** The machine's 1-minute load average at the start and at the end (other work skews figures). */
  loadAverage: { start: number; end: number };
  cores: number;
  settings: { rounds: number; durationS: number; connections: number; threads: number };
  variants: TailFigures[];
};

type Live = { variant: TailVariant; baseUrl: string; nginx?: NginxService };

export async function runTailExperiments(
  bench: BenchStack,
  generator: Generator,
  options: { short: boolean; say: (line: string) => void },
): Promise<TailResult> {
  const { say } = options;
  const rounds = options.short ? 1 : positive('BENCH_TAIL_ROUNDS', 5);
  const durationS = options.short ? 2 : positive('BENCH_TAIL_SECONDS', 8);
  const connections = 64;
  const threads = 2;
  const cores = os.availableParallelism();
  const variants = pickVariants(process.env.BENCH_TAIL_ONLY).filter((v) => !(v.pin && cores < 2));
  const startedAt = new Date();
  const loadStart = os.loadavg()[0] ?? 0;
  const live: Live[] = [];
  const appPort = bench.stack.settings.ports.app;
  const appUrl = `http://127.0.0.1:${appPort}`;
  try {
    for (const variant of variants) {
      if (variant.direct) {
        live.push({ variant, baseUrl: appUrl });
        continue;
      }
      const nginx = await startVariantNginx(bench, variant.id, variant.edit);
      live.push({ variant, nginx, baseUrl: `http://127.0.0.1:${nginx.port}` });
    }
    say(`${live.length} variants, ${rounds} round(s) of ${durationS} s each: about ${Math.ceil((live.length * rounds * (durationS + 1) + live.length * 3) / 60)} minutes.`);
    const plan = (l: Live, seconds: number) => ({
      baseUrl: l.baseUrl,
      requests: [{ method: 'GET' as const, path: '/', headers: { 'Accept-Encoding': 'gzip', 'User-Agent': 'stacklab-bench' } }],
      connections,
      threads: l.variant.threads ?? threads,
      durationS: seconds,
      timeoutS: 10,
    });
    for (const l of live) await withPlacement(bench, l, () => generator.run(plan(l, options.short ? 1 : 3))); // warm-up
    const runs = new Map<string, TailRun[]>(live.map((l) => [l.variant.id, []]));
    for (let round = 0; round < rounds; round++) {
      say(`  round ${round + 1} of ${rounds} (load average ${(os.loadavg()[0] ?? 0).toFixed(1)})…`);
      for (const l of roundOrder(live, round, rounds)) {
        const pids = { nginx: l.nginx ? [l.nginx.pid()!] : [], app: [bench.stack.app.pid()!], mysql: [] };
        const result = await withPlacement(bench, l, async () => {
          const before = cpuSeconds(pids);
          const closedBefore = timeWaitTo(appPort);
          const r = await generator.run(plan(l, durationS));
          const after = cpuSeconds(pids);
          const closed = timeWaitTo(appPort);
          return {
            ...r,
            busyNginx: (after.nginx - before.nginx) / r.durationS,
            busyApp: (after.app - before.app) / r.durationS,
            upstreamClosedPerS: closed === null || closedBefore === null ? null : Math.max(0, closed - closedBefore) / r.durationS,
          };
        });
        runs.get(l.variant.id)!.push(result);
      }
    }
    return {
      kind: 'tail-experiments',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      loadAverage: { start: loadStart, end: os.loadavg()[0] ?? 0 },
      cores,
      settings: { rounds, durationS, connections, threads },
      variants: live.map(({ variant }) => {
        const r = runs.get(variant.id)!;
        const m = (pick: (x: TailRun) => number) => median(r.map(pick));
        return {
          id: variant.id,
          change: variant.change,
          runs: r,
          rps: m((x) => x.rps),
          p50Ms: m((x) => x.p50Ms),
          p99Ms: m((x) => x.p99Ms),
          errors: r.reduce((sum, x) => sum + x.errors, 0),
          busyNginx: m((x) => x.busyNginx),
          busyApp: m((x) => x.busyApp),
          upstreamClosedPerS: r.some((x) => x.upstreamClosedPerS === null) ? null : m((x) => x.upstreamClosedPerS!),
        };
      }),
    };
  } finally {
    for (const l of live) await l.nginx?.stop();
  }
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/**
 * Runs `job` with the variant's CPU placement, then gives every process all cores again. taskset -a
 * moves every thread of a running process (the app's libuv threads too); nginx's master only
 * forks the workers, so the workers are what is moved.
 */
async function withPlacement<T>(bench: BenchStack, l: Live, job: () => Promise<T>): Promise<T> {
  const pin = l.variant.pin;
  if (!pin || !l.nginx) return job();
  const all = `0-${os.availableParallelism() - 1}`;
  const workers = childrenOf(l.nginx.pid()!);
  const app = bench.stack.app.pid()!;
  const place = (cpus: string, pid: number) => spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  for (const w of workers) place(pin.nginx, w);
  place(pin.app, app);
  try {
    return await job();
  } finally {
    for (const w of workers) place(all, w);
    place(all, app);
  }
}

/**
 * Sockets to the app in TIME-WAIT: the side that closes a TCP connection keeps it so for a minute,
 * so the increase over a run of a few seconds counts the connections closed in it. Through nginx
 * with keep-alive, each one is an upstream connection that was not kept for reuse. null without ss.
 */
function timeWaitTo(port: number): number | null {
  const out = spawnSync('ss', ['-Htan', 'state', 'time-wait', `( dport = :${port} or sport = :${port} )`], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.split('\n').filter((l) => l.trim()).length : null;
}

function childrenOf(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
}

/** The experiments' table: each variant's medians, and how they compare with the app alone. */
export function formatTail(result: TailResult): string {
  const direct = result.variants.find((v) => v.id === 'direct');
  const baseline = result.variants.find((v) => v.id === 'baseline');
  const header = ['experiment', 'req/s', 'p50', 'p99', '÷ direct p99', 'req/s ÷ direct', 'vs baseline p99', 'busy nginx/app', 'closed/s', 'errors', 'change'];
  const rows = result.variants.map((v) => [
    v.id,
    Math.round(v.rps).toString(),
    ms(v.p50Ms),
    ms(v.p99Ms),
    direct && !v.id.startsWith('direct') ? (v.p99Ms / direct.p99Ms).toFixed(1) + '×' : '',
    direct && v.id !== 'direct' ? (v.rps / direct.rps).toFixed(2) : '',
    baseline && v.id !== 'baseline' && v.id !== 'direct' ? pct(v.p99Ms, baseline.p99Ms) : '',
    `${v.busyNginx.toFixed(1)} / ${v.busyApp.toFixed(1)}`,
    v.upstreamClosedPerS === null ? '?' : Math.round(v.upstreamClosedPerS).toString(),
    String(v.errors),
    v.change,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const s = result.settings;
  return [
    line(header),
    '-'.repeat(widths.reduce((a, w) => a + w + 2, -2)),
    ...rows.map(line),
    '',
    `GET / at ${s.connections} connections, wrk -t${s.threads}, ${s.rounds} round(s) of ${s.durationS} s per experiment, medians; ` +
      `load average ${result.loadAverage.start.toFixed(1)} at the start, ${result.loadAverage.end.toFixed(1)} at the end, on ${result.cores} cores.\n` +
      'closed/s: connections to the app closed per second (not kept for reuse). busy: cores used by nginx and the app.',
  ].join('\n');
}

const ms = (v: number) => (v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const pct = (now: number, before: number) => (before ? `${now >= before ? '+' : ''}${(((now - before) / before) * 100).toFixed(0)}%` : '');
