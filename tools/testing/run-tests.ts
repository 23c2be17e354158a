// `make test`: first the unit tests, which need nothing running (the app's and the tools' own);
// then a throwaway stack on free ports, and every test that needs one against it (the app's
// database tests, the tools' stack tests, the end-to-end tests in tests/). The stack is stopped and
// deleted afterwards, also when tests fail or the run is interrupted.
// The security tests (tests/stack/security*.test.ts) then run a second time, with the same stack
// restarted as `make up MODE=prod` runs it: the app with NODE_ENV=production, nginx in prod mode.
// `make test-faults` (SUITE=faults) runs only tests/faults, on a stack of its own.
// ONLY=sessions,tests/stack runs the files whose path contains one of these words.
// The tests that start stacks of their own on a learner's default ports, as a learner would (the
// Docker tests, the README, the doctor, the labs, the portability tests), run one file at a time in a
// second lane beside the others (whose stacks use free ports); its report is printed when it ends.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoPath, repoRoot } from '../lib/repo.js';
import { createTestStack, openTestStack, removeTestStack, type TestStackInfo } from './test-stack.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? testFiles(full) : name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

const faults = process.env.SUITE === 'faults';
const only = (process.env.ONLY ?? '').split(',').filter(Boolean);
const chosen = (files: string[]) => files.filter((f) => only.length === 0 || only.some((o) => path.relative(repoRoot, f).includes(o)));
const needsStack = (f: string) => /[/\\]with-(database|stack)[/\\]/.test(f);
const inSecondLane = (f: string) => /[/\\]tests[/\\](docker|doctor|portability)[/\\]|[/\\]tests[/\\]docs[/\\](labs|readme)\.test\.ts$/.test(f);

const unitFiles = chosen([...testFiles(repoPath('app/test')), ...testFiles(repoPath('tools/test'))].filter((f) => !needsStack(f)));
const isSecurityTest = (f: string) => /[/\\]tests[/\\]stack[/\\]security[^/\\]*\.test\.ts$/.test(f);
const stackFiles = chosen(
  faults
    ? testFiles(repoPath('tests/faults'))
    : [
        ...testFiles(repoPath('app/test')).filter(needsStack),
        ...testFiles(repoPath('tools/test')).filter(needsStack),
        ...testFiles(repoPath('tests')).filter((f) => !f.includes(`${path.sep}faults${path.sep}`) && !inSecondLane(f)),
      ],
);
const secondLaneFiles = faults ? [] : chosen(testFiles(repoPath('tests')).filter(inSecondLane));

/**
 * node's test runner over `files`, one file at a time (some tests stop and start services of the
 * shared stack). With `collect`, the report is kept and handed over at the end instead of printed.
 */
function runNodeTests(files: string[], info?: TestStackInfo, collect?: (report: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
      cwd: repoPath('tools'), // where tsx is installed
      stdio: collect ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, ...(info ? { STACK_TEST_INFO: JSON.stringify(info) } : {}) },
    });
    const report: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => report.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => report.push(chunk));
    child.on('exit', (code) => {
      collect?.(Buffer.concat(report).toString('utf8'));
      resolve(code ?? 1);
    });
  });
}

let exitCode = 0;
let secondLane = Promise.resolve(0);
if (secondLaneFiles.length > 0) {
  console.log(`${secondLaneFiles.length} test files with stacks of their own run beside the others; their report comes at the end.`);
  secondLane = runNodeTests(secondLaneFiles, undefined, (report) => console.log(`\nThe report of the tests with stacks of their own:\n${report}`));
}
if (!faults && unitFiles.length > 0) {
  console.log(`Unit tests (${unitFiles.length} files, nothing started)…`);
  exitCode = await runNodeTests(unitFiles);
}

if (stackFiles.length > 0) {
  // The fault suite sends load its rate limit would otherwise stop.
  const suiteEnv: Record<string, string> = faults ? { AUTH_RATE_PER_MINUTE: '600000', AUTH_BURST: '100000', BCRYPT_COST: '4' } : {};
  console.log('Starting a throwaway stack for the tests (MariaDB, the app, nginx on free ports)…');
  const started = Date.now();
  const { stack, info } = await createTestStack(suiteEnv);
  const cleanUp = async () => {
    await stack.down().catch((err: unknown) => console.error('stopping the test stack failed:', err));
    removeTestStack(info);
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanUp().then(() => process.exit(143)));
  try {
    await stack.up();
    console.log(`Test stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${stack.url}; running ${stackFiles.length} test files.`);
    exitCode = Math.max(exitCode, await runNodeTests(stackFiles, info));
    const securityFiles = stackFiles.filter(isSecurityTest);
    if (securityFiles.length > 0) {
      console.log('The security tests again, against the same stack in production mode (make up MODE=prod)…');
      const prod: TestStackInfo = { ...info, mode: 'prod' };
      await openTestStack(prod).restart(['app', 'nginx']);
      exitCode = Math.max(exitCode, await runNodeTests(securityFiles, prod));
    }
  } catch (err) {
    console.error(`The test stack did not start: ${err instanceof Error ? err.message : String(err)}`);
    exitCode = 1;
  } finally {
    await cleanUp();
  }
}
exitCode = Math.max(exitCode, await secondLane);
process.exit(exitCode);
