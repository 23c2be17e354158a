// The figures of one bench run, as printed in the table and written to bench/results/*.json.
import type { LoadResult } from './load-plan.js';
import type { LayerFigures } from './proc.js';
import type { EventLoopDelay, StepId } from './steps.js';

/** Cores kept busy during a step (CPU seconds ÷ seconds): 1.0 is one core fully used. */
export type BusyCores = { generator: number; nginx: number; app: number; mysql: number };

export type StepResult = LoadResult & {
  id: StepId;
  label: string;
  url: string;
  connections: number;
  busyCores: BusyCores;
};

export type ReplicaRun = {
  replicas: number;
  /** 'docker' for the Docker stack (make bench STACK=docker); absent: the native stack. */
  stack?: 'docker';
  /** X-App-Instance values seen through nginx: one per replica when the upstream lists them all. */
  instancesSeen: string[];
  /** `make up` from warm (data folder exists, app compiled) to healthy, in seconds. */
  upS: number;
  steps: StepResult[];
  /** req/s of GET / through nginx ÷ straight to the app (one replica only). */
  proxyRatio: number | null;
  /** req/s of GET / through nginx over HTTPS ÷ over plain HTTP (one replica only): what TLS costs. */
  httpsRatio?: number | null;
  /** p99 of GET / through nginx ÷ straight to the app: what the hop does to the tail (one replica only). */
  p99Ratio?: number | null;
  /** The same for the signed-in GET /account. */
  accountP99Ratio?: number | null;
  /** req/s of the app's GET /account ÷ the same page in PHP-FPM (php-peer.ts); null without php-fpm. */
  accountVsPhp?: number | null;
  /** Logins per second ÷ the bcrypt ceiling. */
  loginVsCeiling: number | null;
  /** The app's event-loop delay during the login run (worst instance); null when the app cannot say. */
  eventLoopDuringLogin: EventLoopDelay | null;
  memoryMb: { idle: LayerFigures; load: LayerFigures };
};

/** GET /account req/s with the app recording each request's SQL (TRACE_SQL=true) and without, run by run. */
export type TraceCost = { rounds: number; onRps: number[]; offRps: number[]; /** median on ÷ median off */ ratio: number | null };

/** Two steps measured in turn, round after round (paired-rounds.ts): each run's figures, and the ratios of the medians. */
export type PairedRatio = {
  id: 'proxy' | 'account_php' | 'docker' | 'docker_container';
  label: string;
  rounds: number;
  a: { rps: number[]; p99Ms: number[] };
  b: { rps: number[]; p99Ms: number[] };
  rpsRatio: number | null;
  p99Ratio: number | null;
  /** The median p99 of side a (GET / via nginx for the proxy pair). */
  aMedianP99Ms: number;
};

export type Goal = { name: string; target: string; value: string; status: 'pass' | 'short' | 'n/a' };

export type BenchResult = {
  version: 1;
  startedAt: string;
  finishedAt: string;
  short: boolean;
  generator: string;
  /** loadAverage1m: the machine's load when the bench started; above the core count the figures are low. */
  machine: { cores: number; loadAverage1m: number; cpu: string; memoryMb: number; node: string };
  settings: { threads: number; connections: number; authConnections: number; durationS: number; authDurationS: number; warmupS: number; nodeEnv: string };
  /** ceilingPerS = parallelism ÷ secondsPerHash (the goal's yardstick); measuredPerS: hashes side by side. */
  bcrypt: { cost: number; secondsPerHash: number; parallelism: number; ceilingPerS: number; measuredPerS: number };
  /** The very first start (creates the database), for comparison with the warm start. */
  coldUpS: number;
  runs: ReplicaRun[];
  /** What recording SQL per request costs (one app instance); absent in results of older benches. */
  traceCost?: TraceCost;
  /** The goals comparing two steps, measured as pairs (one app instance); absent in results of older benches. */
  paired?: PairedRatio[];
  /** Replica counts that could not run, and why. */
  skipped: { replicas: number; reason: string }[];
  goals: Goal[];
};
