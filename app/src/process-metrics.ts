// How this app process is doing: its memory, and how late its event loop runs callbacks. If a
// request ever blocked the loop (a synchronous hash, a huge JSON.parse), every other request would
// wait, and the delay would show it. Measured in windows: a window runs until startNewWindow().
import { monitorEventLoopDelay } from 'node:perf_hooks';

export type ProcessMetrics = {
  rssBytes: number;
  uptimeS: number;
  /** The event-loop delay over the current window (sampled every 10 ms, so an idle loop shows about 10 ms). */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  windowS: number;
};

export type ProcessMonitor = {
  read(): ProcessMetrics;
  /** Returns the window that ends now, and starts measuring a new one. */
  startNewWindow(): ProcessMetrics;
};

export function createProcessMonitor(): ProcessMonitor {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let windowStarted = Date.now();
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

  const read = (): ProcessMetrics => ({
    rssBytes: process.memoryUsage().rss,
    uptimeS: Math.round(process.uptime()),
    eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    windowS: Math.round((Date.now() - windowStarted) / 100) / 10,
  });

  return {
    read,
    startNewWindow() {
      const ended = read();
      loopDelay.reset();
      windowStarted = Date.now();
      return ended;
    },
  };
}
