// Port checks for the runners and the tests.
import { spawnSync } from 'node:child_process';
import net from 'node:net';

/** True when something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Ports for the throwaway stacks of tests and the bench are picked here, below the range the OS hands
 * out for the local end of outgoing connections (Linux: 32768–60999; macOS and Windows: 49152–65535).
 * A port picked inside that range (as port 0 would give) is free now, but any of the thousands of
 * connections a test run opens can take it before the stack has bound it.
 */
const PICK_FROM = 10_240;
const PICK_BELOW = 32_768;

/** A port that is free right now on 127.0.0.1, outside the range of outgoing connections' ports. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM));
    if (await canListen(port)) return port;
  }
  throw new Error(`found no free port on 127.0.0.1 from ${PICK_FROM} to ${PICK_BELOW - 1}`);
}

/**
 * The first of `count` consecutive ports that are all free right now on 127.0.0.1 (for app
 * instances, which listen on consecutive ports): each is tried.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    if (first + count > PICK_BELOW) continue;
    const ok = await Promise.all(Array.from({ length: count - 1 }, (_, i) => canListen(first + 1 + i)));
    if (ok.every(Boolean)) return first;
  }
  throw new Error(`found no ${count} free consecutive ports on 127.0.0.1`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (port > 65535) return resolve(false);
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls until `check` returns true or the time runs out. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/**
 * Which program listens on a TCP port, as the OS tells (ss on Linux, lsof elsewhere): "python3
 * (pid 1234)", or undefined when the OS does not say (another user's program, no ss nor lsof).
 */
export function portOwner(port: number): string | undefined {
  const ss = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const fromSs = /users:\(\("([^"]+)",pid=(\d+)/.exec(ss.stdout ?? '');
  if (fromSs) return `${fromSs[1]} (pid ${fromSs[2]})`;
  const lsof = spawnSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fcp'], { encoding: 'utf8' });
  const pid = /^p(\d+)$/m.exec(lsof.stdout ?? '')?.[1];
  const name = /^c(.+)$/m.exec(lsof.stdout ?? '')?.[1];
  return pid && name ? `${name} (pid ${pid})` : undefined;
}
