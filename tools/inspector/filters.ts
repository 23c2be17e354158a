// The filters of the list: `make inspect FILTER_PATH=/login FILTER_STATUS=4xx FILTER_METHOD=POST`, or the page's form.
import type { InspectedRequest } from './records.js';

export type Filter = { path?: string; status?: string; method?: string };

export function matches(r: Pick<InspectedRequest, 'path' | 'status' | 'method'>, f: Filter): boolean {
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
  return true;
}
