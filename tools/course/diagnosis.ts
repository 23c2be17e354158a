// Reading a failure the way a mentor would: from nginx's complaint or the app's log, the cause in one
// line, the learner's own file and line, and the next step. Pure functions of the text they are
// given, so `make doctor`, `make up` / `make restart` (both runners) and the help report say the same.
export type Finding = { ok: boolean; text: string; next?: string };

/**
 * A path nginx names (the rendered copy the runner loads) as the learner's file in the project:
 *  - native: <state>/nginx/conf[.next|.check]/snippets/x.conf, …/conf.d/stacklab.conf, …/nginx.conf
 *  - Docker: /etc/nginx/snippets/x.conf, /etc/nginx/conf.d/default.conf, /etc/nginx/nginx.conf
 * The site's config is rendered from nginx/templates/stacklab.conf.template line for line.
 */
export function learnerNginxPath(rendered: string): string {
  const snippet = /\/snippets\/(.+)$/.exec(rendered);
  if (snippet) return `nginx/snippets/${snippet[1]}`;
  if (/\/conf\.d\/(stacklab|default)\.conf$/.test(rendered)) return 'nginx/templates/stacklab.conf.template';
  if (/\/nginx\.conf$/.test(rendered)) return 'nginx/nginx.conf';
  return rendered;
}

