// What one load run asks for and what it measured, whichever generator (wrk or the node loop) ran it.

/** One HTTP request the generator sends. */
export type BenchRequest = {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
};

export type LoadPlan = {
  /** http://127.0.0.1:<port> (or https://localhost:<port>): load only ever goes to this machine. */
  baseUrl: string;
  /** Over HTTPS: the certificate authority to trust (the stack's local CA). wrk does not check certificates. */
  ca?: string;
  /**
   * The requests to send, taken in turn (round robin). One request for plain pages; a list of
   * single-use ones (each login needs its own fresh session and CSRF token) for sign-in and registration.
   */
  requests: BenchRequest[];
  connections: number;
  threads: number;
  durationS: number;
  /** An answer slower than this counts as an error (a timeout). */
  timeoutS: number;
};

export type LoadResult = {
  requests: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers with status 400 or above, timeouts and connection errors. */
  errors: number;
  /** CPU seconds the load generator itself used, to see whether it was the bottleneck. */
  generatorCpuS: number;
};

export type Generator = {
  /** "wrk" or "node loop": named in the table and the JSON. */
  name: string;
  run(plan: LoadPlan): Promise<LoadResult>;
};

/** The middle value (the mean of the two middle ones for an even count): what several runs of one measurement say. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The value at percentile p (0–100) of an ascending list, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
