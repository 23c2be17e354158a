// Memory and CPU of the stack's processes, read from /proc (Linux), so the bench needs no help from
// the services themselves. A layer is a process and its children (nginx: the master and its workers).
import { readdirSync, readFileSync } from 'node:fs';

export type Layer = 'nginx' | 'app' | 'mysql';
export type LayerPids = Record<Layer, number[]>;
export type LayerFigures = Record<Layer | 'total', number>;

/** Resident memory of each layer in MB. */
export function rssMb(pids: LayerPids): LayerFigures {
  return perLayer(pids, (pid) => {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  });
}

/** CPU seconds each layer has used since it started (user + system). */
export function cpuSeconds(pids: LayerPids): LayerFigures {
  return perLayer(pids, (pid) => {
    const fields = read(`/proc/${pid}/stat`).split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100; // utime, stime in 1/100 s
  });
}

function perLayer(pids: LayerPids, measure: (pid: number) => number): LayerFigures {
  const figures = { nginx: 0, app: 0, mysql: 0, total: 0 };
  for (const layer of ['nginx', 'app', 'mysql'] as const) {
    for (const pid of withChildren(pids[layer])) figures[layer] += measure(pid);
    figures.total += figures[layer];
  }
  return figures;
}

/**
 * The pids and every process whose parent is one of them (one level: nginx's workers), each once
 * (a container's list of processes already has the children).
 */
function withChildren(pids: number[]): number[] {
  const all = new Set(pids);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(read(`/proc/${entry}/stat`).split(') ')[1]?.split(' ')[1]);
    if (pids.includes(ppid)) all.add(Number(entry));
  }
  return [...all];
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // the process has just exited
  }
}
