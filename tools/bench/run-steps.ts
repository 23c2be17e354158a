// One replica count's measurements: each step warmed up, then measured, one after another, while
// the memory and CPU of every layer are sampled from /proc.
import type { Generator, LoadPlan } from './load-plan.js';
import type { PhpPeer } from './php-peer.js';
import { cpuSeconds, rssMb, type LayerFigures } from './proc.js';
import type { ReplicaRun, StepResult } from './results.js';
import type { BenchTarget } from './bench-stack.js';
import { endMeasuringWindow, requestsFor, STEPS, type EventLoopDelay, type Fixtures, type Step } from './steps.js';

export type RunSettings = {
  generator: Generator;
  threads: number;
  connections: number;
  authConnections: number;
  durationS: number;
  /** Sign-in and registration steps run longer: each request takes a good part of a second. */
  authDurationS: number;
  warmupS: number;
  /** Expected sign-ins per second (the bcrypt ceiling), to size the lists of single-use form sessions. */
  authPerS: number;
  /** The PHP-FPM peer (php-peer.ts), when php-fpm is installed. */
  peer?: Pick<PhpPeer, 'url' | 'pids'>;
  say: (line: string) => void;
};

export async function runReplica(
  target: BenchTarget,
  replicas: number,
  fixtures: Fixtures,
  settings: RunSettings,
  extra: Pick<ReplicaRun, 'instancesSeen' | 'upS'>,
): Promise<ReplicaRun> {
  const { nginxUrl, appUrl } = target;
  const pids = target.pids();
  await new Promise((r) => setTimeout(r, 1000)); // let the start settle before calling it idle
  const idle = rssMb(pids);
  let peak: LayerFigures = { ...idle };
  const sampler = setInterval(() => {
    const now = rssMb(pids);
    peak = { nginx: Math.max(peak.nginx, now.nginx), app: Math.max(peak.app, now.app), mysql: Math.max(peak.mysql, now.mysql), total: Math.max(peak.total, now.total) };
  }, 500);

  const steps: StepResult[] = [];
  let loopDelay: EventLoopDelay | null = null;
  try {
    for (const step of STEPS.filter((s) => (replicas === 1 || !s.singleReplicaOnly) && (!s.peer || (settings.peer && target.stack === 'native')) && (!s.tls || target.httpsUrl))) {
      settings.say(`  ${replicas} × app: ${step.label}…`);
      const baseUrl = step.peer ? settings.peer!.url : step.direct ? appUrl : step.tls ? target.httpsUrl! : nginxUrl;
      // The peer's busy cores are its own nginx's and PHP-FPM's (in the app column).
      const stepPids = step.peer ? { ...settings.peer!.pids(), mysql: pids.mysql } : pids;
      const plan = async (durationS: number, tag: string): Promise<LoadPlan> => {
        const connections = step.auth ? settings.authConnections : settings.connections;
        // Enough single-use sessions for three times the expected rate, so the list never runs out.
        const count = step.auth ? Math.ceil(settings.authPerS * replicas * durationS * 3 + connections * 2 + 20) : 1;
        const requests = await requestsFor(step, nginxUrl, fixtures, count, tag);
        return { baseUrl, ca: step.tls ? target.ca : undefined, requests, connections, threads: settings.threads, durationS, timeoutS: step.auth ? 30 : 10 };
      };
      const runTag = `${Date.now().toString(36)}r${replicas}`;
      await settings.generator.run(await plan(settings.warmupS, `${runTag}w`)); // warm-up: not counted
      if (step.auth) await drain(settings);
      const measured = await plan(step.auth ? settings.authDurationS : settings.durationS, `${runTag}m`);
      // A new measuring window for each app instance starts now (the one that ends is not used).
      if (step.id === 'login') for (const app of target.apps()) await endMeasuringWindow(app, target.appLogLines);
      const cpuBefore = cpuSeconds(stepPids);
      const result = await settings.generator.run(measured);
      const cpu = cpuSeconds(stepPids);
      if (step.id === 'login') loopDelay = await worstDelay(target);
      if (step.auth) await drain(settings);
      const busy = (layer: 'nginx' | 'app' | 'mysql') => (cpu[layer] - cpuBefore[layer]) / result.durationS;
      steps.push({
        id: step.id,
        label: step.label,
        url: new URL(measured.requests[0]!.path, baseUrl).toString(),
        connections: measured.connections,
        ...result,
        busyCores: { generator: result.generatorCpuS / result.durationS, nginx: busy('nginx'), app: busy('app'), mysql: busy('mysql') },
      });
    }
  } finally {
    clearInterval(sampler);
  }
  const step = (id: Step['id']) => steps.find((s) => s.id === id);
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : null);
  const viaNginx = step('home_nginx');
  const direct = step('home_direct');
  const logins = step('login')?.rps;
  const overHttps = step('home_https')?.rps;
  return {
    replicas,
    ...(target.stack === 'docker' ? { stack: 'docker' as const } : {}),
    ...extra,
    steps,
    proxyRatio: ratio(viaNginx?.rps, direct?.rps),
    p99Ratio: ratio(viaNginx?.p99Ms, direct?.p99Ms),
    accountP99Ratio: ratio(step('account')?.p99Ms, step('account_direct')?.p99Ms),
    accountVsPhp: ratio(step('account')?.rps, step('account_php')?.rps),
    httpsRatio: ratio(overHttps, viaNginx?.rps),
    loginVsCeiling: logins !== undefined ? logins / settings.authPerS : null,
    eventLoopDuringLogin: loopDelay,
    memoryMb: { idle, load: peak },
  };
}

// When the generator stops, the app still finishes the sign-ins it has started (a hash is not
// cancelled when its client goes away): wait for them, so they do not slow down the next run.
function drain(settings: RunSettings): Promise<void> {
  return new Promise((r) => setTimeout(r, (settings.authConnections / settings.authPerS) * 1000 + 200));
}

/** The worst event-loop delay of any app instance over the window that ends now (the sign-in run). */
async function worstDelay(target: BenchTarget): Promise<EventLoopDelay | null> {
  let worst: EventLoopDelay | null = null;
  for (const app of target.apps()) {
    const d = await endMeasuringWindow(app, target.appLogLines);
    if (d && (!worst || d.p99Ms > worst.p99Ms)) worst = d;
  }
  return worst;
}
