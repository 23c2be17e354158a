// What recording each request's SQL and bcrypt calls (TRACE_SQL, app/src/request-trace.ts) costs:
// GET /account through nginx with it on and off. The app is restarted with the other setting between
// runs, which alternate on, off, on, off, … so that a machine getting busier or quieter during the
// bench does not favour one side; each side's figure is the median of its runs.
import { openThrowawayStack } from '../runners/native/throwaway-stack.js';
import type { BenchStack } from './bench-stack.js';
import { median } from './load-plan.js';
import type { TraceCost } from './results.js';
import type { RunSettings } from './run-steps.js';
import { requestsFor, STEPS, type Fixtures } from './steps.js';

export async function measureTraceCost(bench: BenchStack, fixtures: Fixtures, settings: RunSettings, rounds: number): Promise<TraceCost> {
  const step = STEPS.find((s) => s.id === 'account')!;
  const nginxUrl = `http://127.0.0.1:${bench.stack.settings.ports.http}`;
  const requests = await requestsFor(step, nginxUrl, fixtures, 1, 'trace');
  const run = (durationS: number) =>
    settings.generator.run({ baseUrl: nginxUrl, requests, connections: settings.connections, threads: settings.threads, durationS, timeoutS: 10 });
  const rps: Record<'on' | 'off', number[]> = { on: [], off: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const side of ['on', 'off'] as const) {
        settings.say(`  TRACE_SQL ${side === 'on' ? 'true' : 'false'} (round ${round + 1} of ${rounds}): GET /account signed in…`);
        await openThrowawayStack(bench.stateDir, { ...bench.env, TRACE_SQL: side === 'on' ? 'true' : 'false' }).restart(['app']);
        await run(settings.warmupS); // warm-up: not counted
        const result = await run(settings.durationS);
        if (result.errors > 0) throw new Error(`GET /account with TRACE_SQL ${side} answered ${result.errors} errors`);
        rps[side].push(result.rps);
      }
    }
  } finally {
    await bench.stack.restart(['app']); // back to the bench's own settings
  }
  const onRps = median(rps.on);
  const offRps = median(rps.off);
  return { rounds, onRps: rps.on, offRps: rps.off, ratio: offRps > 0 ? onRps / offRps : null };
}
