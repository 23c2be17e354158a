// The load generator of choice: wrk (https://github.com/wg/wrk), written in C, a few threads driving
// many keep-alive connections. It needs far less CPU per request than a Node.js loop, which matters
// when it shares a 2-core machine with the stack it measures.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchRequest, Generator, LoadPlan, LoadResult } from './load-plan.js';

/** The wrk generator when the wrk program is installed; scripts go into `tempDir`. */
export function findWrk(tempDir: string): Generator | undefined {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) return undefined; // not installed
  return { name: 'wrk', run: (plan) => runWrk(plan, tempDir) };
}

let scriptCount = 0;

async function runWrk(plan: LoadPlan, tempDir: string): Promise<LoadResult> {
  const threads = Math.min(plan.threads, plan.connections);
  const args = [`-t${threads}`, `-c${plan.connections}`, `-d${plan.durationS}s`, `--timeout`, `${plan.timeoutS}s`, '--latency'];
  const [first] = plan.requests;
  if (!first) throw new Error('a load plan needs at least one request');
  if (plan.requests.length === 1 && first.method === 'GET') {
    for (const [name, value] of Object.entries(first.headers)) args.push('-H', `${name}: ${value}`);
  } else {
    // Several requests, or a POST: a Lua script hands each connection the next request of the list.
    const script = path.join(tempDir, `wrk-${++scriptCount}.lua`);
    writeFileSync(script, luaScript(plan.requests, threads));
    args.push('-s', script);
  }
  args.push(new URL(first.path, plan.baseUrl).toString());

  const cpuBefore = childrenCpuSeconds();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child.pid!);
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    // wrk stops by itself after -d; this only guards against a wrk that hangs.
    const guard = setTimeout(() => child.kill('SIGKILL'), (plan.durationS + plan.timeoutS + 15) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      running.delete(child.pid!);
      if (code === 0) resolve(text);
      else reject(new Error(`wrk ${args.join(' ')} failed (exit ${code}):\n${text}`));
    });
  });
  return { ...parseWrkOutput(output), generatorCpuS: childrenCpuSeconds() - cpuBefore };
}

/** wrk processes still running, so the bench can stop them if it is interrupted. */
export const running = new Set<number>();

/** Parses wrk's summary (run with --latency). */
export function parseWrkOutput(text: string): Omit<LoadResult, 'generatorCpuS'> {
  const total = /(\d+) requests in ([\d.]+\w+)/.exec(text);
  if (!total) throw new Error(`wrk printed no summary:\n${text}`);
  const requests = Number(total[1]);
  const durationS = seconds(total[2]!);
  const latency = (p: string) => {
    const match = new RegExp(`^\\s*${p}%\\s+([\\d.]+\\w+)`, 'm').exec(text);
    return match ? seconds(match[1]!) * 1000 : 0;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  // A read error is a connection closed under wrk; connect/write/timeouts are failed requests too.
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? requests / durationS);
  return { requests, durationS, rps, p50Ms: latency('50'), p99Ms: latency('99'), errors: socketErrors + non2xx };
}

/** "1.5ms", "830.00us", "2.01s", "1.00m" as seconds. */
function seconds(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(value);
  if (!match) throw new Error(`wrk printed a time I cannot read: "${value}"`);
  const factor = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 }[match[2] as 'us' | 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}

// Thread i sends requests i, i+threads, i+2×threads, …, so no two threads use the same one.
function luaScript(requests: readonly BenchRequest[], threads: number): string {
  const str = (s: string) => JSON.stringify(s); // a JSON string of ASCII text is a valid Lua string
  const items = requests.map((r) => {
    const headers = Object.entries(r.headers).map(([k, v]) => `[${str(k)}]=${str(v)}`).join(',');
    return `{${str(r.method)},${str(r.path)},{${headers}},${r.body === undefined ? 'nil' : str(r.body)}}`;
  });
  return [
    '-- Written by tools/bench/wrk.ts for one run; deleted with the bench\'s temp folder.',
    `local items = {\n${items.join(',\n')}\n}`,
    'local next_id = 0',
    'function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end',
    'local n = 0',
    'function request()',
    `  local it = items[(n * ${threads} + id) % #items + 1]`,
    '  n = n + 1',
    '  return wrk.format(it[1], it[2], it[3], it[4])',
    'end',
    '',
  ].join('\n');
}

// CPU time of this process's finished children (wrk, once it has exited), from /proc (Linux).
// Fields 16 and 17 of /proc/self/stat, cutime and cstime, are in clock ticks of 1/100 s.
function childrenCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}
