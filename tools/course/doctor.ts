// `make doctor`: why the stack cannot be reached, one finding per line, and what to do about it.
import { readdirSync } from 'node:fs';
import { isListening } from '../lib/ports.js';
import { repoPath } from '../lib/repo.js';
import { bold, green, red } from '../lib/terminal.js';
import type { Stack } from '../runners/runner.js';

type Finding = { ok: boolean; text: string; next?: string };

export async function runDoctor(stack: Stack): Promise<boolean> {
  console.log(bold(`Checking the stack (${stack.description})`));
  const findings: Finding[] = [];
  const say = (f: Finding) => {
    findings.push(f);
    console.log(`  ${f.ok ? green('✓') : red('✗')} ${f.text}`);
  };

  const statuses = await stack.status();
  for (const s of statuses) {
    if (s.state === 'running') say({ ok: true, text: `${s.service} is running (${s.address})` });
    else
      say({
        ok: false,
        text: `${s.service} is ${s.state}`,
        next: s.service === 'app' ? `make logs SERVICE=app shows why; make up starts it again` : 'make up starts it',
      });
  }

  const nginxRunning = statuses.find((s) => s.service === 'nginx')?.state === 'running';
  for (const [port, name] of [[Number(new URL(stack.url).port || 80), 'HTTP_PORT'], [stack.settings.ports.https, 'HTTPS_PORT']] as const) {
    if (!nginxRunning && (await isListening(port))) {
      say({ ok: false, text: `port ${port} (${name}) is taken by another program, so nginx cannot use it`, next: `stop that program (ss -ltnp | grep ${port}), or set ${name} in .env` });
    }
  }

  let health: number | undefined;
  try {
    health = (await stack.client().get('/healthz')).status;
  } catch {
    health = undefined;
  }
  if (health === 200) say({ ok: true, text: `the site answers through nginx at ${stack.url}, and the app reaches the database` });
  else if (health === 502 || health === 504) say({ ok: false, text: `nginx answers ${health}: the app behind it is not answering`, next: 'make logs SERVICE=app, then make restart SERVICE=app' });
  else if (health === 503) say({ ok: false, text: 'the app answers, but the database does not', next: 'make logs SERVICE=mysql, then make restart SERVICE=mysql' });
  else if (health === undefined) say({ ok: false, text: `nothing answers at ${stack.url}`, next: 'make up' });
  else say({ ok: false, text: `/healthz answered ${health}`, next: 'make logs' });

  if (health === 200) {
    try {
      const files = readdirSync(repoPath('mysql/migrations')).filter((f) => /^\d+-.*\.sql$/.test(f));
      const applied = new Set((await stack.sql('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
      const pending = files.filter((f) => !applied.has(Number(f.split('-')[0])));
      if (pending.length === 0) say({ ok: true, text: `all ${files.length} migrations are applied` });
      else say({ ok: false, text: `migrations not applied yet: ${pending.join(', ')}`, next: 'make restart SERVICE=app (the app applies migrations when it starts); make logs SERVICE=app shows any error' });
    } catch (err) {
      say({ ok: false, text: `could not read the migrations table (${(err as Error).message})`, next: 'make logs SERVICE=mysql' });
    }
  }

  const problem = findings.find((f) => !f.ok);
  console.log(problem ? `\nNext step: ${bold(problem.next ?? 'make up')}` : `\n${green('All good.')} make check shows your progress.`);
  return !problem;
}
