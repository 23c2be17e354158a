// The fallback load generator, in plain Node.js: `connections` loops, each sending its next request
// as soon as the previous answer arrived, over keep-alive connections (as wrk does). It runs in the
// bench's own process, on one core, so on a small machine it tops out well below wrk: the table says
// which generator ran.
import http from 'node:http';
import https from 'node:https';
import { percentile, type Generator, type LoadPlan, type LoadResult } from './load-plan.js';

export const nodeLoop: Generator = { name: 'node loop', run: runNodeLoop };

async function runNodeLoop(plan: LoadPlan): Promise<LoadResult> {
  const tls = plan.baseUrl.startsWith('https:');
  const agent = tls ? new https.Agent({ keepAlive: true, maxSockets: plan.connections, ca: plan.ca }) : new http.Agent({ keepAlive: true, maxSockets: plan.connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + plan.durationS * 1000;

  const loop = async () => {
    while (performance.now() < deadline) {
      const request = plan.requests[next++ % plan.requests.length]!;
      const sent = performance.now();
      const status = await send(agent, plan, request).catch(() => 0);
      latencies.push(performance.now() - sent);
      if (status === 0 || status >= 400) errors++;
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, loop));
  const durationS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    durationS,
    rps: latencies.length / durationS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
    generatorCpuS: (cpu.user + cpu.system) / 1e6,
  };
}

/** Sends one request and reads the whole answer; resolves with the status (0: no answer in time). */
function send(agent: http.Agent, plan: LoadPlan, request: LoadPlan['requests'][number]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (plan.baseUrl.startsWith('https:') ? https : http).request(
      new URL(request.path, plan.baseUrl),
      { method: request.method, headers: request.headers, agent },
      (res) => {
        res.resume(); // read and drop the body, so the connection can carry the next request
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(plan.timeoutS * 1000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(request.body);
  });
}
