// The goals that compare two steps (what the proxy costs, GET /account against PHP-FPM) measured as
// pairs: the two sides in turn, A B, then B A, round after round, each side's figure the median of
// its runs. The table's steps run once each, one after another; on a machine whose speed drifts (a
// virtual machine sharing its host: here the same step measured a minute apart differed by 2×), two
// of them minutes apart compare the drift more than the two sides. Measured in turn, any drift hits
// both sides alike.
import type { BenchTarget } from './bench-stack.js';
import { median, type LoadResult } from './load-plan.js';
import type { PairedRatio } from './results.js';
import type { RunSettings } from './run-steps.js';
import { requestsFor, STEPS, type Fixtures, type StepId } from './steps.js';

const PAIRS: { id: PairedRatio['id']; label: string; a: StepId; b: StepId }[] = [
  { id: 'proxy', label: 'GET / via nginx ÷ straight to the app', a: 'home_nginx', b: 'home_direct' },
  { id: 'account_php', label: 'GET /account ÷ the same page in PHP-FPM', a: 'account', b: 'account_php' },
];

export async function measurePairs(target: BenchTarget, fixtures: Fixtures, settings: RunSettings, rounds: number): Promise<PairedRatio[]> {
  const results: PairedRatio[] = [];
  for (const pair of PAIRS) {
    if (pair.b === 'account_php' && !settings.peer) continue;
    const runs: Record<'a' | 'b', LoadResult[]> = { a: [], b: [] };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
        const step = STEPS.find((s) => s.id === pair[side])!;
        settings.say(`  paired, round ${round + 1} of ${rounds}: ${step.label}…`);
        const baseUrl = step.peer ? settings.peer!.url : step.direct ? target.appUrl : target.nginxUrl;
        const requests = await requestsFor(step, target.nginxUrl, fixtures, 1, 'paired');
        const run = (durationS: number) => settings.generator.run({ baseUrl, requests, connections: settings.connections, threads: settings.threads, durationS, timeoutS: 10 });
        await run(settings.warmupS); // warm-up: not counted
        runs[side].push(await run(settings.durationS));
      }
    }
    const side = (rs: LoadResult[]) => ({ rps: rs.map((r) => r.rps), p99Ms: rs.map((r) => r.p99Ms) });
    const a = side(runs.a);
    const b = side(runs.b);
    results.push({
      id: pair.id,
      label: pair.label,
      rounds,
      a,
      b,
      rpsRatio: ratio(median(a.rps), median(b.rps)),
      p99Ratio: ratio(median(a.p99Ms), median(b.p99Ms)),
      aMedianP99Ms: median(a.p99Ms),
    });
  }
  return results;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
