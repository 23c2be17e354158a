// `make help-report`: one Markdown file a learner pastes to a mentor, with what the mentor would ask
// first: the machine and versions, the settings (names, not secrets), what runs, the doctor's
// findings, the course progress, the newest log lines, the learner's changes and the failed
// requests. It works with the stack down (each part says when it could not be read). Secrets never
// appear: every part goes through the app's redaction rules (app/src/security/redact.ts), and the
// values of .env's secrets are replaced wherever they appear, whatever their context.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isSecretName, REDACTED, redactQuery, redactText } from '../../app/src/security/redact.js';
import { repoRoot } from '../lib/repo.js';
import { loadRequests } from '../inspector/load-requests.js';
import { SERVICES, type Stack } from '../runners/runner.js';
import { diagnose } from './doctor.js';
import { loadExercises } from './exercises.js';
import { readProgress, shortTime } from './progress.js';

const LOG_LINES = 50;
const FAILED_REQUESTS = 20;

/** Writes the report into the state folder; returns its path relative to the project. */
export async function writeHelpReport(stack: Stack, stateDir: string, now = new Date()): Promise<string> {
  const sections: [string, string][] = [];
  // Each part through the redaction rules; the settings, listed by name, follow their own (below).
  const section = async (title: string, body: () => Promise<string> | string, redact = redactText) => {
    try {
      sections.push([title, redact(await body())]);
    } catch (err) {
      sections.push([title, redact(`(could not be read: ${(err as Error).message})`)]);
    }
  };

  await section('System and versions', async () => {
    const versions = await stack.versions();
    return [`- runner: ${stack.description} (STACK=${stack.settings.stack} in .env)`, ...Object.entries(versions).map(([k, v]) => `- ${k}: ${v}`)].join('\n');
  });
  await section(
    'Settings (.env; secrets shown as [redacted])',
    () => fenced(Object.entries(stack.settings.values).map(([name, value]) => `${name}=${isSecretSetting(name, value) ? REDACTED : value}`).join('\n')),
    (text) => text,
  );
  await section('make ps', async () => fenced((await stack.status()).map((s) => `${s.service.padEnd(6)} ${s.state.padEnd(10)} ${s.id.padEnd(13)} ${s.address}`).join('\n')));
  await section('make doctor', async () => (await diagnose(stack)).map((f) => `- ${f.ok ? '✓' : '✗'} ${f.text}${f.ok || !f.next ? '' : ` (next: ${f.next})`}`).join('\n'));
  await section('Course progress', () => courseProgress());
  for (const service of SERVICES) {
    await section(`Last ${LOG_LINES} lines of ${service}'s log`, async () => fenced((await stack.serviceLog(service, LOG_LINES)).join('\n') || '(empty)'));
  }
  await section('git status', () => fenced(git('status', '--short', '--branch')));
  await section('git diff (the learner\'s changes; .env is never included)', () => fenced(git('diff', '--', '.', ':(exclude).env', ':(exclude).env.*'), 'diff'));
  await section(`Last ${FAILED_REQUESTS} failed requests (make inspect ID=… shows one in full)`, () => failedRequests(stack));

  const text = [
    `# stacklab help report, ${now.toISOString()}`,
    '',
    'Made by `make help-report` to send to a mentor. Passwords, session cookies, keys and password hashes are replaced by [redacted].',
    '',
    ...sections.flatMap(([title, body]) => [`## ${title}`, '', body, '']),
  ].join('\n');
  const file = path.join(stateDir, `help-report-${now.toISOString().replace(/[:.]/g, '-')}.md`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, withoutSecrets(text, stack.settings.values));
  const relative = path.relative(repoRoot, file);
  return relative.startsWith('..') ? file : relative;
}

/** The report with every secret value of .env replaced wherever it is, whatever its context. */
export function withoutSecrets(text: string, values: Readonly<Record<string, string>>): string {
  const secrets = Object.entries(values)
    .filter(([name, value]) => isSecretSetting(name, value))
    .flatMap(([, value]) => [value, ...value.split(',')])
    .map((v) => v.trim())
    .filter((v) => v.length >= 6)
    .sort((a, b) => b.length - a.length);
  let safe = text;
  for (const secret of secrets) safe = safe.split(secret).join(REDACTED);
  return safe;
}

/** A setting whose name says it is a secret (DB_PASSWORD, SESSION_KEYS); a number (SESSION_IDLE_TIMEOUT_S) is none. */
function isSecretSetting(name: string, value: string): boolean {
  return isSecretName(name) && !/^\d*$/.test(value);
}

function fenced(text: string, language = ''): string {
  const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${language}\n${text.trimEnd() || '(nothing)'}\n${fence}`;
}

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error || result.status !== 0) return `(git ${args[0]} did not run: ${result.error?.message ?? result.stderr.trim()})`;
  const text = result.stdout;
  // A diff can be long: the mentor gets its first 400 lines and the count of the rest.
  const lines = text.split('\n');
  return lines.length > 400 ? `${lines.slice(0, 400).join('\n')}\n… ${lines.length - 400} more lines` : text;
}

function courseProgress(): string {
  const exercises = loadExercises();
  const { passed, hintsShown, lastCheck } = readProgress();
  const current = exercises.find((e) => !passed[e.id]);
  const lines = [
    `- passed ${exercises.filter((e) => passed[e.id]).length} of ${exercises.length} exercises${current ? `; on exercise ${current.number}, ${current.title} (docs/exercises/${current.id})` : ''}`,
    ...exercises.filter((e) => hintsShown[e.id]).map((e) => `- hints shown for exercise ${e.number}: ${hintsShown[e.id]}`),
  ];
  if (lastCheck) {
    lines.push('', `Last check: ${lastCheck.exercise}, ${shortTime(lastCheck.when)}`, '');
    for (const r of lastCheck.results) lines.push(`- ${r.outcome}: ${r.name}${r.reason ? `: ${r.reason}` : ''}`);
  } else lines.push('', 'No make check N has run yet.');
  return lines.join('\n');
}

async function failedRequests(stack: Stack): Promise<string> {
  const failed = (await loadRequests(stack, 1000)).filter((r) => r.status >= 400).slice(-FAILED_REQUESTS);
  if (failed.length === 0) return 'None in the logs.';
  const rows = failed.map((r) => {
    const why = r.nginxReason ?? r.events.map((e) => String(e.event ?? '')).filter(Boolean).join(', ');
    const target = `${r.path}${r.query ? `?${redactQuery(r.query)}` : ''}`;
    return `${r.time}  ${r.method} ${target}  ${r.status} (answered by ${r.answeredBy})${why ? `  ${why}` : ''}  id ${r.id}`;
  });
  return fenced(rows.join('\n'));
}
