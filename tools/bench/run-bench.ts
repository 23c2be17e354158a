// `make bench`: how fast is each layer? Starts a throwaway stack of its own (never the learner's),
// warms it up, measures one step after another, prints one table and writes the same figures as
// JSON (and a chart) to bench/results/. Explained in docs/performance.md.
//
// Settings (environment): BENCH_SHORT=1 (a few seconds per step), BENCH_REPLICAS=1,2 (app instances
// to measure), BENCH_BCRYPT_COST (default 12, the stack's default), BENCH_GENERATOR=wrk|node,
// BENCH_OUT_DIR (default bench/results), BENCH_DOCS=1 (also update the chart in docs/images/),
// BENCH_TAIL=1 (instead: the experiments on the tail through nginx, tail-experiments.ts),
// STACK=docker (then the Docker stack too, docker-bench-stack.ts, each row compared with native).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { repoPath } from '../lib/repo.js';
import { dim, red } from '../lib/terminal.js';
import { chartSvg } from './chart.js';
import { judgeGoals } from './goals.js';
import type { Generator } from './load-plan.js';
import { startDockerBench, type DockerBench } from './docker-bench-stack.js';
import { nodeLoop } from './node-loop.js';
import { startPhpPeer, type PhpPeer } from './php-peer.js';
import { formatReport } from './report.js';
import type { BenchResult, PairedRatio, ReplicaRun } from './results.js';
import { runReplica, type RunSettings } from './run-steps.js';
import { createBenchStack, nativeTarget, removeBenchStack, withReplicas, type BenchStack } from './bench-stack.js';
import { instancesSeen, prepareFixtures } from './steps.js';
import { measureDockerPairs, measurePairs } from './paired-rounds.js';
import { measureTraceCost } from './trace-cost.js';
import { formatTail, runTailExperiments } from './tail-experiments.js';
import { findWrk, running as runningWrk } from './wrk.js';

const yes = (value: string | undefined) => ['1', 'true', 'yes'].includes(value ?? '');
const short = yes(process.env.BENCH_SHORT);
const tail = yes(process.env.BENCH_TAIL);
const withDocker = process.env.STACK === 'docker';
const replicaCounts = (process.env.BENCH_REPLICAS || '1,2').split(',').map((n) => Number(n.trim()));
const bcryptCost = process.env.BENCH_BCRYPT_COST || '12';
const outDir = path.resolve(process.env.BENCH_OUT_DIR || repoPath('bench/results'));
const say = (line: string) => console.log(dim(line));

let bench: BenchStack | undefined;
let peer: PhpPeer | undefined;
let docker: DockerBench | undefined;
let cleaning: Promise<void> | undefined;
// Stops the stack and deletes its folder; runs once, on success, failure or Ctrl-C.
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const pid of runningWrk) {
      try {
        process.kill(pid, 'SIGTERM'); // a wrk of ours still running (interrupted mid-step)
      } catch {
        // it has just finished
      }
    }
    await peer?.stop().catch((err: unknown) => console.error('stopping the PHP peer failed:', err));
    docker?.down();
    if (!bench) return;
    await bench.stack.down().catch((err: unknown) => console.error('stopping the bench stack failed:', err));
    removeBenchStack(bench);
  })();
  return cleaning;
}