/** nginx's output with every rendered path it names replaced by the learner's file in nginx/. */
export function inLearnerPaths(output: string): string {
  return output.replace(/(\/[^\s:"']+\.conf)(?=:\d+|\s|$)/g, (rendered) => learnerNginxPath(rendered));
}

/** nginx -t's complaint ("nginx: [emerg] unknown directive "x" in /…/file.conf:20") as a finding. */
export function nginxConfigFinding(output: string): Finding {
  const line = output.split('\n').find((l) => /\[(emerg|alert|crit|error)\]/.test(l)) ?? output.split('\n').find((l) => l.trim()) ?? output;
  const message = line.replace(/^.*?\[(emerg|alert|crit|error)\]\s*(\d+#\d+:\s*)?/, '').trim();
  const at = /\s+in\s+(\S+):(\d+)\s*$/.exec(message);
  if (!at) {
    return { ok: false, text: `nginx refuses its configuration: ${message}`, next: 'fix the files in nginx/, then make reload (or make up when nginx is stopped)' };
  }
  const file = learnerNginxPath(at[1]!);
  const what = message.slice(0, at.index);
  return {
    ok: false,
    text: `nginx refuses its configuration: ${file}:${at[2]}: ${what}`,
    next: `fix line ${at[2]} of ${file}, then make reload (nginx tests the config first; make up when nginx is stopped)`,
  };
}

type LogLine = { event?: string; level?: string; message?: string; error?: string; code?: string };

function parseJson(line: string): LogLine | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}

/** The lines of the app's latest start: from its last "starting" line (or supervisor restart) on. */
export function latestStart(lines: readonly string[]): string[] {
  for (let i = lines.length - 1; i >= 0; i--) {
    const entry = parseJson(lines[i]!);
    if (entry?.event === 'starting') return lines.slice(i);
  }
  return [...lines];
}

/** A place in the learner's code, from a stack trace line: app/src/routes/auth.ts:12. */
function learnerSourceLine(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const at = /((?:[A-Za-z]:)?[^\s()'"]*?\/?app\/(?:src|views|test)\/[^\s():'"]+):(\d+)/.exec(line.replace(/^file:\/\//, ''));
    if (at && !at[1]!.includes('node_modules')) return `${at[1]!.slice(at[1]!.lastIndexOf('app/'))}:${at[2]}`;
  }
  return undefined;
}

/**
 * Why the app's latest start failed, read from its log: a migration (misnamed, failing SQL, refused
 * user), the database refusing the app's password, a bad setting, or a crash in the learner's code.
 * Undefined when the log shows none of these.
 */
export function appStartFinding(logLines: readonly string[]): Finding | undefined {
  const lines = latestStart(logLines);
  for (const line of lines) {
    const entry = parseJson(line);
    if (entry?.event !== 'migration_failed') continue;
    const error = entry.message ?? entry.error ?? 'unknown error';
    const misnamed = /^(\S+\.sql): migration files are named like/.exec(error);
    if (misnamed) {
      return {
        ok: false,
        text: `migration mysql/migrations/${misnamed[1]} is misnamed: ${error.slice(misnamed[1]!.length + 2)} (three digits, a dash, lower-case words)`,
        next: `rename it (git mv mysql/migrations/${misnamed[1]} mysql/migrations/NNN-what-it-does.sql), then make restart SERVICE=app`,
      };
    }
    const failed = /^(\S+\.sql), (statement \d+ of \d+) failed: (.*)$/s.exec(error);
    if (failed) {
      return {
        ok: false,
        text: `migration mysql/migrations/${failed[1]} fails at ${failed[2]}: ${failed[3]!.split('\n')[0]}`,
        next: `fix the SQL in mysql/migrations/${failed[1]} (statements before it ran already: check with make db-shell), then make restart SERVICE=app`,
      };
    }
    return { ok: false, text: `the migrations could not run: ${error.split('\n')[0]}`, next: 'make up (it creates the migration user and sets its password), then make restart SERVICE=app' };
  }
  const denied = lines.map(parseJson).find((e) => e?.event === 'db_waiting' && /ER_ACCESS_DENIED/.test(e.message ?? ''));
  if (denied) return wrongPasswordFinding();
  // A crash: a line naming an error, then (from the runtime) where it happened.
  const plain = lines.filter((l) => !parseJson(l));
  const errorAt = plain.findIndex((l) => /^\s*(\w*Error|Error)(\s*\[\w+\])?:\s/.test(l) || /^\s*ConfigError/.test(l));
  const configProblem = plain.find((l) => /^\s*-\s*[A-Z][A-Z0-9_]*\b/.test(l) || /^Invalid configuration|^The settings/i.test(l));
  if (errorAt >= 0) {
    const first = plain[errorAt]!.trim();
    const where = learnerSourceLine(plain.slice(Math.max(0, errorAt - 6)));
    return {
      ok: false,
      text: `the app crashes at start${where ? ` in ${where}` : ''}: ${first}`,
      next: where ? `fix ${where} (make logs SERVICE=app shows the whole trace), then make restart SERVICE=app` : 'make logs SERVICE=app shows the whole trace; fix it, then make restart SERVICE=app',
    };
  }
  const exited = lines.map(parseJson).some((e) => e?.event === 'supervisor' && /exited/.test(e.message ?? ''));
  if (exited && plain.length > 0) {
    const first = plain.find((l) => l.trim() && !/^\s+at /.test(l))!.trim();
    return {
      ok: false,
      text: `the app stops at start: ${configProblem?.trim().replace(/^-\s*/, '') ?? first}`,
      next: /[A-Z_]{3,}/.test(configProblem ?? first) ? 'fix that setting in .env, then make restart SERVICE=app' : 'make logs SERVICE=app shows its output; fix it, then make restart SERVICE=app',
    };
  }
  return undefined;
}

/** A migration edited after it ran: found by comparing checksums (the app only warns about it). */
export function changedMigrationFinding(file: string): Finding {
  return {
    ok: false,
    text: `mysql/migrations/${file} was edited after it ran (its checksum differs from the one recorded in schema_migrations); the change is not applied`,
    next: `undo the edit (git checkout mysql/migrations/${file}) and put the change in a new migration with the next number`,
  };
}

export function wrongPasswordFinding(): Finding {
  return {
    ok: false,
    text: 'the database refuses the app\'s user: DB_PASSWORD in .env is not the password the database has for DB_USER',
    next: 'put the old DB_PASSWORD back in .env (git diff does not show .env: compare with your notes), or make up, which sets the database\'s passwords to the ones in .env',
  };
}

/** A database error's code as the doctor words it, or undefined when it is not a connection problem. */
export function databaseErrorFinding(err: Error & { code?: string }): Finding {
  if (err.code === 'ER_ACCESS_DENIED_ERROR') return wrongPasswordFinding();
  if (/ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|PROTOCOL_CONNECTION_LOST/.test(`${err.code} ${err.message}`)) {
    return { ok: false, text: `the database does not answer (${err.code ?? err.message})`, next: 'make logs SERVICE=mysql shows why; make up starts it (make restart SERVICE=mysql when it hangs)' };
  }
  return { ok: false, text: `the database answers with an error: ${err.message}`, next: 'make logs SERVICE=mysql' };
}

/** The one paragraph `make up` and `make restart` end with: the causes found, and the first next step. */
export function diagnosisParagraph(findings: readonly Finding[]): string {
  const problems = findings.filter((f) => !f.ok);
  if (problems.length === 0) return 'make doctor finds nothing wrong now: run the command again.';
  const causes = problems.map((p) => p.text).join('; ');
  return `Diagnosis: ${causes}. Next step: ${problems[0]!.next ?? 'make doctor'}.`;
}

/**
 * A 502 while the app runs: nginx's error log says where it tried to reach the app (its last
 * "upstream:" address) and why that failed; the app is not there, so proxy_pass is worth a look.
 */
export function upstreamFinding(errorLog: readonly string[], appAddress: string): Finding | undefined {
  const line = [...errorLog].reverse().find((l) => /while connecting to upstream.*upstream: "/.test(l));
  if (!line) return undefined;
  const upstream = /upstream: "(\w+:\/\/[^/"]+)/.exec(line)![1]!;
  const why = /\(\d+: ([^)]+)\)/.exec(line)?.[1] ?? 'failed';
  return {
    ok: false,
    text: `nginx answers 502 though the app runs (${appAddress}): nginx's error log says it tried ${upstream} (${why})`,
    next: 'see where nginx sends requests: proxy_pass in nginx/snippets/proxy-to-app.conf and the upstream group it names (make ps shows where the app listens), then make reload',
  };
}
