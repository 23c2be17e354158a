// `make inspect`: every request through nginx, one line each, live in a terminal.
// `make inspect ID=<request id>` prints one request in full, hop by hop.
// Filters: FILTER_PATH=/login (part of the path), FILTER_STATUS=4xx (or 429, or 4xx,5xx), FILTER_METHOD=POST,
// FILTER_SLOW=100ms (took at least that long), FILTER_STATEMENTS=10 (ran more than 10 SQL statements).
// FOLLOW=0|1 decides whether to keep watching (default: yes in a terminal, no when piped).
// `make inspect-web`: the same on a page at http://127.0.0.1:8090 (INSPECTOR_PORT), until Ctrl-C.
import { bold, dim, green } from '../lib/terminal.js';
import { filterProblem, matches, type Filter } from '../inspector/filters.js';
import { startInspectorServer } from '../inspector/inspector-server.js';
import { loadRequests } from '../inspector/load-requests.js';
import { summary } from '../inspector/records.js';
import { HEADER, formatDetail, formatSummary } from '../inspector/terminal-format.js';
import { openStack } from '../runners/open-runner.js';

export const inspectCommands = { inspect, 'inspect-web': inspectWeb };

export const inspectStuckHint = `Is the stack up? ${bold('make ps')} shows what runs, ${bold('make up')} starts it.`;

const SHOWN_AT_START = 20;
const LOG_LINE_DELAY_MS = 6000;

function filterFromEnv(): Filter {
  const e = process.env;
  return {
    path: e.FILTER_PATH || undefined,
    status: e.FILTER_STATUS || undefined,
    method: e.FILTER_METHOD || undefined,
    slow: e.FILTER_SLOW || undefined,
    statements: e.FILTER_STATEMENTS || undefined,
  };
}

async function inspect(): Promise<void> {
  const { stack, settings } = openStack();
  const max = settings.inspector.maxRequests;
  const id = process.env.ID?.trim();
  if (id) {
    let records = await loadRequests(stack, max);
    let found = records.filter((r) => r.id === id || r.id.startsWith(id));
    // nginx writes a request's log line when it is done with the connection, which can be seconds
    // after the answer reached the browser (it waits up to lingering_timeout, 5 s, for the client to
    // finish sending): an id just seen may be a moment away from the log.
    for (const until = Date.now() + LOG_LINE_DELAY_MS; found.length === 0 && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      records = await loadRequests(stack, max);
      found = records.filter((r) => r.id === id || r.id.startsWith(id));
    }
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
  const problem = filterProblem(filter);
  if (problem) {
    console.log(problem);
    process.exitCode = 1;
    return;
  }
  const follow = process.env.FOLLOW ? process.env.FOLLOW === '1' : process.stdout.isTTY === true;
  const all = await loadRequests(stack, max);
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
    const current = await loadRequests(stack, max);
    for (const r of current) if (!seen.has(r.id) && matches(r, filter)) console.log(formatSummary(summary(r)));
    seen = new Set(current.map((r) => r.id));
  }
}

async function inspectWeb(): Promise<void> {
  const { stack, settings } = openStack();
  const port = settings.ports.inspector;
  const max = settings.inspector.maxRequests;
  const listenHost = process.env.INSPECTOR_LISTEN_ALL === '1' ? '0.0.0.0' : '127.0.0.1'; // set by docker-runner.sh
  const server = await startInspectorServer(stack, max, port, listenHost).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new Error(`Port ${port} (INSPECTOR_PORT) is in use. Stop that program, or: make inspect-web INSPECTOR_PORT=8091`);
    throw err;
  });
  console.log(`${green('Inspector:')} open ${bold(server.url)} in your browser (this machine only).`);
  console.log(dim(`It shows the last ${max} requests through nginx (${stack.url}). Ctrl-C stops it.`));
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
}