/** `make bench`: measures, prints the table, writes the figures; returns the exit code. */
export async function runBench(): Promise<number> {
  if (replicaCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 8) || replicaCounts[0] !== 1) {
    console.error('BENCH_REPLICAS must be a list of app instance counts from 1 to 8 starting with 1, e.g. 1,2');
    return 2;
  }
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanUp().then(() => process.exit(143)));
  try {
    await (tail ? mainTail() : main());
    await cleanUp();
    return 0;
  } catch (err) {
    await cleanUp();
    console.error(red(`The bench failed: ${err instanceof Error ? err.message : String(err)}`));
    return 1;
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const cores = os.availableParallelism();
  // Other work on the machine takes cores from the stack and the generator: say so up front. (The
  // 1-minute average lags: right after a previous bench it is still above 1, hence "more than cores".)
  const loadAverage1m = os.loadavg()[0] ?? 0;
  if (loadAverage1m > cores) say(`This machine is busy (load average ${loadAverage1m.toFixed(1)} on ${cores} cores): the figures will be lower than on a quiet one.`);
  say('Starting a throwaway stack for the bench (MariaDB, the app in production mode, nginx on free ports)…');
  bench = await createBenchStack(bcryptCost);
  const generator = pickGenerator(path.join(bench.stateDir, 'bench')); // wrk's scripts, deleted with the stack
  let t = performance.now();
  await bench.stack.up();
  const coldUpS = (performance.now() - t) / 1000;
  // The figure a learner feels every day: `make up` with the database already created.
  await bench.stack.down();
  t = performance.now();
  await bench.stack.up();
  let upS = (performance.now() - t) / 1000;

  const nginxUrl = `http://127.0.0.1:${bench.stack.settings.ports.http}`;
  const fixtures = await prepareFixtures(nginxUrl, Date.now().toString(36));
  peer = await startPhpPeer(bench, fixtures.username, say);
  if (peer) fixtures.phpCookie = peer.cookie;
  const bcrypt = await timeBcrypt(Number(bcryptCost), cores);
  say(`bcrypt at cost ${bcryptCost}: ${(bcrypt.secondsPerHash * 1000).toFixed(0)} ms per hash; load from ${generator.name}.`);

  const settings: RunSettings = {
    generator,
    threads: 2,
    connections: 64,
    // Two sign-ins per core that can hash keeps every one busy between requests; more connections
    // would only make each sign-in wait longer in the queue.
    authConnections: 2 * bcrypt.parallelism,
    durationS: short ? 2 : 10,
    // A sign-in takes a good part of a second: longer runs, so the few that are still in flight when
    // the run stops (and are not counted) matter less.
    authDurationS: short ? 4 : 20,
    warmupS: short ? 1 : 3,
    authPerS: bcrypt.ceilingPerS,
    peer,
    say,
  };
  const runs: ReplicaRun[] = [];
  const skipped: BenchResult['skipped'] = [];
  let traceCost: BenchResult['traceCost'];
  let paired: BenchResult['paired'];
  for (const replicas of replicaCounts) {
    if (replicas !== 1) {
      await bench.stack.down();
      // The PHP peer's nginx knows only the first stack's app; it has been measured (one instance only).
      await peer?.stop();
      peer = undefined;
      bench = await withReplicas(bench, replicas);
      t = performance.now();
      await bench.stack.up();
      upS = (performance.now() - t) / 1000;
    }
    const seen = await instancesSeen(nginxUrl, 4 * replicas);
    if (seen.length < replicas) {
      skipped.push({ replicas, reason: `only ${seen.join(', ')} answered: the runner does not start APP_REPLICAS=${replicas} instances behind nginx yet` });
      continue;
    }
    runs.push(await runReplica(nativeTarget(bench.stack), replicas, fixtures, settings, { instancesSeen: seen, upS }));
    if (replicas === 1) {
      paired = await measurePairs(nativeTarget(bench.stack), fixtures, settings, short ? 1 : 3);
      traceCost = await measureTraceCost(bench, fixtures, settings, short ? 1 : 3);
    }
  }
  if (withDocker) {
    const { run, pairs } = await runDocker(settings, short ? 1 : 3);
    runs.push(run);
    paired = [...(paired ?? []), ...pairs];
  }

  const partial: Omit<BenchResult, 'goals'> = {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    short,
    generator: generator.name,
    machine: { cores, loadAverage1m, cpu: os.cpus()[0]?.model.trim() ?? 'unknown', memoryMb: Math.round(os.totalmem() / 2 ** 20), node: process.version },
    settings: { threads: settings.threads, connections: settings.connections, authConnections: settings.authConnections, durationS: settings.durationS, authDurationS: settings.authDurationS, warmupS: settings.warmupS, nodeEnv: 'production' },
    bcrypt: { cost: Number(bcryptCost), ...bcrypt },
    coldUpS,
    runs,
    traceCost,
    paired,
    skipped,
  };
  const result: BenchResult = { ...partial, goals: judgeGoals(partial) };
  const previous = readPrevious();
  console.log(`\n${formatReport(result, previous)}\n`);
  writeResults(result, startedAt);
}

