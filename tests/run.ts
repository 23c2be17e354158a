// `make test`: starts a throwaway stack, runs every test file against it with node's test runner,
// and stops and deletes the stack afterwards, also when tests fail or the run is interrupted.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTestStack, removeTestStack, repoRoot } from './helpers/test-stack.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? testFiles(full) : name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

// `make test` runs everything but the fault suite; `make test-faults` (SUITE=faults) runs only that,
// on a stack of its own whose rate limit would otherwise stop the load it sends.
const faults = process.env.SUITE === 'faults';
const suiteEnv: Record<string, string> = faults ? { AUTH_RATE_PER_MINUTE: '600000', AUTH_BURST: '100000', BCRYPT_COST: '4' } : {};

// Optional filter: `make test ONLY=sessions` runs the files whose path contains "sessions"
// (several, comma-separated: ONLY=app/test,tests/stack).
const only = (process.env.ONLY ?? '').split(',').filter(Boolean);
const files = [...testFiles(path.join(repoRoot, 'app/test')), ...testFiles(path.join(repoRoot, 'tests'))]
  .filter((f) => f.includes(`${path.sep}faults${path.sep}`) === faults)
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .map((f) => path.relative(repoRoot, f));

console.log('Starting a throwaway stack for the tests (MariaDB, the app, nginx on free ports)…');
const started = Date.now();
const { stack, info } = await createTestStack(suiteEnv);
let exitCode = 1;
const cleanUp = async () => {
  await stack.down().catch((err: unknown) => console.error('stopping the test stack failed:', err));
  removeTestStack(info);
};
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
process.once('SIGTERM', () => void cleanUp().then(() => process.exit(143)));

try {
  await stack.up();
  console.log(`Test stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${stack.url}; running ${files.length} test files.`);
  exitCode = await new Promise<number>((resolve) => {
    // One file at a time: some tests stop and restart services of the shared stack.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
      { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, STACK_TEST_INFO: JSON.stringify(info) } },
    );
    child.on('exit', (code) => resolve(code ?? 1));
  });
} catch (err) {
  console.error(`The test stack did not start: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
