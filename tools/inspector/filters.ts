// The filters of the list: `make inspect FILTER_PATH=/login FILTER_STATUS=4xx FILTER_METHOD=POST`,
// `FILTER_SLOW=100ms` (at least that long in total) and `FILTER_STATEMENTS=10` (more than 10 SQL
// statements), or the page's form.
import type { InspectedRequest } from './records.js';

export type Filter = { path?: string; status?: string; method?: string; slow?: string; statements?: string };

/** "100ms", "100", "0.5s" → milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (m[2]?.toLowerCase() === 's' ? 1000 : 1);
}

/** What is wrong with a filter, in a sentence (undefined when it is fine). */
export function filterProblem(f: Filter): string | undefined {
  if (f.slow && parseDuration(f.slow) === undefined) return `FILTER_SLOW must be a time such as 100ms or 0.5s (got "${f.slow}").`;
  if (f.statements && !/^\s*\d+\s*$/.test(f.statements)) return `FILTER_STATEMENTS must be a whole number, such as 10 (got "${f.statements}").`;
  return undefined;
}

export function matches(r: Pick<InspectedRequest, 'path' | 'status' | 'method' | 'timing' | 'below'>, f: Filter): boolean {
  if (f.path && !r.path.includes(f.path)) return false;
  if (f.method && r.method.toUpperCase() !== f.method.toUpperCase()) return false;
  if (f.status) {
    // "404", "4xx", or a list: "429,5xx"
    const ok = f.status.split(',').some((s) => {
      const want = s.trim().toLowerCase();
      return /^\dxx$/.test(want) ? String(r.status)[0] === want[0] : String(r.status) === want;
    });
    if (!ok) return false;
  }
  const slowMs = f.slow ? parseDuration(f.slow) : undefined;
  if (slowMs !== undefined && r.timing.totalMs < slowMs) return false;
  // More than N statements; a request the app did not record (or nginx answered) ran none that we know of.
  if (f.statements && /^\s*\d+\s*$/.test(f.statements) && (r.below?.sql.count ?? 0) <= Number(f.statements)) return false;
  return true;
}
