// The experiments of `make bench TAIL=1` (docs/performance.md, "Where the tail comes from"): each
// variant is the stack's own nginx configuration with ONE change, so its figures differ from the
// baseline's by what that change does and nothing else. Each edit must find the line it changes: a
// variant that silently changed nothing would "prove" that the change does not matter.

/** The two files a variant may change: nginx/nginx.conf and the rendered site template. */
export type NginxFiles = { main: string; site: string };

export type TailVariant = {
  id: string;
  /** What is changed, as a learner would write it in the config. */
  change: string;
  /** Straight to the app, skipping nginx (the yardstick). */
  direct?: boolean;
  /** The nginx configuration with the change made; undefined: the configuration as it is. */
  edit?: (files: NginxFiles) => NginxFiles;
  /** wrk's threads for this variant (default: the bench's 2). */
  threads?: number;
  /** CPU placement (taskset) of nginx's workers and the app during this variant's runs. */
  pin?: { nginx: string; app: string };
};

/** An edit that replaces `from` (a string or pattern that must occur) in one of the files. */
export function replace(file: keyof NginxFiles, from: string | RegExp, to: string) {
  return (files: NginxFiles): NginxFiles => {
    const text = files[file];
    const found = typeof from === 'string' ? text.includes(from) : from.test(text);
    if (!found) throw new Error(`tail experiment: "${String(from)}" is not in nginx's ${file === 'main' ? 'nginx.conf' : 'site template'} any more; update tools/bench/tail-variants.ts`);
    return { ...files, [file]: text.replace(from, to) };
  };
}

const events = (line: string) => replace('main', /events \{\n/, `events {\n    ${line}\n`);
const upstreamKeepalive = (line: string) => replace('site', /keepalive \d+;/, line);

export const TAIL_VARIANTS: TailVariant[] = [
  { id: 'direct', change: 'no nginx: wrk straight to the app', direct: true },
  { id: 'baseline', change: 'the stack as it is (nginx/ of this folder)' },
  { id: 'wrk-1-thread', change: 'wrk -t1 instead of -t2 (the generator, not nginx)', threads: 1 },
  { id: 'workers-1', change: 'worker_processes 1;', edit: replace('main', /worker_processes \w+;/, 'worker_processes 1;') },
  { id: 'workers-2', change: 'worker_processes 2;', edit: replace('main', /worker_processes \w+;/, 'worker_processes 2;') },
  {
    id: 'pinned',
    change: 'worker_processes 1, nginx on core 0, the app on core 1 (taskset)',
    edit: replace('main', /worker_processes \w+;/, 'worker_processes 1;'),
    pin: { nginx: '0', app: '1' },
  },
  { id: 'accept-mutex', change: 'accept_mutex on; (events)', edit: events('accept_mutex on;') },
  { id: 'reuseport', change: 'listen … reuseport;', edit: replace('site', /listen (\S+) default_server;/, 'listen $1 default_server reuseport;') },
  { id: 'keepalive-8', change: 'upstream keepalive 8;', edit: upstreamKeepalive('keepalive 8;') },
  { id: 'keepalive-32', change: 'upstream keepalive 32; (before this lesson)', edit: upstreamKeepalive('keepalive 32;') },
  { id: 'keepalive-128', change: 'upstream keepalive 128;', edit: upstreamKeepalive('keepalive 128;') },
  {
    id: 'keepalive-requests',
    change: 'keepalive_requests 100000; (default 1000) in the upstream',
    edit: replace('site', /(keepalive \d+;)/, '$1\n    keepalive_requests 100000;'),
  },
  { id: 'gzip-off', change: 'gzip off;', edit: replace('site', /gzip on;/, 'gzip off;') },
  { id: 'gzip-level-6', change: 'gzip_comp_level 6; (default 1)', edit: replace('site', /gzip on;/, 'gzip on;\n    gzip_comp_level 6;') },
  { id: 'gzip-buffers', change: 'gzip_buffers 4 32k; (default 32 4k)', edit: replace('site', /gzip on;/, 'gzip on;\n    gzip_buffers 4 32k;') },
  {
    id: 'proxy-buffers',
    change: 'proxy_buffers 8 16k; (default 8 4k)',
    edit: replace('site', /gzip on;/, 'proxy_buffers 8 16k;\n    gzip on;'),
  },
  {
    id: 'log-buffered',
    change: 'access_log … buffer=64k flush=1s;',
    edit: replace('site', /stacklab_json;/, 'stacklab_json buffer=64k flush=1s;'),
  },
  { id: 'log-off', change: 'access_log off;', edit: replace('site', /access_log "[^"]+" stacklab_json;/, 'access_log off;') },
];

/** The variants named in a comma-separated list (BENCH_TAIL_ONLY); direct and baseline always run. */
export function pickVariants(only: string | undefined): TailVariant[] {
  if (!only) return TAIL_VARIANTS;
  const wanted = new Set(['direct', 'baseline', ...only.split(',').map((s) => s.trim()).filter(Boolean)]);
  const unknown = [...wanted].filter((id) => !TAIL_VARIANTS.some((v) => v.id === id));
  if (unknown.length > 0) throw new Error(`unknown tail experiment ${unknown.join(', ')}; known: ${TAIL_VARIANTS.map((v) => v.id).join(', ')}`);
  return TAIL_VARIANTS.filter((v) => wanted.has(v.id));
}

/** The middle value (the mean of the two middle ones for an even count). */

/**
 * Round r's order: the list rotated by r × (length ÷ rounds), so that over the rounds each variant
 * runs early, in the middle and late alike. (Rotated by one per round, with 18 variants and 5
 * rounds the second one ran late in most rounds: while the machine got busier, that is a handicap.)
 */
export function roundOrder<T>(items: readonly T[], round: number, rounds: number): T[] {
  const k = Math.floor((round * items.length) / Math.max(1, rounds)) % Math.max(1, items.length);
  return [...items.slice(k), ...items.slice(0, k)];
}
