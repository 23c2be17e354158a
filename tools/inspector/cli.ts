// `make inspect`: every request through nginx, one line each, live in a terminal.
// `make inspect ID=<request id>` prints one request in full, hop by hop.
// Filters: FILTER_PATH=/login (part of the path), FILTER_STATUS=4xx (or 429, or 4xx,5xx), FILTER_METHOD=POST.
// FOLLOW=0|1 decides whether to keep watching (default: yes in a terminal, no when piped).
import { bold, dim, red } from '../lib/terminal.js';
import { HEADER, formatDetail, formatSummary } from './format.js';
import { matches, summary, type Filter } from './join.js';
import { loadRequests, maxRequests, openRunner } from './source.js';

const SHOWN_AT_START = 20;

function filterFromEnv(): Filter {
  return { path: process.env.FILTER_PATH || undefined, status: process.env.FILTER_STATUS || undefined, method: process.env.FILTER_METHOD || undefined };
}

async function main(): Promise<void> {
  const { runner, env } = openRunner();
  const max = maxRequests(env);
  const id = process.env.ID?.trim();
  if (id) {
    const records = await loadRequests(runner, max);
    const found = records.filter((r) => r.id === id || r.id.startsWith(id));
    if (found.length !== 1) {
      console.log(found.length === 0 ? `No request with id ${bold(id)} among the last ${records.length}.` : `${found.length} requests start with ${bold(id)}; give more of the id.`);
      console.log(`Run ${bold('make inspect')} to list the recent ids (the X-Request-ID response header names one too).`);
      process.exitCode = 1;
      return;
    }
    console.log(formatDetail(found[0]!));
    return;
  }

  const filter = filterFromEnv();
  const follow = process.env.FOLLOW ? process.env.FOLLOW === '1' : process.stdout.isTTY === true;
  const all = await loadRequests(runner, max);
  const records = all.filter((r) => matches(r, filter));
  console.log(bold(HEADER));
  if (records.length === 0) console.log(dim('No requests yet. Open the site in your browser (make up prints its address).'));
  for (const r of records.slice(-SHOWN_AT_START)) console.log(formatSummary(summary(r)));
  if (!follow) {
    console.log(dim(`One request in full: make inspect ID=<request id>`));
    return;
  }
  console.log(dim(`… watching for new requests; Ctrl-C to stop. One in full: make inspect ID=<request id>`));
  // The ids already seen: only those still in the window, so the set stays as small as the window.
  let seen = new Set(all.map((r) => r.id));
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const current = await loadRequests(runner, max);
    for (const r of current) if (!seen.has(r.id) && matches(r, filter)) console.log(formatSummary(summary(r)));
    seen = new Set(current.map((r) => r.id));
  }
}

main().catch((err: unknown) => {
  console.error(`${red('✗')} ${err instanceof Error ? err.message : String(err)}`);
  console.error(dim(`Is the stack up? ${bold('make ps')} shows what runs, ${bold('make up')} starts it.`));
  process.exitCode = 1;
});