/** `make bench TAIL=1`: the experiments on the tail through nginx, printed and written as JSON. */
async function mainTail(): Promise<void> {
  say('Starting a throwaway stack for the tail experiments (MariaDB, the app in production mode, nginx on free ports)…');
  bench = await createBenchStack(bcryptCost);
  const generator = pickGenerator(path.join(bench.stateDir, 'bench'));
  await bench.stack.up();
  const result = await runTailExperiments(bench, generator, { short, say });
  console.log(`\n${formatTail(result)}\n`);
  mkdirSync(outDir, { recursive: true });
  const json = `${JSON.stringify({ ...result, generator: generator.name }, null, 2)}\n`;
  const file = path.join(outDir, `tail-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(path.join(outDir, 'tail-latest.json'), json);
  console.log(`Figures: ${path.relative(process.cwd(), file)} (and tail-latest.json)`);
}

/**
 * The same steps on the Docker stack, one app instance, after the native stack has stopped; then
 * GET / on both, in turn (the native stack started again), for the goal (paired-rounds.ts).
 */
async function runDocker(settings: RunSettings, rounds: number): Promise<{ run: ReplicaRun; pairs: PairedRatio[] }> {
  await peer?.stop();
  peer = undefined;
  await bench?.stack.down();
  docker = await startDockerBench(
    { BCRYPT_COST: bcryptCost, AUTH_RATE_PER_MINUTE: bench!.env.AUTH_RATE_PER_MINUTE!, AUTH_BURST: bench!.env.AUTH_BURST! },
    say,
  );
  const fixtures = await prepareFixtures(docker.nginxUrl, `d${Date.now().toString(36)}`);
  const seen = await instancesSeen(docker.nginxUrl, 4);
  const run = await runReplica(docker, 1, fixtures, { ...settings, peer: undefined }, { instancesSeen: seen, upS: docker.upS });
  // One native app instance, as on the Docker side (the last run may have had more).
  let native = bench!;
  if (native.env.APP_REPLICAS !== '1') bench = native = await withReplicas(native, 1);
  await native.stack.up();
  const pairs = await measureDockerPairs(docker, nativeTarget(native.stack), fixtures, { ...settings, peer: undefined }, rounds);
  await native.stack.down();
  docker.down();
  return { run, pairs };
}

function pickGenerator(tempDir: string): Generator {
  const wanted = process.env.BENCH_GENERATOR || 'auto';
  if (wanted === 'node') return nodeLoop;
  mkdirSync(tempDir, { recursive: true });
  const wrk = findWrk(tempDir);
  if (wrk) return wrk;
  if (wanted === 'wrk') throw new Error('BENCH_GENERATOR=wrk, but wrk is not installed (sudo apt-get install -y wrk).');
  say('wrk is not installed, so the load comes from a Node.js loop in this process, which may itself be the limit on');
  say('fast pages. For figures that measure the stack, not the generator: sudo apt-get install -y wrk');
  return nodeLoop;
}

/**
 * How long one bcrypt hash takes here, at the app's cost, with the app's own bcrypt module. The app
 * hashes on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), so at most
 * min(cores, 4) hashes run at once: that many ÷ seconds per hash is the most logins per second
 * this machine can do, however well the rest is tuned.
 */
async function timeBcrypt(cost: number, cores: number) {
  const bcrypt = createRequire(repoPath('app/package.json'))('bcrypt') as { hash(s: string, cost: number): Promise<string> };
  await bcrypt.hash('warm-up', cost);
  const rounds = 3;
  const t = performance.now();
  for (let i = 0; i < rounds; i++) await bcrypt.hash(`bench-${i}`, cost);
  const secondsPerHash = (performance.now() - t) / 1000 / rounds;
  const parallelism = Math.min(cores, Number(process.env.UV_THREADPOOL_SIZE) || 4);
  // The formula assumes every core hashes as fast as one alone. Virtual cores that share a physical
  // one (hyper-threads) do not, so the bench also times hashes run side by side, as the app runs them.
  const together = 2 * parallelism;
  const t2 = performance.now();
  await Promise.all(Array.from({ length: together }, (_, i) => bcrypt.hash(`side-by-side-${i}`, cost)));
  const measuredPerS = together / ((performance.now() - t2) / 1000);
  return { secondsPerHash, parallelism, ceilingPerS: parallelism / secondsPerHash, measuredPerS };
}

function readPrevious(): BenchResult | undefined {
  const latest = path.join(outDir, 'latest.json');
  if (!existsSync(latest)) return undefined;
  try {
    return JSON.parse(readFileSync(latest, 'utf8')) as BenchResult;
  } catch {
    return undefined; // a damaged file is no reason to fail the run
  }
}

function writeResults(result: BenchResult, startedAt: Date): void {
  mkdirSync(outDir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  writeFileSync(path.join(outDir, `${stamp}.json`), json);
  writeFileSync(path.join(outDir, 'latest.json'), json);
  const chart = path.join(outDir, 'latest.svg');
  writeFileSync(chart, chartSvg(result));
  if (process.env.BENCH_DOCS === '1') copyFileSync(chart, repoPath('docs/images/bench-latest.svg'));
  console.log(`Figures: ${path.relative(process.cwd(), path.join(outDir, `${stamp}.json`))} (and latest.json, latest.svg)`);
}
