// The targets the bench reports against. Falling short is reported, never an error: the exit status
// says whether the bench ran, not whether this machine is fast.
import type { BenchResult, Goal } from './results.js';

export function judgeGoals(result: Omit<BenchResult, 'goals'>): Goal[] {
  const one = result.runs.find((r) => r.replicas === 1 && r.stack !== 'docker');
  const docker = result.runs.find((r) => r.stack === 'docker');
  const homeRps = (run: typeof one) => run?.steps.find((s) => s.id === 'home_nginx')?.rps;
  const dockerHome = homeRps(docker);
  const nativeHome = homeRps(one);
  const tableDockerRatio = dockerHome !== undefined && nativeHome ? dockerHome / nativeHome : null;
  const home = one?.steps.find((s) => s.id === 'home_nginx');
  const goal = (name: string, target: string, value: number | null | undefined, ok: (v: number) => boolean, show: (v: number) => string): Goal =>
    value === null || value === undefined
      ? { name, target, value: 'n/a', status: 'n/a' }
      : { name, target, value: show(value), status: ok(value) ? 'pass' : 'short' };
  const loop = one?.eventLoopDuringLogin;
  // The ratios from the paired rounds when the run has them (paired-rounds.ts): the two sides measured in turn.
  const proxy = result.paired?.find((p) => p.id === 'proxy');
  const php = result.paired?.find((p) => p.id === 'account_php');
  const dockerPair = result.paired?.find((p) => p.id === 'docker');
  return [
    goal('proxy ratio on GET /', '≥ 0.95', proxy ? proxy.rpsRatio : one?.proxyRatio, (v) => v >= 0.95, (v) => v.toFixed(2)),
    goal(`p99 of GET / at ${result.settings.connections} connections`, '≤ 25 ms', proxy ? proxy.aMedianP99Ms : home?.p99Ms, (v) => v <= 25, (v) => `${v.toFixed(1)} ms`),
    goal('p99 of GET / via nginx ÷ straight to the app', '≤ 2.0', proxy ? proxy.p99Ratio : one?.p99Ratio, (v) => v <= 2, (v) => `${v.toFixed(1)}×`),
    goal('logins/s ÷ bcrypt ceiling', '≥ 0.95', one?.loginVsCeiling, (v) => v >= 0.95, (v) => v.toFixed(2)),
    goal('GET /account ÷ the same page in PHP-FPM', '≥ 2.0', php ? php.rpsRatio : one?.accountVsPhp, (v) => v >= 2, (v) => `${v.toFixed(2)}×`),
    goal('event-loop delay p99 during logins', '≤ 50 ms', loop ? loop.p99Ms : null, (v) => v <= 50, (v) => `${v.toFixed(1)} ms`),
    goal('GET /account req/s, TRACE_SQL on ÷ off', '≥ 0.97', result.traceCost?.ratio, (v) => v >= 0.97, (v) => v.toFixed(3)),
    goal('GET / req/s, Docker ÷ native', '≥ 0.80', dockerPair ? dockerPair.rpsRatio : tableDockerRatio, (v) => v >= 0.8, (v) => `${v.toFixed(2)}×`),
    goal('whole native stack RSS, idle', '≤ 300 MB', one?.memoryMb.idle.total, (v) => v <= 300, (v) => `${Math.round(v)} MB`),
  ];
}
