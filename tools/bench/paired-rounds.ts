// The goals that compare two steps (what the proxy costs, GET /account against PHP-FPM, Docker
// against native) measured as pairs: the two sides in turn, A B, then B A, round after round, each
// side's figure the median of its runs. The table's steps run once each, one after another; on a
// machine whose speed drifts (a virtual machine sharing its host: here the same step measured a
// minute apart differed by 2×), two of them minutes apart compare the drift more than the two sides.
// Measured in turn, any drift hits both sides alike.
import type { BenchTarget } from './bench-stack.js';
import type { DockerBench } from './docker-bench-stack.js';
import { median, type LoadResult } from './load-plan.js';
import type { PairedRatio } from './results.js';
import type { RunSettings } from './run-steps.js';
import { requestsFor, STEPS, type Fixtures, type StepId } from './steps.js';

/** One side of a pair: a step, on the stack that answers it. */
type Side = { target: BenchTarget; fixtures: Fixtures; step: StepId };

/** The pairs measured on one stack, after its table. */
export async function measurePairs(target: BenchTarget, fixtures: Fixtures, settings: RunSettings, rounds: number): Promise<PairedRatio[]> {
  const on = (step: StepId): Side => ({ target, fixtures, step });
  const results = [await measurePair('proxy', 'GET / via nginx ÷ straight to the app', on('home_nginx'), on('home_direct'), settings, rounds)];
  if (settings.peer) results.push(await measurePair('account_php', 'GET /account ÷ the same page in PHP-FPM', on('account'), on('account_php'), settings, rounds));
  return results;
}

/**
 * GET / through nginx on the Docker stack and on the native one, both running, in turn: through the
 * published port, as a browser comes (the goal), and, where the host can reach it, by nginx's
 * container address, which shows how much of the difference is the published port's.
 */
export async function measureDockerPairs(docker: DockerBench, native: BenchTarget, fixtures: Fixtures, settings: RunSettings, rounds: number): Promise<PairedRatio[]> {
  const nativeSide: Side = { target: native, fixtures, step: 'home_nginx' };
  const results = [await measurePair('docker', 'GET / via nginx, Docker ÷ native', { target: docker, fixtures, step: 'home_nginx' }, nativeSide, settings, rounds)];
  if (docker.containerNginxUrl) {
    const past = { ...docker, nginxUrl: docker.containerNginxUrl };
    results.push(await measurePair('docker_container', "GET / via nginx, Docker by nginx's container address (no published port) ÷ native", { target: past, fixtures, step: 'home_nginx' }, nativeSide, settings, rounds));
  }
  return results;
}

async function measurePair(id: PairedRatio['id'], label: string, sideA: Side, sideB: Side, settings: RunSettings, rounds: number): Promise<PairedRatio> {
  const runs: Record<'a' | 'b', LoadResult[]> = { a: [], b: [] };
  for (let round = 0; round < rounds; round++) {
    for (const key of round % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
      const { target, fixtures, step: stepId } = key === 'a' ? sideA : sideB;
      const step = STEPS.find((s) => s.id === stepId)!;
      const where = sideA.target === sideB.target ? '' : ` (${target.stack})`;
      settings.say(`  paired, round ${round + 1} of ${rounds}: ${step.label}${where}…`);
      const baseUrl = step.peer ? settings.peer!.url : step.direct ? target.appUrl : target.nginxUrl;
      const requests = await requestsFor(step, target.nginxUrl, fixtures, 1, 'paired');
      const run = (durationS: number) => settings.generator.run({ baseUrl, requests, connections: settings.connections, threads: settings.threads, durationS, timeoutS: 10 });
      await run(settings.warmupS); // warm-up: not counted
      runs[key].push(await run(settings.durationS));
    }
  }
  const figures = (rs: LoadResult[]) => ({ rps: rs.map((r) => r.rps), p99Ms: rs.map((r) => r.p99Ms) });
  const a = figures(runs.a);
  const b = figures(runs.b);
  return {
    id,
    label,
    rounds,
    a,
    b,
    rpsRatio: ratio(median(a.rps), median(b.rps)),
    p99Ratio: ratio(median(a.p99Ms), median(b.p99Ms)),
    aMedianP99Ms: median(a.p99Ms),
  };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
